package mockserver

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// handleConfigList serves GET …/integrations/{integration}/configs.
func (s *Server) handleConfigList(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	page, err := store.Integrations().ListConfigs(pathVar(r, "tenant"), pathVar(r, "integration"), queryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &page)
}

// handleConfigCreate serves POST …/integrations/{integration}/configs.
func (s *Server) handleConfigCreate(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	var in integrations.CreateConfigInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, etag, err := store.Integrations().CreateConfig(pathVar(r, "tenant"), pathVar(r, "integration"), in, subject(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, &c)
}

// handleConfigGet serves GET …/configs/{config}.
func (s *Server) handleConfigGet(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	c, etag, err := store.Integrations().GetConfig(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, &c)
}

// handleConfigUpdate serves PATCH …/configs/{config}: the draft only.
func (s *Server) handleConfigUpdate(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	var in integrations.UpdateConfigInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, etag, err := store.Integrations().UpdateConfig(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"), in, r.Header.Get("If-Match"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, &c)
}

// handleConfigDelete serves DELETE …/configs/{config}.
func (s *Server) handleConfigDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	if err := store.Integrations().DeleteConfig(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"), r.Header.Get("If-Match")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleConfigPublish serves POST …/configs/{config}:publish.
func (s *Server) handleConfigPublish(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	rev, _, err := store.Integrations().PublishConfig(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"), r.Header.Get("If-Match"), subject(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rev)
}

// handleConfigTest serves POST …/configs/{config}:test.
func (s *Server) handleConfigTest(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	res, err := store.Integrations().TestConfig(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// handleRevisionList serves GET …/configs/{config}/revisions, newest first.
func (s *Server) handleRevisionList(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	page, err := store.Integrations().ListRevisions(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"), queryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// handleRevisionGet serves GET …/configs/{config}/revisions/{revision}.
func (s *Server) handleRevisionGet(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	rev, etag, err := store.Integrations().GetRevision(pathVar(r, "tenant"), pathVar(r, "integration"), pathVar(r, "config"), pathVar(r, "revision"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, rev)
}
