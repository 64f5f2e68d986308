package mockserver

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/journal"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// exchange is what the middleware learns about one request, shared down
// the chain through the context and read back by the access log.
type exchange struct {
	traceID string
	// route and routeVals are fastRouter's match, set before the
	// operation's handler runs and only read after: what pathVar reads.
	route     *fastRoute
	routeVals routeVals
	mu        sync.Mutex
	// guards the fields below
	tenant    string
	operation string
	findings  []validator.Finding
	violation bool
	// refused: the request's findings explain a refusal the contract
	// declares (auth, a business rule), not a request that breaks it.
	refused bool
	// notes are findings that break nothing (a weak secret stored).
	notes    []validator.Finding
	scenario string
	subject  string
	// allowViolation: a scenario stub may break the contract on purpose.
	allowViolation bool
	// bodyTooLarge: reading the body hit its cap (bodyLimit), which
	// limited enforces; bodyLimit is 0 until the route set it.
	bodyTooLarge bool
	limited      *limitedBody
	bodyLimit    int64
	// bodyTimedOut: the body read deadline (guard.go) cut the body off.
	bodyTimedOut bool
	// sessionID is the session the request named; session is it, for an
	// Integrations API request; sessionNote says why it was created.
	sessionID   string
	session     *session
	sessionNote string
	// capture is what verification may compare (body, headers), secrets
	// reduced to digests; nil when not taken. It is taken only when the
	// exchange is not kept: wire is the kept exchange (nil when not),
	// set before the inner layers run.
	capture *journal.Capture
	wire    *journal.Exchange
	// apiOp is the Integrations API operation the request was routed to
	// (nil for the control plane), and run a tool run's routing: what
	// coverage counts.
	apiOp *validator.Operation
	run   *coverage.Run
	// forced: Prefer or a scenario stub answered (scripted.go).
	forced bool
	// example: the operation has no behaviour in the mock, and its spec
	// example answered (fallback.go).
	example bool
}

func (e *exchange) note(f func(e *exchange)) {
	e.mu.Lock()
	f(e)
	e.mu.Unlock()
}

type exchangeKey struct{}

func exchangeFrom(ctx context.Context) *exchange {
	if e, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		return e
	}
	return &exchange{}
}

func traceID(ctx context.Context) string { return exchangeFrom(ctx).traceID }

// newTraceID is 128 random bits in hex. A trace id only has to be unique,
// not unguessable: the runtime's per-thread generator serves, without a
// system call or more than the string's own allocation.
func newTraceID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	var out [32]byte
	hex.Encode(out[:], b[:])
	return string(out[:])
}

// withRecover turns a panic into a 500 problem with the trace id, logging
// the panic and its stack. It is the outermost layer.
// It also creates the request's exchange record, so the trace id the next
// layer assigns is visible here too.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), exchangeKey{}, &exchange{}))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", slog.String("traceId", traceID(r.Context())),
					slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				writeProblem(w, r, validator.NewProblem(http.StatusInternalServerError,
					"an internal error occurred; see the server log for trace "+traceID(r.Context())))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withTrace gives each request a trace id (an incoming X-Request-Id or
// traceparent is reused) and echoes it in X-Trace-Id.
func withTrace(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if tp := r.Header.Get("traceparent"); id == "" && len(tp) >= 35 {
			id = tp[3:35]
		}
		if id == "" || len(id) > 64 || strings.ContainsAny(id, " \r\n") {
			id = newTraceID()
		}
		w.Header().Set("X-Trace-Id", id)
		if ex, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
			ex.traceID = id // set before any other goroutine can see ex
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, &exchange{traceID: id})))
	})
}

// statusWriter records the status and size of what passed through.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
	// body keeps the start of what was written, for the journal's
	// detail view; nil when not kept.
	body *journal.Body
	// copyHeaders: the exchange kept for the journal holds copies of the
	// header maps (see fromServer), decided once in startWire.
	copyHeaders bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	if w.body != nil {
		keepBody(w.body, b[:n])
	}
	return n, err
}

