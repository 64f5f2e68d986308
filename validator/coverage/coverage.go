// Package coverage counts which parts of the contract an exchange
// exercised: (operation, declared status) pairs, statuses the spec does not
// declare ("missing in spec"), and tool runs by executionMode × sandboxMode
// × route. Answers forced by the mock's scripting (Prefer, a scenario
// stub) are counted apart: they show the client handles an answer, not
// that it reached the state that leads there. The mock, the proxy, replay and the HAR checker all feed it, and
// its report has the shape Specmatic users know (apiCoverage[].operations).
//
// Counting a known pair is one read of a map built from the spec at start
// and one atomic add: no lock on the hot path.
package coverage

import (
	"sync"
	"sync/atomic"

	"github.com/fruxon/fruxon-mock/validator"
)

// Unmatched is the OperationID of an exchange no operation of the spec
// matched.
const Unmatched = "unmatched"

// Shared is the key of the counter every exchange goes to, with or without
// a session.
const Shared = ""

// MaxSessions bounds how many per-session counters a Set keeps; exchanges
// of sessions beyond it count in the shared counter only.
const MaxSessions = 4096

// Exchange is one validated exchange, as far as coverage cares.
type Exchange struct {
	// OperationID is the operation it was routed to, or Unmatched.
	OperationID string
	// Method and Path are the operation's (Path is the template, or the
	// request path when unmatched).
	Method string
	Path   string
	Status int
	// Declared says whether the operation declares Status.
	Declared bool
}

// Run is one tool run's routing, from a :run answer.
type Run struct {
	ExecutionMode string `json:"executionMode"`
	SandboxMode   string `json:"sandboxMode"`
	Route         string `json:"route"`
}

type pairKey struct {
	op     string
	status int
}

type opStatus struct {
	op     *validator.Operation
	status int
}

type pair struct {
	op     *validator.Operation
	status int
}

// Set holds the shared counter and one per session, over one spec.
type Set struct {
	spec  string
	pairs []pair
	// index and runIndex are built once and only read afterwards.
	index    map[pairKey]int
	byOp     map[opStatus]int
	runIndex map[Run]int
	runs     []Run
	shared   *Counter
	sessions sync.Map // session id → *Counter
	nSession atomic.Int64
}

// Counter counts the exchanges of one key (shared, or one session).
type Counter struct {
	set    *Set
	counts []atomic.Int64 // per declared pair, as in set.pairs
	forced []atomic.Int64 // forced answers per declared pair (see RecordForced)
	runs   []atomic.Int64 // per known run combination, as in set.runs

	mu sync.Mutex
	// guards extra and extraRuns: what the spec can't predict
	extra     map[extraKey]extraCount
	extraRuns map[Run]int64
}

// extraCount counts an undeclared row's answers, reached and forced.
type extraCount struct{ reached, forced int64 }

type extraKey struct {
	op, method, path string
	status           int
	// declared: by a range ("4XX") or default response, not a code
	declared bool
}

// maxExtra bounds the distinct undeclared rows a counter keeps (paths of
// unmatched requests are unbounded); later ones fold into one row.
const maxExtra = 1024

// Known values of the tool-run enums; their combinations are counted
// without a lock.
var (
	executionModes = []string{"PRODUCTION", "SANDBOX"}
	sandboxModes   = []string{"UNSPECIFIED", "NONE", "VENDOR", "SIMULATED", "READ_THROUGH"}
	routes         = []string{"PRODUCTION", "VENDOR", "SIMULATED"}
)

// New builds a Set for the spec v validates; specName is how reports name
// it ("fruxon.yaml").
func New(specName string, v *validator.Validator) *Set {
	s := &Set{spec: specName, index: map[pairKey]int{}, byOp: map[opStatus]int{}, runIndex: map[Run]int{}}
	for _, op := range v.Operations() {
		for _, status := range op.DeclaredStatuses() {
			s.index[pairKey{op.ID, status}] = len(s.pairs)
			s.byOp[opStatus{op, status}] = len(s.pairs)
			s.pairs = append(s.pairs, pair{op, status})
		}
	}
	for _, e := range executionModes {
		for _, m := range sandboxModes {
			for _, r := range routes {
				run := Run{e, m, r}
				s.runIndex[run] = len(s.runs)
				s.runs = append(s.runs, run)
			}
		}
	}
	s.shared = s.newCounter()
	return s
}

func (s *Set) newCounter() *Counter {
	return &Counter{set: s, counts: make([]atomic.Int64, len(s.pairs)), forced: make([]atomic.Int64, len(s.pairs)), runs: make([]atomic.Int64, len(s.runs))}
}

