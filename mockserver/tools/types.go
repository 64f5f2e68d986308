// Package tools is the room of the Tools group of the Integrations API: the
// tools of each integration (HTTP request templates with their parameters)
// and the log of their runs, keyed tenant → integration. It reaches the
// integrations room only through the Integrations interface. Its domain
// files know nothing of HTTP.
package tools

import (
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// Tool is an API tool of an integration.
type Tool struct {
	ID                 string                           `json:"id"`
	IntegrationID      string                           `json:"integrationId"`
	DisplayName        *string                          `json:"displayName"`
	Description        *string                          `json:"description"`
	ActionType         sandboxroute.ActionType          `json:"actionType"`
	Descriptor         ToolDescriptor                   `json:"descriptor"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
	CreatedAt          int64                            `json:"createdAt"`
	ModifiedAt         int64                            `json:"modifiedAt"`
}

// ToolDescriptor holds the tool's implementation.
type ToolDescriptor struct {
	APITool APITool `json:"apiTool"`
}

// APITool is an HTTP request template; {{name}} placeholders are filled from
// run parameters, then config parameters, then built-ins ({{tenant}}).
type APITool struct {
	HTTPMethod      string                  `json:"httpMethod"`
	URL             string                  `json:"url"`
	Headers         map[string]string       `json:"headers"`
	QueryParameters map[string]string       `json:"queryParameters"`
	Body            *string                 `json:"body"`
	ResultType      sandboxroute.ResultType `json:"resultType"`
}

// CreateToolInput is the create-tool request body.
type CreateToolInput struct {
	ID                 *string                          `json:"id"`
	DisplayName        *string                          `json:"displayName"`
	Description        *string                          `json:"description"`
	ActionType         *sandboxroute.ActionType         `json:"actionType"`
	Descriptor         ToolDescriptor                   `json:"descriptor"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
}

// UpdateToolInput is the tool PATCH body; nil keeps a field.
type UpdateToolInput struct {
	DisplayName        *string                          `json:"displayName"`
	Description        *string                          `json:"description"`
	ActionType         *sandboxroute.ActionType         `json:"actionType"`
	Descriptor         *ToolDescriptor                  `json:"descriptor"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
}

// RunToolInput is the tools/{tool}:run request body.
type RunToolInput struct {
	ConfigID      string                     `json:"configId"`
	Parameters    map[string]any             `json:"parameters"`
	ExecutionMode sandboxroute.ExecutionMode `json:"executionMode"`
}

// ToolRun is the record of one run: the routing decision, the rendered
// request with secrets redacted, and the answer.
type ToolRun struct {
	RunID         string                     `json:"runId"`
	ToolID        string                     `json:"toolId"`
	ConfigID      string                     `json:"configId"`
	RevisionID    *string                    `json:"revisionId"`
	ExecutionMode sandboxroute.ExecutionMode `json:"executionMode"`
	SandboxMode   integrations.SandboxMode   `json:"sandboxMode"`
	Route         sandboxroute.Route         `json:"route"`
	ActionType    sandboxroute.ActionType    `json:"actionType"`
	Outbound      bool                       `json:"outbound"`
	Request       RunRequest                 `json:"request"`
	Response      RunResponse                `json:"response"`
	CreatedAt     int64                      `json:"createdAt"`
}

// RunRequest is the rendered outbound request, secrets redacted.
type RunRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    *string           `json:"body"`
}

// RunResponse is what the vendor (or its stand-in) answered.
type RunResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    any               `json:"body"`
}