// adoptBody writes a body nobody modifies afterwards; the journal keeps
// the slice itself rather than a copy of its start.
func (w *statusWriter) adoptBody(b []byte) {
	if w.body == nil || len(w.body.Bytes) > 0 || w.body.Size > 0 {
		w.Write(b)
		return
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, _ := w.ResponseWriter.Write(b)
	w.bytes += n
	w.body.Size = int64(n)
	w.body.Bytes = b[:min(n, journal.MaxBody):min(n, journal.MaxBody)]
	w.body.Truncated = w.body.Size > int64(len(w.body.Bytes))
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Entry is what the server tells an observer about a finished exchange; the
// journal and the access log are built from it. What it exports never holds
// a header value or a body, so it can't carry a secret.
type Entry struct {
	Time      time.Time
	TraceID   string
	Method    string
	Path      string
	Status    int
	Duration  time.Duration
	Tenant    string
	Operation string
	Findings  []validator.Finding
	Violation bool
	// Refused says the request-side Findings explain a refusal the
	// contract declares (a 401 or 403 reason, a business rule's 400): the
	// request kept the contract and the answer says so.
	Refused bool
	// Notes break nothing but are worth knowing (a stored secret too
	// short or too common to be redacted wherever it shows).
	Notes      []validator.Finding
	Scenario   string
	BytesWrote int
	// Session is the session the request named ("" for none);
	// SessionNote says when the request created it, and why.
	Session     string
	SessionNote string
	// Example says the operation has no behaviour in the mock and the
	// spec's example answered it (fallback.go).
	Example bool
	// Capture is what POST /_mock/verify compares, secrets digested, when
	// exchanges are not kept (Config.NoExchangeCapture); nil otherwise, and
	// verification reads the kept exchange.
	Capture *journal.Capture
	// wire is the raw exchange for the journal's detail view, secrets in
	// the clear: unexported, so Config.Observe never sees it.
	wire *journal.Exchange
}

// withAccessLog logs one line per request and hands the entry to the
// configured observer.
func (s *Server) withAccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		wire := s.startWire(r, sw)
		if ex, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
			ex.wire = wire // before any other goroutine can see ex
		}
		next.ServeHTTP(sw, r)
		finishWire(r, sw, wire)
		ex := exchangeFrom(r.Context())
		ex.mu.Lock()
		e := Entry{
			Time: start, TraceID: ex.traceID, Method: r.Method, Path: publicPath(r.URL.Path),
			Status: sw.status, Duration: time.Since(start), Tenant: ex.tenant,
			Operation: ex.operation, Findings: ex.findings, Violation: ex.violation, Refused: ex.refused,
			Notes: ex.notes, Scenario: ex.scenario, BytesWrote: sw.bytes,
			Session: ex.sessionID, SessionNote: ex.sessionNote, Example: ex.example, Capture: ex.capture, wire: wire,
		}
		apiOp, run, forced := ex.apiOp, ex.run, ex.forced
		ex.mu.Unlock()
		if e.Status == 0 {
			e.Status = http.StatusOK
		}
		if apiOp != nil {
			s.countCoverage(e.Session, apiOp, e.Status, run, forced)
		}
		level := slog.LevelInfo
		if e.Status >= 500 || e.Violation || len(e.Notes) > 0 {
			level = slog.LevelWarn
		}
		if h := s.log.Handler(); h.Enabled(r.Context(), level) {
			s.logAccess(r, h, level, e)
		}
		if s.observe != nil {
			s.observe(e)
		}
	})
}

