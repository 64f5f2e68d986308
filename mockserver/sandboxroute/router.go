package sandboxroute

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// Defaults of Options.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultMaxResponse = 1 << 20
)

// Options configure a Router. Zero values pick the defaults.
type Options struct {
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
	// Logger receives a line per failed run (default: discard).
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

// Router answers tool runs: it renders each run's request, sends it or
// answers it in place (stubs, simulation), and redacts every secret from
// what it returns. It holds no state of the mock: the tools room finds the
// tool and the config's material and records the run.
type Router struct {
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
	allow, err := ParseAllowList(opts.Allow)
	if err != nil {
		return nil, err
	}
	r := &Router{
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

// matchStub finds the stub for a call: the most specific of the call's own
// stubs (c.Stubs, from scenarios), else the most specific of the router's
// (see MatchStub).
func (r *Router) matchStub(c Call, tool string, route Route) (VendorStub, bool) {
	if s, ok := MatchStub(c.Stubs, c.Tenant, c.Tool.Integration, tool, route); ok {
		return s, true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return MatchStub(r.stubs, c.Tenant, c.Tool.Integration, tool, route)
}

// Decision is where a run goes and whose material it uses.
type Decision struct {
	Route Route
	// Variant is the material of the published revision a PRODUCTION or
	// VENDOR route uses; a SIMULATED route uses none.
	Variant integrations.RunVariant
}

// Decide applies the DESIGN §3 table: only SANDBOX consults the sandbox
// mode; UNSPECIFIED (or empty) behaves as NONE; READ_THROUGH lets only
// READ_ONLY tools out.
func Decide(mode ExecutionMode, sandbox integrations.SandboxMode, action ActionType) Decision {
	prod := Decision{Route: RouteProduction, Variant: integrations.RunProduction}
	sim := Decision{Route: RouteSimulated, Variant: integrations.RunProduction}
	if mode != ExecutionModeSandbox {
		return prod
	}
	switch sandbox {
	case integrations.SandboxModeVendor:
		return Decision{Route: RouteVendor, Variant: integrations.RunSandboxVariant}
	case integrations.SandboxModeSimulated:
		return sim
	case integrations.SandboxModeReadThrough:
		if action == ActionTypeReadOnly {
			return prod
		}
		return sim
	}
	return prod
}
