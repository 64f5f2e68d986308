package mockserver

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/validator"
)

// Outcomes the popup posts to its opener (DESIGN §4).
const (
	oauthSuccessMessage = "fruxon-oauth-success"
	oauthErrorMessage   = "fruxon-oauth-error"
	oauthAccessDenied   = "access_denied"
)

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

// baseURL is the scheme and host the client reached the mock at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
