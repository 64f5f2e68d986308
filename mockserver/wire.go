package mockserver

import (
	"io"
	"net/http"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/journal"
)

// startWire begins keeping the raw exchange (headers, the first
// journal.MaxBody bytes of each body) for the journal's detail view: the
// request's headers now, its body as the handlers read it, and the answer
// through sw. The control plane's own calls are not kept, nor anything
// under Config.NoExchangeCapture.
func (s *Server) startWire(r *http.Request, sw *statusWriter) *journal.Exchange {
	if s.cfg.NoExchangeCapture || strings.HasPrefix(r.URL.Path, "/_mock/") {
		return nil
	}
	x := &journal.Exchange{Query: r.URL.RawQuery, RequestHeader: r.Header}
	sw.copyHeaders = !fromServer(r)
	if sw.copyHeaders {
		x.RequestHeader = r.Header.Clone()
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = &wireBody{ReadCloser: r.Body, body: &x.Request}
	}
	sw.body = &x.Response
	return x
}

// finishWire notes the answer's headers and what of the request body the
// handlers left unread.
func finishWire(r *http.Request, sw *statusWriter, x *journal.Exchange) {
	if x == nil {
		return
	}
	x.ResponseHeader = sw.Header()
	if sw.copyHeaders {
		x.ResponseHeader = x.ResponseHeader.Clone()
	}
	if r.ContentLength > x.Request.Size {
		x.Request.Size, x.Request.Truncated = r.ContentLength, true
	}
}

// fromServer reports whether r came from a net/http.Server. Such a server
// makes a Request, its Header map and the response's Header map for each
// request alone, and once the handler has returned reads them at most (it
// sends the answer's headers as they were at WriteHeader, from a copy):
// the journal keeps them as they are instead of copying both per request.
// Nothing in this server writes to a request's headers. A caller of
// ServeHTTP (a test, an in-process client) may reuse what it passed in,
// so its exchanges are copied.
func fromServer(r *http.Request) bool {
	_, ok := r.Context().Value(http.ServerContextKey).(*http.Server)
	return ok
}

// wireBody keeps the start of what is read of a request body.
type wireBody struct {
	io.ReadCloser
	body *journal.Body
}

func (b *wireBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	keepBody(b.body, p[:n])
	return n, err
}

// keepBody appends p to b up to journal.MaxBody, counting every byte.
func keepBody(b *journal.Body, p []byte) {
	b.Size += int64(len(p))
	if room := journal.MaxBody - len(b.Bytes); room > 0 {
		if len(p) > room {
			p = p[:room]
		}
		b.Bytes = append(b.Bytes, p...)
	}
	b.Truncated = b.Size > int64(len(b.Bytes))
}
