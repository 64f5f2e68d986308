package mockserver

import (
	"net/http"
	"strconv"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// handleIntegrationList serves GET /v1/tenants/{tenant}/integrations.
func (s *Server) handleIntegrationList(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := integrations.IntegrationFilter{
		Query:     q.Get("query"),
		Type:      integrations.IntegrationType(q.Get("type")),
		Tags:      q["tag"],
		PageSize:  queryInt(r, "pageSize"),
		PageToken: q.Get("pageToken"),
	}
	if v := q.Get("hasConfigs"); v != "" {
		b := v == "true"
		f.HasConfigs = &b
	}
	page, err := store.Integrations().ListIntegrations(pathVar(r, "tenant"), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &page)
}

// handleIntegrationCreate serves POST /v1/tenants/{tenant}/integrations.
func (s *Server) handleIntegrationCreate(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	in, err := decodeCreateIntegration(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	it, etag, err := store.Integrations().CreateIntegration(pathVar(r, "tenant"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, &it)
}

// handleIntegrationGet serves GET /v1/tenants/{tenant}/integrations/{integration}.
func (s *Server) handleIntegrationGet(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	it, etag, err := store.Integrations().GetIntegration(pathVar(r, "tenant"), pathVar(r, "integration"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, &it)
}

// handleIntegrationUpdate serves PATCH /v1/tenants/{tenant}/integrations/{integration}.
func (s *Server) handleIntegrationUpdate(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	var in integrations.UpdateIntegrationInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	it, etag, err := store.Integrations().UpdateIntegration(pathVar(r, "tenant"), pathVar(r, "integration"), in, r.Header.Get("If-Match"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeResource(w, etag, &it)
}

// handleIntegrationDelete serves DELETE /v1/tenants/{tenant}/integrations/{integration}.
func (s *Server) handleIntegrationDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	if err := store.Integrations().DeleteIntegration(pathVar(r, "tenant"), pathVar(r, "integration"), r.Header.Get("If-Match")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// queryInt reads an integer query parameter that request validation has
// already checked; absent is 0 (the store's default).
func queryInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}
