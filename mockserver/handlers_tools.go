package mockserver

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// handleToolList serves GET …/integrations/{integration}/tools.
func (s *Server) handleToolList(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	page, err := store.Tools().ListTools(pathVar(r, "tenant"), pathVar(r, "integration"), queryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// handleToolCreate serves POST …/integrations/{integration}/tools.
func (s *Server) handleToolCreate(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	var in tools.CreateToolInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, etag, err := store.Tools().CreateTool(pathVar(r, "tenant"), pathVar(r, "integration"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, t)
}

// handleToolGet serves GET …/tools/{tool}.
func (s *Server) handleToolGet(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	t, etag, err := store.Tools().GetTool(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "tool"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, t)
}

// handleToolUpdate serves PATCH …/tools/{tool}.
func (s *Server) handleToolUpdate(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	var in tools.UpdateToolInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, etag, err := store.Tools().UpdateTool(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "tool"), in, r.Header.Get("If-Match"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, t)
}

// handleToolDelete serves DELETE …/tools/{tool}.
func (s *Server) handleToolDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	if err := store.Tools().DeleteTool(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "tool"), r.Header.Get("If-Match")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleToolRunList serves GET …/configs/{config}/runs, newest first.
func (s *Server) handleToolRunList(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	page, err := store.Tools().ListRuns(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"), queryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}
