// Package fuzz is the spec-driven fuzzer behind "fruxon-mock fuzz": it
// generates requests from the OpenAPI document (valid ones, boundaries
// first, and variants that break exactly one rule), runs stateful chains
// through the API's workflow, checks every answer against the contract, and
// shrinks each failure to a small request printed as a curl reproducer.
//
// It talks HTTP to a base URL and never imports the server, so the same
// run proves the mock and a real deployment.
package fuzz

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/validator"
)

// Options configure a run. Zero values take the documented defaults.
type Options struct {
	// Target is the API's base URL (required).
	Target string
	// Client sends the requests (default: a client with a 30 s timeout).
	Client *http.Client
	// Validator holds the spec the requests come from and the answers are
	// checked against (required).
	Validator *validator.Validator
	// Token is sent as "Authorization: Bearer"; APIKey, when set, is sent
	// as X-API-KEY instead on some requests.
	Token, APIKey string
	// ControlToken is sent as X-Fruxon-Mock-Control-Token on requests to
	// /_mock/* (fuzzing a mock's control plane with its spec), which a mock
	// started with --control-token asks for; reproducers never print it.
	ControlToken string
	// Seed makes a run repeatable: the same seed against the same server
	// state sends the same requests.
	Seed uint64
	// MaxExamples is the number of valid examples per operation (default
	// 50); each is followed by up to Negatives one-rule-broken variants
	// (default 3; the first example gets every variant).
	MaxExamples, Negatives int
	// Chains is the number of stateful workflow chains (default 2).
	Chains int
	// Time bounds the run (0: no bound besides MaxExamples).
	Time time.Duration
	// Operations selects operations by operationId globs (default: all).
	Operations []string
	// ReadOnly restricts the run to safe methods: no writes, no chains.
	ReadOnly bool
	// Tenant is the tenant every request names (default "fuzz-<seed>");
	// IDPrefix prefixes the ids the run chooses (default "fz<seed>-").
	Tenant, IDPrefix string
	// OversizeBytes is the size of the oversize-body variant (default
	// 1 MiB + 1; negative: none).
	OversizeBytes int
	// MaxShrinks bounds the re-sends spent shrinking one failure
	// (default 40).
	MaxShrinks int
	// Progress, when set, gets a progress line about once a second.
	Progress io.Writer
	// Trace, when set, gets a line per request: method, URL, status.
	Trace io.Writer
}

func (o *Options) defaults() error {
	if o.Target == "" || o.Validator == nil {
		return errors.New("fuzz: Target and Validator are required")
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if o.MaxExamples <= 0 {
		o.MaxExamples = 50
	}
	if o.Negatives == 0 {
		o.Negatives = 3
	}
	if o.Chains == 0 {
		o.Chains = 2
	}
	if o.Tenant == "" {
		o.Tenant = fmt.Sprintf("fuzz-%d", o.Seed)
	}
	if o.IDPrefix == "" {
		o.IDPrefix = fmt.Sprintf("fz%d-", o.Seed)
	}
	if o.OversizeBytes == 0 {
		o.OversizeBytes = 1<<20 + 1
	}
	if o.MaxShrinks == 0 {
		o.MaxShrinks = 40
	}
	return nil
}

// fuzzer is one run's state.
type fuzzer struct {
	ctx     context.Context
	opts    Options
	ops     []*operation
	byID    map[string]*operation
	checker checker
	rep     *Report
	pool    pool
	created []created
	// mcpKey is the base integration's MCP key, minted by the setup, sent
	// as X-API-KEY to the operations that take only it (mcp:call,
	// mcp:test); "" when the setup could not mint one.
	mcpKey  string
	start   time.Time
	lastLog time.Time
}

// Run fuzzes the target and reports what failed. An error means the run
// could not happen at all (bad options); failures are in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if opts.Time > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Time)
		defer cancel()
	}
	f := &fuzzer{
		ctx: ctx, opts: opts, byID: map[string]*operation{},
		checker: checker{v: opts.Validator},
		rep:     &Report{Seed: opts.Seed, Target: opts.Target, Tenant: opts.Tenant},
		start:   time.Now(),
	}
	f.checker.remember(opts.Token)
	f.checker.remember(opts.APIKey)
	f.checker.remember(opts.ControlToken)
	for _, o := range opts.Validator.Operations() {
		op := newOperation(o)
		f.byID[op.id] = op
		if op.matches(opts.Operations) && (!opts.ReadOnly || op.safe()) && !op.opaqueBody {
			f.ops = append(f.ops, op)
		}
	}
	if len(f.ops) == 0 {
		return nil, fmt.Errorf("fuzz: no operation matches %s", strings.Join(opts.Operations, ","))
	}
	f.setup()
	if !opts.ReadOnly {
		for i := range opts.Chains {
			if f.expired() {
				break
			}
			f.chain(i)
		}
	}
	f.fuzzOperations()
	if !opts.ReadOnly {
		f.cleanup()
	}
	f.rep.Duration = time.Since(f.start)
	f.rep.TimedOut = ctx.Err() != nil
	f.progress(true)
	return f.rep, nil
}

