package mockserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/journal"
)

// maxCapture bounds the body a journal entry keeps for verification.
const maxCapture = 64 << 10

// secretHeaders are kept for verification only as digests.
var secretHeaders = map[string]bool{"authorization": true, "x-api-key": true, "cookie": true, "proxy-authorization": true}

// captureBody keeps a copy of what the request's readers (the validator,
// a stub, a handler) read of its body, up to maxCapture.
type captureBody struct {
	io.ReadCloser
	buf  bytes.Buffer
	over bool
}

func (c *captureBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if !c.over {
		if c.buf.Len()+n > maxCapture {
			c.over = true
			c.buf = bytes.Buffer{}
		} else {
			c.buf.Write(p[:n])
		}
	}
	return n, err
}

// startCapture wraps the request body; finishCapture then notes what was
// read on the exchange, sealed. Only for a request whose exchange is not
// kept (Config.NoExchangeCapture): a kept exchange has what verification
// compares already, and capturedOf reads it from there.
func startCapture(r *http.Request) *captureBody {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	c := &captureBody{ReadCloser: r.Body}
	r.Body = c
	return c
}

func (s *Server) finishCapture(r *http.Request, c *captureBody) {
	capt := &journal.Capture{Header: captureHeader(r.Header)}
	switch {
	case c == nil:
	case c.over:
		capt.BodyNote = "the body was over 64 KiB and was not kept"
	case c.buf.Len() > 0:
		sealed, err := s.box.Seal(c.buf.String())
		if err != nil {
			capt.BodyNote = "the body could not be kept"
			break
		}
		capt.SealedBody = sealed
	}
	exchangeFrom(r.Context()).note(func(e *exchange) { e.capture = capt })
}

// captureHeader maps h's lower-case names to their first value, secret
// values (secretHeaders) to their digests.
func captureHeader(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, v := range h {
		if len(v) == 0 {
			continue
		}
		name = lowerName(name)
		if secretHeaders[name] {
			out[name] = digest(v[0])
		} else {
			out[name] = v[0]
		}
	}
	return out
}

// digest is how a secret is kept and compared: never its value.
func digest(v string) string {
	sum := sha256.Sum256([]byte(v))
	var out [len("sha256:") + 2*sha256.Size]byte
	copy(out[:], "sha256:")
	hex.Encode(out[len("sha256:"):], sum[:])
	return string(out[:])
}

// lowerNames are the lower-case forms of the header names most requests
// carry, so a capture doesn't allocate one per header per request.
var lowerNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{
		"Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control", "Connection",
		"Content-Length", "Content-Type", "Cookie", "Host", "If-Match", "If-None-Match", "Origin",
		"Pragma", "Prefer", "Referer", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site",
		"Traceparent", "User-Agent", "X-Api-Key", "X-Fruxon-Mock-Scenario", "X-Fruxon-Mock-Session",
		"X-Request-Id",
	} {
		m[n] = strings.ToLower(n)
	}
	return m
}()

// lowerName is strings.ToLower(name), without allocating for a common name.
func lowerName(name string) string {
	if l, ok := lowerNames[name]; ok {
		return l
	}
	return strings.ToLower(name)
}
