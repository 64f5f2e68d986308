// Package tools is the room of the Tools group of the Integrations API: the
// AI Tools of each integration (HTTP request templates, script, MCP and
// predefined tools with their parameters) and the log of their runs, keyed
// tenant → integration. It reaches the integrations room only through the
// Integrations interface. Its domain files know nothing of HTTP.
package tools

import (
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// ToolType is a tool's execution backend, derived from its descriptor.
type ToolType string

// Tool types.
const (
	ToolTypeUnspecified  ToolType = "UNSPECIFIED"
	ToolTypeAPI          ToolType = "API"
	ToolTypePredefined   ToolType = "PREDEFINED"
	ToolTypeAgentTool    ToolType = "AGENT_TOOL"
	ToolTypePythonScript ToolType = "PYTHON_SCRIPT"
	ToolTypeLLMBuiltIn   ToolType = "LLM_BUILT_IN"
	ToolTypeMCP          ToolType = "MCP"
)

// Tool is an AI Tool of an integration (the documented model).
type Tool struct {
	ID                 string                           `json:"id"`
	IntegrationID      string                           `json:"integrationId"`
	DisplayName        *string                          `json:"displayName"`
	Description        *string                          `json:"description"`
	ToolType           ToolType                         `json:"toolType"`
	ActionType         sandboxroute.ActionType          `json:"actionType"`
	ResultType         sandboxroute.ResultType          `json:"resultType"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
	Descriptor         ToolDescriptor                   `json:"descriptor"`
	CreatedAt          int64                            `json:"createdAt"`
	ModifiedAt         int64                            `json:"modifiedAt"`
	Pricing            []any                            `json:"pricing"`
	IsInternal         bool                             `json:"isInternal"`
	IsModifiable       bool                             `json:"isModifiable"`
	AuthSettings       *AuthSettings                    `json:"authSettings"`
}

// Summary is a tool as the list shows it.
type Summary struct {
	ID                 string                           `json:"id"`
	IntegrationID      string                           `json:"integrationId"`
	DisplayName        *string                          `json:"displayName"`
	Description        *string                          `json:"description"`
	ToolType           ToolType                         `json:"toolType"`
	ActionType         sandboxroute.ActionType          `json:"actionType"`
	ResultType         sandboxroute.ResultType          `json:"resultType"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
	Descriptor         ToolDescriptor                   `json:"descriptor"`
	CreatedAt          int64                            `json:"createdAt"`
	ModifiedAt         int64                            `json:"modifiedAt"`
	Pricing            []any                            `json:"pricing"`
}

// AuthSettings is how a tool authenticates (kept as given).
type AuthSettings struct {
	SupportsOAuth bool             `json:"supportsOAuth"`
	OAuth         []map[string]any `json:"oAuth"`
}

// ToolDescriptor is the tool's implementation: one member is set.
type ToolDescriptor struct {
	APITool        *APITool        `json:"apiTool"`
	PredefinedTool *PredefinedTool `json:"predefinedTool"`
	MCPTool        *MCPTool        `json:"mcpTool"`
	CodeTool       *CodeTool       `json:"codeTool"`
}

// APITool is an HTTP request template; {{name}} placeholders are filled from
// run parameters, then config parameters, then built-ins ({{tenant}}).
type APITool struct {
	Headers                   map[string]string       `json:"headers"`
	HTTPMethod                string                  `json:"httpMethod"`
	URL                       string                  `json:"url"`
	QueryParameters           map[string]string       `json:"queryParameters"`
	Body                      *string                 `json:"body"`
	FormParameters            map[string]string       `json:"formParameters"`
	ResultType                sandboxroute.ResultType `json:"resultType"`
	ResultTransformExpression *string                 `json:"resultTransformExpression"`
}

// PredefinedTool is a tool the platform implements.
type PredefinedTool struct {
	ResultType sandboxroute.ResultType `json:"resultType"`
}

// MCPTool is a tool of a remote MCP server.
type MCPTool struct {
	ServerURL   *string                 `json:"serverUrl"`
	MCPToolName *string                 `json:"mcpToolName"`
	ResultType  sandboxroute.ResultType `json:"resultType"`
}

// CodeTool is a Python script tool; the mock stores it, never runs it.
type CodeTool struct {
	Code           *string                 `json:"code"`
	TimeoutSeconds int                     `json:"timeoutSeconds"`
	Packages       []string                `json:"packages"`
	ResultType     sandboxroute.ResultType `json:"resultType"`
}

// CreateToolInput is the create-tool request body.
type CreateToolInput struct {
	ID                 *string                          `json:"id"`
	IntegrationID      *string                          `json:"integrationId"`
	DisplayName        *string                          `json:"displayName"`
	Description        *string                          `json:"description"`
	ActionType         *sandboxroute.ActionType         `json:"actionType"`
	Descriptor         ToolDescriptor                   `json:"descriptor"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
}

// ReplaceToolInput is the PUT …/tools/{tool} (and :python) body: the whole
// tool. createdAt and modifiedAt are ignored.
type ReplaceToolInput struct {
	Descriptor         ToolDescriptor                   `json:"descriptor"`
	IsInternal         bool                             `json:"isInternal"`
	CreatedAt          int64                            `json:"createdAt"`
	ID                 *string                          `json:"id"`
	ModifiedAt         int64                            `json:"modifiedAt"`
	IntegrationID      *string                          `json:"integrationId"`
	DisplayName        *string                          `json:"displayName"`
	Description        *string                          `json:"description"`
	ToolType           *ToolType                        `json:"toolType"`
	ActionType         *sandboxroute.ActionType         `json:"actionType"`
	ResultType         *sandboxroute.ResultType         `json:"resultType"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
	AuthSettings       *AuthSettings                    `json:"authSettings"`
}

// RunToolInput is the control plane's tool-run debugger body.
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
