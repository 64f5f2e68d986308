package mockserver

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// handleCoverageGet serves GET /_mock/coverage[?session=ID].
func (s *Server) handleCoverageGet(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.coverage.Report(r.URL.Query().Get("session")))
}

// handleCoverageReset serves DELETE /_mock/coverage[?session=ID].
func (s *Server) handleCoverageReset(w http.ResponseWriter, r *http.Request) {
	s.coverage.Reset(r.URL.Query().Get("session"))
	w.WriteHeader(http.StatusNoContent)
}

// countCoverage counts an answered Integrations API exchange, and the
// routing of a tool run, in the shared counter and the request's session
// (the one its header or its token's session claim selected; "" for none).
// An answer Prefer or a stub forced is counted apart: the client did not
// reach the state that answer stands for.
func (s *Server) countCoverage(session string, op *validator.Operation, status int, run *coverage.Run, forced bool) {
	if forced {
		s.coverage.RecordForced(session, op, status)
		return
	}
	s.coverage.RecordOp(session, op, status)
	if run != nil && status == http.StatusOK {
		s.coverage.RecordRun(session, *run)
	}
}
