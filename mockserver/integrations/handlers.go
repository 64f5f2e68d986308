package integrations

import (
	"io"
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/jsondepth"
	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
)

// Handlers serve the room's operations of the Integrations API:
// integrations, configs, revisions and the application-level OAuth flow. Each decodes,
// calls the request's store, and encodes.
type Handlers struct {
	api   httpapi.Server
	store httpapi.StoreFunc[*Store]
	oauth OAuthStart
}

// OAuthStart is what :authorize needs beside the store: the flow that
// keeps pending requests, and the server's consent page and CORS policy.
type OAuthStart struct {
	Flow *oauthflow.Flow
	// OriginAllowed reports whether the consent popup may post a
	// credential key to origin (the server's --cors-origins).
	OriginAllowed func(origin string) bool
	// ConsentURL is the address of the consent page of a pending request,
	// as the client reached the server.
	ConsentURL func(r *http.Request, state string) string
	// BaseURL is scheme://host as the client reached the server, for the
	// inbound webhook URLs.
	BaseURL func(r *http.Request) string
}

// NewHandlers returns the room's handlers over the server's plumbing.
func NewHandlers(api httpapi.Server, store httpapi.StoreFunc[*Store], oauth OAuthStart) *Handlers {
	return &Handlers{api: api, store: store, oauth: oauth}
}

// ControlOperations maps the control plane's operationIds the room serves
// (control-plane.yaml) to their handlers: what the inbound webhooks
// received.
func (h *Handlers) ControlOperations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"listWebhookDeliveries": h.handleWebhookDeliveryList,
	}
}

// Operations maps each spec operationId the room serves to its handler.
func (h *Handlers) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"listIntegrations":             h.handleIntegrationList,
		"createIntegration":            h.handleIntegrationCreate,
		"getIntegration":               h.handleIntegrationGet,
		"updateIntegration":            h.handleIntegrationUpdate,
		"deleteIntegration":            h.handleIntegrationDelete,
		"listConfigs":                  h.handleConfigList,
		"createConfig":                 h.handleConfigCreate,
		"getConfig":                    h.handleConfigGet,
		"updateConfig":                 h.handleConfigUpdate,
		"deleteConfig":                 h.handleConfigDelete,
		"publishConfig":                h.handleConfigPublish,
		"verifyConfigAuth":             h.handleConfigVerifyAuth,
		"rollbackConfig":               h.handleConfigRollback,
		"listRevisions":                h.handleRevisionList,
		"getRevision":                  h.handleRevisionGet,
		"authorizeIntegration":         h.handleIntegrationAuthorize,
		"verifyIntegrationConfig":      h.handleIntegrationVerifyConfig,
		"consumeOAuthCredentials":      h.handleOAuthConsume,
		"generateConfigWebhookUrl":     h.handleConfigWebhookGenerate,
		"rotateConfigWebhook":          h.handleConfigWebhookRotate,
		"applyConfigWebhookToProvider": h.handleConfigWebhookApply,
		"inspectConfigWebhook":         h.handleConfigWebhookInspect,
		"refreshConfigIdentity":        h.handleConfigIdentityRefresh,
		"receiveWebhook":               h.handleWebhookReceive,
		"createWebhookSubscription":    h.handleWebhookSubscriptionCreate,
		"getAuthMetadataSettings":      h.handleAuthMetadataSettings,
	}
}

// handleIntegrationList serves GET /v1/tenants/{tenant}/integrations.
func (h *Handlers) handleIntegrationList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := IntegrationFilter{Search: q.Get("Search"), Tags: q["Tags"], Paging: PagingOf(r)}
	for _, t := range q["Types"] {
		f.Types = append(f.Types, IntegrationType(t))
	}
	page, err := store.ListIntegrations(h.api.PathVar(r, "tenant"), f)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, &page)
}

// handleIntegrationCreate serves POST /v1/tenants/{tenant}/integrations.
func (h *Handlers) handleIntegrationCreate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	in, err := h.decodeCreate(r)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	it, etag, err := store.CreateIntegration(h.api.PathVar(r, "tenant"), in)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, &it)
}

// decodeCreate decodes a create body on DecodeCreateIntegration's
// reflection-free path, and through the server's DecodeJSON
// (encoding/json, the same errors as every other body) wherever that path
// declines. The body is read whole first, and put back as it was read,
// error included, for DecodeJSON.
func (h *Handlers) decodeCreate(r *http.Request) (CreateIntegrationInput, error) {
	data, err := io.ReadAll(r.Body)
	if err == nil {
		if in, ok := DecodeCreateIntegration(data); ok {
			return in, nil
		}
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{jsondepth.Restore(data, err), r.Body}
	var in CreateIntegrationInput
	return in, h.api.DecodeJSON(r, &in)
}

// handleIntegrationGet serves GET /v1/tenants/{tenant}/integrations/{integration}.
func (h *Handlers) handleIntegrationGet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	it, etag, err := store.GetIntegration(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, &it)
}

// handleIntegrationUpdate serves PUT /v1/tenants/{tenant}/integrations/{integration}: a full replace.
func (h *Handlers) handleIntegrationUpdate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in UpdateIntegrationInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	it, etag, err := store.UpdateIntegration(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), in, r.Header.Get("If-Match"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, &it)
}

// handleIntegrationDelete serves DELETE /v1/tenants/{tenant}/integrations/{integration}.
func (h *Handlers) handleIntegrationDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if err := store.DeleteIntegration(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), r.Header.Get("If-Match")); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
