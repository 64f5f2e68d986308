package tools

import (
	"context"
	"io"
	"log/slog"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// Runner runs tools: it finds the tool and reads the config's material in
// the stores, lets the router decide and answer, and records the run,
// secrets redacted.
type Runner struct {
	router *sandboxroute.Router
	log    *slog.Logger
}

// NewRunner returns a Runner whose runs the router answers; log receives
// a line per run (nil: discard).
func NewRunner(router *sandboxroute.Router, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Runner{router: router, log: log}
}

// RunInput names a tool and carries the :run body.
type RunInput struct {
	Tenant      string
	Integration string
	Tool        string
	Input       RunToolInput
	// Stubs are vendor stubs for this run only (the scenarios that apply
	// to the request), tried before the router's.
	Stubs []sandboxroute.VendorStub
}

// Result is a recorded run and what answered it.
type Result struct {
	Run        ToolRun
	AnsweredBy sandboxroute.AnsweredBy
}

// Run runs a tool of s (and of the integrations room s hangs off) and
// records the run in s. Errors are *core.Error (400, 404, 409 by kind) or
// *sandboxroute.Error (502, 504).
func (rn *Runner) Run(ctx context.Context, s *Store, in RunInput) (Result, error) {
	it, _, err := s.integ.GetIntegration(in.Tenant, in.Integration)
	if err != nil {
		return Result{}, err
	}
	tool, _, err := s.GetTool(in.Tenant, in.Integration, in.Tool)
	if err != nil {
		return Result{}, err
	}
	if err := checkInput(in.Input); err != nil {
		return Result{}, err
	}
	m, resolveErr := resolve(s.integ, in, tool.ActionType)
	if resolveErr != nil && core.KindOf(resolveErr) != core.KindConflict {
		return Result{}, resolveErr // 404, a foreign config (400), internal
	}
	params, err := integrations.CheckRunParameters(tool.ParametersMetadata, in.Input.Parameters)
	if err != nil {
		return Result{}, err
	}
	if resolveErr != nil {
		return Result{}, resolveErr // never published, no sandboxVariant: 409
	}
	out, err := rn.router.Answer(ctx, call(in, tool, it, m, params))
	if err != nil {
		return Result{}, err
	}
	run := ToolRun{
		ToolID:        tool.ID,
		ExecutionMode: in.Input.ExecutionMode,
		SandboxMode:   sandboxModeOf(m.prod),
		Route:         m.decision.Route,
		ActionType:    tool.ActionType,
		// Issue 4: outbound says whether a real request was sent, which is
		// what a user checks to trust that a sandbox stayed a sandbox.
		Outbound: out.AnsweredBy == sandboxroute.AnsweredByVendor,
		Request:  RunRequest(out.Request),
		Response: RunResponse(out.Response),
	}
	if m.decision.Route == sandboxroute.RouteProduction {
		run.RevisionID = &m.prod.RevisionID // the spec: null for the sandbox variant or none
	}
	run, err = s.RecordRun(in.Tenant, in.Integration, in.Input.ConfigID, run)
	if err != nil {
		return Result{}, err
	}
	rn.log.InfoContext(ctx, "tool run", slog.String("tenant", in.Tenant), slog.String("integration", in.Integration),
		slog.String("tool", in.Tool), slog.String("config", in.Input.ConfigID), slog.String("runId", run.RunID),
		slog.String("route", string(run.Route)), slog.String("answeredBy", string(out.AnsweredBy)),
		slog.String("method", run.Request.Method), slog.String("url", run.Request.URL), slog.Int("status", run.Response.Status))
	return Result{Run: run, AnsweredBy: out.AnsweredBy}, nil
}

// call is what the router needs of a resolved run.
func call(in RunInput, tool Tool, it integrations.Integration, m material, params map[string]any) sandboxroute.Call {
	c := sandboxroute.Call{
		Tenant: in.Tenant, Config: in.Input.ConfigID, Route: m.decision.Route, Params: params,
		Declared: map[string]bool{}, Prod: m.prod, Use: m.use, Stubs: in.Stubs,
		Tool: sandboxroute.Tool{ID: tool.ID, Integration: tool.IntegrationID, ResultType: tool.Descriptor.APITool.ResultType,
			Template: tool.Descriptor.APITool.template()},
	}
	for _, p := range tool.ParametersMetadata {
		c.Declared[p.Name] = true
		if p.Secret {
			c.SecretParams = append(c.SecretParams, p.Name)
		}
	}
	for _, p := range it.ConfigMetadata.ParametersMetadata {
		c.Declared[p.Name] = true
	}
	return c
}

// template is the request template the router renders.
func (a APITool) template() sandboxroute.Template {
	return sandboxroute.Template{HTTPMethod: a.HTTPMethod, URL: a.URL, Headers: a.Headers, QueryParameters: a.QueryParameters, Body: a.Body}
}
