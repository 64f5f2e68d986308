package integrations

import (
	"net/http"
	"strconv"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// handleConfigList serves GET …/integrations/{integration}/configs.
func (h *Handlers) handleConfigList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	page, err := store.ListConfigs(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), PagingOf(r))
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

// handleConfigVerifyAuth serves POST …/configs/{config}:verifyAuth.
func (h *Handlers) handleConfigVerifyAuth(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var index *int
	if v := r.URL.Query().Get("authMapIndex"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			h.api.WriteError(w, r, core.FieldError("VerifyConfigAuth", "authMapIndex", "must be an integer"))
			return
		}
		index = &n
	}
	res, err := store.VerifyConfigAuth(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), index)
	if err == nil {
		err = h.authorizeVerdicts(r, store, &res)
	}
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, &res)
}

// handleIntegrationVerifyConfig serves POST …/integrations/{integration}:verifyConfig.
func (h *Handlers) handleIntegrationVerifyConfig(w http.ResponseWriter, r *http.Request) {
	var in VerifyConfigInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	res, err := store.VerifyConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), in)
	if err == nil {
		err = h.authorizeVerdicts(r, store, &res)
	}
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, &res)
}

// authorizeVerdicts fills the authorizationUrl of every OAUTH2 verdict
// with a consent page of its own.
func (h *Handlers) authorizeVerdicts(r *http.Request, store *Store, res *VerifyResult) error {
	var err error
	if res.OAuthMethod != "" {
		if res.AuthorizationURL, err = h.consentURL(r, store, res.OAuthMethod); err != nil {
			return err
		}
	}
	for i := range res.AuthMapResults {
		e := &res.AuthMapResults[i]
		if e.OAuthMethod != "" {
			if e.AuthorizationURL, err = h.consentURL(r, store, e.OAuthMethod); err != nil {
				return err
			}
		}
	}
	return nil
}

// handleConfigRollback serves POST …/configs/{config}:rollback.
func (h *Handlers) handleConfigRollback(w http.ResponseWriter, r *http.Request) {
	var in struct {
		RevisionID string `json:"revisionId"`
	}
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	rev, err := store.RollbackConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), in.RevisionID, r.Header.Get("If-Match"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, &rev)
}

// handleRevisionList serves GET …/configs/{config}/revisions, newest first.
func (h *Handlers) handleRevisionList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	page, err := store.ListRevisions(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), PagingOf(r))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, &page)
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
