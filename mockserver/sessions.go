package mockserver

import (
	"container/list"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/journal"
	"github.com/fruxon/fruxon-mock/mockserver/state"
)

// SessionHeader names the session a request works in: its own copy of the
// state, forked from the fixtures, private to it.
const SessionHeader = "X-Fruxon-Mock-Session"

// Defaults of Config.MaxSessions and Config.SessionTTL.
const (
	DefaultMaxSessions = 1000
	DefaultSessionTTL  = 30 * time.Minute
)

// maxSessionIDLen bounds a session id.
const maxSessionIDLen = 64

// validSessionID reports whether id is 1–64 characters of [A-Za-z0-9._-].
func validSessionID(id string) bool {
	if id == "" || len(id) > maxSessionIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// baseline is the state a session starts from: the fixtures the mock
// loaded. Neither field is ever written after it is built, so sessions
// share it; a fixture reload makes a new one and sessions keep theirs.
type baseline struct {
	// snap is what a session adopts a tenant from when it first writes
	// to it; nil means empty.
	snap *state.Snapshot
	// store serves a session's reads of tenants it hasn't written.
	store *state.Store
}

// has reports whether the baseline holds a tenant.
func (b *baseline) has(tenant string) bool {
	if b == nil || b.snap == nil {
		return false
	}
	_, ok := b.snap.Tenants[tenant]
	return ok
}

// session is one sandbox: a store that adopts tenants from its baseline on
// first write (copy-on-write per tenant) and a journal of its own.
type session struct {
	id      string
	created time.Time
	journal *journal.Journal

	mu sync.Mutex
	// guards the fields below
	base     *baseline
	store    *state.Store
	lastUsed time.Time
	requests int64
	tenants  []string // named by its requests, sorted
	// detached: an imported state replaced the whole session, so no
	// tenant is adopted from the baseline any more.
	detached bool
}

// touch records a request of the session naming tenant ("" for none).
func (s *session) touch(now time.Time, tenant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUsed = now
	s.requests++
	if tenant != "" {
		if i, found := slices.BinarySearch(s.tenants, tenant); !found {
			s.tenants = slices.Insert(s.tenants, i, tenant)
		}
	}
}

// storeFor is the store a request of the session uses for tenant: for a
// write, the session's own, after adopting the tenant from the baseline
// if the session never wrote to it; for a read, the baseline's while the
// session hasn't written to the tenant.
func (s *session) storeFor(tenant string, write bool) (*state.Store, error) {
	s.mu.Lock()
	store, base, detached := s.store, s.base, s.detached
	s.mu.Unlock()
	if detached || !base.has(tenant) {
		return store, nil
	}
	if !write {
		if store.HasTenant(tenant) {
			return store, nil
		}
		return base.store, nil
	}
	if _, err := store.AdoptTenant(tenant, base.snap.Tenants[tenant]); err != nil {
		return nil, fmt.Errorf("session %s: adopting tenant %q from the fixtures: %w", s.id, tenant, err)
	}
	return store, nil
}

// snapshot is the session's whole state: the baseline's tenants it hasn't
// written, and its own.
func (s *session) snapshot() state.Snapshot {
	s.mu.Lock()
	store, base, detached := s.store, s.base, s.detached
	s.mu.Unlock()
	own := store.Snapshot()
	if detached || base == nil || base.snap == nil {
		return own
	}
	var baseDoc state.Snapshot
	for name := range base.snap.Tenants {
		if _, written := own.Tenants[name]; !written {
			if baseDoc.Tenants == nil {
				baseDoc = base.store.Snapshot() // a deep copy, unlike base.snap
			}
			own.Tenants[name] = baseDoc.Tenants[name]
		}
	}
	return own
}

// SessionInfo describes a session, as GET /_mock/sessions lists it.
type SessionInfo struct {
	ID         string   `json:"id"`
	CreatedAt  int64    `json:"createdAt"`
	LastUsedAt int64    `json:"lastUsedAt"`
	Requests   int64    `json:"requests"`
	Tenants    []string `json:"tenants"`
}

func (s *session) info() SessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return SessionInfo{ID: s.id, CreatedAt: s.created.UnixMilli(), LastUsedAt: s.lastUsed.UnixMilli(),
		Requests: s.requests, Tenants: append([]string{}, s.tenants...)}
}

// sessionSet holds the sessions, bounded by count (least recently used
// goes first) and by idle time.
type sessionSet struct {
	max     int
	ttl     time.Duration
	now     func() time.Time
	newSess func(id string, now time.Time) *session
	// forget is told about every session that goes (evicted, expired or
	// deleted), outside mu, so other per-session state can go too.
	forget func(id string)

	mu sync.Mutex
	// guards byID, lru and gone
	byID map[string]*list.Element // of *session
	lru  *list.List               // front: most recently used
	// gone remembers why recent sessions were evicted, so a returning
	// one is told; bounded by max.
	gone      map[string]string
	goneOrder []string
}

