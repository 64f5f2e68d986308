package mcp

import (
	"context"
	"encoding/json"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// This file is the room's one contact with the tools room's types: what
// MCP shows of a tool, and how a tools/call is run (mcp:call) or simulated
// (mcp:test). When the tools room's Tool changes shape, only this file
// follows.

// toolView is what MCP shows and runs of a tool.
type toolView struct {
	ID          string
	Title       *string
	Description *string
	ActionType  sandboxroute.ActionType
	Params      []integrations.ParameterMetadata
	// Sim is the tool as the router renders and simulates it.
	Sim sandboxroute.Tool
}

// tool reads a tool of the integration; ok is false when it is gone (an
// exposed id whose tool was deleted is ignored, as the reference says).
func (s *Store) tool(tenant, integration, id string) (toolView, bool, error) {
	t, _, err := s.tools.GetTool(tenant, integration, id)
	switch {
	case core.KindOf(err) == core.KindNotFound:
		return toolView{}, false, nil
	case err != nil:
		return toolView{}, false, err
	}
	v := toolView{ID: t.ID, Title: t.DisplayName, Description: t.Description, ActionType: t.ActionType,
		Params: t.ParametersMetadata,
		Sim:    sandboxroute.Tool{ID: t.ID, Integration: t.IntegrationID, ResultType: t.ResultType},
	}
	// Only an API tool has an HTTP template; any other kind simulates
	// from its result type alone.
	if a := t.Descriptor.APITool; a != nil {
		v.Sim.Template = sandboxroute.Template{HTTPMethod: a.HTTPMethod, URL: a.URL, Headers: a.Headers, QueryParameters: a.QueryParameters, Body: a.Body}
	}
	return v, true, nil
}

// answer is a tool's answer as tools/call reports it.
type answer struct {
	Status int
	Body   any
	// By says what produced it (vendor, stub, simulation).
	By sandboxroute.AnsweredBy
}

// runPublished runs a tool in production execution with the config's
// published revision, through the tools room's Runner, which sends only to
// allow-listed hosts (else a vendor stub answers) and records the run in
// the run log.
func runPublished(ctx context.Context, rn *tools.Runner, ts *tools.Store, tenant, integration, tool, config string,
	args map[string]any, stubs []sandboxroute.VendorStub) (answer, error) {
	res, err := rn.Run(ctx, ts, tools.RunInput{Tenant: tenant, Integration: integration, Tool: tool, Stubs: stubs,
		Input: tools.RunToolInput{ConfigID: config, Parameters: args, ExecutionMode: sandboxroute.ExecutionModeProduction}})
	if err != nil {
		return answer{}, err
	}
	return answer{Status: res.Run.Response.Status, Body: res.Run.Response.Body, By: res.AnsweredBy}, nil
}

// simulate answers a tool from the SIMULATED route: a scenario or fixture
// stub for the tool on that route, else the router's generated answer,
// which depends only on the server's seed, the tool and the arguments.
// Nothing is sent and no credential is read.
func simulate(ctx context.Context, router *sandboxroute.Router, it integrations.Integration, tenant string, t toolView,
	args map[string]any, stubs []sandboxroute.VendorStub) (answer, error) {
	c := sandboxroute.Call{Tenant: tenant, Tool: t.Sim, Route: sandboxroute.RouteSimulated, Params: args,
		Declared: map[string]bool{}, Stubs: stubs}
	for _, p := range t.Params {
		c.Declared[p.Name] = true
		if p.Secret {
			c.SecretParams = append(c.SecretParams, p.Name)
		}
	}
	for _, p := range it.ConfigMetadata.ParametersMetadata {
		c.Declared[p.Name] = true
	}
	out, err := router.Answer(ctx, c)
	if err != nil {
		return answer{}, err
	}
	return answer{Status: out.Response.Status, Body: out.Response.Body, By: out.AnsweredBy}, nil
}

// text is an answer's body as MCP text content: a string as is, any other
// JSON value compact, nothing as "".
func (a answer) text() string {
	switch b := a.Body.(type) {
	case nil:
		return ""
	case string:
		return b
	default:
		out, err := json.Marshal(b)
		if err != nil {
			return ""
		}
		return string(out)
	}
}
