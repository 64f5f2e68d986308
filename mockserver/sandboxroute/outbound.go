package sandboxroute

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fruxon/fruxon-mock/mockserver/jsondepth"
)

// ErrorKind classifies a failed exchange with a vendor.
type ErrorKind int

// Error kinds; the HTTP layer answers KindTimeout with 504 and the others
// with 502.
const (
	// KindNoStub: the target is not allowed and no stub answers the run.
	KindNoStub ErrorKind = iota + 1
	// KindUnreachable: the request could not be sent or no valid HTTP
	// answer came back.
	KindUnreachable
	// KindBadAnswer: the vendor answered something unusable (too large,
	// not the JSON it declared, binary).
	KindBadAnswer
	// KindTimeout: the vendor did not answer in time.
	KindTimeout
)

// Error is a run that produced no usable answer. Detail is safe to show:
// secrets are redacted from it.
type Error struct {
	Kind   ErrorKind
	Detail string
}

func (e *Error) Error() string { return e.Detail }

// AllowList is the parsed --outbound-allow: the only targets a run may
// really reach.
type AllowList struct {
	entries []allowEntry
}

type allowEntry struct {
	host string // lower case, no brackets
	port string // "" allows any port
}

// ParseAllowList parses HOST[:PORT] entries ("api.example.com",
// "127.0.0.1:8080", "[::1]:9000").
func ParseAllowList(entries []string) (AllowList, error) {
	var a AllowList
	for _, raw := range entries {
		e := strings.ToLower(strings.TrimSpace(raw))
		if e == "" {
			continue
		}
		if strings.ContainsAny(e, "/@?#") {
			return AllowList{}, fmt.Errorf("outbound-allow: %q is not HOST[:PORT]", raw)
		}
		host, port := e, ""
		if h, p, err := net.SplitHostPort(e); err == nil {
			host, port = h, p
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return AllowList{}, fmt.Errorf("outbound-allow: %q has no valid port", raw)
			}
		} else if strings.Count(e, ":") == 1 {
			return AllowList{}, fmt.Errorf("outbound-allow: %q is not HOST[:PORT]", raw)
		}
		host = strings.Trim(host, "[]")
		if host == "" {
			return AllowList{}, fmt.Errorf("outbound-allow: %q has no host", raw)
		}
		a.entries = append(a.entries, allowEntry{host: host, port: port})
	}
	return a, nil
}

// Allows reports whether u is an http(s) URL whose host and port are on
// the list. The port defaults by scheme (80, 443).
func (a AllowList) Allows(u *url.URL) bool {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return false
	}
	host, port := strings.ToLower(u.Hostname()), effectivePort(u)
	for _, e := range a.entries {
		if e.host == host && (e.port == "" || e.port == port) {
			return true
		}
	}
	return false
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// hostPort is u's target as the allow list spells it.
func hostPort(u *url.URL) string {
	return net.JoinHostPort(strings.ToLower(u.Hostname()), effectivePort(u))
}

// maxRedirects bounds the redirects one run follows.
const maxRedirects = 10

// newClient builds the outbound client: no proxy (it would be a host not on
// the list), redirects followed only to allowed targets — a redirect
// elsewhere is recorded as the vendor's answer, not followed.
func newClient(rt http.RoundTripper, allow AllowList) *http.Client {
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		rt = t
	}
	return &http.Client{
		Transport: rt,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects || !allow.Allows(req.URL) {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
}

// send performs the exchange with an allowed target and reads the answer,
// capped; the vendor's own error statuses are answers, not failures.
func (r *Router) send(ctx context.Context, req Rendered, rt ResultType, red *Redactor) (StubResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var body io.Reader
	if req.Body != nil {
		body = strings.NewReader(*req.Body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return StubResponse{}, &Error{Kind: KindUnreachable, Detail: red.String("the tool's request could not be built: " + err.Error())}
	}
	for name, v := range req.Headers {
		hreq.Header.Set(name, v)
	}
	resp, err := r.client.Do(hreq)
	if err != nil {
		return StubResponse{}, r.exchangeError(ctx, hreq.URL, err, red)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, r.maxResponse+1))
	if err != nil {
		return StubResponse{}, r.exchangeError(ctx, hreq.URL, err, red)
	}
	if int64(len(data)) > r.maxResponse {
		return StubResponse{}, &Error{Kind: KindBadAnswer, Detail: fmt.Sprintf("the vendor (%s) answered more than %d bytes", hostPort(hreq.URL), r.maxResponse)}
	}
	if resp.StatusCode < 100 || resp.StatusCode > 599 {
		return StubResponse{}, &Error{Kind: KindBadAnswer, Detail: fmt.Sprintf("the vendor (%s) answered status %d", hostPort(hreq.URL), resp.StatusCode)}
	}
	v, err := interpret(rt, resp.Header.Get("Content-Type"), data)
	if err != nil {
		return StubResponse{}, &Error{Kind: KindBadAnswer, Detail: red.String(fmt.Sprintf("the vendor (%s) answered unusably: %v", hostPort(hreq.URL), err))}
	}
	headers := make(map[string]string, len(resp.Header))
	for name, vals := range resp.Header {
		headers[name] = strings.Join(vals, ", ")
	}
	return StubResponse{Status: resp.StatusCode, Headers: headers, Body: v}, nil
}

// exchangeError classifies a failed exchange; the detail names the target
// and the cause, never the URL (its query may hold a credential).
func (r *Router) exchangeError(ctx context.Context, u *url.URL, err error, red *Redactor) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || (errors.As(err, &ne) && ne.Timeout()) {
		return &Error{Kind: KindTimeout, Detail: fmt.Sprintf("the vendor (%s) did not answer within %s", hostPort(u), r.timeout)}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &Error{Kind: KindUnreachable, Detail: red.String(fmt.Sprintf("the vendor (%s) could not be reached or answered garbage: %v", hostPort(u), err))}
}

// interpret turns a vendor body into the run's JSON value: null when
// empty; parsed when it declares JSON (an error if it is not) or when the
// tool expects JSON, a boolean or an integer and it parses; else the text.
// Binary bodies are an error: a run records text.
func interpret(rt ResultType, contentType string, data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	declared := isJSON(contentType)
	if declared || rt != ResultTypeString {
		if path, deep := jsondepth.Check(data, jsondepth.Max); deep {
			// Not stored: a run record wraps the body in a few more levels,
			// and every read of the run history must stay readable.
			return nil, fmt.Errorf("the JSON body nests deeper than %d levels (at %q)", jsondepth.Max, cmp.Or(path, "the body"))
		}
		if v, err := decodeJSON(data); err == nil {
			return v, nil
		} else if declared {
			return nil, fmt.Errorf("the body is not JSON although its Content-Type is %s (%v)", contentType, err)
		}
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("a %d-byte body that is not text", len(data))
	}
	return string(data), nil
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// decodeJSON decodes exactly one JSON value, numbers kept exact.
func decodeJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("data after the first JSON value")
	}
	return v, nil
}
