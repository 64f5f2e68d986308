package mockserver

import (
	"net/http"
	"strconv"
)

// handleHealth serves GET /_mock/health.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReset serves POST /_mock/reset.
// With a session, only that session goes back to the fixtures.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	id, sess, ok := s.controlSession(w, r, false)
	switch {
	case !ok:
		return
	case id == "":
		s.Reset()
	case sess != nil:
		s.resetSession(sess)
	default:
		s.forgetSession(id) // no state to reset, but scenario states may exist
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleSpecYAML serves GET /openapi.yaml.
func (s *Server) handleSpecYAML(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Length", strconv.Itoa(len(s.specYAML)))
	w.Write(s.specYAML)
}

// handleSpecJSON serves GET /openapi.json.
func (s *Server) handleSpecJSON(w http.ResponseWriter, r *http.Request) {
	j, err := s.specJSON()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(j)))
	w.Write(j)
}
