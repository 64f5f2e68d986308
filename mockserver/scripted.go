package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/validator"
)

// scripted answers a request from a scenario stub or from the spec's
// documented example (Prefer: code=NNN), before auth and request
// validation, so a frontend can reach any answer on demand. It reports
// whether it answered. The answer is still validated by the caller.
// Its answers are forced: they say so in scenarios.ForcedHeader and
// coverage counts them apart.
func (s *Server) scripted(w http.ResponseWriter, r *http.Request, op *validator.Operation) (*recorder, bool) {
	if a, handled := s.stubAnswer(w, r); handled {
		return forced(r, a, "stub"), true
	}
	prefer := r.Header.Get("Prefer")
	if code, example, ok := scenarios.Prefer(prefer); ok {
		return forced(r, s.preferAnswer(r, op, code, example), "prefer"), true
	}
	if bad := badPreferCode(prefer); bad != "" {
		rec := newRecorder()
		p := validator.NewProblem(http.StatusBadRequest, fmt.Sprintf("the Prefer header asks for code=%s, which is not a status code (100-599)", bad))
		p.Title = "One or more validation errors occurred."
		p.Errors = map[string][]string{"Prefer": {fmt.Sprintf("code=%s is not a status code between 100 and 599", bad)}}
		writeProblem(rec, r, p)
		return forced(r, rec, "prefer"), true
	}
	return nil, false
}

// forced marks a scripted answer (nil: a dropped connection) and its
// exchange as forced by how ("prefer" or "stub").
func forced(r *http.Request, rec *recorder, how string) *recorder {
	exchangeFrom(r.Context()).note(func(e *exchange) { e.forced = true })
	if rec != nil {
		rec.header.Set(scenarios.ForcedHeader, how)
	}
	return rec
}

// stubAnswer consults the scenario engine. A dropped connection is written
// straight to w (there is nothing to validate); anything else is returned
// recorded. An unknown name in X-Fruxon-Mock-Scenario is the client's
// mistake: a 400 naming the header.
func (s *Server) stubAnswer(w http.ResponseWriter, r *http.Request) (*recorder, bool) {
	engine := s.scenarios.Load()
	if engine == nil {
		return nil, false
	}
	requested := requestedScenarios(r)
	for _, name := range requested {
		if !engine.Has(name) {
			rec := newRecorder()
			p := validator.NewProblem(http.StatusBadRequest, fmt.Sprintf("no scenario is named %q", name))
			p.Title = "One or more validation errors occurred."
			p.Errors = map[string][]string{scenarios.ScenarioHeader: {fmt.Sprintf("no scenario is named %q (see GET /_mock/scenarios)", name)}}
			writeProblem(rec, r, p)
			return rec, true
		}
	}
	if !engine.Applies(requested) {
		return nil, false
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			rec := newRecorder()
			writeProblem(rec, r, validator.NewProblem(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("the request body exceeds the %d-byte limit", s.cfg.MaxBody)))
			return rec, true
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	a := engine.Match(r, body, sessionIDOf(r), requested)
	if a == nil {
		return nil, false
	}
	ex := exchangeFrom(r.Context())
	ex.note(func(e *exchange) { e.scenario, e.allowViolation = a.Scenario, a.AllowViolation })
	if a.Delay > 0 {
		select {
		case <-time.After(a.Delay):
		case <-r.Context().Done():
			return nil, true
		}
	}
	if a.Drop {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
			return nil, true
		}
		panic(http.ErrAbortHandler) // net/http closes the connection
	}
	rec := newRecorder()
	if a.Problem != nil {
		for k, v := range a.Header {
			rec.header[k] = v
		}
		writeProblem(rec, r, a.Problem)
		return rec, true
	}
	for k, v := range a.Header {
		rec.header[k] = v
	}
	if len(a.Body) > 0 {
		rec.header.Set("Content-Length", strconv.Itoa(len(a.Body)))
	}
	rec.WriteHeader(a.Status)
	rec.Write(a.Body)
	return rec, true
}

// requestedScenarios lists the scenario names of X-Fruxon-Mock-Scenario
// (comma-separated or repeated), in header order, unchecked.
func requestedScenarios(r *http.Request) []string {
	var names []string
	for _, v := range r.Header.Values(scenarios.ScenarioHeader) {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				names = append(names, name)
			}
		}
	}
	return names
}