// logAccess writes the access log line of e to h. The record goes to the
// handler directly: Logger.LogAttrs would look up its caller's program
// counter on every request, for a source nobody reads of this line.
func (s *Server) logAccess(r *http.Request, h slog.Handler, level slog.Level, e Entry) {
	rec := slog.NewRecord(time.Now(), level, "request", 0)
	rec.AddAttrs(
		slog.String("method", e.Method), slog.String("path", e.Path), slog.Int("status", e.Status),
		slog.Duration("duration", e.Duration), slog.String("traceId", e.TraceID),
	)
	if e.Operation != "" {
		rec.AddAttrs(slog.String("operation", e.Operation))
	}
	if e.Session != "" {
		rec.AddAttrs(slog.String("session", e.Session))
	}
	if e.Example {
		rec.AddAttrs(slog.String("answer", "example"))
	}
	if len(e.Findings) > 0 {
		rec.AddAttrs(slog.String("findings", validator.Findings(e.Findings).String()))
	}
	if len(e.Notes) > 0 {
		rec.AddAttrs(slog.String("notes", validator.Findings(e.Notes).String()))
	}
	h.Handle(r.Context(), rec)
}

// withBodyLimit caps request bodies; reading past the cap fails, and the
// validation layer turns that into a 413 problem. A body announced over the
// cap is refused only by what reads it: an operation that takes no body
// ignores it, rather than answering a 413 it does not declare.
func (s *Server) withBodyLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex := exchangeFrom(r.Context())
		if r.ContentLength > s.cfg.MaxBody+s.maxUpload {
			// Fail the first read at once: nothing is read to learn what
			// the announced length already says (no operation takes it).
			r.Body = &limitedBody{ReadCloser: tooLargeBody{r.Body, s.cfg.MaxBody}, ex: ex}
		} else if r.Body != nil && r.Body != http.NoBody {
			lb := &limitedBody{ReadCloser: r.Body, ex: ex}
			lb.limit.Store(s.cfg.MaxBody)
			r.Body = lb
			ex.limited = lb // the operation may raise the cap (bodyLimit)
		}
		next.ServeHTTP(w, r)
	})
}

// bodyLimit is op's request body cap: --max-body, plus the upload limit the
// operation's documentation states (assets:file's 50 MB), so an upload is
// held to its own limit and the rest of the form to the usual one. It
// raises the cap of the request's body to match.
func (s *Server) bodyLimit(r *http.Request, op *validator.Operation) int64 {
	limit := s.cfg.MaxBody + op.MaxUpload()
	ex := exchangeFrom(r.Context())
	ex.note(func(e *exchange) {
		e.bodyLimit = limit
		if e.limited != nil {
			e.limited.limit.Store(limit)
		}
	})
	return limit
}

// tooLargeBody is a body whose announced length is over the cap: every
// read fails as http.MaxBytesReader's would past the cap.
type tooLargeBody struct {
	io.ReadCloser
	limit int64
}

func (b tooLargeBody) Read([]byte) (int, error) {
	return 0, &http.MaxBytesError{Limit: b.limit}
}

// limitedBody caps a body at limit bytes, as http.MaxBytesReader does, and
// notes on the exchange when the body goes past it, so the answer is a 413
// whoever was reading (the validator, a handler, the scenario engine) and
// whatever it made of the error. The operation's route may raise limit
// before anything reads (Server.bodyLimit).
type limitedBody struct {
	io.ReadCloser
	ex    *exchange
	limit atomic.Int64
	n     int64 // bytes read so far
	err   error // sticky, once past the limit
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	limit := b.limit.Load()
	if len(p) == 0 {
		return 0, nil
	}
	// Read one byte more than may be left, to tell "exactly at the limit"
	// from "past it".
	if left := limit - b.n + 1; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := b.ReadCloser.Read(p)
	if int64(n) <= limit-b.n {
		b.n += int64(n)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			b.ex.note(func(e *exchange) { e.bodyTooLarge = true })
		}
		return n, err
	}
	n = int(limit - b.n)
	b.n = limit
	b.err = &http.MaxBytesError{Limit: limit}
	b.ex.note(func(e *exchange) { e.bodyTooLarge = true })
	return n, b.err
}
