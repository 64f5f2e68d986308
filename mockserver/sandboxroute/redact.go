package sandboxroute

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/state"
)

// Redacted replaces every secret in a run record.
const Redacted = "[redacted]"

// Redactor replaces secret texts — as they are, URL-escaped and
// JSON-escaped — with Redacted.
type Redactor struct {
	r *strings.Replacer // nil when there is nothing to redact
}

// NewRedactor redacts the given secrets; empty ones are ignored.
func NewRedactor(secrets ...string) *Redactor {
	seen := map[string]bool{}
	var olds []string
	add := func(s string) {
		if s != "" && s != Redacted && !seen[s] {
			seen[s] = true
			olds = append(olds, s)
		}
	}
	for _, s := range secrets {
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if b, err := json.Marshal(s); err == nil {
			add(string(b[1 : len(b)-1]))
		}
	}
	if len(olds) == 0 {
		return &Redactor{}
	}
	// The replacer tries olds in order at each position: longest first, so
	// a secret that contains another is replaced whole.
	slices.SortStableFunc(olds, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(olds))
	for _, s := range olds {
		pairs = append(pairs, s, Redacted)
	}
	return &Redactor{r: strings.NewReplacer(pairs...)}
}

// String redacts s.
func (r *Redactor) String(s string) string {
	if r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// Value redacts a JSON value deeply: strings, object keys, and numbers
// whose text holds a secret (which become the string Redacted).
func (r *Redactor) Value(v any) any {
	if r.r == nil {
		return v
	}
	switch x := v.(type) {
	case string:
		return r.String(x)
	case json.Number:
		if r.String(x.String()) != x.String() {
			return Redacted
		}
		return x
	case float64:
		if t := valueText(x); r.String(t) != t {
			return Redacted
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[r.String(k)] = r.Value(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.Value(e)
		}
		return out
	}
	return v
}

// Request is the record of a rendered request: the credential's header
// value wholly redacted, every secret elsewhere replaced.
func (r *Redactor) Request(req Rendered, inj Injected) state.RunRequest {
	out := state.RunRequest{Method: req.Method, URL: r.String(req.URL), Headers: make(map[string]string, len(req.Headers))}
	for name, v := range req.Headers {
		if name == inj.Header {
			v = Redacted
		}
		out.Headers[name] = r.String(v)
	}
	if req.Body != nil {
		b := r.String(*req.Body)
		out.Body = &b
	}
	return out
}

// Response is the record of an answer, secrets replaced. A stub's missing
// status is 200.
func (r *Redactor) Response(a StubResponse) state.RunResponse {
	out := state.RunResponse{Status: a.Status, Headers: make(map[string]string, len(a.Headers)), Body: r.Value(a.Body)}
	if out.Status == 0 {
		out.Status = 200
	}
	for name, v := range a.Headers {
		out.Headers[r.String(name)] = r.String(v)
	}
	return out
}
