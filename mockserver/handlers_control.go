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
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	s.Reset()
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
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(s.specJSON)))
	w.Write(s.specJSON)
}
