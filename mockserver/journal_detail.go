package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/journal"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/validator"
)

// Redacted stands in for every secret the journal's detail view hides.
const Redacted = sandboxroute.Redacted

// maskedHeaders never show their value in the detail view (Authorization
// and Proxy-Authorization keep their scheme).
var maskedHeaders = map[string]bool{"authorization": true, "proxy-authorization": true, "x-api-key": true,
	"cookie": true, "set-cookie": true, strings.ToLower(ControlTokenHeader): true}

// exchangeDetail is the GET /_mock/journal/{id} answer.
type exchangeDetail struct {
	Entry journal.Entry `json:"entry"`
	// Request and Response are nil when the exchange was not kept.
	Request  *wireSide `json:"request"`
	Response *wireSide `json:"response"`
}

// wireSide is one side of an exchange, redacted.
type wireSide struct {
	Query     *string           `json:"query,omitempty"`
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body"`
	BodySize  int64             `json:"bodySize"`
	Truncated bool              `json:"truncated"`
	// Binary: the body is not UTF-8 text and is not shown.
	Binary bool `json:"binary"`
	// Withheld: a request body that could not be parsed (cut off at the
	// cap, or not JSON) names a place secrets go, so it is not shown.
	Withheld bool `json:"withheld,omitempty"`
}

// secretKeys finds the members under which a request body carries secrets.
var secretKeys = regexp.MustCompile(`"(auth|authMap|oAuthCredentialKey|parameters|sandboxVariant|bearerToken)"\s*:`)

