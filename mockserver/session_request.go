package mockserver

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/journal"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/validator"
)

// sessionQuery names the control plane's session query parameter.
const sessionQuery = "session"

// requestSessionID is the session a request names: X-Fruxon-Mock-Session,
// else, on the Integrations API, a dev token's session claim, else, on the
// control plane, the session query parameter. A malformed id is a 400
// problem naming where it came from.
func requestSessionID(r *http.Request, api bool) (string, *validator.Problem) {
	if v := r.Header.Values(SessionHeader); len(v) > 0 {
		return checkSessionID(SessionHeader, strings.TrimSpace(strings.Join(v, ",")))
	}
	if api {
		if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			if c, err := decodeClaims(strings.TrimSpace(token)); err == nil && c.Session != "" {
				return checkSessionID("Authorization (session claim)", c.Session)
			}
		}
		return "", nil
	}
	if q := r.URL.Query(); q.Has(sessionQuery) {
		return checkSessionID(sessionQuery, q.Get(sessionQuery))
	}
	return "", nil
}

func checkSessionID(field, id string) (string, *validator.Problem) {
	if validSessionID(id) {
		return id, nil
	}
	msg := fmt.Sprintf("must be 1 to %d characters of A-Z, a-z, 0-9, '.', '_' or '-'", maxSessionIDLen)
	p := validator.NewProblem(http.StatusBadRequest, field+" "+msg)
	p.Title = "One or more validation errors occurred."
	p.Errors = map[string][]string{field: {msg}}
	return "", p
}

// sessionMessage is the check of a session id, for fields of request
// bodies; "" when id is fine.
func sessionMessage(id string) string {
	if validSessionID(id) {
		return ""
	}
	return fmt.Sprintf("must be 1 to %d characters of A-Z, a-z, 0-9, '.', '_' or '-'", maxSessionIDLen)
}

// enterSession resolves an Integrations API request's session: the
// session is created (or found, and its use counted) and noted on the
// exchange. It answers false, having written the problem, for a malformed
// id.
func (s *Server) enterSession(w http.ResponseWriter, r *http.Request, tenant string) bool {
	id, p := requestSessionID(r, true)
	if p != nil {
		writeProblem(w, r, p)
		return false
	}
	if id == "" {
		return true
	}
	sess, note := s.sessions.get(id)
	sess.touch(s.now(), tenant)
	exchangeFrom(r.Context()).note(func(e *exchange) { e.sessionID, e.session, e.sessionNote = id, sess, note })
	return true
}

// sessionOf is the session an Integrations API request works in, nil for
// the shared default state.
func sessionOf(r *http.Request) *session {
	ex := exchangeFrom(r.Context())
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.session
}

// sessionIDOf is the id of the session a request named ("" for none).
func sessionIDOf(r *http.Request) string {
	ex := exchangeFrom(r.Context())
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.sessionID
}

// stateFor is the store an Integrations API request works on: the shared
// one, or its session's (see session.storeFor). Requests other than GET
// and HEAD count as writes.
func (s *Server) stateFor(r *http.Request) (*state.Store, error) {
	sess := sessionOf(r)
	if sess == nil {
		return s.store, nil
	}
	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	return sess.storeFor(pathVar(r, "tenant"), write)
}

// controlSession resolves a control-plane request's session id. create
// makes the session when it doesn't exist (calls that change it); without
// it, an unknown session is nil. ok is false when a problem was written.
func (s *Server) controlSession(w http.ResponseWriter, r *http.Request, create bool) (id string, sess *session, ok bool) {
	id, p := requestSessionID(r, false)
	if p != nil {
		writeProblem(w, r, p)
		return "", nil, false
	}
	if id == "" {
		return "", nil, true
	}
	exchangeFrom(r.Context()).note(func(e *exchange) { e.sessionID = id })
	if create {
		sess, _ = s.sessions.get(id)
		return id, sess, true
	}
	return id, s.sessions.lookup(id), true
}

// newSession builds an empty session over the current baseline.
func (s *Server) newSession(id string, now time.Time) *session {
	s.fixMu.Lock()
	base := s.base
	s.fixMu.Unlock()
	return &session{id: id, created: now, lastUsed: now, base: base,
		store: state.New(state.Options{Now: s.now, Box: s.box, StrictTenants: s.cfg.StrictTenants, OAuth: s.oauth,
			AssetPace: s.cfg.ingestionPace()}),
		journal: journal.New(s.cfg.JournalSize)}
}

// requestStore is stateFor for a handler: on error it writes the problem
// and answers false.
func (s *Server) requestStore(w http.ResponseWriter, r *http.Request) (*state.Store, bool) {
	store, err := s.stateFor(r)
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return store, true
}
