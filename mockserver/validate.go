package mockserver

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/fruxon/fruxon-mock/mockserver/jsondepth"
	"github.com/fruxon/fruxon-mock/validator"
)

// ResponseValidation is what happens when an answer breaks the contract.
type ResponseValidation string

// Response validation modes.
const (
	// ValidateStrict replaces a violating answer with a 500 problem that
	// names the violation.
	ValidateStrict ResponseValidation = "strict"
	// ValidateWarn sends the answer with an X-Fruxon-Mock-Violation header.
	ValidateWarn ResponseValidation = "warn"
	// ValidateOff skips response validation.
	ValidateOff ResponseValidation = "off"
)

// ViolationHeader carries a warn-mode violation to the client.
const ViolationHeader = "X-Fruxon-Mock-Violation"

// recorder buffers a response so it can be validated before it leaves.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	// owned is a whole body handed over by adoptBody, kept instead of
	// copied into body.
	owned []byte
}

// bodyAdopter is a ResponseWriter that takes a whole body its caller
// never touches again, so it may keep the slice instead of a copy.
type bodyAdopter interface {
	adoptBody(b []byte)
}

// writeBody writes b, a body nothing will modify afterwards, to w.
func writeBody(w http.ResponseWriter, b []byte) {
	if a, ok := w.(bodyAdopter); ok {
		a.adoptBody(b)
		return
	}
	w.Write(b)
}

