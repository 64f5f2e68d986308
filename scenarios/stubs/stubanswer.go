package stubs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/fruxon/fruxon-mock/scenarios"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
)

// compiledStub is a stub ready to match requests, with its answer rendered
// once.
type compiledStub struct {
	stub    *scenarios.Stub
	path    scenarios.StubPath
	body    any // the expected body subset, strings compiled to Matchers
	status  int
	header  http.Header
	payload []byte
	problem *validator.Problem
}

func compileStub(s *scenarios.Scenario, i int, st *scenarios.Stub, v *validator.Validator) (*compiledStub, error) {
	field := fmt.Sprintf("stubs[%d]", i)
	fail := func(sub, format string, args ...any) error {
		return &scenarios.LoadError{File: s.File, Line: st.Line, Field: field + "." + sub, Msg: fmt.Sprintf(format, args...)}
	}
	c := &compiledStub{stub: st, header: http.Header{}}
	var err error
	if c.path, err = scenarios.CompileStubPath(st.Request.Path); err != nil {
		return nil, fail("request.path", "%v", err)
	}
	if st.Request.HasBody {
		if c.body, err = scenarios.CompileMatchers(st.Request.Body); err != nil {
			return nil, fail("request.body", "%v", err)
		}
	}
	switch {
	case st.Response != nil:
		c.status = st.Response.Status
		for k, val := range st.Response.Headers {
			c.header.Set(k, val)
		}
		if st.Response.HasBody {
			if c.payload, err = json.Marshal(st.Response.Body); err != nil {
				return nil, fail("response.body", "%v", err)
			}
			if c.header.Get("Content-Type") == "" {
				c.header.Set("Content-Type", "application/json")
			}
		}
	case st.Problem != nil:
		c.renderProblem(st.Problem)
	}
	if st.Fault == "" && !st.AllowViolation {
		sub := "response"
		if st.Problem != nil {
			sub = "problem"
		}
		if msg := c.contractViolation(v); msg != "" {
			return nil, &scenarios.LoadError{File: s.File, Line: st.AnswerLine, Field: field + "." + sub,
				Msg: msg + " (add allowViolation: true to answer it anyway)"}
		}
	}
	return c, nil
}

// renderProblem renders a problem the way the contract wants it: 401 and
// 403 empty (401 with WWW-Authenticate), 429 and 503 with Retry-After, a
// 400 with errors (its detail under "request" when none are given).
func (c *compiledStub) renderProblem(p *scenarios.Problem) {
	for k, val := range p.Headers {
		c.header.Set(k, val)
	}
	c.status = p.Status
	setDefault := func(k, val string) {
		if c.header.Get(k) == "" {
			c.header.Set(k, val)
		}
	}
	switch p.Status {
	case http.StatusUnauthorized:
		setDefault("WWW-Authenticate", "Bearer")
		return
	case http.StatusForbidden:
		return
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		setDefault("Retry-After", "1")
	}
	vp := &validator.Problem{Type: p.Type, Title: p.Title, Status: p.Status, Detail: p.Detail}
	if len(p.Errors) > 0 {
		vp.Errors = maps.Clone(p.Errors)
	}
	if p.Status == http.StatusBadRequest && len(vp.Errors) == 0 {
		msg := p.Detail
		if msg == "" {
			msg = p.Title
		}
		vp.Errors = map[string][]string{"request": {msg}}
	}
	c.problem = vp
	c.payload, _ = json.Marshal(vp)
	c.header.Set("Content-Type", validator.ProblemContentType)
}

// contractViolation validates the stub's answer against every operation
// its method and path can reach; "" means it keeps the contract.
func (c *compiledStub) contractViolation(v *validator.Validator) string {
	reached := 0
	for _, op := range v.Operations() {
		if m := c.stub.Request.Method; m != "" && m != op.Method {
			continue
		}
		if !c.path.Overlaps(op.Path) {
			continue
		}
		reached++
		r := httptest.NewRequest(op.Method, samplePath(op.Path), nil)
		if fs := v.ValidateResponse(r, op, c.status, c.header.Clone(), c.payload); len(fs) > 0 {
			return fmt.Sprintf("its %d answer breaks the contract of %s: %s", c.status, op.ID, fs)
		}
	}
	if reached == 0 {
		return fmt.Sprintf("%s %s reaches no operation of the API, so its answer can't be checked", methodOrAny(c.stub.Request.Method), c.stub.Request.Path)
	}
	return ""
}

func methodOrAny(m string) string {
	if m == "" {
		return "any method on"
	}
	return m
}

// samplePath fills a spec path template with a value every parameter of
// the spec accepts (a UUID also matches the id patterns).
func samplePath(tmpl string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl, '}')
		if i < 0 || j < i {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString("00000000-0000-4000-8000-000000000000")
		tmpl = tmpl[j+1:]
	}
}

// matches reports whether a request fits the stub (state and times aside).
func (c *compiledStub) matches(in *incoming) bool {
	rq := &c.stub.Request
	if rq.Method != "" && rq.Method != in.r.Method {
		return false
	}
	if !c.path.Match(in.r.URL.Path) {
		return false
	}
	for name, m := range rq.Headers {
		vals := in.r.Header.Values(name)
		var got any
		if len(vals) > 0 {
			got = vals[0]
		}
		if m.Match(got, len(vals) > 0) != "" {
			return false
		}
	}
	if len(rq.Query) > 0 {
		q := in.r.URL.Query()
		for name, m := range rq.Query {
			vals, ok := q[name]
			var got any
			if ok && len(vals) > 0 {
				got = vals[0]
			}
			if m.Match(got, ok) != "" {
				return false
			}
		}
	}
	if rq.HasBody {
		doc, ok := in.json()
		if !ok || len(scenarios.Subset("$", c.body, doc, true)) > 0 {
			return false
		}
	}
	return true
}

// answer renders a fresh Answer for one match.
func (c *compiledStub) answer(scenario string) *Answer {
	a := &Answer{
		Scenario:       scenario,
		Stub:           c.stub.Name,
		Status:         c.status,
		Header:         c.header.Clone(),
		Body:           bytes.Clone(c.payload),
		Delay:          delay(c.stub.Latency),
		Drop:           c.stub.Fault == scenarios.FaultDrop,
		AllowViolation: c.stub.AllowViolation,
	}
	if c.problem != nil {
		p := *c.problem
		p.Errors = maps.Clone(c.problem.Errors)
		a.Problem = &p
	}
	return a
}
