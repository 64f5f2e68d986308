package tools

import (
	"maps"

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
	return t
}

func cloneDescriptor(d ToolDescriptor) ToolDescriptor {
	a := d.APITool
	a.Headers = maps.Clone(a.Headers)
	a.QueryParameters = maps.Clone(a.QueryParameters)
	a.Body = core.ClonePtr(a.Body)
	return ToolDescriptor{APITool: a}
}

func cloneRun(r ToolRun) ToolRun {
	r.RevisionID = core.ClonePtr(r.RevisionID)
	r.Request.Headers = maps.Clone(r.Request.Headers)
	r.Request.Body = core.ClonePtr(r.Request.Body)
	r.Response.Headers = maps.Clone(r.Response.Headers)
	r.Response.Body = core.CloneJSON(r.Response.Body)
	return r
}
