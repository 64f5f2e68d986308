package sandboxroute

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// Redacted replaces every secret in a run record.
const Redacted = "[redacted]"

// Redactor replaces secret texts — as they are, URL-escaped, JSON-escaped
// and base64/base64url-encoded (standalone or inside a longer encoding, as
// in a Basic credential) — with Redacted. Matching ignores ASCII case: a
// secret used as a host name comes back lower-cased from the resolver.
type Redactor struct {
	olds []string // ASCII-lower-cased, longest first; nil when nothing to redact
}

// minEncoded is the shortest base64 core searched for inside a longer
// encoding; shorter ones would match ordinary text.
const minEncoded = 8

// NewRedactor redacts the given secrets; empty ones are ignored.
func NewRedactor(secrets ...string) *Redactor {
	seen := map[string]bool{}
	var olds []string
	add := func(s string) {
		s = asciiLower(s)
		if s != "" && s != asciiLower(Redacted) && !seen[s] {
			seen[s] = true
			olds = append(olds, s)
		}
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if b, err := json.Marshal(s); err == nil {
			add(string(b[1 : len(b)-1]))
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			add(enc.EncodeToString([]byte(s)))
			raw := enc.WithPadding(base64.NoPadding)
			// Inside a longer encoding the secret starts at one of three
			// byte alignments; keep the characters only it determines.
			for k := range 3 {
				full := raw.EncodeToString(append(make([]byte, k), s...))
				from, to := (8*k+5)/6, 8*(k+len(s))/6
				if to-from >= minEncoded {
					add(full[from:to])
				}
			}
		}
	}
	if len(olds) == 0 {
		return &Redactor{}
	}
	// Longest first, so a secret that contains another is replaced whole.
	slices.SortStableFunc(olds, func(a, b string) int { return len(b) - len(a) })
	return &Redactor{olds: olds}
}

// asciiLower lower-cases ASCII letters only, so byte offsets are kept.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// String redacts s: every run of bytes covered by a secret's occurrence
// (ASCII case ignored) becomes one Redacted.
func (r *Redactor) String(s string) string {
	if len(r.olds) == 0 || s == "" {
		return s
	}
	low := asciiLower(s)
	var covered []bool
	for _, old := range r.olds {
		for from := 0; ; {
			i := strings.Index(low[from:], old)
			if i < 0 {
				break
			}
			if covered == nil {
				covered = make([]bool, len(s))
			}
			for j := from + i; j < from+i+len(old); j++ {
				covered[j] = true
			}
			from += i + len(old)
		}
	}
	if covered == nil {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if !covered[i] {
			b.WriteByte(s[i])
			continue
		}
		b.WriteString(Redacted)
		for i+1 < len(s) && covered[i+1] {
			i++
		}
	}
	return b.String()
}

// Value redacts a JSON value deeply: strings, object keys, and numbers
// whose text holds a secret (which become the string Redacted).
func (r *Redactor) Value(v any) any {
	if len(r.olds) == 0 {
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
func (r *Redactor) Request(req Rendered, inj Injected) Rendered {
	out := Rendered{Method: req.Method, URL: r.String(req.URL), Headers: make(map[string]string, len(req.Headers))}
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
func (r *Redactor) Response(a StubResponse) StubResponse {
	out := StubResponse{Status: a.Status, Headers: make(map[string]string, len(a.Headers)), Body: r.Value(a.Body)}
	if out.Status == 0 {
		out.Status = 200
	}
	for name, v := range a.Headers {
		out.Headers[r.String(name)] = r.String(v)
	}
	return out
}
