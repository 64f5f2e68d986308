package fuzz

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Request is one generated request, kept as parts so it can be shrunk and
// printed as a reproducer.
type Request struct {
	Method string
	// Path is the escaped path, e.g. /v1/tenants/fz/integrations/crm.
	Path   string
	Query  url.Values
	Header http.Header
	// Body is the JSON body; used when HasBody and RawBody is nil.
	Body    any
	HasBody bool
	// RawBody, when set, is sent as is (malformed JSON, an oversize body).
	RawBody     []byte
	ContentType string
}

// clone copies the request deeply enough to mutate it.
func (r *Request) clone() *Request {
	c := *r
	c.Query = url.Values{}
	for k, v := range r.Query {
		c.Query[k] = slices.Clone(v)
	}
	c.Header = r.Header.Clone()
	c.Body = deepCopy(r.Body)
	return &c
}

// bodyBytes is what goes on the wire.
func (r *Request) bodyBytes() []byte {
	if r.RawBody != nil {
		return r.RawBody
	}
	if !r.HasBody {
		return nil
	}
	b, _ := json.Marshal(r.Body)
	return b
}

// URL is the request's URL on base.
func (r *Request) URL(base string) string {
	u := strings.TrimRight(base, "/") + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	return u
}

// build makes the *http.Request.
func (r *Request) build(ctx context.Context, base string) (*http.Request, error) {
	body := r.bodyBytes()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL(base), rd)
	if err != nil {
		return nil, err
	}
	for k, v := range r.Header {
		req.Header[k] = slices.Clone(v)
	}
	if body != nil && r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	return req, nil
}

// Curl renders the request as a shell command. Auth header values are
// replaced by $FRUXON_TOKEN so a reproducer never carries a credential.
func (r *Request) Curl(base string) string {
	var b strings.Builder
	body := r.bodyBytes()
	long := longRun(body)
	if long.n > 0 {
		fmt.Fprintf(&b, "{ printf '%%s' %s; head -c %d /dev/zero | tr '\\0' '%c'; printf '%%s' %s; } | ",
			shellQuote(string(body[:long.at])), long.n, long.c, shellQuote(string(body[long.at+long.n:])))
	}
	fmt.Fprintf(&b, "curl -sS -i -X %s %s", r.Method, shellQuote(r.URL(base)))
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			switch k {
			case "Authorization":
				if strings.HasPrefix(v, "Bearer ") && len(v) > len("Bearer ") {
					v = "Bearer $FRUXON_TOKEN"
				}
			case "X-Api-Key":
				v = "$FRUXON_TOKEN"
			}
			fmt.Fprintf(&b, " -H %s", shellQuoteVars(k+": "+v))
		}
	}
	if body != nil {
		if r.ContentType != "" {
			fmt.Fprintf(&b, " -H %s", shellQuote("Content-Type: "+r.ContentType))
		}
		if long.n > 0 {
			b.WriteString(" --data-binary @-")
		} else {
			fmt.Fprintf(&b, " --data-binary %s", shellQuote(string(body)))
		}
	}
	return b.String()
}

type run struct {
	at, n int
	c     byte
}

// longRun finds the longest run of one repeated byte, when it is long
// enough to be worth printing as a generator (an oversize body).
func longRun(b []byte) run {
	var best run
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] == b[i] {
			j++
		}
		if j-i > best.n {
			best = run{at: i, n: j - i, c: b[i]}
		}
		i = j
	}
	if best.n < 512 || best.c == '\'' || best.c == 0 {
		return run{}
	}
	return best
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// shellQuoteVars double-quotes a header that carries $FRUXON_TOKEN so the
// shell expands it.
func shellQuoteVars(s string) string {
	if !strings.Contains(s, "$FRUXON_TOKEN") {
		return shellQuote(s)
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`")
	return `"` + r.Replace(s) + `"`
}

// deepCopy copies a JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}
