package sandboxroute

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Allows reports whether u is a target the router may really contact
// (the parsed --outbound-allow).
func (r *Router) Allows(u *url.URL) bool { return r.allow.Allows(u) }

// Exchanged is a raw answer of an allowed target.
type Exchanged struct {
	Status int
	Header http.Header
	Body   []byte
}

// Exchange sends one request built by the caller (an MCP client's
// JSON-RPC POST, for integrations:importMcp) through the outbound client
// tool runs use: no proxy, redirects followed only to allowed targets, the
// router's timeout and response cap. A target not on the allow list is
// refused (KindNoStub) without being contacted. Error details name the
// target, never the URL, and have secrets redacted.
func (r *Router) Exchange(ctx context.Context, method, target string, header http.Header, body []byte, secrets ...string) (Exchanged, error) {
	red := NewRedactor(secrets...)
	u, err := url.Parse(target)
	if err != nil || !r.allow.Allows(u) {
		return Exchanged{}, &Error{Kind: KindNoStub, Detail: "the target is not on the outbound allow list (--outbound-allow)"}
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return Exchanged{}, &Error{Kind: KindUnreachable, Detail: red.String("the request could not be built: " + err.Error())}
	}
	for name, vs := range header {
		req.Header[name] = append([]string(nil), vs...)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return Exchanged{}, r.exchangeError(ctx, req.URL, err, red)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, r.maxResponse+1))
	if err != nil {
		return Exchanged{}, r.exchangeError(ctx, req.URL, err, red)
	}
	if int64(len(data)) > r.maxResponse {
		return Exchanged{}, &Error{Kind: KindBadAnswer, Detail: fmt.Sprintf("%s answered more than %d bytes", hostPort(req.URL), r.maxResponse)}
	}
	return Exchanged{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}
