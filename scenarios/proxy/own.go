package proxy

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/fruxon/fruxon-mock/validator"
)

// serveOwn answers the proxy's own endpoints: the journal and coverage of
// what it saw. Every other path, /_mock/ ones included, is forwarded.
func (p *Proxy) serveOwn(w http.ResponseWriter, r *http.Request) bool {
	switch r.URL.Path {
	case "/_mock/journal":
		switch r.Method {
		case http.MethodGet:
			limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
			writeJSON(w, http.StatusOK, map[string]any{"items": p.journal.List(limit)})
		case http.MethodDelete:
			p.journal.Clear()
			w.WriteHeader(http.StatusNoContent)
		default:
			notAllowed(w, r, "GET, DELETE")
		}
		return true
	case "/_mock/coverage":
		sess := r.URL.Query().Get("session")
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, p.coverage.Report(sess))
		case http.MethodDelete:
			p.coverage.Reset(sess)
			w.WriteHeader(http.StatusNoContent)
		default:
			notAllowed(w, r, "GET, DELETE")
		}
		return true
	}
	return false
}

func notAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	pr := validator.NewProblem(http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+" (allowed: "+allow+")")
	pr.Instance = r.URL.Path
	writeProblem(w, pr)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"title":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeProblem(w http.ResponseWriter, pr *validator.Problem) {
	b, _ := json.Marshal(pr)
	w.Header().Set("Content-Type", validator.ProblemContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(pr.Status)
	w.Write(b)
}

// setProblem replaces a response with a problem.
func setProblem(resp *http.Response, pr *validator.Problem) {
	b, _ := json.Marshal(pr)
	resp.StatusCode = pr.Status
	resp.Status = fmt.Sprintf("%d %s", pr.Status, http.StatusText(pr.Status))
	resp.Header = http.Header{}
	resp.Header.Set("Content-Type", validator.ProblemContentType)
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
	resp.ContentLength = int64(len(b))
	resp.TransferEncoding = nil
	resp.Trailer = nil
	resp.Body = io.NopCloser(bytes.NewReader(b))
}

// readCapped reads up to max bytes; over reports that more follows (the
// rest stays unread in r).
func readCapped(r io.Reader, max int64) (body []byte, over bool, err error) {
	if r == nil || r == http.NoBody {
		return nil, false, nil
	}
	body, err = io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(body)) > max {
		// Keep every byte for forwarding: what was read is put back in
		// front of the rest by the caller.
		return body, true, err
	}
	return body, false, err
}

// readCloser reads from a reader that puts read bytes back in front of
// the original body, and closes the original.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }

// streaming reports an answer that is meant to be read as it arrives.
func streaming(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "text/event-stream" || mt == "application/x-ndjson" || strings.HasPrefix(mt, "multipart/x-mixed-replace")
}

// decodedBody undoes a gzip content coding (a browser asks for one, and
// the proxy passes the answer through as it came).
func decodedBody(h http.Header, body []byte) ([]byte, error) {
	switch strings.ToLower(h.Get("Content-Encoding")) {
	case "", "identity":
		return body, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(io.LimitReader(zr, DefaultMaxBody*4))
	}
	return nil, fmt.Errorf("content coding %q is not supported", h.Get("Content-Encoding"))
}

// statusWriter remembers the status the client got.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController flush streamed answers.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// bufferPool recycles the ReverseProxy's copy buffers (it allocates 32 KiB
// per answer without one).
type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() []byte {
	if v, ok := b.p.Get().(*[]byte); ok {
		return *v
	}
	return make([]byte, 32<<10)
}

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }
