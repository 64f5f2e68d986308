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

// authorizeRequest is the body of POST …/integrations/{integration}:authorize.
type authorizeRequest struct {
	IntegrationAuthMetadataID string         `json:"integrationAuthMetadataId"`
	ConfigParameters          map[string]any `json:"configParameters"`
	Scopes                    []string       `json:"scopes"`
}

// handleIntegrationAuthorize serves POST …/integrations/{integration}:authorize:
// a pending request for an OAUTH2 auth method, and the mock's own consent
// page as authorizationUrl.
func (h *Handlers) handleIntegrationAuthorize(w http.ResponseWriter, r *http.Request) {
	var in authorizeRequest
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	req, err := h.oauthRequest(r, store, in.IntegrationAuthMetadataID, "integrationAuthMetadataId", in.Scopes)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	st := h.oauth.Flow.Start(req)
	h.api.WriteJSON(w, http.StatusOK, map[string]string{"authorizationUrl": h.oauth.ConsentURL(r, st)})
}

// handleOAuthConsume serves POST …/integrations/{integration}:consumeOAuthCredentials.
func (h *Handlers) handleOAuthConsume(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CredentialKey       string `json:"credentialKey"`
		IntegrationConfigID string `json:"integrationConfigId"`
	}
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if err := store.ConsumeOAuthCredentials(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), in.IntegrationConfigID, in.CredentialKey); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// consentURL starts a flow for an OAUTH2 method of the request's
// integration, with its default scopes, and returns its consent page: the
// authorizationUrl of a verification.
func (h *Handlers) consentURL(r *http.Request, store *Store, methodID string) (*string, error) {
	req, err := h.oauthRequest(r, store, methodID, "authMetadataId", nil)
	if err != nil {
		return nil, err
	}
	u := h.oauth.ConsentURL(r, h.oauth.Flow.Start(req))
	return &u, nil
}

// oauthRequest checks an authorization of method (named in the body at
// field) against the integration; scopes, when not empty, must be among
// the method's availableScopes, else the method's scopes are granted.
func (h *Handlers) oauthRequest(r *http.Request, store *Store, method, field string, scopes []string) (oauthflow.Request, error) {
	const op = "AuthorizeIntegration"
	tenant := h.api.PathVar(r, "tenant")
	it, _, err := store.GetIntegration(tenant, h.api.PathVar(r, "integration"))
	if err != nil {
		return oauthflow.Request{}, err
	}
	m := authMethod(&it, method)
	if m == nil {
		return oauthflow.Request{}, core.FieldError(op, field, "is not an auth method of integration "+it.ID)
	}
	if m.Type != AuthTypeOAuth2 {
		return oauthflow.Request{}, core.FieldError(op, field, "is a "+string(m.Type)+" auth method; :authorize needs an OAUTH2 one")
	}
	granted := m.AvailableScopes
	if len(scopes) > 0 {
		f := core.Findings{}
		for i, sc := range scopes {
			if !slices.Contains(m.AvailableScopes, sc) {
				f.Add(core.Index("scopes", i), "%q is not among the availableScopes of auth method %s", sc, m.ID)
			}
		}
		if err := f.Err(op); err != nil {
			return oauthflow.Request{}, err
		}
		granted = scopes
	}
	origin, err := h.openerOrigin(r)
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
		OpenerOrigin: origin, Scopes: granted, Level: string(level),
	}, nil
}

// openerOrigin is where the consent popup will post the credential key:
// the request's Origin; "" when it names none.
func (h *Handlers) openerOrigin(r *http.Request) (string, error) {
	const op = "AuthorizeIntegration"
	origin := r.Header.Get("Origin")
	if origin == "null" || origin == "" {
		return "", nil // an opaque origin can't be posted to
	}
	origin, err := normalizeOrigin(origin)
	if err != nil {
		return "", core.FieldError(op, "Origin", err.Error())
	}
	if !h.oauth.OriginAllowed(origin) {
		// The popup posts the credential key to this origin: only a page
		// the developer allowed may receive it.
		return "", core.FieldError(op, "Origin", "is not on --cors-origins; the consent popup posts the credential key only to an allowed origin")
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
