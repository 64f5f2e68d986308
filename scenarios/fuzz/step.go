package fuzz

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// stepper runs the hand-ordered requests of a chain: each answer gets
// every check plus the status the workflow needs.
type stepper struct {
	f     *fuzzer
	stats *OpStats
	name  string
	ok    bool // false once a step failed: later steps would only cascade
}

// obj is a decoded JSON object answer.
type obj = map[string]any

// do sends one step. want is the status the workflow needs (0: any the
// checks accept). It returns the answer and its JSON object, or nil when
// the step failed (and was reported).
func (s *stepper) do(opID string, b binding, body any, want int, what string) (*answer, obj) {
	if !s.ok || s.f.expired() {
		s.ok = false
		return nil, nil
	}
	op := s.f.byID[opID]
	if op == nil {
		s.ok = false
		return nil, nil
	}
	req := &Request{Method: op.method, Path: s.f.fillPath(op, b), Query: url.Values{}, Header: http.Header{}}
	if want == http.StatusOK && op.method == http.MethodGet && strings.HasPrefix(opID, "list") {
		req.Query.Set("pageSize", "100")
	}
	if s.f.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.f.opts.Token)
	}
	if body != nil {
		req.Body, req.HasBody, req.ContentType = body, true, "application/json"
	}
	c := &testCase{op: op, req: req, expect: expectValid, rule: s.name + ": " + what, chain: true}
	a, hr, err := s.f.send(req)
	if err != nil {
		s.fail(c, &verdict{CheckServerError, "no answer: " + err.Error()}, nil)
		return nil, nil
	}
	s.f.track(c, a)
	if v := s.f.checker.check(c, hr, a); v != nil {
		s.fail(c, v, a)
		return nil, nil
	}
	if want != 0 && a.status != want {
		s.fail(c, &verdict{CheckState, fmt.Sprintf("%s: got %d, want %d", what, a.status, want)}, a)
		return nil, nil
	}
	s.stats.Passed++
	s.f.rep.Passed++
	s.f.progress(false)
	var o obj
	_ = json.Unmarshal(a.body, &o)
	return a, o
}

func (s *stepper) fail(c *testCase, v *verdict, a *answer) {
	s.ok = false
	s.f.fail(c, v, a, s.stats)
}

// expect reports a state check that failed after a step's request.
func (s *stepper) expect(cond bool, opID string, b binding, what string, format string, args ...any) {
	if cond || !s.ok {
		return
	}
	op := s.f.byID[opID]
	req := &Request{Method: op.method, Path: s.f.fillPath(op, b), Header: http.Header{}}
	if s.f.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.f.opts.Token)
	}
	c := &testCase{op: op, req: req, expect: expectValid, rule: s.name + ": " + what, chain: true}
	s.fail(c, &verdict{CheckState, fmt.Sprintf(format, args...)}, nil)
}

// fillPath renders an operation's path from a binding and the run's tenant.
func (f *fuzzer) fillPath(op *operation, b binding) string {
	path := op.template
	for _, name := range op.pathParams() {
		val := b[name]
		if name == "tenant" {
			val = f.opts.Tenant
		}
		path = strings.Replace(path, "{"+name+"}", escapePathValue(val), 1)
	}
	return path
}

// forget drops a resource from the end-of-run cleanup once a chain
// deleted it itself.
func (f *fuzzer) forget(opID string, b binding) {
	op := f.byID[opID]
	if op == nil {
		return
	}
	p := f.fillPath(op, b)
	f.created = slices.DeleteFunc(f.created, func(c created) bool { return c.path == p })
}

// same compares two JSON values the way they decode.
func same(a, b any) bool { return reflect.DeepEqual(jsonable(a), jsonable(b)) }
