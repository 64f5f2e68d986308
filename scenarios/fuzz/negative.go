package fuzz

import (
	"errors"

	"bytes"
	"github.com/pb33f/jsonschema/v6"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
)

// mutation breaks one rule of a valid body at one place.
type mutation struct {
	at     []string // JSON segments of the broken value
	rule   string
	value  any  // the replacement
	remove bool // delete the member instead
}

// bodyMutations lists every single-rule break of a valid value v of schema
// n found at the path at, in a stable order.
func bodyMutations(n *node, v any, at []string) []mutation {
	var out []mutation
	child := func(seg string) []string { return append(append([]string(nil), at...), seg) }
	if len(n.types) > 0 || len(n.oneOf) > 0 {
		if w, ok := wrongType(n); ok {
			out = append(out, mutation{at: at, rule: "wrong type", value: w})
		}
		if !n.nullable() && v != nil {
			out = append(out, mutation{at: at, rule: "null where not nullable", value: nil})
		}
	}
	s := n.nonNull()
	switch x := v.(type) {
	case string:
		if len(s.enum) > 0 {
			out = append(out, mutation{at: at, rule: "outside the enum", value: "NOT_IN_ENUM"})
			break
		}
		if s.maxLen >= 0 {
			out = append(out, mutation{at: at, rule: "one past maxLength", value: strings.Repeat("x", s.maxLen+1)})
		}
		if s.minLen > 0 {
			out = append(out, mutation{at: at, rule: "one under minLength", value: strings.Repeat("x", s.minLen-1)})
		}
		switch s.format {
		case "uuid":
			out = append(out, mutation{at: at, rule: "not a uuid", value: "not-a-uuid"})
		case "date-time":
			out = append(out, mutation{at: at, rule: "not a date-time", value: "yesterday"})
		}
		if s.re != nil && !s.re.MatchString("bad value!") {
			out = append(out, mutation{at: at, rule: "not matching the pattern", value: "bad value!"})
		}
	case int64, float64:
		if s.hasMax {
			out = append(out, mutation{at: at, rule: "one past maximum", value: s.max + 1})
		}
		if s.hasMin {
			out = append(out, mutation{at: at, rule: "one under minimum", value: s.min - 1})
		}
	case map[string]any:
		if s.closed {
			out = append(out, mutation{at: child("fuzzUnknown"), rule: "unknown property", value: "x"})
		}
		for _, p := range s.props {
			mv, present := x[p.name]
			if p.required && present {
				out = append(out, mutation{at: child(p.name), rule: "missing required member", remove: true})
			}
			if present {
				out = append(out, bodyMutations(p.n, mv, child(p.name))...)
			}
		}
	case []any:
		if len(x) > 0 && s.items != nil {
			out = append(out, bodyMutations(s.items, x[0], child("0"))...)
		}
	}
	return out
}

// wrongType is a value of a JSON type the schema does not allow.
func wrongType(n *node) (any, bool) {
	for _, c := range []struct {
		t string
		v any
	}{{"string", "fuzz"}, {"integer", int64(7)}, {"boolean", true}, {"object", map[string]any{}}, {"array", []any{}}} {
		if !n.allows(c.t) {
			return c.v, true
		}
	}
	return nil, false
}

// apply returns a copy of root with the mutation applied.
func (m mutation) apply(root any) any {
	root = deepCopy(root)
	if len(m.at) == 0 {
		return m.value
	}
	parent := root
	for _, seg := range m.at[:len(m.at)-1] {
		switch p := parent.(type) {
		case map[string]any:
			parent = p[seg]
		case []any:
			i, _ := strconv.Atoi(seg)
			parent = p[i]
		}
	}
	last := m.at[len(m.at)-1]
	switch p := parent.(type) {
	case map[string]any:
		if m.remove {
			delete(p, last)
		} else {
			p[last] = m.value
		}
	case []any:
		i, _ := strconv.Atoi(last)
		p[i] = m.value
	}
	return root
}

// paramMutations breaks one declared parameter at a time.
func paramMutations(o *operation, req *Request) []*testCase {
	var out []*testCase
	for _, p := range o.params {
		s := p.schema.nonNull()
		var bad []struct{ rule, value string }
		add := func(rule, value string) { bad = append(bad, struct{ rule, value string }{rule, value}) }
		switch {
		case len(s.enum) > 0:
			add("outside the enum", "NOT_IN_ENUM")
		case s.allows("integer") && !s.allows("string"):
			add("not an integer", "abc")
			if s.hasMax && s.max < 1<<31 {
				add("one past maximum", strconv.FormatFloat(s.max+1, 'f', -1, 64))
			}
			if s.hasMin && s.min > -(1<<31) {
				add("one under minimum", strconv.FormatFloat(s.min-1, 'f', -1, 64))
			}
		case s.allows("boolean") && !s.allows("string"):
			add("not a boolean", "maybe")
		case s.format == "uuid":
			add("not a uuid", "not-a-uuid")
		case s.re != nil:
			add("not matching the pattern", "bad value!")
		}
		for _, b := range bad {
			m := req.clone()
			switch p.in {
			case "path":
				m.Path = replaceSegment(o, m.Path, p.name, b.value)
			case "query":
				m.Query.Set(p.name, b.value)
			case "header":
				m.Header.Set(p.name, b.value)
			default:
				continue
			}
			out = append(out, &testCase{op: o, req: m, expect: expectField, rule: b.rule, fields: []string{p.name}})
		}
	}
	return out
}

