package integrations

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
)

// handleConfigList serves GET …/integrations/{integration}/configs.
func (h *Handlers) handleConfigList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	page, err := store.ListConfigs(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), httpapi.QueryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, &page)
}

// handleConfigCreate serves POST …/integrations/{integration}/configs.
func (h *Handlers) handleConfigCreate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in CreateConfigInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	c, etag, err := store.CreateConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), in, h.api.Subject(r))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.NoteWeakSecrets(r, c.WeakSecrets)
	h.api.WriteResource(w, etag, &c)
}

// handleConfigGet serves GET …/configs/{config}.
func (h *Handlers) handleConfigGet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	c, etag, err := store.GetConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, &c)
}

// handleConfigUpdate serves PATCH …/configs/{config}: the draft only.
func (h *Handlers) handleConfigUpdate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in UpdateConfigInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	c, etag, err := store.UpdateConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), in, r.Header.Get("If-Match"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.NoteWeakSecrets(r, c.WeakSecrets)
	h.api.WriteResource(w, etag, &c)
}

// handleConfigDelete serves DELETE …/configs/{config}.
func (h *Handlers) handleConfigDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if err := store.DeleteConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), r.Header.Get("If-Match")); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleConfigPublish serves POST …/configs/{config}:publish.
func (h *Handlers) handleConfigPublish(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	rev, _, err := store.PublishConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), r.Header.Get("If-Match"), h.api.Subject(r))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, rev)
}

// handleConfigTest serves POST …/configs/{config}:test.
func (h *Handlers) handleConfigTest(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	res, err := store.TestConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, res)
}

// handleRevisionList serves GET …/configs/{config}/revisions, newest first.
func (h *Handlers) handleRevisionList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	page, err := store.ListRevisions(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), httpapi.QueryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, page)
}

// handleRevisionGet serves GET …/configs/{config}/revisions/{revision}.
func (h *Handlers) handleRevisionGet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	rev, etag, err := store.GetRevision(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), h.api.PathVar(r, "revision"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, rev)
}