func newSessionSet(max int, ttl time.Duration, now func() time.Time, newSess func(string, time.Time) *session, forget func(string)) *sessionSet {
	return &sessionSet{max: max, ttl: ttl, now: now, newSess: newSess, forget: forget,
		byID: map[string]*list.Element{}, lru: list.New(), gone: map[string]string{}}
}

// get returns the session id, creating it when it doesn't exist (or has
// expired). note says why a session was created afresh ("" when it
// existed): "created", or why its previous incarnation was evicted.
func (ss *sessionSet) get(id string) (sess *session, note string) {
	now := ss.now()
	var dropped []string
	defer func() {
		for _, d := range dropped {
			ss.forget(d)
		}
	}()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if el, ok := ss.byID[id]; ok {
		s := el.Value.(*session)
		if !ss.expired(s, now) {
			ss.lru.MoveToFront(el)
			return s, ""
		}
		ss.drop(el, fmt.Sprintf("idle for more than %s (--session-ttl)", ss.ttl))
		dropped = append(dropped, id)
	}
	note = "created"
	if why, ok := ss.gone[id]; ok {
		note = "created afresh: the session was evicted, " + why
		delete(ss.gone, id)
	}
	dropped = append(dropped, ss.sweep(now)...)
	for len(ss.byID) >= ss.max {
		back := ss.lru.Back()
		dropped = append(dropped, back.Value.(*session).id)
		ss.drop(back, fmt.Sprintf("least recently used of more than %d sessions (--max-sessions)", ss.max))
	}
	s := ss.newSess(id, now)
	ss.byID[id] = ss.lru.PushFront(s)
	return s, note
}

// lookup returns an existing, unexpired session without creating one or
// counting a use.
func (ss *sessionSet) lookup(id string) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if el, ok := ss.byID[id]; ok && !ss.expired(el.Value.(*session), ss.now()) {
		return el.Value.(*session)
	}
	return nil
}

// delete removes a session; it reports whether it existed.
func (ss *sessionSet) delete(id string) bool {
	ss.mu.Lock()
	el, ok := ss.byID[id]
	if ok {
		ss.lru.Remove(el)
		delete(ss.byID, id)
	}
	ss.mu.Unlock()
	if ok {
		ss.forget(id)
	}
	return ok
}

// list describes the live sessions, most recently used first.
func (ss *sessionSet) list() []SessionInfo {
	now := ss.now()
	ss.mu.Lock()
	var live []*session
	for el := ss.lru.Front(); el != nil; el = el.Next() {
		if s := el.Value.(*session); !ss.expired(s, now) {
			live = append(live, s)
		}
	}
	ss.mu.Unlock()
	out := make([]SessionInfo, 0, len(live))
	for _, s := range live {
		out = append(out, s.info())
	}
	return out
}

// clear removes every session (a reset of the whole mock).
func (ss *sessionSet) clear() {
	ss.mu.Lock()
	ids := make([]string, 0, len(ss.byID))
	for id := range ss.byID {
		ids = append(ids, id)
	}
	ss.byID, ss.lru = map[string]*list.Element{}, list.New()
	ss.mu.Unlock()
	for _, id := range ids {
		ss.forget(id)
	}
}

// expired reports whether s was idle past the TTL.
func (ss *sessionSet) expired(s *session, now time.Time) bool {
	if ss.ttl <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return now.Sub(s.lastUsed) > ss.ttl
}

// sweep drops the expired sessions, which sit at the back of the LRU list.
// mu must be held.
func (ss *sessionSet) sweep(now time.Time) []string {
	var out []string
	for el := ss.lru.Back(); el != nil; {
		s := el.Value.(*session)
		if !ss.expired(s, now) {
			break
		}
		prev := el.Prev()
		out = append(out, s.id)
		ss.drop(el, fmt.Sprintf("idle for more than %s (--session-ttl)", ss.ttl))
		el = prev
	}
	return out
}

// drop removes a session and remembers why. mu must be held.
func (ss *sessionSet) drop(el *list.Element, why string) {
	s := el.Value.(*session)
	ss.lru.Remove(el)
	delete(ss.byID, s.id)
	if _, ok := ss.gone[s.id]; !ok {
		ss.goneOrder = append(ss.goneOrder, s.id)
	}
	ss.gone[s.id] = why
	for len(ss.goneOrder) > ss.max {
		delete(ss.gone, ss.goneOrder[0])
		ss.goneOrder = ss.goneOrder[1:]
	}
}

// forgetSession drops what else is kept per session when one goes: its
// scenario states.
func (s *Server) forgetSession(id string) {
	if e := s.scenarios.Load(); e != nil {
		e.ForgetSession(id)
	}
}
