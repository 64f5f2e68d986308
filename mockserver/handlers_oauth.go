package mockserver

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
	"github.com/fruxon/fruxon-mock/validator"
)

// oauthStartRequest is the body of POST …/integrations/{integration}/oauth:start.
type oauthStartRequest struct {
	AuthMethodID   string  `json:"authMethodId"`
	RedirectOrigin *string `json:"redirectOrigin"`
}

// Outcomes the popup posts to its opener (DESIGN §4).
const (
	oauthSuccessMessage = "fruxon-oauth-success"
	oauthErrorMessage   = "fruxon-oauth-error"
	oauthAccessDenied   = "access_denied"
)

// handleOAuthStart serves POST …/integrations/{integration}/oauth:start:
// a pending request for an OAUTH2 auth method, and the mock's own consent
// page as authorizeUrl.
func (s *Server) handleOAuthStart(w http.ResponseWriter, r *http.Request) {
	var in oauthStartRequest
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	req, err := s.oauthRequest(r, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	st := s.oauth.Start(req)
	writeJSON(w, http.StatusOK, map[string]string{"authorizeUrl": baseURL(r) + "/_mock/oauth/authorize?state=" + url.QueryEscape(st)})
}

// oauthRequest checks an oauth:start body against the integration.
func (s *Server) oauthRequest(r *http.Request, in oauthStartRequest) (oauthflow.Request, error) {
	const op = "StartOAuth"
	tenant := pathVar(r, "tenant")
	store, err := s.stateFor(r)
	if err != nil {
		return oauthflow.Request{}, err
	}
	it, _, err := store.Integrations().GetIntegration(tenant, pathVar(r, "integration"))
	if err != nil {
		return oauthflow.Request{}, err
	}
	i := slices.IndexFunc(it.ConfigMetadata.AuthMetadata, func(m integrations.AuthMetadata) bool { return m.ID == in.AuthMethodID })
	if i < 0 {
		return oauthflow.Request{}, core.FieldError(op, "authMethodId", "is not an auth method of integration "+it.ID)
	}
	m := it.ConfigMetadata.AuthMetadata[i]
	if m.Type != integrations.AuthTypeOAuth2 {
		return oauthflow.Request{}, core.FieldError(op, "authMethodId", "is a "+string(m.Type)+" auth method; oauth:start needs an OAUTH2 one")
	}
	origin, field := r.Header.Get("Origin"), "Origin"
	if origin == "null" {
		origin = "" // an opaque origin can't be posted to
	}
	if in.RedirectOrigin != nil && *in.RedirectOrigin != "" {
		origin, field = *in.RedirectOrigin, "redirectOrigin"
	}
	if origin != "" {
		if origin, err = normalizeOrigin(origin); err != nil {
			return oauthflow.Request{}, core.FieldError(op, field, err.Error())
		}
		if !s.cors.allows(origin) {
			// The popup posts the credential key to this origin: only a
			// page the developer allowed may receive it.
			return oauthflow.Request{}, core.FieldError(op, field, "is not on --cors-origins; the consent popup posts the credential key only to an allowed origin")
		}
	}
	level := integrations.AuthLevelApplication
	if len(m.SupportedLevels) > 0 && !slices.Contains(m.SupportedLevels, level) {
		level = m.SupportedLevels[0]
	}
	return oauthflow.Request{
		Tenant: tenant, Integration: it.ID, IntegrationName: orDefault(it.DisplayName, it.ID),
		AuthMethodID: m.ID, AuthMethodName: orDefault(m.DisplayName, m.ID),
		OpenerOrigin: origin, Scopes: m.AvailableScopes, Level: string(level),
	}, nil
}

// handleOAuthConsentPage serves GET /_mock/oauth/authorize?state=…
func (s *Server) handleOAuthConsentPage(w http.ResponseWriter, r *http.Request) {
	st := r.URL.Query().Get("state")
	req, err := s.oauth.Lookup(st)
	if err != nil {
		s.writeError(w, r, core.FieldError("OAuthConsent", "state", err.Error()))
		return
	}
	writePage(w, r, s.log, consentPage, pageData{Request: req, State: st})
}

// handleOAuthDecide serves POST /_mock/oauth/authorize, the consent form:
// an HTML page for the popup, or JSON when the client accepts it (CI).
func (s *Server) handleOAuthDecide(w http.ResponseWriter, r *http.Request) {
	st, decision, err := parseDecision(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	asJSON := wantsJSON(r)
	if decision == "deny" {
		req, err := s.oauth.Deny(st)
		switch {
		case err != nil:
			s.writeError(w, r, core.FieldError("OAuthDecide", "state", err.Error()))
		case asJSON:
			p := validator.NewProblem(http.StatusBadRequest, "the user denied the authorization ("+oauthAccessDenied+")")
			p.Errors = map[string][]string{"decision": {oauthAccessDenied + ": the user denied the authorization"}}
			writeProblem(w, r, p)
		default:
			writePage(w, r, s.log, resultPage, pageData{Request: req,
				Message: map[string]string{"type": oauthErrorMessage, "error": oauthAccessDenied}})
		}
		return
	}
	key, req, err := s.oauth.Approve(st)
	switch {
	case err != nil:
		s.writeError(w, r, core.FieldError("OAuthDecide", "state", err.Error()))
	case asJSON:
		writeJSON(w, http.StatusOK, map[string]string{"oAuthCredentialKey": key})
	default:
		writePage(w, r, s.log, resultPage, pageData{Request: req, Key: key,
			Message: map[string]string{"type": oauthSuccessMessage, "oAuthCredentialKey": key}})
	}
}

// parseDecision reads the urlencoded consent form, which the spec
// validator doesn't look into: state and decision, once each, nothing else.
func parseDecision(r *http.Request) (st, decision string, err error) {
	const op = "OAuthDecide"
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return "", "", core.FieldError(op, "Content-Type", "must be application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return "", "", core.FieldError(op, "body", "could not be read: "+err.Error())
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", "", core.FieldError(op, "body", "is not a valid form: "+err.Error())
	}
	fields := map[string][]string{}
	for name, vals := range form {
		switch {
		case name != "state" && name != "decision":
			fields[name] = append(fields[name], "is not a known field")
		case len(vals) > 1:
			fields[name] = append(fields[name], "must be given once")
		}
	}
	st, decision = form.Get("state"), form.Get("decision")
	if st == "" {
		fields["state"] = append(fields["state"], "is required")
	}
	if decision != "approve" && decision != "deny" {
		fields["decision"] = append(fields["decision"], "must be one of: approve, deny")
	}
	if len(fields) > 0 {
		return "", "", &core.Error{Kind: core.KindInvalid, Op: op, Detail: "the consent form has invalid fields", Fields: fields}
	}
	return st, decision, nil
}

// wantsJSON reports whether the client asked for JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
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

// baseURL is the scheme and host the client reached the mock at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func orDefault(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}
