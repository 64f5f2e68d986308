package fuzz

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// binding is a set of path-parameter values that belong together (an
// integration, one of its configs, a revision of that config, a tool).
type binding map[string]string

// pool holds the bindings of resources the run knows exist; index 0 is the
// base the setup made, which deletes never touch.
type pool []binding

// created is a resource the run made, to delete at the end.
type created struct {
	path string // escaped path of the resource
}

// positive builds a valid request for the operation.
func (f *fuzzer) positive(op *operation, r *rand.Rand, m mode) *testCase {
	g := &generator{r: r, mode: m}
	b := f.pick(op, r)
	req := &Request{Method: op.method, Query: url.Values{}, Header: http.Header{}}
	path := op.template
	for _, name := range op.pathParams() {
		val, ok := b[name]
		if name == "tenant" {
			val, ok = f.opts.Tenant, true
		}
		if !ok {
			val = scalarString(g.value(f.pathParam(op, name), 0))
			if val == "" {
				val = "x"
			}
		}
		path = strings.Replace(path, "{"+name+"}", escapePathValue(val), 1)
	}
	req.Path = path
	for _, p := range op.params {
		include := p.required || (m == modeMax && p.in == "query") || (m == modeRandom && r.IntN(3) == 0)
		if !include || p.in == "path" {
			continue
		}
		v := g.value(p.schema, 0)
		switch p.in {
		case "query":
			if arr, ok := v.([]any); ok {
				for _, e := range arr {
					req.Query.Add(p.name, scalarString(e))
				}
				continue
			}
			if v != nil {
				req.Query.Set(p.name, scalarString(v))
			}
		case "header":
			if s := scalarString(v); s != "" {
				req.Header.Set(p.name, s)
			}
		}
	}
	f.authenticate(req, r)
	if op.body != nil {
		req.HasBody, req.ContentType = true, "application/json"
		req.Body = g.value(op.body, 0)
		f.fillReferences(op, req, b, r)
	}
	if op.keyOnly && f.mcpKey != "" && r.IntN(4) != 0 {
		// The MCP key minted by the setup: its integration's endpoints
		// answer past the key check (another integration's answer 401).
		req.Header.Set("X-Api-Key", f.mcpKey)
		if op.body != nil && r.IntN(2) == 0 {
			msgs := mcpMessages(f.pool[0]["tool"])
			req.Body = msgs[r.IntN(len(msgs))]
		}
	}
	return &testCase{op: op, req: req, expect: expectValid}
}

// authenticate sets the credentials: the bearer token, or now and then the
// API key when there is one.
func (f *fuzzer) authenticate(req *Request, r *rand.Rand) {
	if f.opts.APIKey != "" && r.IntN(4) == 0 {
		req.Header.Set("X-Api-Key", f.opts.APIKey)
		return
	}
	if f.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+f.opts.Token)
	}
}

func (f *fuzzer) pathParam(op *operation, name string) *node {
	for _, p := range op.params {
		if p.in == "path" && p.name == name {
			return p.schema
		}
	}
	return &node{types: []string{"string"}, minLen: 1, maxLen: -1, maxItem: -1}
}

// pick chooses the binding whose values fill the path: mostly one that
// has every parameter the operation needs (deletes avoid the base), now
// and then none, so unknown ids get their 404s too.
func (f *fuzzer) pick(op *operation, r *rand.Rand) binding {
	need := op.pathParams()
	var fit []binding
	for i, b := range f.pool {
		if i == 0 && op.method == http.MethodDelete {
			continue
		}
		if !slices.ContainsFunc(need, func(n string) bool { _, ok := b[n]; return !ok && n != "tenant" }) {
			fit = append(fit, b)
		}
	}
	if len(fit) == 0 || r.IntN(10) == 0 {
		return binding{}
	}
	if op.method != http.MethodDelete && r.IntN(2) == 0 {
		return fit[0] // the base (or the oldest fit): the deepest state
	}
	return fit[r.IntN(len(fit))]
}

