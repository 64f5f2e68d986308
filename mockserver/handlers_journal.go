package mockserver

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/journal"
)

// handleJournalList serves GET /_mock/journal, newest first.
// With a session, the session's own entries: from its own ring while it
// lives, else what the shared journal still holds of it.
func (s *Server) handleJournalList(w http.ResponseWriter, r *http.Request) {
	id, sess, ok := s.controlSession(w, r, false)
	if !ok {
		return
	}
	f := journal.Filter{PathPrefix: r.URL.Query().Get("path"), Status: httpapi.QueryInt(r, "status"), Limit: httpapi.QueryInt(r, "limit"),
		OperationID: r.URL.Query().Get("operationId"), Session: id, Since: int64(httpapi.QueryInt(r, "since"))}
	j := s.journal
	if sess != nil {
		j = sess.journal
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": j.List(f)})
}

// handleJournalClear serves DELETE /_mock/journal.
// With a session, only the session's own entries.
func (s *Server) handleJournalClear(w http.ResponseWriter, r *http.Request) {
	id, sess, ok := s.controlSession(w, r, false)
	if !ok {
		return
	}
	if id != "" {
		if sess != nil {
			sess.journal.Clear()
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.journal.Clear()
	w.WriteHeader(http.StatusNoContent)
}