func (f *fuzzer) expired() bool { return f.ctx.Err() != nil }

// rng is the random source of one named stream: each operation and chain
// draws from its own, so selecting fewer operations doesn't change the
// others' requests.
func (f *fuzzer) rng(name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(f.opts.Seed, h.Sum64()))
}

// fuzzOperations sends every operation's valid examples, each followed
// by its one-rule-broken variants. Operations take turns, one example at a
// time, so a run cut short by Time still covers them all; each draws from
// its own random stream.
func (f *fuzzer) fuzzOperations() {
	type opRun struct {
		op    *operation
		r     *rand.Rand
		stats *OpStats
	}
	runs := make([]opRun, len(f.ops))
	for i, op := range f.ops {
		runs[i] = opRun{op, f.rng("op:" + op.id), f.rep.op(op.id)}
	}
	for i := range f.opts.MaxExamples {
		for _, o := range runs {
			if f.expired() {
				return
			}
			c := f.positive(o.op, o.r, modeFor(i))
			a := f.exec(c, o.stats)
			if a == nil {
				continue
			}
			c.baseStatus = a.status
			limit := f.opts.Negatives
			if i == 0 {
				limit = -1
			}
			for _, n := range f.negatives(c, o.r, i == 0, limit) {
				if f.expired() {
					return
				}
				f.exec(n, o.stats)
			}
		}
	}
}

// exec sends a case, checks the answer and records a failure (shrunk).
// It returns nil when the request could not be sent at all.
func (f *fuzzer) exec(c *testCase, stats *OpStats) *answer {
	a, hr, err := f.send(c.req)
	if err != nil {
		if !f.expired() {
			f.fail(c, &verdict{CheckServerError, "no answer: " + err.Error()}, nil, stats)
		}
		return nil
	}
	f.track(c, a)
	if v := f.checker.check(c, hr, a); v != nil {
		f.fail(c, v, a, stats)
	} else {
		stats.Passed++
		f.rep.Passed++
	}
	f.progress(false)
	return a
}

// send does one round trip and reads the answer whole.
func (f *fuzzer) send(req *Request) (*answer, *http.Request, error) {
	hr, err := req.build(f.ctx, f.opts.Target)
	if err != nil {
		return nil, nil, err
	}
	f.controlToken(hr)
	f.rep.Requests++
	resp, err := f.opts.Client.Do(hr)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, nil, err
	}
	if f.opts.Trace != nil {
		fmt.Fprintf(f.opts.Trace, "%s %s → %d %s\n", req.Method, req.URL(""), resp.StatusCode, excerpt(body[:min(len(body), 160)]))
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: body}, hr, nil
}

func (f *fuzzer) progress(final bool) {
	if f.opts.Progress == nil {
		return
	}
	now := time.Now()
	if !final && now.Sub(f.lastLog) < time.Second {
		return
	}
	f.lastLog = now
	el := now.Sub(f.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(f.rep.Requests) / el
	}
	fmt.Fprintf(f.opts.Progress, "fuzz: %d requests, %d passed, %d failed, %.0f req/s\n", f.rep.Requests, f.rep.Passed, f.rep.Failed, rate)
}

// controlToken adds the control token to a request to /_mock/* that
// doesn't carry one. It goes on the sent request only, never on the
// Request a reproducer is printed from.
func (f *fuzzer) controlToken(hr *http.Request) {
	if f.opts.ControlToken != "" && scenarios.ControlPath(hr.URL.Path) && hr.Header.Get(scenarios.ControlTokenHeader) == "" {
		hr.Header.Set(scenarios.ControlTokenHeader, f.opts.ControlToken)
	}
}