// Record counts an exchange in the shared counter and, when session is not
// Shared, in that session's. An unmatched request answered 404 or 405 is
// not counted: nothing answers there, so nothing is missing in the spec.
func (s *Set) Record(session string, ex Exchange) {
	if i, ok := s.index[pairKey{ex.OperationID, ex.Status}]; ok {
		s.count(session, i, false)
		return
	}
	s.recordExtra(session, ex, false)
}

// RecordOp is Record for an operation of the Set's validator (the mock's
// hot path: the index is keyed by the operation itself, and whether the
// status is declared is only worked out for a status the index lacks).
func (s *Set) RecordOp(session string, op *validator.Operation, status int) {
	s.recordOp(session, op, status, false)
}

// RecordForced counts an answer the mock's scripting forced (Prefer, a
// scenario stub) for an operation of the Set's validator: it shows in the
// report's forced counts, never as covered.
func (s *Set) RecordForced(session string, op *validator.Operation, status int) {
	s.recordOp(session, op, status, true)
}

func (s *Set) recordOp(session string, op *validator.Operation, status int, forced bool) {
	if i, ok := s.byOp[opStatus{op, status}]; ok {
		s.count(session, i, forced)
		return
	}
	s.recordExtra(session, Exchange{OperationID: op.ID, Method: op.Method, Path: op.Path, Status: status, Declared: op.Declares(status)}, forced)
}

func (s *Set) count(session string, i int, forced bool) {
	add := func(c *Counter) {
		if forced {
			c.forced[i].Add(1)
		} else {
			c.counts[i].Add(1)
		}
	}
	add(s.shared)
	if session != Shared {
		if c := s.session(session, true); c != nil {
			add(c)
		}
	}
}

func (s *Set) recordExtra(session string, ex Exchange, forced bool) {
	if ex.OperationID == Unmatched && (ex.Status == 404 || ex.Status == 405) {
		return
	}
	if ex.OperationID == "" {
		ex.OperationID = Unmatched
	}
	s.shared.addExtra(ex, forced)
	if session != Shared {
		if c := s.session(session, true); c != nil {
			c.addExtra(ex, forced)
		}
	}
}

// RecordRun counts a tool run, like Record.
func (s *Set) RecordRun(session string, run Run) {
	s.shared.addRun(run)
	if c := s.session(session, true); c != nil {
		c.addRun(run)
	}
}

func (c *Counter) addRun(run Run) {
	if i, ok := c.set.runIndex[run]; ok {
		c.runs[i].Add(1)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.extraRuns == nil {
		c.extraRuns = map[Run]int64{}
	}
	if _, ok := c.extraRuns[run]; ok || len(c.extraRuns) < maxExtra {
		c.extraRuns[run]++
	}
}

// session is the counter of a session (nil for Shared, or when the bound
// is reached and create is set, or when none exists and create is unset).
func (s *Set) session(id string, create bool) *Counter {
	if id == Shared {
		return nil
	}
	if c, ok := s.sessions.Load(id); ok {
		return c.(*Counter)
	}
	if !create || s.nSession.Load() >= MaxSessions {
		return nil
	}
	c, loaded := s.sessions.LoadOrStore(id, s.newCounter())
	if !loaded {
		s.nSession.Add(1)
	}
	return c.(*Counter)
}

// Forget drops a session's counter (when the session ends).
func (s *Set) Forget(session string) {
	if _, ok := s.sessions.LoadAndDelete(session); ok {
		s.nSession.Add(-1)
	}
}

// Reset zeroes the counter of a key (Shared resets the shared one only).
func (s *Set) Reset(session string) {
	c := s.shared
	if session != Shared {
		if c = s.session(session, false); c == nil {
			return
		}
	}
	for i := range c.counts {
		c.counts[i].Store(0)
		c.forced[i].Store(0)
	}
	for i := range c.runs {
		c.runs[i].Store(0)
	}
	c.mu.Lock()
	c.extra, c.extraRuns = nil, nil
	c.mu.Unlock()
}

func (c *Counter) addExtra(ex Exchange, forced bool) {
	k := extraKey{ex.OperationID, ex.Method, ex.Path, ex.Status, ex.Declared}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.extra == nil {
		c.extra = map[extraKey]extraCount{}
	}
	if _, ok := c.extra[k]; !ok && len(c.extra) >= maxExtra {
		k = extraKey{Unmatched, "*", "*", 0, false} // the overflow row
	}
	n := c.extra[k]
	if forced {
		n.forced++
	} else {
		n.reached++
	}
	c.extra[k] = n
}
