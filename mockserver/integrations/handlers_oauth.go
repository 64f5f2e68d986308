package integrations

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
)

// oauthStartRequest is the body of POST …/integrations/{integration}/oauth:start.
type oauthStartRequest struct {
	AuthMethodID   string  `json:"authMethodId"`
	RedirectOrigin *string `json:"redirectOrigin"`
}

// handleOAuthStart serves POST …/integrations/{integration}/oauth:start:
// a pending request for an OAUTH2 auth method, and the mock's own consent
// page as authorizeUrl.
func (h *Handlers) handleOAuthStart(w http.ResponseWriter, r *http.Request) {
	var in oauthStartRequest
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	req, err := h.oauthRequest(r, store, in)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	st := h.oauth.Flow.Start(req)
	h.api.WriteJSON(w, http.StatusOK, map[string]string{"authorizeUrl": h.oauth.ConsentURL(r, st)})
}

// oauthRequest checks an oauth:start body against the integration.
func (h *Handlers) oauthRequest(r *http.Request, store *Store, in oauthStartRequest) (oauthflow.Request, error) {
	const op = "StartOAuth"
	tenant := h.api.PathVar(r, "tenant")
	it, _, err := store.GetIntegration(tenant, h.api.PathVar(r, "integration"))
	if err != nil {
		return oauthflow.Request{}, err
	}
	m := authMethod(&it, in.AuthMethodID)
	if m == nil {
		return oauthflow.Request{}, core.FieldError(op, "authMethodId", "is not an auth method of integration "+it.ID)
	}
	if m.Type != AuthTypeOAuth2 {
		return oauthflow.Request{}, core.FieldError(op, "authMethodId", "is a "+string(m.Type)+" auth method; oauth:start needs an OAUTH2 one")
	}
	origin, err := h.openerOrigin(r, in)
	if err != nil {
		return oauthflow.Request{}, err
	}
	level := AuthLevelApplication
	if len(m.SupportedLevels) > 0 && !slices.Contains(m.SupportedLevels, level) {
		level = m.SupportedLevels[0]
	}
	return oauthflow.Request{
		Tenant: tenant, Integration: it.ID, IntegrationName: orDefault(it.DisplayName, it.ID),
		AuthMethodID: m.ID, AuthMethodName: orDefault(m.DisplayName, m.ID),
		OpenerOrigin: origin, Scopes: m.AvailableScopes, Level: string(level),
	}, nil
}

// openerOrigin is where the consent popup will post the credential key:
// redirectOrigin, else the request's Origin; "" when neither names one.
func (h *Handlers) openerOrigin(r *http.Request, in oauthStartRequest) (string, error) {
	const op = "StartOAuth"
	origin, field := r.Header.Get("Origin"), "Origin"
	if origin == "null" {
		origin = "" // an opaque origin can't be posted to
	}
	if in.RedirectOrigin != nil && *in.RedirectOrigin != "" {
		origin, field = *in.RedirectOrigin, "redirectOrigin"
	}
	if origin == "" {
		return "", nil
	}
	origin, err := normalizeOrigin(origin)
	if err != nil {
		return "", core.FieldError(op, field, err.Error())
	}
	if !h.oauth.OriginAllowed(origin) {
		// The popup posts the credential key to this origin: only a page
		// the developer allowed may receive it.
		return "", core.FieldError(op, field, "is not on --cors-origins; the consent popup posts the credential key only to an allowed origin")
	}
	return origin, nil
}

// normalizeOrigin checks that s is an origin (scheme://host[:port]) and
// returns it in canonical form.
func normalizeOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawPath != "" || u.ForceQuery || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" ||
		strings.HasSuffix(u.Host, ":") {
		return "", errors.New("must be an origin such as http://localhost:3000 (scheme, host and port only)")
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

func orDefault(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}