// handleJournalGet serves GET /_mock/journal/{id}: one entry with its
// headers and bodies, secrets redacted. With a session, only that
// session's entries.
func (s *Server) handleJournalGet(w http.ResponseWriter, r *http.Request) {
	sid, sess, ok := s.controlSession(w, r, false)
	if !ok {
		return
	}
	raw := pathVar(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	var e journal.Entry
	found := false
	if err == nil {
		j := s.journal
		if sess != nil {
			j = sess.journal
		}
		e, found = j.Get(id)
		found = found && (sid == "" || e.Session != nil && *e.Session == sid)
	}
	if !found {
		writeProblem(w, r, validator.NewProblem(http.StatusNotFound, fmt.Sprintf(
			"journal entry %s is not in the journal: it was cleared, pushed out (the journal keeps the last %d), or never existed",
			raw, s.journal.Size())))
		return
	}
	writeJSON(w, http.StatusOK, s.exchangeDetail(e))
}

// exchangeDetail redacts an entry's exchange. Redaction happens here, when
// someone asks, not on the request path: by position in a request body
// (auth parameters, auth maps, OAuth credential keys, parameters declared
// secret) and then, everywhere, every secret text the relevant stores hold
// (as is, escaped or base64-encoded).
func (s *Server) exchangeDetail(e journal.Entry) exchangeDetail {
	out := exchangeDetail{Entry: e}
	x := e.Exchange
	if x == nil {
		return out
	}
	stores := s.detailStores(e)
	var secrets []string
	for _, st := range stores {
		secrets = append(secrets, st.AllSecretTexts()...)
	}
	red := sandboxroute.NewRedactor(secrets...)
	out.Request = redactSide(red, x.RequestHeader, x.Request, s.secretParams(e, stores))
	if x.Query != "" {
		q := red.String(x.Query)
		out.Request.Query = &q
	}
	out.Response = redactSide(red, x.ResponseHeader, x.Response, nil)
	return out
}

// detailStores are the stores whose secrets an entry may show: the shared
// state (and the fixtures sessions start from), and the entry's session's.
func (s *Server) detailStores(e journal.Entry) []*state.Store {
	s.fixMu.Lock()
	base := s.base
	s.fixMu.Unlock()
	stores := []*state.Store{s.store}
	if base != nil && base.store != nil {
		stores = append(stores, base.store)
	}
	if e.Session != nil {
		if sess := s.sessions.lookup(*e.Session); sess != nil {
			sess.mu.Lock()
			own, sb := sess.store, sess.base
			sess.mu.Unlock()
			stores = append(stores, own)
			if sb != nil && sb.store != nil && sb != base {
				stores = append(stores, sb.store)
			}
		}
	}
	return stores
}

// secretParams says which top-level "parameters" of the entry's request
// body are secret: for a config write, those its integration declares
// secret; for a tool run, those the tool declares secret; else, or when
// the declaration is gone, all of them.
func (s *Server) secretParams(e journal.Entry, stores []*state.Store) func(string) bool {
	all := func(string) bool { return true }
	_, vars, err := s.api.Match(e.Method, e.Path)
	if err != nil || e.OperationID == nil || e.Tenant == nil {
		return all
	}
	var decl []integrations.ParameterMetadata
	found := false
	for _, st := range stores {
		switch *e.OperationID {
		case "createConfig", "updateConfig":
			it, _, err := st.Integrations().GetIntegration(*e.Tenant, vars["integration"])
			decl, found = it.ConfigMetadata.ParametersMetadata, err == nil
		case "testConfigTool":
			// The tool is named in the body, which this reads no more
			// of: every parameter counts as secret.
		}
		if found {
			break
		}
	}
	if !found {
		return all
	}
	secret := map[string]bool{}
	for _, p := range decl {
		if p.Secret {
			secret[p.Name] = true
		}
	}
	return func(name string) bool { return secret[name] }
}

// redactSide redacts headers and a body; secretParam, when set, also hides
// a JSON body's secrets by position (a request body).
func redactSide(red *sandboxroute.Redactor, h http.Header, b journal.Body, secretParam func(string) bool) *wireSide {
	side := &wireSide{Headers: make(map[string]string, len(h)), BodySize: b.Size, Truncated: b.Truncated}
	for name, vs := range h {
		v := strings.Join(vs, ", ")
		lower := strings.ToLower(name)
		switch {
		case maskedHeaders[lower] && (lower == "authorization" || lower == "proxy-authorization"):
			if scheme, _, ok := strings.Cut(v, " "); ok {
				v = scheme + " " + Redacted
			} else {
				v = Redacted
			}
		case maskedHeaders[lower]:
			v = Redacted
		default:
			v = red.String(v)
		}
		side.Headers[name] = v
	}
	body := b.Bytes
	if b.Truncated {
		for cut := 0; cut < utf8.UTFMax && len(body) > 0 && !utf8.Valid(body); cut++ {
			body = body[:len(body)-1] // a character the cap split
		}
	}
	if !utf8.Valid(body) {
		side.Binary = true
		return side
	}
	side.Body = red.String(string(body))
	if secretParam == nil {
		return side
	}
	var v any
	d := json.NewDecoder(strings.NewReader(string(body)))
	d.UseNumber()
	if b.Truncated || d.Decode(&v) != nil {
		// Cut off or not JSON: no position to redact by. A body that
		// names a place secrets go is withheld rather than guessed at.
		if secretKeys.MatchString(side.Body) {
			side.Body, side.Withheld = "", true
		}
		return side
	}
	if hideBodySecrets(v, secretParam) {
		if text, err := json.Marshal(red.Value(v)); err == nil {
			side.Body = string(text)
		}
	}
	return side
}

// hideBodySecrets replaces, in place, the secrets a request body carries
// by position: every value under auth parameters, authMap,
// oAuthCredentialKey and bearerToken, and the parameters secretParam names (top level and
// in sandboxVariant). It reports whether it replaced anything.
func hideBodySecrets(v any, secretParam func(string) bool) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	changed := false
	for k, x := range m {
		switch k {
		case "oAuthCredentialKey", "authMap", "bearerToken": // bearerToken: integrations:importMcp
			if x != nil {
				m[k], changed = redactAll(x), true
			}
		case "auth":
			if a, ok := x.(map[string]any); ok && a["parameters"] != nil {
				a["parameters"], changed = redactAll(a["parameters"]), true
			}
		case "parameters":
			if ps, ok := x.(map[string]any); ok {
				for name, pv := range ps {
					if pv != nil && secretParam(name) {
						ps[name], changed = redactAll(pv), true
					}
				}
			}
		case "sandboxVariant":
			changed = hideBodySecrets(x, secretParam) || changed
		}
	}
	return changed
}

// redactAll replaces every scalar below v with Redacted, keeping its shape.
func redactAll(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = redactAll(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = redactAll(x)
		}
		return t
	case nil:
		return nil
	}
	return Redacted
}