// replaceSegment swaps the value of one path parameter in an escaped path.
func replaceSegment(o *operation, path, name, value string) string {
	tsegs := strings.Split(o.template, "/")
	psegs := strings.Split(path, "/")
	if len(tsegs) != len(psegs) {
		return path
	}
	for i, t := range tsegs {
		if j := strings.Index(t, "{"+name+"}"); j >= 0 {
			suffix := t[j+len(name)+2:]
			psegs[i] = t[:j] + escapePathValue(value) + suffix
		}
	}
	return strings.Join(psegs, "/")
}

// requestMutations are the rules every request with a body or auth can
// break: content type, syntax, size and credentials.
func requestMutations(o *operation, req *Request, oversize int) []*testCase {
	var out []*testCase
	if req.HasBody {
		m := req.clone()
		m.ContentType = "text/plain"
		out = append(out, &testCase{op: o, req: m, expect: expectStatus, rule: "wrong content type", allowed: []int{400, 415}})
		m = req.clone()
		m.RawBody = []byte(`{"`)
		if o.jsonrpc {
			out = append(out, &testCase{op: o, req: m, expect: expectRPCError, rule: "malformed JSON"})
		} else {
			out = append(out, &testCase{op: o, req: m, expect: expectStatus, rule: "malformed JSON", allowed: []int{400}})
		}
		if oversize > 0 {
			m = req.clone()
			m.RawBody = bytes.Join([][]byte{[]byte(`{"fuzz":"`), bytes.Repeat([]byte("x"), oversize), []byte(`"}`)}, nil)
			out = append(out, &testCase{op: o, req: m, expect: expectStatus, rule: "oversize body", allowed: []int{400, 413}})
		}
	}
	if o.declares401 {
		m := req.clone()
		m.Header.Del("Authorization")
		m.Header.Del("X-Api-Key")
		out = append(out, &testCase{op: o, req: m, expect: expectUnauthorized, rule: "missing credentials"})
		m = req.clone()
		m.Header.Del("X-Api-Key")
		m.Header.Set("Authorization", "Basic Zm9vOmJhcg==")
		out = append(out, &testCase{op: o, req: m, expect: expectUnauthorized, rule: "malformed credentials (Basic)"})
	}
	return out
}

// negatives builds the one-rule-broken variants of a valid case: body,
// parameters and, when all is set, the request-level ones too. Body and
// parameter variants are kept only when the validator confirms they break
// the contract, and the fields it names join the expected ones.
func (f *fuzzer) negatives(c *testCase, r *rand.Rand, all bool, limit int) []*testCase {
	var cands []*testCase
	if c.req.HasBody && c.op.body != nil {
		for _, m := range bodyMutations(c.op.body, c.req.Body, nil) {
			nr := c.req.clone()
			nr.Body = m.apply(c.req.Body)
			tc := &testCase{op: c.op, req: nr, expect: expectField, rule: m.rule, fields: []string{fieldKey(m.at)}}
			if c.op.jsonrpc {
				tc.expect = expectRPCError
			}
			cands = append(cands, tc)
		}
	}
	cands = append(cands, paramMutations(c.op, c.req)...)
	if limit >= 0 && len(cands) > limit {
		r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		cands = cands[:limit]
	}
	var out []*testCase
	for _, n := range cands {
		keys, invalid := f.locallyInvalid(n)
		if !invalid {
			continue
		}
		n.fields = append(n.fields, keys...)
		n.baseStatus = c.baseStatus
		out = append(out, n)
	}
	if all {
		for _, n := range requestMutations(c.op, c.req, f.opts.OversizeBytes) {
			n.baseStatus = c.baseStatus
			out = append(out, n)
		}
	}
	return out
}

// locallyInvalid validates a request against the spec on this side: the
// fields the validator names, and whether it is invalid at all. A JSON
// body is checked first against its compiled schema (the library's own
// error path re-reads the body as YAML for line numbers, which the fuzzer
// doesn't need); only a valid body goes on to the whole-request check.
func (f *fuzzer) locallyInvalid(c *testCase) ([]string, bool) {
	if c.req.HasBody && c.req.RawBody == nil && c.req.ContentType == "application/json" {
		if sch := c.op.bodySchema(); sch != nil {
			if err := sch.Validate(jsonable(c.req.Body)); err != nil {
				var ve *jsonschema.ValidationError
				if !errors.As(err, &ve) {
					return nil, true
				}
				var keys []string
				for _, v := range validator.SchemaViolations(ve) {
					if k := fieldKey(v.At); !slices.Contains(keys, k) {
						keys = append(keys, k)
					}
				}
				slices.Sort(keys)
				return keys, true
			}
		}
	}
	hr, err := c.req.build(f.ctx, "http://fuzz.invalid")
	if err != nil {
		return nil, false
	}
	hr.Header.Set("Content-Type", c.req.ContentType)
	fs := f.opts.Validator.ValidateRequest(hr, c.op.op)
	if len(fs) == 0 {
		return nil, false
	}
	var keys []string
	for k := range fs.Errors() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, true
}

// fieldKey is the errors key a problem uses for a body location: its JSON
// path, or "body" for the body as a whole.
func fieldKey(at []string) string {
	if len(at) == 0 {
		return "body"
	}
	return validator.JSONPath(at)
}
