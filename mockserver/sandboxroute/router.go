package sandboxroute

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// Defaults of Options.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultMaxResponse = 1 << 20
)

// Options configure a Router. Only Store is required.
type Options struct {
	// Store holds the tools, configs and runs.
	Store *state.Store
	// Allow lists the HOST[:PORT] targets a run may really reach; a host
	// without a port allows every port. Empty: nothing is ever sent.
	Allow []string
	// Stubs answer runs that are not sent (fixtures and scenarios).
	Stubs []VendorStub
	// Seed makes generated SIMULATED answers reproducible.
	Seed int64
	// Transport sends allowed requests; default a clone of
	// http.DefaultTransport with proxies off, so nothing but the target is
	// contacted.
	Transport http.RoundTripper
	// Timeout bounds one outbound exchange, redirects and body included
	// (default DefaultTimeout).
	Timeout time.Duration
	// MaxResponse caps a vendor's body in bytes (default DefaultMaxResponse).
	MaxResponse int64
	// Logger receives one line per run and per failed run (default: discard).
	Logger *slog.Logger
}

// AnsweredBy says what produced a run's response.
type AnsweredBy string

// Answer sources.
const (
	// AnsweredByVendor: the request was really sent to an allowed target.
	AnsweredByVendor AnsweredBy = "vendor"
	// AnsweredByStub: a vendor stub answered; nothing was sent.
	AnsweredByStub AnsweredBy = "stub"
	// AnsweredBySimulation: the SIMULATED route generated the answer.
	AnsweredBySimulation AnsweredBy = "simulation"
)

// Router runs tools: it routes each run per the execution and sandbox
// modes, renders the request, sends it or answers it in place, and records
// the run, secrets redacted.
type Router struct {
	store       *state.Store
	allow       AllowList
	seed        int64
	client      *http.Client
	timeout     time.Duration
	maxResponse int64
	log         *slog.Logger

	mu sync.RWMutex
	// guards stubs
	stubs []VendorStub
}

// New builds a Router; it fails on a malformed allow list.
func New(opts Options) (*Router, error) {
	if opts.Store == nil {
		return nil, fmt.Errorf("sandboxroute: no store")
	}
	allow, err := ParseAllowList(opts.Allow)
	if err != nil {
		return nil, err
	}
	r := &Router{
		store:       opts.Store,
		allow:       allow,
		seed:        opts.Seed,
		timeout:     opts.Timeout,
		maxResponse: opts.MaxResponse,
		log:         opts.Logger,
		stubs:       slices.Clone(opts.Stubs),
	}
	if r.timeout <= 0 {
		r.timeout = DefaultTimeout
	}
	if r.maxResponse <= 0 {
		r.maxResponse = DefaultMaxResponse
	}
	if r.log == nil {
		r.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r.client = newClient(opts.Transport, allow)
	return r, nil
}

// SetStubs replaces the vendor stubs (a fixture reload).
func (r *Router) SetStubs(stubs []VendorStub) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stubs = slices.Clone(stubs)
}

