package stubs

import (
	"encoding/json"
	"fmt"
	"github.com/fruxon/fruxon-mock/scenarios"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/validator"
)

// Engine runs the stubs of loaded scenarios. It is safe for concurrent use.
//
// Precedence when several stubs match a request:
//  1. scenarios named by the request (X-Fruxon-Mock-Scenario, in header
//     order) before globally active ones (in load order);
//  2. within a scenario, a stub whose whenState is the current state before
//     a stub without whenState;
//  3. then file order.
//
// The first scenario with a matching stub answers; the others are not
// consulted (and their states and counters don't move).
type Engine struct {
	list   []*compiledScenario
	byName map[string]*compiledScenario

	mu sync.Mutex
	// guards active and runs
	active map[string]bool
	runs   map[runKey]*run
}

// MaxSessions bounds how many (scenario, session) states an Engine keeps;
// past it, the states of sessions (never the global one) are dropped.
const MaxSessions = 10000

type runKey struct{ scenario, session string }

// run is the state of one scenario in one session: its current state and
// how often each stub answered.
type run struct {
	state string
	hits  []int
}

type compiledScenario struct {
	s     *scenarios.Scenario
	stubs []*compiledStub
}

// Answer is what a stub answers. Header and Body are the caller's to
// change. Problem is set when the stub answers with a problem (Body is then
// its rendering without instance or traceId), so the server can stamp
// those and write it like its own problems.
type Answer struct {
	Scenario, Stub string
	Status         int
	Header         http.Header
	Body           []byte
	Problem        *validator.Problem
	Delay          time.Duration
	Drop           bool
	AllowViolation bool
}

// Status is a scenario as the control plane lists it. State is the
// global session's state, "" while it is the initial one (JSON null, as
// the control plane's ScenarioStatus has it).
type Status struct {
	Name        string
	Description string
	Active      bool
	State       string
}

// MarshalJSON renders the control plane's ScenarioStatus.
func (s Status) MarshalJSON() ([]byte, error) {
	var state *string
	if s.State != "" {
		state = &s.State
	}
	return json.Marshal(struct {
		Name        string  `json:"name"`
		Description string  `json:"description"`
		Active      bool    `json:"active"`
		State       *string `json:"state"`
	}{s.Name, s.Description, s.Active, state})
}

// ErrorKind classifies the engine's errors.
type ErrorKind int

// Error kinds.
const (
	// KindUnknown: no scenario has that name (an HTTP server answers 404).
	KindUnknown ErrorKind = iota + 1
)

// Error is what the engine's methods return.
type Error struct {
	Kind ErrorKind
	Name string
}

func (e *Error) Error() string { return fmt.Sprintf("no scenario is named %q", e.Name) }

// NewEngine compiles the scenarios' stubs. It refuses, with a *LoadError
// naming the stub, a stub whose answer breaks the contract v describes (an
// undeclared status, a missing required header, a body off its schema),
// unless the stub says allowViolation: true.
func NewEngine(list []*scenarios.Scenario, v *validator.Validator) (*Engine, error) {
	if v == nil {
		return nil, fmt.Errorf("scenarios: NewEngine needs the API's validator")
	}
	if err := scenarios.CheckUnique(list); err != nil {
		return nil, err
	}
	e := &Engine{byName: map[string]*compiledScenario{}, active: map[string]bool{}, runs: map[runKey]*run{}}
	for _, s := range list {
		cs := &compiledScenario{s: s}
		for i, st := range s.Stubs {
			c, err := compileStub(s, i, st, v)
			if err != nil {
				return nil, err
			}
			cs.stubs = append(cs.stubs, c)
		}
		e.list = append(e.list, cs)
		e.byName[s.Name] = cs
	}
	return e, nil
}

// Has reports whether a scenario of that name is loaded.
func (e *Engine) Has(name string) bool { return e.byName[name] != nil }

// Activate makes a scenario answer every request until deactivated.
func (e *Engine) Activate(name string) error { return e.setActive(name, true) }

// Deactivate stops a scenario answering requests that don't name it; its
// state is kept.
func (e *Engine) Deactivate(name string) error { return e.setActive(name, false) }

