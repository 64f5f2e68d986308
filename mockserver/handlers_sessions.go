package mockserver

import (
	"fmt"
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/validator"
)

// handleSessionList serves GET /_mock/sessions.
func (s *Server) handleSessionList(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"sessions": s.sessions.list()})
}

// handleSessionDelete serves DELETE /_mock/sessions/{id}.
func (s *Server) handleSessionDelete(w http.ResponseWriter, r *http.Request) {
	id := pathVar(r, "id")
	if !s.sessions.delete(id) {
		writeProblem(w, r, validator.NewProblem(http.StatusNotFound, fmt.Sprintf("no session is named %q", id)))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// reset puts a session back to the fixtures it started from (the current
// ones), scenario states included; its journal and counters stay.
func (s *Server) resetSession(sess *session) {
	fresh := s.newSession(sess.id, s.now())
	sess.mu.Lock()
	sess.store, sess.base, sess.detached = fresh.store, fresh.base, false
	sess.mu.Unlock()
	s.forgetSession(sess.id)
}

// sessionState is a session's whole state for export; an unknown session
// exports what a new one would start from.
func (s *Server) sessionState(sess *session) state.Snapshot {
	if sess == nil {
		s.fixMu.Lock()
		base := s.base
		s.fixMu.Unlock()
		if base == nil {
			return state.Snapshot{Version: state.SnapshotVersion, Tenants: map[string]state.TenantSnapshot{}}
		}
		return base.store.Snapshot()
	}
	return sess.snapshot()
}

// importSession replaces a session's whole state; nothing changes on error.
func (s *Server) importSession(sess *session, doc state.Snapshot) error {
	fresh := s.newSession(sess.id, s.now())
	if err := fresh.store.Restore(doc); err != nil {
		return err
	}
	sess.mu.Lock()
	sess.store, sess.detached = fresh.store, true
	sess.mu.Unlock()
	return nil
}