// preferAnswer serves the spec's documented response for a status code
// (Prism's "Prefer: code=404, example=name" convention; code 0 is the
// operation's success status).
func (s *Server) preferAnswer(r *http.Request, op *validator.Operation, code int, example string) *recorder {
	rec := newRecorder()
	if code == 0 {
		code = successStatus(op)
	}
	ct, body, header, ok := op.Example(code, example)
	if !ok {
		writeProblem(rec, r, preferProblem(op, code, example))
		return rec
	}
	for k, v := range header {
		rec.header[k] = v
	}
	if strings.Contains(ct, "problem+json") {
		body = stampProblem(r, body)
	}
	if len(body) > 0 {
		rec.header.Set("Content-Type", ct)
		rec.header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	rec.WriteHeader(code)
	rec.Write(body)
	return rec
}

// preferProblem is the 400 for a Prefer the spec has no answer for: it
// names what the spec does document, statuses or example names.
func preferProblem(op *validator.Operation, code int, example string) *validator.Problem {
	names, declared := op.ExampleNames(code)
	var detail, advice string
	switch {
	case !declared:
		statuses := make([]string, 0, len(op.DeclaredStatuses()))
		for _, st := range op.DeclaredStatuses() {
			statuses = append(statuses, strconv.Itoa(st))
		}
		detail = fmt.Sprintf("%s documents no %d response", op.ID, code)
		advice = fmt.Sprintf("code=%d is not documented for %s; its statuses: %s", code, op.ID, strings.Join(statuses, ", "))
	case len(names) == 0:
		detail = fmt.Sprintf("%s's %d response has no example %q", op.ID, code, example)
		advice = fmt.Sprintf("example=%s: the %d response has no named examples; send Prefer: code=%d alone", example, code, code)
	default:
		detail = fmt.Sprintf("%s's %d response has no example %q", op.ID, code, example)
		advice = fmt.Sprintf("example=%s: the %d response's examples are %s", example, code, strings.Join(names, ", "))
	}
	p := validator.NewProblem(http.StatusBadRequest, detail)
	p.Title = "One or more validation errors occurred."
	p.Errors = map[string][]string{"Prefer": {advice}}
	return p
}

// successStatus is the lowest 2xx status op documents (200 when none).
func successStatus(op *validator.Operation) int {
	for _, st := range op.DeclaredStatuses() {
		if st >= 200 && st < 300 {
			return st
		}
	}
	return http.StatusOK
}

// badPreferCode returns the value of a Prefer code= that is not a status
// code ("abc", "99"), or "" when there is none or it is fine.
func badPreferCode(prefer string) string {
	for _, part := range strings.FieldsFunc(prefer, func(r rune) bool { return r == ',' || r == ';' }) {
		name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(strings.TrimSpace(name), "code") {
			value = strings.Trim(strings.TrimSpace(value), `"`)
			if n, err := strconv.Atoi(value); err != nil || n < 100 || n > 599 {
				return strconv.Quote(value)
			}
		}
	}
	return ""
}

// stampProblem gives a documented problem example this request's instance
// and traceId (the one in X-Trace-Id), as a real error would carry.
func stampProblem(r *http.Request, body []byte) []byte {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil || doc == nil {
		return body
	}
	doc["instance"], _ = json.Marshal(publicPath(r.URL.Path))
	doc["traceId"], _ = json.Marshal(traceID(r.Context()))
	out, err := json.Marshal(doc)
	if err != nil {
		return body
	}
	return out
}

// scenarioVendorStubs are the vendor stubs of the scenarios that apply to
// the request (named in X-Fruxon-Mock-Scenario, then active ones), for the
// router to try before the fixtures'. Unknown names were already answered
// 400 by stubAnswer.
func (s *Server) scenarioVendorStubs(r *http.Request) []sandboxroute.VendorStub {
	engine := s.scenarios.Load()
	if engine == nil {
		return nil
	}
	list := engine.VendorStubs(requestedScenarios(r))
	if len(list) == 0 {
		return nil
	}
	out := make([]sandboxroute.VendorStub, 0, len(list))
	for _, vs := range list {
		out = append(out, sandboxroute.VendorStub{
			Tenant: vs.Tenant, Integration: vs.Integration, Tool: vs.Tool, Route: sandboxroute.Route(vs.Route),
			Response: sandboxroute.StubResponse{Status: vs.Status, Headers: vs.Headers, Body: vs.Body},
		})
	}
	return out
}