func (r *recorder) adoptBody(b []byte) {
	if r.body.Len() > 0 || r.owned != nil {
		r.Write(b)
		return
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.owned = b
}

// bytes is the body recorded so far.
func (r *recorder) bytes() []byte {
	if r.owned != nil {
		return r.owned
	}
	return r.body.Bytes()
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

// recorders are reused: a recorder's header map and body buffer are most
// of what an answer allocates besides its own bytes.
var recorders = sync.Pool{New: func() any { return newRecorder() }}

// maxPooledBody is the largest body buffer a recorder goes back to the
// pool with; a larger one (a long list) is left to the collector.
const maxPooledBody = 64 << 10

// release returns r to the pool once nothing reads it any more: flush
// has copied its header values (slices the map no longer holds after
// clear) and body bytes out.
func (r *recorder) release() {
	if r.body.Cap() > maxPooledBody {
		return
	}
	clear(r.header)
	r.status = 0
	r.body.Reset()
	r.owned = nil
	recorders.Put(r)
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.owned != nil {
		r.body.Write(r.owned)
		r.owned = nil
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// flush copies the buffered answer to w.
func (r *recorder) flush(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	if r.owned != nil {
		writeBody(w, r.owned)
		return
	}
	w.Write(r.body.Bytes())
}

// validated wraps an operation's handler: scripted answers (scenario stubs,
// Prefer), authentication, request validation, the handler, then response
// validation of whatever the inner layers answered (401s and 400s too).
func (s *Server) validated(v *validator.Validator, op *validator.Operation, authed bool, h http.HandlerFunc) http.Handler {
	inner := func(w http.ResponseWriter, r *http.Request) {
		// An anonymous operation takes no credentials; one whose only
		// credential is its own key (mcp:call, mcp:test) checks it itself.
		if authed && !op.Anonymous() && !op.OwnKeyOnly() {
			if rej := s.authenticate(r, pathVar(r, "tenant")); rej != nil {
				s.reject(w, r, rej.status, rej.reason)
				return
			}
		}
		limit := jsondepth.Max
		if v != s.api {
			limit = controlDepth
		}
		// Only an operation that reads a body (they all declare 415) looks
		// at one: a body sent to any other is ignored, not refused with a
		// status that operation does not declare.
		if op.Declares(http.StatusUnsupportedMediaType) {
			if limit := s.bodyLimit(r, op); r.ContentLength > limit {
				writeProblem(w, r, validator.NewProblem(http.StatusRequestEntityTooLarge,
					fmt.Sprintf("the request body is %d bytes; the limit is %d", r.ContentLength, limit)))
				return
			}
			if p := badCharset(r); p != nil {
				writeProblem(w, r, p)
				return
			}
			if p := s.tooDeep(r, limit); p != nil {
				writeProblem(w, r, p)
				return
			}
		}
		if fs := v.ValidateRequest(r, op); len(fs) > 0 {
			adviseMediaType(r, op, fs)
			exchangeFrom(r.Context()).note(func(e *exchange) { e.findings = append(e.findings, fs...) })
			if op.JSONRPC() && fs.BodyOnly() {
				// mcp:call and mcp:test answer a body that isn't JSON, or
				// isn't a JSON-RPC envelope, in JSON-RPC (-32700, -32600),
				// as an MCP client expects; the journal keeps the findings.
				h(w, r)
				return
			}
			p := s.requestProblem(r, fs)
			if p.Status == http.StatusUnsupportedMediaType && !op.Declares(p.Status) && op.Declares(http.StatusBadRequest) {
				// An operation that declares no 415 (receiveWebhook, whose
				// body is optional) answers a content type it can't take
				// with its declared 400, the field under "content-type".
				p.Status, p.Title = http.StatusBadRequest, "One or more validation errors occurred."
			}
			writeProblem(w, r, p)
			return
		}
		h(w, r)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tenant := pathVar(r, "tenant")
		exchangeFrom(r.Context()).note(func(e *exchange) {
			e.operation, e.tenant = op.ID, tenant
			if v == s.api {
				e.apiOp = op
			}
		})
		if authed {
			if ex := exchangeFrom(r.Context()); ex.wire == nil {
				capt := startCapture(r)
				defer s.finishCapture(r, capt)
			}
			if !s.enterSession(w, r, tenant) {
				return
			}
			if rec, ok := s.scripted(w, r, op); ok {
				if rec != nil {
					s.respond(w, r, v, op, rec)
				}
				return
			}
		}
		if s.cfg.ValidateResponses == ValidateOff {
			inner(w, r)
			return
		}
		rec := recorders.Get().(*recorder)
		inner(rec, r)
		s.respond(w, r, v, op, rec)
		rec.release()
	})
}

// adviseMediaType rewrites a finding on the request's Content-Type to say
// what to send: the library's words only name what was sent ("the content
// type 'application/x-www-form-urlencoded' … is an unknown type", what a
// plain curl -d gets).
func adviseMediaType(r *http.Request, op *validator.Operation, fs validator.Findings) {
	accepted := op.RequestMediaTypes()
	if len(accepted) == 0 {
		return
	}
	send := "send Content-Type: " + strings.Join(accepted, " or ")
	for i := range fs {
		if fs[i].In != "content-type" {
			continue
		}
		if ct := r.Header.Get("Content-Type"); ct != "" {
			fs[i].Message = fmt.Sprintf("%q is not a media type %s takes: %s", ct, op.ID, send)
		} else {
			fs[i].Message = "is missing: " + send
		}
	}
}

// requestProblem answers request findings; a body over the size limit is
// a 413 whatever the validator made of the cut-off read.
func (s *Server) requestProblem(r *http.Request, fs validator.Findings) *validator.Problem {
	tooLarge, limit := false, s.cfg.MaxBody
	exchangeFrom(r.Context()).note(func(e *exchange) {
		tooLarge = e.bodyTooLarge
		if e.bodyLimit > 0 {
			limit = e.bodyLimit
		}
	})
	if tooLarge {
		return validator.NewProblem(http.StatusRequestEntityTooLarge,
			fmt.Sprintf("the request body exceeds the %d-byte limit", limit))
	}
	if fs.Internal() {
		s.log.ErrorContext(r.Context(), "the spec could not validate a request", "findings", fs.String(), "traceId", traceID(r.Context()))
	}
	return fs.Problem()
}

// respond sends a recorded answer after validating it per the
// --validate-responses mode.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, v *validator.Validator, op *validator.Operation, rec *recorder) {
	if s.cfg.ValidateResponses == ValidateOff {
		rec.flush(w)
		return
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	fs := v.ValidateResponse(r, op, status, rec.header, rec.bytes())
	if len(fs) == 0 {
		rec.flush(w)
		return
	}
	ex := exchangeFrom(r.Context())
	allowed := false
	ex.note(func(e *exchange) {
		e.findings = append(e.findings, fs...)
		e.violation = true
		allowed = e.allowViolation
	})
	s.log.WarnContext(r.Context(), "response violates the contract",
		"operation", op.ID, "status", status, "findings", fs.String(), "traceId", traceID(r.Context()), "allowedByScenario", allowed)
	// A stub that says allowViolation: true gets its answer out, flagged.
	if s.cfg.ValidateResponses == ValidateWarn || allowed {
		rec.header.Set(ViolationHeader, headerSafe(fs.String()))
		rec.flush(w)
		return
	}
	p := validator.NewProblem(http.StatusInternalServerError,
		"the mock's "+strconv.Itoa(status)+" answer to "+op.ID+" violates the contract: "+fs.String())
	p.Title = "Response validation failed"
	p.Errors = fs.Errors()
	for k := range rec.header {
		delete(rec.header, k)
	}
	out := newRecorder()
	writeProblem(out, r, p)
	out.flush(w)
}

// headerSafe keeps a header value on one printable line of bounded size.
func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return ' '
		}
		return r
	}, s)
	if len(s) > 1024 {
		s = s[:1024]
	}
	return s
}
