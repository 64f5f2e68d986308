package mockserver

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/validator"
)

// ControlTokenHeader carries the control token (--control-token) on
// /_mock/* calls. "Authorization: Bearer <token>" is read when it is
// absent; the header exists because a control call may need Authorization
// for something else (a session claim, say).
const ControlTokenHeader = "X-Fruxon-Mock-Control-Token"

// DefaultBodyReadTimeout bounds reading one request body when
// Config.BodyReadTimeout is zero.
const DefaultBodyReadTimeout = 30 * time.Second

// withGuard closes the doors a network neighbour or a web page could use
// (issue 10): a Host that isn't ours (DNS rebinding), a control call
// without the control token, a state-changing control call from a page on
// another origin; and it puts a read deadline on the body. It runs inside
// withCORS, so preflights never need the token and refusals carry CORS
// headers for allowed origins.
func (s *Server) withGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := s.hostRefusal(r.Host); msg != "" {
			guardProblem(w, r, http.StatusForbidden, "Host", msg)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/_mock/") && !openControlPath(r.URL.Path) {
			if s.cfg.ControlToken != "" && !s.controlTokenOK(r) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="fruxon-mock control plane"`)
				guardProblem(w, r, http.StatusUnauthorized, ControlTokenHeader,
					"the control plane needs the control token (--control-token): send it in "+ControlTokenHeader+" or as Authorization: Bearer")
				return
			}
			if msg := s.crossSiteRefusal(r); msg != "" {
				guardProblem(w, r, http.StatusForbidden, "Origin", msg)
				return
			}
		}
		if s.setBodyDeadline(w, r) {
			w = &deadlineWriter{ResponseWriter: w, r: r, timeout: s.cfg.BodyReadTimeout}
		}
		next.ServeHTTP(w, r)
	})
}

// openControlPath: health, the OAuth consent page and form (a popup
// can't send a header; the single-use state protects the form), and the
// dashboard's page (a navigation can't send one either; the page holds no
// data, and every call it makes needs the token, which it asks for).
func openControlPath(p string) bool {
	return p == "/_mock/health" || p == "/_mock/oauth/authorize" || p == "/_mock/ui"
}

// guardProblem writes a problem body naming the header at fault, also for
// 401 and 403 (which writeProblem leaves empty, as the API's contract
// says of its own): a refusal here must say which door and why.
func guardProblem(w http.ResponseWriter, r *http.Request, status int, field, msg string) {
	p := validator.NewProblem(status, field+" "+msg)
	p.Errors = map[string][]string{field: {msg}}
	p.TraceID = traceID(r.Context())
	p.Instance = publicPath(r.URL.Path)
	body, _ := json.Marshal(p)
	w.Header().Set("Content-Type", validator.ProblemContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// hostRefusal says why a Host header is refused, or "" when it is one of
// ours: an IP literal, localhost (or *.localhost), a single-label name (a
// compose service) or a name on --allowed-hosts. A web page that rebinds
// its own domain to 127.0.0.1 sends that domain, and is refused.
func (s *Server) hostRefusal(hostport string) string {
	if hostport == "" {
		return "" // HTTP/1.0 without Host: there is no name to rebind
	}
	host := hostport
	if strings.IndexByte(hostport, ':') >= 0 {
		if h, _, err := net.SplitHostPort(hostport); err == nil {
			host = h
		}
	}
	host = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	// The cheap tests first: this runs on every request.
	if host == "localhost" || !strings.Contains(host, ".") || strings.HasSuffix(host, ".localhost") || net.ParseIP(host) != nil {
		return ""
	}
	for _, a := range s.cfg.AllowedHosts {
		a = strings.ToLower(a)
		if a == "*" || a == host {
			return ""
		}
		if suffix, ok := strings.CutPrefix(a, "*"); ok && strings.HasPrefix(suffix, ".") && strings.HasSuffix(host, suffix) {
			return ""
		}
	}
	return "is not allowed (DNS rebinding protection): " + host +
		" is not an IP literal, localhost, a single-label name or a name on --allowed-hosts"
}

func (s *Server) controlTokenOK(r *http.Request) bool {
	got := r.Header.Get(ControlTokenHeader)
	if got == "" {
		bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return false
		}
		got = strings.TrimSpace(bearer)
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.ControlToken)) == 1
}

// crossSiteRefusal refuses a state-changing control call a browser sends
// from a page whose origin is not on the CORS list (or the mock's own): a
// no-cors POST can't read the answer, but it could still reset the state
// or mint a token. Every browser sends Origin on such a request;
// Sec-Fetch-Site covers one that doesn't.
func (s *Server) crossSiteRefusal(r *http.Request) string {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return ""
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			return "is missing on a cross-site request (Sec-Fetch-Site: cross-site); control calls that change state are refused from other sites"
		}
		return ""
	}
	if s.cors.allows(origin) || strings.EqualFold(origin, baseURL(r)) {
		return ""
	}
	return origin + " is not on --cors-origins; a browser page may change the mock's state only from an allowed origin"
}

// setBodyDeadline bounds reading the body, so a client trickling it can't
// hold a connection (and a goroutine) forever. The server's own conn
// resets the deadline for the next request on the connection.
func (s *Server) setBodyDeadline(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.BodyReadTimeout <= 0 || r.Body == nil || r.Body == http.NoBody {
		return false
	}
	if http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BodyReadTimeout)) != nil {
		return false // not a real connection (httptest.ResponseRecorder)
	}
	r.Body = &deadlineBody{ReadCloser: r.Body, ex: exchangeFrom(r.Context())}
	return true
}

// deadlineWriter answers 408 in place of whatever the inner layers made of
// a body the deadline cut off (a 400 on truncated JSON, say): the timeout
// is the cause, and no operation's contract declares it.
type deadlineWriter struct {
	http.ResponseWriter
	r       *http.Request
	timeout time.Duration
	// started: the status is decided; replaced: it was the 408.
	started, replaced bool
}

func (d *deadlineWriter) WriteHeader(code int) {
	if d.started {
		if !d.replaced {
			d.ResponseWriter.WriteHeader(code)
		}
		return
	}
	d.started = true
	timedOut := false
	exchangeFrom(d.r.Context()).note(func(e *exchange) { timedOut = e.bodyTimedOut })
	if !timedOut {
		d.ResponseWriter.WriteHeader(code)
		return
	}
	d.replaced = true
	h := d.Header()
	h.Del("ETag")
	h.Del("Location")
	h.Set("Connection", "close")
	guardProblem(d.ResponseWriter, d.r, http.StatusRequestTimeout, "body",
		"was not received within "+d.timeout.String()+" (--body-timeout)")
}

func (d *deadlineWriter) Write(b []byte) (int, error) {
	if !d.started {
		d.WriteHeader(http.StatusOK)
	}
	if d.replaced {
		return len(b), nil
	}
	return d.ResponseWriter.Write(b)
}

func (d *deadlineWriter) adoptBody(b []byte) {
	if !d.started {
		d.WriteHeader(http.StatusOK)
	}
	if !d.replaced {
		writeBody(d.ResponseWriter, b)
	}
}

func (d *deadlineWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }

// deadlineBody notes on the exchange when the read deadline cut the body
// off, so the answer is a 408 whoever was reading.
type deadlineBody struct {
	io.ReadCloser
	ex *exchange
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		b.ex.note(func(e *exchange) { e.bodyTimedOut = true })
	}
	return n, err
}
