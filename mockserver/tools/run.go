package tools

import (
	"context"
	"encoding/json"
	"fmt"
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

// RunInput names a tool and carries the run's config, parameters and
// execution mode.
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
	if tool.Descriptor.APITool == nil {
		return Result{}, core.Invalid("RunTool", "toolId",
			"tool %q is a %s tool; the mock runs HTTP tools (apiTool) only", tool.ID, tool.ToolType)
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

// TestConfigTool is Run for POST …/configs/{config}:testTool: a config
// that cannot run the tool (never published; for VENDOR, no sandbox
// variant) is the client's 400, as the reference says, not a 409.
func (rn *Runner) TestConfigTool(ctx context.Context, s *Store, in RunInput) (Result, error) {
	res, err := rn.Run(ctx, s, in)
	if ce, ok := err.(*core.Error); ok && ce.Kind == core.KindConflict {
		return Result{}, &core.Error{Kind: core.KindInvalid, Op: "TestConfigTool", Detail: ce.Detail,
			Fields: map[string][]string{"config": {ce.Detail}}}
	}
	return res, err
}

// TestInput is the POST …/tools:test body: an ad-hoc tool and what to run
// it with.
type TestInput struct {
	Descriptor         ToolDescriptor                   `json:"descriptor"`
	ParametersMetadata []integrations.ParameterMetadata `json:"parametersMetadata"`
	Parameters         map[string]any                   `json:"parameters"`
	ConfigMetadata     *integrations.ConfigMetadata     `json:"configMetadata"`
	Config             map[string]any                   `json:"config"`
}

// testToolID names the ad-hoc tool of a tools:test call (for stubs, the
// simulation and logs).
const testToolID = "tools:test"

// TestDescriptor runs an ad-hoc HTTP tool (tools:test): placeholders from
// the parameters, then config.parameters; no stored config, so no
// credential and no run record. mode SANDBOX simulates it; anything else
// is the PRODUCTION route (sent only to an allowed host, else a stub).
func (rn *Runner) TestDescriptor(ctx context.Context, s *Store, tenant, integration string, in TestInput,
	mode sandboxroute.ExecutionMode, stubs []sandboxroute.VendorStub) (RunResponse, sandboxroute.AnsweredBy, error) {
	const op = "TestTool"
	it, _, err := s.integ.GetIntegration(tenant, integration)
	if err != nil {
		return RunResponse{}, "", err
	}
	f := core.Findings{}
	d, _, rt := checkDescriptor(f, "", in.Descriptor)
	decl := integrations.NormalizeParameters(f, "parametersMetadata", in.ParametersMetadata)
	if d.APITool == nil && len(f) == 0 {
		f.Add("descriptor", "must set apiTool: the mock runs HTTP tools only")
	}
	cfg := map[string]any{}
	if p, ok := in.Config["parameters"]; ok && p != nil {
		m, isMap := p.(map[string]any)
		if !isMap {
			f.Add("config.parameters", "must be an object")
		}
		cfg = m
	}
	if err := f.Err(op); err != nil {
		return RunResponse{}, "", err
	}
	params, err := integrations.CheckRunParameters(decl, in.Parameters)
	if err != nil {
		return RunResponse{}, "", err
	}
	route := sandboxroute.RouteProduction
	if mode == sandboxroute.ExecutionModeSandbox {
		route = sandboxroute.RouteSimulated
	}
	rc := integrations.RunConfig{IntegrationID: integration, Parameters: cfg}
	c := sandboxroute.Call{
		Tenant: tenant, Route: route, Params: params, Declared: map[string]bool{}, Prod: rc, Use: rc, Stubs: stubs,
		Tool: sandboxroute.Tool{ID: testToolID, Integration: integration, ResultType: runResultType(rt), Template: d.APITool.template()},
	}
	for _, p := range decl {
		c.Declared[p.Name] = true
		if p.Secret {
			c.SecretParams = append(c.SecretParams, p.Name)
		}
	}
	for _, p := range it.ConfigMetadata.ParametersMetadata {
		c.Declared[p.Name] = true
	}
	if in.ConfigMetadata != nil {
		for _, p := range in.ConfigMetadata.ParametersMetadata {
			c.Declared[p.Name] = true
		}
	}
	for name := range cfg {
		c.Declared[name] = true
	}
	out, err := rn.router.Answer(ctx, c)
	if err != nil {
		return RunResponse{}, "", err
	}
	rn.log.InfoContext(ctx, "tool test", slog.String("tenant", tenant), slog.String("integration", integration),
		slog.String("route", string(route)), slog.String("answeredBy", string(out.AnsweredBy)),
		slog.String("method", out.Request.Method), slog.String("url", out.Request.URL), slog.Int("status", out.Response.Status))
	return RunResponse(out.Response), out.AnsweredBy, nil
}

// ResponseText is a run's answer as the test operations return it: a
// string as is, any other JSON value as compact JSON, nothing as null.
func ResponseText(r RunResponse) *string {
	if r.Body == nil {
		return nil
	}
	if s, ok := r.Body.(string); ok {
		return &s
	}
	b, err := json.Marshal(r.Body)
	if err != nil {
		s := fmt.Sprint(r.Body)
		return &s
	}
	s := string(b)
	return &s
}

// runResultType is how the router reads an answer: UNSPECIFIED and TOOL
// read as JSON.
func runResultType(rt sandboxroute.ResultType) sandboxroute.ResultType {
	if rt == sandboxroute.ResultTypeUnspecified || rt == sandboxroute.ResultTypeTool || rt == "" {
		return sandboxroute.ResultTypeJSON
	}
	return rt
}

// call is what the router needs of a resolved run.
func call(in RunInput, tool Tool, it integrations.Integration, m material, params map[string]any) sandboxroute.Call {
	c := sandboxroute.Call{
		Tenant: in.Tenant, Config: in.Input.ConfigID, Route: m.decision.Route, Params: params,
		Declared: map[string]bool{}, Prod: m.prod, Use: m.use, Stubs: in.Stubs,
		Tool: sandboxroute.Tool{ID: tool.ID, Integration: tool.IntegrationID, ResultType: runResultType(tool.Descriptor.APITool.ResultType),
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
func (a *APITool) template() sandboxroute.Template {
	return sandboxroute.Template{HTTPMethod: a.HTTPMethod, URL: a.URL, Headers: a.Headers, QueryParameters: a.QueryParameters, Body: a.Body}
}
