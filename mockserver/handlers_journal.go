package mockserver

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/journal"
)

// handleJournalList serves GET /_mock/journal, newest first.
func (s *Server) handleJournalList(w http.ResponseWriter, r *http.Request) {
	f := journal.Filter{PathPrefix: r.URL.Query().Get("path"), Status: queryInt(r, "status"), Limit: queryInt(r, "limit")}
	writeJSON(w, http.StatusOK, map[string]any{"items": s.journal.List(f)})
}

// handleJournalClear serves DELETE /_mock/journal.
func (s *Server) handleJournalClear(w http.ResponseWriter, r *http.Request) {
	s.journal.Clear()
	w.WriteHeader(http.StatusNoContent)
}