// fillReferences points body members named after a resource ("configId")
// at one the binding holds, and gives ids the run chooses its prefix.
func (f *fuzzer) fillReferences(op *operation, req *Request, b binding, r *rand.Rand) {
	body, ok := req.Body.(map[string]any)
	if !ok {
		return
	}
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	slices.Sort(keys) // map order must not reach the random stream
	for _, k := range keys {
		v := body[k]
		if stem, found := strings.CutSuffix(k, "Id"); found && stem != "" {
			if id, ok := b[stem]; ok && r.IntN(5) > 0 {
				body[k] = id
			}
		}
		if s, isStr := v.(string); k == "id" && isStr && op.method == http.MethodPost {
			body[k] = f.opts.IDPrefix + s
			if n := op.body.prop("id"); n != nil && n.nonNull().maxLen >= 0 {
				body[k] = truncateRunes(body[k].(string), n.nonNull().maxLen)
			}
		}
	}
}

// track remembers what a successful create made: as a binding for later
// requests and as something to delete at the end.
func (f *fuzzer) track(c *testCase, a *answer) {
	if a.status < 200 || a.status >= 300 {
		return
	}
	switch c.req.Method {
	case http.MethodPost:
		last := c.op.template[strings.LastIndexByte(c.op.template, '/')+1:]
		if strings.Contains(last, ":") || strings.Contains(last, "{") {
			return // a custom method (":publish") or an action on one resource
		}
		var obj struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(a.body, &obj) != nil || obj.ID == "" {
			return
		}
		name := f.itemParam(c.op.template)
		if name == "" {
			return
		}
		b := f.bindingOf(c)
		b[name] = obj.ID
		if len(f.pool) < 64 {
			f.pool = append(f.pool, b)
		}
		f.created = append(f.created, created{path: c.req.Path + "/" + escapePathValue(obj.ID)})
	case http.MethodDelete:
		segs := strings.Split(c.req.Path, "/")
		id, _ := url.PathUnescape(segs[len(segs)-1])
		f.pool = slices.DeleteFunc(f.pool, func(b binding) bool {
			return slices.ContainsFunc(mapValues(b), func(v string) bool { return v == id })
		})
	}
}

// itemParam is the parameter that names one item of a collection
// template: the {x} of an operation path "<template>/{x}".
func (f *fuzzer) itemParam(template string) string {
	for _, o := range f.opts.Validator.Operations() {
		rest, ok := strings.CutPrefix(o.Path, template+"/{")
		if ok && strings.HasSuffix(rest, "}") && !strings.ContainsAny(rest, "/:{") {
			return strings.TrimSuffix(rest, "}")
		}
	}
	return ""
}

// bindingOf recovers the path parameters a request was sent with.
func (f *fuzzer) bindingOf(c *testCase) binding {
	b := binding{}
	tsegs, psegs := strings.Split(c.op.template, "/"), strings.Split(c.req.Path, "/")
	if len(tsegs) != len(psegs) {
		return b
	}
	for i, t := range tsegs {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			v, _ := url.PathUnescape(psegs[i])
			b[t[1:len(t)-1]] = v
		}
	}
	delete(b, "tenant")
	return b
}

// cleanup deletes, newest first, everything the run created that is still
// there. It is best effort: what fails is counted, not fatal.
func (f *fuzzer) cleanup() {
	// The run's deadline may have passed; cleaning up gets its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(f.ctx), 30*time.Second)
	defer cancel()
	for i := len(f.created) - 1; i >= 0; i-- {
		req := &Request{Method: http.MethodDelete, Path: f.created[i].path, Header: http.Header{}}
		if f.opts.Token != "" {
			req.Header.Set("Authorization", "Bearer "+f.opts.Token)
		}
		hr, err := req.build(ctx, f.opts.Target)
		if err != nil {
			f.rep.Cleanup.Failed++
			continue
		}
		f.controlToken(hr)
		resp, err := f.opts.Client.Do(hr)
		if err != nil {
			f.rep.Cleanup.Failed++
			continue
		}
		resp.Body.Close()
		switch {
		case resp.StatusCode < 300:
			f.rep.Cleanup.Deleted++
		case resp.StatusCode == http.StatusNotFound:
			f.rep.Cleanup.Gone++
		default:
			f.rep.Cleanup.Failed++
			if len(f.rep.Cleanup.Left) < 20 {
				f.rep.Cleanup.Left = append(f.rep.Cleanup.Left, fmt.Sprintf("%s (%d)", f.created[i].path, resp.StatusCode))
			}
		}
	}
}

// scalarString renders a parameter value.
func scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// escapePathValue escapes a path parameter value for one segment.
func escapePathValue(s string) string { return url.PathEscape(s) }

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

func mapValues(b binding) []string {
	out := make([]string, 0, len(b))
	for _, v := range b {
		out = append(out, v)
	}
	return out
}