func (e *Engine) setActive(name string, on bool) error {
	if !e.Has(name) {
		return &Error{Kind: KindUnknown, Name: name}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if on {
		e.active[name] = true
	} else {
		delete(e.active, name)
	}
	return nil
}

// Reset puts a scenario back in its initial state and zeroes its stubs'
// counters, in every session. Whether it is active doesn't change.
func (e *Engine) Reset(name string) error {
	if !e.Has(name) {
		return &Error{Kind: KindUnknown, Name: name}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.runs {
		if k.scenario == name {
			delete(e.runs, k)
		}
	}
	return nil
}

// ForgetSession drops every scenario's state and counters in a session
// (one that was deleted, evicted or reset); the global session's stay.
func (e *Engine) ForgetSession(session string) {
	if session == "" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.runs {
		if k.session == session {
			delete(e.runs, k)
		}
	}
}

// State returns a scenario's state in a session ("" is the global one).
func (e *Engine) State(name, session string) (string, error) {
	if !e.Has(name) {
		return "", &Error{Kind: KindUnknown, Name: name}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if r := e.runs[runKey{name, session}]; r != nil {
		return r.state, nil
	}
	return scenarios.InitialState, nil
}

// List describes every loaded scenario, in load order.
func (e *Engine) List() []Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Status, 0, len(e.list))
	for _, cs := range e.list {
		st := Status{Name: cs.s.Name, Description: cs.s.Description, Active: e.active[cs.s.Name]}
		if r := e.runs[runKey{cs.s.Name, ""}]; r != nil && r.state != scenarios.InitialState {
			st.State = r.state
		}
		out = append(out, st)
	}
	return out
}

// Match finds the stub that answers a request, or nil when the mock's own
// behaviour should. body is the request's body (already read); session is
// the X-Fruxon-Mock-Session value ("" for the global session); requested
// are the scenario names of X-Fruxon-Mock-Scenario, which apply to this
// request on top of the active ones (unknown names are ignored: check them
// with Has). A match counts toward the stub's times and moves the state.
func (e *Engine) Match(r *http.Request, body []byte, session string, requested []string) *Answer {
	if len(e.list) == 0 {
		return nil
	}
	order := e.candidates(requested)
	if len(order) == 0 {
		return nil
	}
	req := &incoming{r: r, body: body}
	// Static matching needs no lock; states and counters do.
	matched := make([][]int, len(order))
	found := false
	for i, cs := range order {
		for j, st := range cs.stubs {
			if st.matches(req) {
				matched[i] = append(matched[i], j)
				found = true
			}
		}
	}
	if !found {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, cs := range order {
		if len(matched[i]) == 0 {
			continue
		}
		key := runKey{cs.s.Name, session}
		rn := e.runs[key]
		state := scenarios.InitialState
		if rn != nil {
			state = rn.state
		}
		pick := -1
		for _, stateful := range []bool{true, false} {
			for _, j := range matched[i] {
				st := cs.stubs[j].stub
				if (st.WhenState != "") != stateful || (stateful && st.WhenState != state) {
					continue
				}
				if st.Times > 0 && rn != nil && rn.hits[j] >= st.Times {
					continue
				}
				pick = j
				break
			}
			if pick >= 0 {
				break
			}
		}
		if pick < 0 {
			continue
		}
		if rn == nil {
			rn = e.newRun(key, len(cs.stubs))
		}
		rn.hits[pick]++
		st := cs.stubs[pick]
		if st.stub.SetState != "" {
			rn.state = st.stub.SetState
		}
		return st.answer(cs.s.Name)
	}
	return nil
}

// VendorStubs returns the vendor stubs of the scenarios that apply to a
// request: those named in X-Fruxon-Mock-Scenario (requested, in header
// order; unknown names are ignored), then the globally active ones (in load
// order), each scenario's in file order. They have no states or counters,
// so nothing moves. The stubs share their Headers and Body with the loaded
// scenarios: don't change them.
func (e *Engine) VendorStubs(requested []string) []scenarios.VendorStub {
	var out []scenarios.VendorStub
	for _, cs := range e.candidates(requested) {
		out = append(out, cs.s.VendorStubs...)
	}
	return out
}

// newRun starts the state of a scenario in a session. mu must be held.
func (e *Engine) newRun(key runKey, stubs int) *run {
	if len(e.runs) >= MaxSessions {
		for k := range e.runs {
			if k.session != "" {
				delete(e.runs, k)
			}
		}
	}
	rn := &run{state: scenarios.InitialState, hits: make([]int, stubs)}
	e.runs[key] = rn
	return rn
}

// candidates lists the scenarios that may answer: the requested ones, then
// the active ones.
// Applies reports whether any scenario could answer a request naming
// requested: one of them, or a globally active one, has stubs. The server
// asks it before reading a request body for Match, so that requests no
// scenario concerns (the usual case) cost nothing.
func (e *Engine) Applies(requested []string) bool {
	for _, name := range requested {
		if cs := e.byName[name]; cs != nil && len(cs.stubs) > 0 {
			return true
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, on := range e.active {
		if cs := e.byName[name]; on && cs != nil && len(cs.stubs) > 0 {
			return true
		}
	}
	return false
}

func (e *Engine) candidates(requested []string) []*compiledScenario {
	var out []*compiledScenario
	for _, name := range requested {
		if cs := e.byName[name]; cs != nil && !slices.Contains(out, cs) {
			out = append(out, cs)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.active) == 0 {
		return out
	}
	for _, cs := range e.list {
		if e.active[cs.s.Name] && !slices.Contains(out, cs) {
			out = append(out, cs)
		}
	}
	return out
}

// incoming is a request being matched; its JSON body is decoded once, on
// first use.
type incoming struct {
	r       *http.Request
	body    []byte
	decoded bool
	doc     any
	isJSON  bool
}

func (in *incoming) json() (any, bool) {
	if !in.decoded {
		in.decoded = true
		in.isJSON = len(in.body) > 0 && json.Unmarshal(in.body, &in.doc) == nil
	}
	return in.doc, in.isJSON
}

// delay picks an answer's latency.
func delay(l scenarios.Latency) time.Duration {
	if l.Max <= l.Min {
		return l.Min
	}
	return l.Min + rand.N(l.Max-l.Min+1)
}
