package mockserver

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/validator"
)

// writeJSON is the one way a JSON success body leaves the server.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var body []byte
	var err error
	if a, ok := v.(jsonAppender); ok {
		body, err = appendJSON(a)
	} else {
		body, err = json.Marshal(v)
	}
	if err != nil {
		// Our own types always marshal; reaching this is a bug worth a 500.
		writeProblem(w, &http.Request{}, validator.NewProblem(http.StatusInternalServerError, "could not encode the response"))
		return
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	writeBody(w, body) // a fresh slice (json.Marshal's, or appendJSON's copy): nothing else holds it
}

// jsonAppender is a type that writes its own JSON, exactly as json.Marshal
// would (integrations' Config and Integration, core's Page: the answers frontends poll
// and list).
type jsonAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// appendJSON writes a's JSON into a pooled scratch buffer and returns an
// exact-size copy (the journal keeps it): growing a fresh slice to a list's
// 13 KB would copy it several times over.
func appendJSON(a jsonAppender) ([]byte, error) {
	bp := scratchPool.Get().(*[]byte)
	b, err := a.AppendJSON((*bp)[:0])
	var body []byte
	if err == nil {
		body = bytes.Clone(b)
	}
	if cap(b) <= maxScratch {
		*bp = b
		scratchPool.Put(bp)
	}
	return body, err
}

// maxScratch is the largest scratch buffer the pool keeps (a page of 100
// integrations with large metadata may be bigger; it is then dropped).
const maxScratch = 64 << 10

var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// jsonContentType is the Content-Type value of every JSON answer, shared:
// a header value slice is replaced, never written in place (Header.Add
// appends past its length into a new array), and this saves an allocation
// per answer.
var jsonContentType = []string{"application/json"}

// writeResource writes a single resource with its ETag.
func writeResource(w http.ResponseWriter, etag string, v any) {
	if etag != "" {
		w.Header().Set("ETag", etag)
	}
	writeJSON(w, http.StatusOK, v)
}

// writeProblem writes an RFC 9457 body, stamping the request's trace id and
// path. 401 and 403 have empty bodies: the contract says so.
func writeProblem(w http.ResponseWriter, r *http.Request, p *validator.Problem) {
	if p.Status == http.StatusUnauthorized || p.Status == http.StatusForbidden {
		if p.Status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fruxon-mock"`)
		}
		w.WriteHeader(p.Status)
		return
	}
	if p.TraceID == "" {
		p.TraceID = traceID(r.Context())
	}
	if p.Instance == "" && r.URL != nil {
		p.Instance = publicPath(r.URL.Path)
	}
	body, _ := json.Marshal(p)
	w.Header().Set("Content-Type", validator.ProblemContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.Status)
	w.Write(body)
}

// ReasonHeader says why a 401 or 403 was answered: their bodies stay
// empty (the contract), so the reason travels here, in the log and in the
// journal's findings.
const ReasonHeader = "X-Fruxon-Mock-Reason"

// reject answers 401 or 403 with its reason in ReasonHeader and as a
// finding on the exchange (so the access log and journal carry it too).
func (s *Server) reject(w http.ResponseWriter, r *http.Request, status int, reason string) {
	w.Header().Set(ReasonHeader, reason)
	in, field := "header", "Authorization"
	if status == http.StatusForbidden {
		field = "tenant"
		in = "path"
	}
	exchangeFrom(r.Context()).note(func(e *exchange) {
		e.findings = append(e.findings, validator.Finding{In: in, Field: field, Message: reason})
		e.refused = true
	})
	writeProblem(w, r, validator.NewProblem(status, ""))
}

// writeError maps any error to its problem (core.Problem): store errors by
// kind, anything else as an internal error whose details go to the log,
// not the client.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	writeProblem(w, r, s.problemFor(r, err))
}

func (s *Server) problemFor(r *http.Request, err error) *validator.Problem {
	p, se := core.Problem(err, traceID(r.Context()))
	switch {
	case p.Status == http.StatusInternalServerError:
		s.log.ErrorContext(r.Context(), "internal error", slog.String("error", err.Error()), slog.String("traceId", traceID(r.Context())))
	case p.Status == http.StatusBadRequest:
		noteRuleFindings(r, se)
	}
	return p
}

// decodeJSON decodes a request body that request validation already
// checked against the spec; a failure here is still the client's (400).
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		return &core.Error{Kind: core.KindInvalid, Detail: "the body is not valid JSON for this operation: " + err.Error(),
			Fields: map[string][]string{"body": {err.Error()}}}
	}
	return nil
}

// noteRuleFindings puts a business-rule 400 (region: must be one of …) in
// the exchange's findings, so the log and journal show it like a schema
// finding.
func noteRuleFindings(r *http.Request, se *core.Error) {
	var fs []validator.Finding
	for _, field := range slices.Sorted(maps.Keys(se.Fields)) {
		for _, msg := range se.Fields[field] {
			fs = append(fs, validator.Finding{In: "body", Field: field, Message: msg})
		}
	}
	if len(fs) == 0 {
		fs = append(fs, validator.Finding{In: "body", Message: se.Detail})
	}
	exchangeFrom(r.Context()).note(func(e *exchange) { e.findings, e.refused = append(e.findings, fs...), true })
}

// noteWeakSecrets notes, on the exchange that stored them, secrets whose
// text can't be redacted wherever it shows ("path: why", from the store),
// and logs them; never their values.
func noteWeakSecrets(r *http.Request, weak []string) {
	if len(weak) == 0 {
		return
	}
	fs := make([]validator.Finding, len(weak))
	for i, w := range weak {
		path, why, _ := strings.Cut(w, ": ")
		fs[i] = validator.Finding{In: "body", Field: path, Message: "this secret can't be redacted wherever it shows (" + why +
			"): the journal and dashboard hide it only where the API carries secrets (auth parameters, credential headers)"}
	}
	exchangeFrom(r.Context()).note(func(e *exchange) { e.notes = append(e.notes, fs...) })
}
