package fuzz

import (
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
)

// fail records a failed check. The first occurrence of a (operation,
// check, message) is shrunk and kept; repeats (the same 500 reached by
// many cases) only count.
func (f *fuzzer) fail(c *testCase, v *verdict, a *answer, stats *OpStats) {
	stats.Failed++
	f.rep.Failed++
	for _, prev := range f.rep.Failures {
		if prev.Operation == c.op.id && prev.Check == v.check && prev.first == v.message && prev.chain == c.chain {
			prev.Count++
			return
		}
	}
	first := v.message
	steps := 0
	if a != nil && !c.chain {
		c, v, a, steps = f.shrink(c, v, a)
	}
	fl := &Failure{
		Operation: c.op.id, Check: v.check, Case: c.describe(), Message: v.message,
		Curl: c.req.Curl(f.opts.Target), Seed: f.opts.Seed, Count: 1, Shrunk: steps, Request: c.req,
		first: first, chain: c.chain,
	}
	if a != nil {
		fl.Status, fl.Excerpt = a.status, f.checker.redact(excerpt(a.body))
	}
	f.rep.Failures = append(f.rep.Failures, fl)
}

// shrink looks for a smaller request that fails the same check: without
// an optional member, parameter or header, with a shorter string. A
// candidate must keep the case's nature (a valid request stays valid, an
// invalid one stays invalid) and is kept only when re-sending it fails
// again. Re-sends are bounded by MaxShrinks.
func (f *fuzzer) shrink(c *testCase, v *verdict, a *answer) (*testCase, *verdict, *answer, int) {
	budget, steps := f.opts.MaxShrinks, 0
	for budget > 0 && !f.expired() {
		progressed := false
		for _, cand := range f.candidates(c) {
			if budget <= 0 || f.expired() {
				break
			}
			n := *c
			n.req = cand
			if !f.keepsNature(&n) {
				continue
			}
			budget--
			na, hr, err := f.send(cand)
			if err != nil {
				continue
			}
			f.track(&n, na)
			if nv := f.checker.check(&n, hr, na); nv != nil && nv.check == v.check {
				c, v, a = &n, nv, na
				steps++
				progressed = true
				break
			}
		}
		if !progressed {
			break
		}
	}
	return c, v, a, steps
}

// keepsNature reports whether a shrunk request is still what the case
// says: valid for a valid case, invalid for a broken-body or parameter one.
func (f *fuzzer) keepsNature(c *testCase) bool {
	switch c.expect {
	case expectValid:
		_, invalid := f.locallyInvalid(c)
		return !invalid
	case expectField:
		_, invalid := f.locallyInvalid(c)
		return invalid
	}
	return true
}

// candidates lists one-step reductions of a case's request, biggest first.
func (f *fuzzer) candidates(c *testCase) []*Request {
	var out []*Request
	for _, p := range c.op.params {
		if p.required || p.in == "path" {
			continue
		}
		switch p.in {
		case "query":
			if c.req.Query.Has(p.name) && !slices.Contains(c.fields, p.name) {
				r := c.req.clone()
				r.Query.Del(p.name)
				out = append(out, r)
			}
		case "header":
			if c.req.Header.Get(p.name) != "" && !slices.Contains(c.fields, p.name) {
				r := c.req.clone()
				r.Header.Del(p.name)
				out = append(out, r)
			}
		}
	}
	if !c.req.HasBody || c.req.RawBody != nil || c.op.body == nil {
		return out
	}
	protect := ""
	if c.expect == expectField && len(c.fields) > 0 {
		protect = c.fields[0]
	}
	for _, m := range bodyShrinks(c.op.body, c.req.Body, nil) {
		at := validator.JSONPath(m.at)
		if protect != "" && (at == protect || strings.HasPrefix(protect, at) || (!m.remove && samePath(at, protect))) {
			continue
		}
		r := c.req.clone()
		r.Body = m.apply(c.req.Body)
		out = append(out, r)
	}
	return out
}

// bodyShrinks lists reductions of a body: optional members removed
// (outermost first), arrays cut to their first item, strings halved.
func bodyShrinks(n *node, v any, at []string) []mutation {
	var out, deeper []mutation
	child := func(seg string) []string { return append(append([]string(nil), at...), seg) }
	s := n.nonNull()
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			pn := s.prop(k)
			required := pn != nil && slices.ContainsFunc(s.props, func(p prop) bool { return p.name == k && p.required })
			if !required {
				out = append(out, mutation{at: child(k), remove: true})
			}
			if pn == nil {
				pn = s.addl
			}
			if pn != nil {
				deeper = append(deeper, bodyShrinks(pn, x[k], child(k))...)
			}
		}
	case []any:
		if len(x) > 1 {
			out = append(out, mutation{at: at, value: x[:1]})
		}
		if len(x) > 0 && s.items != nil {
			deeper = append(deeper, bodyShrinks(s.items, x[0], child("0"))...)
		}
	case string:
		if r := []rune(x); len(r) > max(s.minLen, 0) && len(r) > 1 && len(s.enum) == 0 && s.format == "" && s.re == nil {
			out = append(out, mutation{at: at, value: string(r[:max(len(r)/2, s.minLen)])})
		}
	}
	return append(out, deeper...)
}