// matchStub finds the stub for a run: the most specific of the run's own
// stubs (in.Stubs, from scenarios), else the most specific of the router's
// (see MatchStub).
func (r *Router) matchStub(in RunInput, tool string, route tools.Route) (VendorStub, bool) {
	if s, ok := MatchStub(in.Stubs, in.Tenant, in.Integration, tool, route); ok {
		return s, true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return MatchStub(r.stubs, in.Tenant, in.Integration, tool, route)
}

// RunInput names a tool and carries the :run body.
type RunInput struct {
	Tenant      string
	Integration string
	Tool        string
	Input       tools.RunToolInput
	// Stubs are vendor stubs for this run only (the scenarios that apply
	// to the request); any of them that matches takes precedence over the
	// router's stubs, however specific those are.
	Stubs []VendorStub
	// Store, when set, holds the tool, config and run instead of the
	// router's store (a session's own state).
	Store *state.Store
}

// storeOf is the store a run reads and records into.
func (r *Router) storeOf(in RunInput) *state.Store {
	if in.Store != nil {
		return in.Store
	}
	return r.store
}

// Result is a recorded run and what answered it.
type Result struct {
	Run        tools.ToolRun
	AnsweredBy AnsweredBy
}

// Decision is where a run goes and whose material it uses.
type Decision struct {
	Route tools.Route
	// Variant is the material of the published revision a PRODUCTION or
	// VENDOR route uses; a SIMULATED route uses none.
	Variant integrations.RunVariant
}

// Decide applies the DESIGN §3 table: only SANDBOX consults the sandbox
// mode; UNSPECIFIED (or empty) behaves as NONE; READ_THROUGH lets only
// READ_ONLY tools out.
func Decide(mode tools.ExecutionMode, sandbox integrations.SandboxMode, action tools.ActionType) Decision {
	prod := Decision{Route: tools.RouteProduction, Variant: integrations.RunProduction}
	sim := Decision{Route: tools.RouteSimulated, Variant: integrations.RunProduction}
	if mode != tools.ExecutionModeSandbox {
		return prod
	}
	switch sandbox {
	case integrations.SandboxModeVendor:
		return Decision{Route: tools.RouteVendor, Variant: integrations.RunSandboxVariant}
	case integrations.SandboxModeSimulated:
		return sim
	case integrations.SandboxModeReadThrough:
		if action == tools.ActionTypeReadOnly {
			return prod
		}
		return sim
	}
	return prod
}

// Run runs a tool and records the run. Errors are *core.Error (400, 404,
// 409 by kind) or *Error (502, 504).
func (r *Router) Run(ctx context.Context, in RunInput) (Result, error) {
	it, _, err := r.storeOf(in).Integrations().GetIntegration(in.Tenant, in.Integration)
	if err != nil {
		return Result{}, err
	}
	tool, _, err := r.storeOf(in).Tools().GetTool(in.Tenant, in.Integration, in.Tool)
	if err != nil {
		return Result{}, err
	}
	if err := checkInput(in.Input); err != nil {
		return Result{}, err
	}
	m, resolveErr := r.resolve(in, tool.ActionType)
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
	p := r.prepare(in, tool, it, m, params)
	req, err := Render(tool.Descriptor.APITool, p.values)
	if err != nil {
		return Result{}, err
	}
	inj := InjectAuth(&req, p.auth)
	red := NewRedactor(append(p.secrets, inj.Values...)...)
	ans, err := r.answer(ctx, in, tool, m.decision.Route, req, params, red)
	if e := (*Error)(nil); errors.As(err, &e) {
		e.Detail = red.String(e.Detail)
	}
	if err != nil {
		r.log.WarnContext(ctx, "tool run failed", slog.String("tenant", in.Tenant), slog.String("integration", in.Integration),
			slog.String("tool", in.Tool), slog.String("config", in.Input.ConfigID), slog.String("route", string(m.decision.Route)),
			slog.String("error", red.String(err.Error())))
		return Result{}, err
	}
	run := tools.ToolRun{
		ToolID:        tool.ID,
		ExecutionMode: in.Input.ExecutionMode,
		SandboxMode:   sandboxModeOf(m.prod),
		Route:         m.decision.Route,
		ActionType:    tool.ActionType,
		// Issue 4: outbound says whether a real request was sent, which is
		// what a user checks to trust that a sandbox stayed a sandbox.
		Outbound: ans.by == AnsweredByVendor,
		Request:  red.Request(req, inj),
		Response: red.Response(ans.resp),
	}
	if m.decision.Route == tools.RouteProduction {
		run.RevisionID = &m.prod.RevisionID // the spec: null for the sandbox variant or none
	}
	run, err = r.storeOf(in).Tools().RecordRun(in.Tenant, in.Integration, in.Input.ConfigID, run)
	if err != nil {
		return Result{}, err
	}
	r.log.InfoContext(ctx, "tool run", slog.String("tenant", in.Tenant), slog.String("integration", in.Integration),
		slog.String("tool", in.Tool), slog.String("config", in.Input.ConfigID), slog.String("runId", run.RunID),
		slog.String("route", string(run.Route)), slog.String("answeredBy", string(ans.by)),
		slog.String("method", run.Request.Method), slog.String("url", run.Request.URL), slog.Int("status", run.Response.Status))
	return Result{Run: run, AnsweredBy: ans.by}, nil
}

// checkInput checks what request validation already checks, for Go callers.
func checkInput(in tools.RunToolInput) error {
	f := map[string][]string{}
	if in.ConfigID == "" {
		f["configId"] = []string{"is required"}
	}
	if in.ExecutionMode != tools.ExecutionModeProduction && in.ExecutionMode != tools.ExecutionModeSandbox {
		f["executionMode"] = []string{"must be one of: PRODUCTION, SANDBOX"}
	}
	if len(f) > 0 {
		return &core.Error{Kind: core.KindInvalid, Op: "RunTool", Detail: "the request has invalid fields", Fields: f}
	}
	return nil
}

// material is the resolved routing of a run: the published revision, the
// decision made on it, and the variant the decision needs.
type material struct {
	prod     integrations.RunConfig
	use      integrations.RunConfig
	decision Decision
}

// resolve reads the published revision, decides, and for VENDOR reads its
// sandboxVariant too — again if a publish slipped in between the reads.
func (r *Router) resolve(in RunInput, action tools.ActionType) (material, error) {
	for range maxResolves {
		prod, err := r.storeOf(in).Integrations().ConfigForRun(in.Tenant, in.Integration, in.Input.ConfigID, integrations.RunProduction)
		if err != nil {
			return material{}, r.configError(in, err)
		}
		d := Decide(in.Input.ExecutionMode, prod.SandboxMode, action)
		if d.Variant == integrations.RunProduction {
			return material{prod: prod, use: prod, decision: d}, nil
		}
		v, err := r.storeOf(in).Integrations().ConfigForRun(in.Tenant, in.Integration, in.Input.ConfigID, d.Variant)
		if err != nil {
			return material{}, r.configError(in, err)
		}
		if v.RevisionID == prod.RevisionID {
			return material{prod: prod, use: v, decision: d}, nil
		}
	}
	return material{}, &core.Error{Kind: core.KindConflict, Op: "RunTool",
		Detail: fmt.Sprintf("config %s was published again while the run read it; retry", in.Input.ConfigID)}
}

// maxResolves bounds the re-reads of a config that keeps being published.
const maxResolves = 3

// configError turns "no such config" into a 400 when the config belongs to
// another integration of the tenant.
func (r *Router) configError(in RunInput, err error) error {
	if core.KindOf(err) != core.KindNotFound {
		return err
	}
	if owner, ok := r.storeOf(in).Integrations().ConfigOwner(in.Tenant, in.Input.ConfigID); ok && owner != in.Integration {
		return &core.Error{Kind: core.KindInvalid, Op: "RunTool",
			Detail: fmt.Sprintf("config %s belongs to integration %q, not %q", in.Input.ConfigID, owner, in.Integration),
			Fields: map[string][]string{"configId": {fmt.Sprintf("must be a config of integration %q", in.Integration)}}}
	}
	return err
}

func sandboxModeOf(rc integrations.RunConfig) integrations.SandboxMode {
	if rc.SandboxMode == "" {
		return integrations.SandboxModeUnspecified
	}
	return rc.SandboxMode
}
