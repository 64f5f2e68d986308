package tools

import (
	"maps"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// Deep copies of the tools' API types, so nothing a caller holds aliases the
// store's memory (see integrations' clone.go for the rule).

func cloneTool(t Tool) Tool {
	t.DisplayName = core.ClonePtr(t.DisplayName)
	t.Description = core.ClonePtr(t.Description)
	t.Descriptor = cloneDescriptor(t.Descriptor)
	t.ParametersMetadata = integrations.CloneParameters(t.ParametersMetadata)
	t.Pricing = clonePricing(t.Pricing)
	t.AuthSettings = cloneAuthSettings(t.AuthSettings)
	return t
}

// summary is the list's view of a tool (a deep copy).
func summary(t Tool) Summary {
	t = cloneTool(t)
	return Summary{ID: t.ID, IntegrationID: t.IntegrationID, DisplayName: t.DisplayName, Description: t.Description,
		ToolType: t.ToolType, ActionType: t.ActionType, ResultType: t.ResultType, ParametersMetadata: t.ParametersMetadata,
		Descriptor: t.Descriptor, CreatedAt: t.CreatedAt, ModifiedAt: t.ModifiedAt, Pricing: t.Pricing}
}

func clonePricing(p []any) []any {
	out := make([]any, len(p))
	for i, v := range p {
		out[i] = core.CloneJSON(v)
	}
	return out
}

func cloneAuthSettings(a *AuthSettings) *AuthSettings {
	if a == nil {
		return nil
	}
	out := &AuthSettings{SupportsOAuth: a.SupportsOAuth, OAuth: make([]map[string]any, len(a.OAuth))}
	for i, m := range a.OAuth {
		out.OAuth[i] = core.CloneJSONMap(m)
	}
	return out
}

func cloneDescriptor(d ToolDescriptor) ToolDescriptor {
	var out ToolDescriptor
	if a := d.APITool; a != nil {
		c := *a
		c.Headers = maps.Clone(a.Headers)
		c.QueryParameters = maps.Clone(a.QueryParameters)
		c.FormParameters = maps.Clone(a.FormParameters)
		c.Body = core.ClonePtr(a.Body)
		c.ResultTransformExpression = core.ClonePtr(a.ResultTransformExpression)
		out.APITool = &c
	}
	if p := d.PredefinedTool; p != nil {
		c := *p
		out.PredefinedTool = &c
	}
	if m := d.MCPTool; m != nil {
		c := *m
		c.ServerURL = core.ClonePtr(m.ServerURL)
		c.MCPToolName = core.ClonePtr(m.MCPToolName)
		out.MCPTool = &c
	}
	if k := d.CodeTool; k != nil {
		c := *k
		c.Code = core.ClonePtr(k.Code)
		c.Packages = slices.Clone(k.Packages)
		out.CodeTool = &c
	}
	return out
}

func cloneRun(r ToolRun) ToolRun {
	r.RevisionID = core.ClonePtr(r.RevisionID)
	r.Request.Headers = maps.Clone(r.Request.Headers)
	r.Request.Body = core.ClonePtr(r.Request.Body)
	r.Response.Headers = maps.Clone(r.Response.Headers)
	r.Response.Body = core.CloneJSON(r.Response.Body)
	return r
}
