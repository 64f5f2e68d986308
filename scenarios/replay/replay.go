package replay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/fruxon/fruxon-mock/scenarios"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// Options configure a replay.
type Options struct {
	// Target is the base URL of the API, e.g. http://localhost:8080.
	Target string
	// Validator checks every answer against the contract.
	Validator *validator.Validator
	// Client sends the requests (default: a client with a 30 s timeout
	// that sends steps expecting a dropped connection on a connection of
	// their own: a client that reuses connections retries such requests).
	Client *http.Client
	// Token is sent as "Authorization: Bearer Token" by every step that
	// doesn't say auth: none or set Authorization itself; "" sends none.
	Token string
	// ControlToken is sent as X-Fruxon-Mock-Control-Token on every
	// /_mock/* call (the scenario probe, steps that reset, switch
	// scenarios or mint tokens) that doesn't set it itself: a mock started
	// with --control-token asks for it there.
	ControlToken string
	// Tenant is {{tenant}} (default "replay-" + the run id).
	Tenant string
	// RunID is {{run}} (default 8 random hex digits).
	RunID string
	// Stubs reports whether the target runs a scenario's stubs; scenarios
	// that require stubs are skipped when it says no. Nil asks the target:
	// a fruxon-mock lists the scenarios it knows at GET /_mock/scenarios.
	Stubs func(name string) bool
	// Mock reports whether the target is fruxon-mock; scenarios that
	// require mock are skipped when it is not. Nil asks GET /_mock/health.
	Mock *bool
	// FailFast stops at the first failing step; the steps not run count
	// as skipped.
	FailFast bool
	// Progress receives a line per step as it finishes (nil: none).
	Progress io.Writer
	// NoDurations leaves durations out of the progress lines and the
	// reports, so the output of a run is the same every time.
	NoDurations bool
	// Parallel runs up to this many scenarios at once (each has its own
	// session already); the report and progress lines stay in the order
	// of a serial run. 0 or 1: one at a time.
	Parallel int
	// Coverage, when set, counts every validated answer's (operation,
	// status) pair, statuses the spec doesn't declare and tool runs (of
	// Target's answers only, in parity mode).
	Coverage *coverage.Set
	// Compare, when set, is a second base URL (B): parity mode. Every step
	// runs against Target (A) and Compare, each side with its own
	// variables, both answers are validated and every way B's answer
	// differs from A's is a Divergence (the step fails). Volatile values
	// are masked: schema formats uuid and date-time, members named like
	// createdAt, traceId or *Token, captured values, ETag, UUIDs, the
	// targets' base URLs and per-request query parameters inside strings.
	Compare string
	// CompareToken is the bearer token sent to Compare ("": Token).
	CompareToken string
	// Ignore lists body paths whose divergences are not reported (parity
	// mode); a path ignores what it selects and everything inside it.
	Ignore []*scenarios.JSONPath
	// KeepSessions leaves on the target the session each scenario ran in;
	// by default a fruxon-mock target's is deleted (DELETE
	// /_mock/sessions/{id}) when the scenario ends, so replays don't pile
	// sessions up on a served mock.
	KeepSessions bool
}

// Replay runs the scenarios' steps, in order, against the target and
// reports each step's outcome. A scenario runs its steps in order with its
// own variables and session; after a failing step, the rest of its steps
// are skipped. An error is returned only when the replay can't run at all
// (bad options); failing steps are in the report.
func Replay(ctx context.Context, list []*scenarios.Scenario, opts Options) (*Report, error) {
	if opts.Validator == nil {
		return nil, errors.New("replay: no validator")
	}
	if !strings.HasPrefix(opts.Target, "http://") && !strings.HasPrefix(opts.Target, "https://") {
		return nil, fmt.Errorf("replay: target %q is not an http(s) URL", opts.Target)
	}
	opts.Target = strings.TrimRight(opts.Target, "/")
	if opts.Compare != "" {
		if !strings.HasPrefix(opts.Compare, "http://") && !strings.HasPrefix(opts.Compare, "https://") {
			return nil, fmt.Errorf("replay: compare target %q is not an http(s) URL", opts.Compare)
		}
		opts.Compare = strings.TrimRight(opts.Compare, "/")
		if opts.CompareToken == "" {
			opts.CompareToken = opts.Token
		}
	}
	// A Go client silently retries an idempotent request whose reused
	// connection dropped; a step that expects the drop must see it, so it
	// goes out on a connection of its own.
	fresh := opts.Client
	if opts.Client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		opts.Client = &http.Client{Timeout: 30 * time.Second, Transport: t}
		t = t.Clone()
		t.DisableKeepAlives = true
		fresh = &http.Client{Timeout: 30 * time.Second, Transport: t}
	}
	if opts.RunID == "" {
		var b [4]byte
		rand.Read(b[:])
		opts.RunID = hex.EncodeToString(b[:])
	}
	if opts.Tenant == "" {
		opts.Tenant = "replay-" + opts.RunID
	}
	x := &replayer{opts: opts, fresh: fresh, rep: &Report{Run: opts.RunID},
		a: &side{label: "A", base: opts.Target, token: opts.Token}}
	if opts.Compare != "" {
		x.b = &side{label: "B", base: opts.Compare, token: opts.CompareToken}
		x.rep.Target, x.rep.Compare = opts.Target, opts.Compare
		for _, sd := range []struct{ what, base string }{{"target", opts.Target}, {"compare target", opts.Compare}} {
			if err := reachable(ctx, opts.Client, sd.what, sd.base); err != nil {
				return nil, &UnreachableError{URL: sd.base, Err: err}
			}
		}
	}
	x.probe(ctx, list)
	for _, s := range list {
		x.total += len(s.Steps)
	}
	start := time.Now()
	x.run(ctx, list)
	if !opts.NoDurations {
		x.rep.Duration = time.Since(start)
	}
	return x.rep, nil
}

