package integrations

import (
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// webhookURL is the inbound URL of a config's key, as the client reached
// the server.
func (h *Handlers) webhookURL(r *http.Request, key string) string {
	return h.oauth.BaseURL(r) + "/v1/tenants/" + url.PathEscape(h.api.PathVar(r, "tenant")) + "/webhooks/" +
		url.PathEscape(h.api.PathVar(r, "integration")) + "/" + url.PathEscape(h.api.PathVar(r, "config")) + "/" + key
}

// handleConfigWebhookGenerate serves POST …/configs/{config}:generateWebhookUrl.
func (h *Handlers) handleConfigWebhookGenerate(w http.ResponseWriter, r *http.Request) {
	h.writeWebhookKey(w, r, (*Store).GenerateWebhookKey)
}

// handleConfigWebhookRotate serves POST …/configs/{config}/webhook:rotate.
func (h *Handlers) handleConfigWebhookRotate(w http.ResponseWriter, r *http.Request) {
	h.writeWebhookKey(w, r, (*Store).RotateWebhookKey)
}

func (h *Handlers) writeWebhookKey(w http.ResponseWriter, r *http.Request, mint func(*Store, string, string, string) (WebhookKey, error)) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	k, err := mint(store, h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, map[string]string{"webhookUrl": h.webhookURL(r, k.Key), "webhookKeyPrefix": k.Prefix})
}

// handleWebhookReceive serves POST /v1/tenants/{tenant}/webhooks/{webhookProvider}/{webhookId}/{apiKeyAuth}:
// anonymous; the key in the path is the credential. The mock needs no
// synchronous acknowledgement: 204.
func (h *Handlers) handleWebhookReceive(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	// The body was validated and its size limited before the handler; a
	// read error here is the client going away, and the delivery then
	// records what arrived.
	body, _ := io.ReadAll(r.Body)
	if err := store.ReceiveWebhook(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "webhookProvider"), h.api.PathVar(r, "webhookId"), h.api.PathVar(r, "apiKeyAuth"), r.Header.Get("Content-Type"), body); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleWebhookSubscriptionCreate serves POST /v1/tenants/{tenant}/webhooks/{webhookId}/subscriptions.
func (h *Handlers) handleWebhookSubscriptionCreate(w http.ResponseWriter, r *http.Request) {
	var in SubscriptionInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	sub, err := store.CreateWebhookSubscription(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "webhookId"), in)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, &sub)
}

// handleConfigWebhookApply serves POST …/configs/{config}:applyWebhookToProvider.
// The simulated provider accepts the config's current URL and refuses any
// other (200 with applied false, as the reference says of a refusal).
func (h *Handlers) handleConfigWebhookApply(w http.ResponseWriter, r *http.Request) {
	var in struct {
		WebhookURL *string `json:"webhookUrl"`
	}
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if p := h.api.PathVar(r, "integration"); noRegistrationAPI(p) {
		// Checked after the config: an unknown config is still a 404.
		if _, err := store.HasWebhookKey(h.api.PathVar(r, "tenant"), p, h.api.PathVar(r, "config")); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
		h.api.WriteError(w, r, core.Errorf(core.KindInvalid, "ApplyWebhookToProvider",
			"provider %q has no programmatic webhook registration (Slack Events API, Teams Bot Framework): paste the URL into the provider's settings by hand", p))
		return
	}
	current, err := h.isCurrentWebhookURL(r, store, core.Deref(in.WebhookURL))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	res := map[string]any{"applied": true, "providerResponse": `{"ok":true,"result":true,"description":"Webhook was set (simulated)"}`, "errorMessage": nil}
	if !current {
		res = map[string]any{"applied": false, "providerResponse": nil,
			"errorMessage": "the provider refused the URL (simulated): it is not this config's current webhook URL; pass the URL :generateWebhookUrl or /webhook:rotate answered"}
	}
	h.api.WriteJSON(w, http.StatusOK, res)
}

// handleConfigWebhookInspect serves POST …/configs/{config}:inspectWebhook.
// The simulated provider has the config's current URL registered when a
// key is bound; it reports no URL text (that would be the key).
func (h *Handlers) handleConfigWebhookInspect(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ExpectedURL *string `json:"expectedUrl"`
	}
	if r.ContentLength != 0 {
		if err := h.api.DecodeJSON(r, &in); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	bound, err := store.HasWebhookKey(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	matches := false
	if bound && core.Deref(in.ExpectedURL) != "" {
		if matches, err = h.isCurrentWebhookURL(r, store, *in.ExpectedURL); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
	}
	h.api.WriteJSON(w, http.StatusOK, map[string]any{
		"inspectFailed": false, "providerHasUrl": bound, "providerUrlMatchesExpected": matches,
		"providerReportedUrl": nil, "lastErrorMessage": nil, "lastErrorAt": nil, "pendingUpdateCount": 0, "errorMessage": nil,
	})
}

// isCurrentWebhookURL reports whether u is the config's inbound URL with
// its bound key.
func (h *Handlers) isCurrentWebhookURL(r *http.Request, store *Store, u string) (bool, error) {
	tenant, integration, config := h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config")
	if _, _, err := store.GetConfig(tenant, integration, config); err != nil {
		return false, err
	}
	prefix := h.webhookURL(r, "")
	if !strings.HasPrefix(u, prefix) {
		return false, nil
	}
	return store.IsCurrentWebhookKey(tenant, integration, config, strings.TrimPrefix(u, prefix)), nil
}

// handleConfigIdentityRefresh serves POST …/configs/{config}:refreshIdentity.
// The mock has no identity resolver for any integration: 200 with null,
// as the reference answers for those (never a 500).
func (h *Handlers) handleConfigIdentityRefresh(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if _, _, err := store.GetConfig(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config")); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, nil)
}

// handleWebhookDeliveryList serves the control plane's
// GET /_mock/tenants/{tenant}/integrations/{integration}/configs/{config}/webhook/deliveries.
func (h *Handlers) handleWebhookDeliveryList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	list, err := store.WebhookDeliveries(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, list)
}

// providersWithoutRegistration are the providers the reference names as
// having no programmatic webhook registration: Slack's Events API and the
// Teams Bot Framework. The mock's provider is the integration id.
var providersWithoutRegistration = []string{"slack", "teams", "msteams", "microsoft-teams", "microsoftteams"}

// noRegistrationAPI reports whether integration id names a provider
// without a registration API: one of providersWithoutRegistration, alone
// or followed by "-" or "_" and more (slack-prod, teams_eu).
func noRegistrationAPI(id string) bool {
	id = strings.ToLower(id)
	for _, p := range providersWithoutRegistration {
		if id == p || strings.HasPrefix(id, p+"-") || strings.HasPrefix(id, p+"_") {
			return true
		}
	}
	return false
}
