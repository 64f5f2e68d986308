package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Redacted replaces every secret the proxy records.
const Redacted = "[redacted]"

var nameSeparators = strings.NewReplacer("-", "", "_", "")

// plainHeaders never carry credentials (the common case, answered without
// looking at the name's letters).
var plainHeaders = map[string]bool{
	"Accept": true, "Accept-Encoding": true, "Accept-Language": true, "Connection": true, "Content-Length": true,
	"Content-Type": true, "Etag": true, "If-Match": true, "If-None-Match": true, "Origin": true, "Referer": true,
	"User-Agent": true, "Date": true, "Vary": true, "X-Fruxon-Mock-Session": true, "X-Fruxon-Mock-Scenario": true,
	"Prefer": true, "Cache-Control": true, "Retry-After": true, "Www-Authenticate": true, "Location": true,
}

// secretHeader reports whether a header carries credentials.
func secretHeader(name string) bool {
	if plainHeaders[name] {
		return false
	}
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key":
		return true
	}
	return secretName(n)
}

// secretName reports whether a header or JSON member name says its value
// is a credential.
func secretName(name string) bool {
	n := strings.ToLower(nameSeparators.Replace(name))
	if strings.HasSuffix(n, "pagetoken") {
		return false // paging cursors, not credentials
	}
	for _, s := range []string{"secret", "password", "passwd", "token", "apikey", "credential", "privatekey", "sessionkey"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// redactor replaces secrets and remembers the values it replaced, so they
// can be blanked out of any other text (findings, bodies that aren't JSON).
type redactor struct {
	secrets []string
}

// JSON returns the body with every secret value replaced: members whose
// name says credential, and every value of an auth object's parameters
// (where the API takes a config's secrets). A body that is not JSON is
// returned as is; ok reports whether it was JSON.
func (x *redactor) JSON(body []byte) (out []byte, ok bool) {
	v, ok := decodeJSON(body)
	if !ok {
		return body, false
	}
	if !x.value(v, false) {
		return body, true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return body, true
	}
	return b, true
}

// decodeJSON decodes one JSON value, numbers as json.Number.
func decodeJSON(body []byte) (any, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// headerSecrets remembers the credentials in h.
func (x *redactor) headerSecrets(h http.Header) {
	for k, v := range h {
		if secretHeader(k) {
			for _, s := range v {
				x.remember(s)
				if _, cred, ok := strings.Cut(s, " "); ok {
					x.remember(cred) // "Bearer xyz": xyz alone too
				}
			}
		}
	}
}

// header copies h with credential values replaced.
func (x *redactor) header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		if secretHeader(k) {
			for _, s := range v {
				x.remember(s)
				if _, cred, ok := strings.Cut(s, " "); ok {
					x.remember(cred) // "Bearer xyz": xyz alone too
				}
			}
			out[k] = []string{Redacted}
			continue
		}
		out[k] = append([]string(nil), v...)
	}
	return out
}

func (x *redactor) remember(s string) {
	if len(s) >= 4 && s != Redacted {
		x.secrets = append(x.secrets, s)
	}
}

// text replaces the remembered secrets in s.
func (x *redactor) text(s string) string { return redactText(s, x.secrets) }

// value redacts v in place; all says every scalar below is secret.
func (x *redactor) value(v any, all bool) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, v := range t {
			switch {
			case v == nil:
			case all && isScalar(v), secretName(k) && isString(v):
				if s, ok := v.(string); !ok || s != Redacted {
					x.remember(fmt.Sprint(v))
					t[k] = Redacted
					changed = true
				}
			case k == "parameters" && isAuth(t):
				changed = x.value(v, true) || changed
			default:
				changed = x.value(v, all) || changed
			}
		}
	case []any:
		for i, v := range t {
			if all && isScalar(v) {
				x.remember(fmt.Sprint(v))
				t[i] = Redacted
				changed = true
				continue
			}
			changed = x.value(v, all) || changed
		}
	}
	return changed
}

// isAuth reports whether an object is an auth block (it names its method).
func isAuth(m map[string]any) bool {
	_, ok := m["integrationAuthMetadataId"]
	return ok
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// redactText replaces the given secrets in s (for bodies that aren't JSON).
func redactText(s string, secrets []string) string {
	for _, x := range secrets {
		if len(x) >= 4 {
			s = strings.ReplaceAll(s, x, Redacted)
		}
	}
	return s
}