// replayer is one replay in progress.
type replayer struct {
	opts    Options
	a, b    *side        // the target and, in parity mode, the compare target
	fresh   *http.Client // for steps that expect a dropped connection
	rep     *Report
	total   int
	done    int
	stopped atomic.Bool // --fail-fast saw a failure
}

// probe fills in what the options leave to the target: whether it is the
// mock, and which scenarios' stubs it runs. In parity mode both targets
// must be.
func (x *replayer) probe(ctx context.Context, list []*scenarios.Scenario) {
	sides := []*side{x.a}
	if x.b != nil {
		sides = append(sides, x.b)
	}
	needs := func(what string) bool {
		for _, s := range list {
			if s.Needs(what) {
				return true
			}
		}
		return false
	}
	if x.opts.Mock == nil && (needs(scenarios.RequireMock) || (x.opts.Stubs == nil && needs(scenarios.RequireStubs))) {
		isMock := true
		for _, sd := range sides {
			isMock = isMock && x.get(ctx, sd, "/_mock/health") != nil
		}
		x.opts.Mock = &isMock
	}
	if !x.opts.KeepSessions {
		for _, sd := range sides {
			sd.mock = x.get(ctx, sd, "/_mock/health") != nil
		}
	}
	if x.opts.Stubs == nil {
		known := map[string]int{}
		if x.opts.Mock != nil && *x.opts.Mock && needs(scenarios.RequireStubs) {
			for _, sd := range sides {
				var page struct {
					Items []struct {
						Name string `json:"name"`
					} `json:"items"`
				}
				if body := x.get(ctx, sd, "/_mock/scenarios"); body != nil && json.Unmarshal(body, &page) == nil {
					for _, it := range page.Items {
						known[it.Name]++
					}
				}
			}
		}
		x.opts.Stubs = func(name string) bool { return known[name] == len(sides) }
	}
}

// endSession deletes a scenario's session on every side that is a
// fruxon-mock, unless Options.KeepSessions. It is best effort: a session
// the steps never created answers 404, and a failure leaves one behind.
func (x *replayer) endSession(ctx context.Context, session string) {
	if x.opts.KeepSessions {
		return
	}
	for _, sd := range []*side{x.a, x.b} {
		if sd == nil || !sd.mock {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, sd.base+"/_mock/sessions/"+url.PathEscape(session), nil)
		if err == nil {
			if x.opts.ControlToken != "" {
				req.Header.Set(scenarios.ControlTokenHeader, x.opts.ControlToken)
			}
			if resp, err := x.opts.Client.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		cancel()
	}
}

// get fetches a control-plane path of a side and returns its body, or nil
// unless the answer is a 200.
func (x *replayer) get(ctx context.Context, sd *side, path string) []byte {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, sd.base+path, nil)
	if err != nil {
		return nil
	}
	if x.opts.ControlToken != "" && scenarios.ControlPath(path) {
		req.Header.Set(scenarios.ControlTokenHeader, x.opts.ControlToken)
	}
	resp, err := x.opts.Client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil
	}
	if len(body) == 0 {
		body = []byte{}
	}
	return body
}

// skipReason says why a scenario can't run against this target, or "".
func (x *replayer) skipReason(s *scenarios.Scenario) string {
	if s.Needs(scenarios.RequireMock) && (x.opts.Mock == nil || !*x.opts.Mock) {
		return "requires mock: the target is not fruxon-mock"
	}
	if s.Needs(scenarios.RequireStubs) && !x.opts.Stubs(s.Name) {
		return "requires stubs: the target does not run this scenario's stubs"
	}
	return ""
}

func (x *replayer) scenario(ctx context.Context, s *scenarios.Scenario) ScenarioReport {
	sr := ScenarioReport{Name: s.Name, Description: s.Description, File: s.File}
	skip := x.skipReason(s)
	sr.Skipped = skip
	vars, err := x.vars(s)
	if err != nil && skip == "" {
		skip = err.Error()
	}
	session := "replay-" + x.opts.RunID + "-" + s.Name
	var varsB scenarios.Vars
	captured := map[string]bool{}
	if x.b != nil {
		varsB = maps.Clone(vars)
	}
	start := time.Now()
	ran := false
	defer func() {
		if ran {
			x.endSession(ctx, session)
		}
	}()
	for _, st := range s.Steps {
		var res StepReport
		ran = ran || (skip == "" && !x.stopped.Load())
		switch {
		case x.stopped.Load():
			res = StepReport{Name: st.Name, Outcome: Skipped, Reason: "not run: --fail-fast stopped the replay"}
			sr.Steps = append(sr.Steps, res)
			continue
		case skip != "":
			res = StepReport{Name: st.Name, Outcome: Skipped, Reason: skip}
		case x.b != nil:
			var goOn bool
			res, goOn = x.compareStep(ctx, s, st, vars, varsB, captured, session)
			if res.Outcome == Failed && !goOn {
				skip = fmt.Sprintf("not run: step %q failed", st.Name)
			}
			if res.Outcome == Failed && x.opts.FailFast {
				x.stopped.Store(true)
			}
		default:
			res = x.step(ctx, s, st, vars, session)
			if res.Outcome == Failed {
				skip = fmt.Sprintf("not run: step %q failed", st.Name)
				if x.opts.FailFast {
					x.stopped.Store(true)
				}
			}
		}
		if x.opts.NoDurations {
			res.Duration = 0
		}
		sr.Steps = append(sr.Steps, res)
	}
	if !x.opts.NoDurations {
		sr.Duration = time.Since(start)
	}
	return sr
}

// emit adds a finished scenario to the report and prints its steps'
// progress lines; it runs in the scenarios' order.
func (x *replayer) emit(s *scenarios.Scenario, sr ScenarioReport) {
	for _, res := range sr.Steps {
		x.rep.count(res)
		if !(res.Outcome == Skipped && strings.HasPrefix(res.Reason, "not run: --fail-fast")) {
			x.progress(s, res)
		} else {
			x.done++
		}
	}
	x.rep.Scenarios = append(x.rep.Scenarios, sr)
}

// vars are a scenario run's starting variables.
func (x *replayer) vars(s *scenarios.Scenario) (scenarios.Vars, error) {
	v := scenarios.Vars{scenarios.VarRun: x.opts.RunID}
	tenant, err := v.Expand(x.opts.Tenant)
	if err != nil {
		return v, fmt.Errorf("--tenant: %v", err)
	}
	v[scenarios.VarTenant] = tenant
	for _, d := range s.Vars {
		val, err := v.Expand(d.Value)
		if err != nil {
			return v, fmt.Errorf("vars.%s: %v", d.Name, err)
		}
		v[d.Name] = val
	}
	return v, nil
}

// progress prints a step's line: "[  3/112] ok   publish-flow › create (12ms)".
func (x *replayer) progress(s *scenarios.Scenario, res StepReport) {
	x.done++
	if x.opts.Progress == nil {
		return
	}
	width := len(fmt.Sprint(x.total))
	prefix := fmt.Sprintf("[%*d/%d] ", width, x.done, x.total)
	line := fmt.Sprintf("%s%-4s %s › %s", prefix, res.Outcome.label(), s.Name, res.Name)
	if !x.opts.NoDurations && res.Outcome != Skipped {
		line += " (" + formatDuration(res.Duration) + ")"
	}
	if res.Outcome == Skipped && res.Reason != "" {
		line += " (" + res.Reason + ")"
	}
	fmt.Fprintln(x.opts.Progress, line)
	if res.Outcome == Failed {
		indent := strings.Repeat(" ", len(prefix)+5)
		for _, l := range strings.Split(res.Reason, "\n") {
			fmt.Fprintln(x.opts.Progress, indent+l)
		}
	}
}

func formatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return d.Round(10 * time.Millisecond).String()
}

// UnreachableError is returned by a parity replay when a target doesn't
// answer HTTP at all.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string { return e.Err.Error() }
func (e *UnreachableError) Unwrap() error { return e.Err }
