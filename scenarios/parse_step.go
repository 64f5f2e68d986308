package scenarios

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	stepKeys        = []string{"name", "request", "expect", "capture"}
	stepRequestKeys = []string{"method", "path", "headers", "query", "body", "rawBody", "multipart", "auth"}
	formPartKeys    = []string{"name", "value", "fileName", "contentType"}
	expectKeys      = []string{"status", "error", "headers", "body", "emptyBody", "jsonPath", "noSecretEchoed", "minDuration", "maxDuration"}
)

func (p *parser) step(n *yaml.Node, field string, c *checker) (*Step, error) {
	o, err := p.object(n, field, stepKeys...)
	if err != nil {
		return nil, err
	}
	if err := p.require(o, "request"); err != nil {
		return nil, err
	}
	st := &Step{Line: o.n.Line}
	if o.has("name") {
		if st.Name, err = p.text(o.get("name"), o.at("name")); err != nil {
			return nil, err
		}
		if st.Name == "" {
			return nil, p.errf(o.get("name"), o.at("name"), "must not be empty")
		}
	}
	if st.Request, err = p.stepRequest(o.get("request"), o.at("request"), c); err != nil {
		return nil, err
	}
	if o.has("expect") {
		if st.Expect, err = p.expect(o.get("expect"), o.at("expect"), c); err != nil {
			return nil, err
		}
	}
	if o.has("capture") {
		if st.Capture, err = p.capture(o.get("capture"), o.at("capture")); err != nil {
			return nil, err
		}
		if st.Expect.Error {
			return nil, p.errf(o.keyLine("capture"), o.at("capture"), "a step that expects a transport error has nothing to capture")
		}
		for _, cp := range st.Capture {
			c.defined[cp.Var] = true
		}
	}
	return st, nil
}

func (p *parser) stepRequest(n *yaml.Node, field string, c *checker) (StepRequest, error) {
	var r StepRequest
	o, err := p.object(n, field, stepRequestKeys...)
	if err != nil {
		return r, err
	}
	if err := p.require(o, "method", "path"); err != nil {
		return r, err
	}
	if r.Method, err = p.text(o.get("method"), o.at("method")); err != nil {
		return r, err
	}
	if !methodPattern.MatchString(r.Method) {
		return r, p.errf(o.get("method"), o.at("method"), "must be an upper-case HTTP method such as GET")
	}
	if r.Path, err = c.string(o.get("path"), o.at("path")); err != nil {
		return r, err
	}
	if !strings.HasPrefix(r.Path, "/") {
		return r, p.errf(o.get("path"), o.at("path"), "must start with /")
	}
	if strings.ContainsAny(r.Path, "?#") {
		return r, p.errf(o.get("path"), o.at("path"), "must not hold a query or fragment; use query:")
	}
	if o.has("headers") {
		var nodes map[string]*yaml.Node
		if r.Headers, nodes, err = p.stringMap(o.get("headers"), o.at("headers")); err != nil {
			return r, err
		}
		ho, _ := p.object(o.get("headers"), o.at("headers"))
		for _, k := range ho.keys {
			if err := c.visit(r.Headers[k], nodes[k], ho.at(k)); err != nil {
				return r, err
			}
		}
	}
	if o.has("query") {
		if r.Query, err = p.query(o.get("query"), o.at("query"), c); err != nil {
			return r, err
		}
	}
	if o.has("body") && o.has("rawBody") {
		return r, p.errf(o.keyLine("rawBody"), o.at("rawBody"), "a request has body or rawBody, not both")
	}
	if o.has("multipart") && (o.has("body") || o.has("rawBody")) {
		return r, p.errf(o.keyLine("multipart"), o.at("multipart"), "a request has one of body, rawBody or multipart")
	}
	if o.has("multipart") {
		if r.Multipart, err = p.multipart(o.get("multipart"), o.at("multipart"), c); err != nil {
			return r, err
		}
	}
	if o.has("body") {
		if r.Body, err = p.value(o.get("body"), o.at("body"), c.visit); err != nil {
			return r, err
		}
		r.HasBody = true
	}
	if o.has("rawBody") {
		raw, err := p.text(o.get("rawBody"), o.at("rawBody"))
		if err != nil {
			return r, err
		}
		if err := c.visit(raw, o.get("rawBody"), o.at("rawBody")); err != nil {
			return r, err
		}
		r.RawBody = &raw
	}
	if o.has("auth") {
		a, err := p.text(o.get("auth"), o.at("auth"))
		if err != nil {
			return r, err
		}
		switch a {
		case "none":
			r.NoAuth = true
		case "default":
		default:
			return r, p.errf(o.get("auth"), o.at("auth"), `must be "none" or "default"`)
		}
	}
	return r, nil
}

// multipart reads a multipart/form-data body: a list of parts, each a
// name and a value, a file part when it has a fileName.
func (p *parser) multipart(n *yaml.Node, field string, c *checker) ([]FormPart, error) {
	items, err := p.list(n, field)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, p.errf(n, field, "must list at least one part")
	}
	var out []FormPart
	for i, it := range items {
		o, err := p.object(it, index(field, i), formPartKeys...)
		if err != nil {
			return nil, err
		}
		if err := p.require(o, "name", "value"); err != nil {
			return nil, err
		}
		var fp FormPart
		if fp.Name, err = p.text(o.get("name"), o.at("name")); err != nil {
			return nil, err
		}
		if fp.Name == "" {
			return nil, p.errf(o.get("name"), o.at("name"), "must not be empty")
		}
		if fp.Value, err = c.string(o.get("value"), o.at("value")); err != nil {
			return nil, err
		}
		if o.has("fileName") {
			if fp.FileName, err = c.string(o.get("fileName"), o.at("fileName")); err != nil {
				return nil, err
			}
			if fp.FileName == "" {
				return nil, p.errf(o.get("fileName"), o.at("fileName"), "must not be empty")
			}
		}
		if o.has("contentType") {
			if !o.has("fileName") {
				return nil, p.errf(o.keyLine("contentType"), o.at("contentType"), "goes with fileName (a file part)")
			}
			if fp.ContentType, err = p.text(o.get("contentType"), o.at("contentType")); err != nil {
				return nil, err
			}
		}
		out = append(out, fp)
	}
	return out, nil
}

// query reads name → value or list of values, in file order.
func (p *parser) query(n *yaml.Node, field string, c *checker) ([]QueryParam, error) {
	o, err := p.object(n, field)
	if err != nil {
		return nil, err
	}
	var out []QueryParam
	for _, k := range o.keys {
		v := o.get(k)
		var vals []string
		if v.Kind == yaml.SequenceNode {
			if vals, err = p.strings(v, o.at(k)); err != nil {
				return nil, err
			}
		} else {
			s, err := p.str(v, o.at(k))
			if err != nil {
				return nil, p.errf(v, o.at(k), "must be a string or a list of strings")
			}
			vals = []string{s}
		}
		for _, s := range vals {
			if err := c.visit(s, v, o.at(k)); err != nil {
				return nil, err
			}
		}
		out = append(out, QueryParam{Name: k, Values: vals})
	}
	return out, nil
}

func (p *parser) expect(n *yaml.Node, field string, c *checker) (Expect, error) {
	var e Expect
	o, err := p.object(n, field, expectKeys...)
	if err != nil {
		return e, err
	}
	if o.has("status") {
		if e.Status, err = p.status(o.get("status"), o.at("status")); err != nil {
			return e, err
		}
	}
	if o.has("error") {
		if e.Error, err = p.boolean(o.get("error"), o.at("error")); err != nil {
			return e, err
		}
		if e.Error {
			for _, k := range o.keys {
				if k != "error" && k != "minDuration" && k != "maxDuration" {
					return e, p.errf(o.keyLine(k), o.at(k), "a step that expects a transport error has no answer to check")
				}
			}
		}
	}
	if o.has("headers") {
		if e.Headers, err = p.matchers(o.get("headers"), o.at("headers"), c); err != nil {
			return e, err
		}
	}
	if o.has("body") {
		if e.Body, err = p.value(o.get("body"), o.at("body"), c.visit); err != nil {
			return e, err
		}
		e.HasBody = true
	}
	if o.has("emptyBody") {
		if e.EmptyBody, err = p.boolean(o.get("emptyBody"), o.at("emptyBody")); err != nil {
			return e, err
		}
		if e.EmptyBody && e.HasBody {
			return e, p.errf(o.keyLine("emptyBody"), o.at("emptyBody"), "contradicts body")
		}
	}
	if o.has("jsonPath") {
		if e.JSONPath, err = p.assertions(o.get("jsonPath"), o.at("jsonPath"), c); err != nil {
			return e, err
		}
	}
	if o.has("noSecretEchoed") {
		items, err := p.list(o.get("noSecretEchoed"), o.at("noSecretEchoed"))
		if err != nil {
			return e, err
		}
		for i, it := range items {
			s, err := c.string(it, index(o.at("noSecretEchoed"), i))
			if err != nil {
				return e, err
			}
			if s == "" {
				return e, p.errf(it, index(o.at("noSecretEchoed"), i), "must not be empty")
			}
			e.NoSecretEchoed = append(e.NoSecretEchoed, s)
		}
	}
	if o.has("minDuration") {
		if e.MinDuration, err = p.duration(o.get("minDuration"), o.at("minDuration")); err != nil {
			return e, err
		}
	}
	if o.has("maxDuration") {
		if e.MaxDuration, err = p.duration(o.get("maxDuration"), o.at("maxDuration")); err != nil {
			return e, err
		}
	}
	return e, nil
}

func (p *parser) assertions(n *yaml.Node, field string, c *checker) ([]Assertion, error) {
	o, err := p.object(n, field)
	if err != nil {
		return nil, err
	}
	var out []Assertion
	for _, k := range o.keys {
		jp, err := CompileJSONPath(k)
		if err != nil {
			return nil, p.errf(o.keyLine(k), o.at(k), "%v", err)
		}
		want, err := p.value(o.get(k), o.at(k), c.visit)
		if err != nil {
			return nil, err
		}
		if _, err := CompileMatchers(want); err != nil {
			return nil, p.errf(o.get(k), o.at(k), "%v", err)
		}
		out = append(out, Assertion{Path: k, Want: want, Line: o.keyLine(k).Line, compiled: jp})
	}
	return out, nil
}

func (p *parser) capture(n *yaml.Node, field string) ([]Capture, error) {
	o, err := p.object(n, field)
	if err != nil {
		return nil, err
	}
	var out []Capture
	for _, k := range o.keys {
		if !varPattern.MatchString(k) {
			return nil, p.errf(o.keyLine(k), o.at(k), "a variable name must match ^[A-Za-z_][A-Za-z0-9_]*$")
		}
		if k == VarRun || k == VarTenant {
			return nil, p.errf(o.keyLine(k), o.at(k), "%q is a built-in variable", k)
		}
		v := o.get(k)
		cp := Capture{Var: k, Line: v.Line}
		if v.Kind == yaml.MappingNode {
			ho, err := p.object(v, o.at(k), "header", "path", "match")
			if err != nil {
				return nil, err
			}
			switch {
			case ho.has("header") == ho.has("path"):
				return nil, p.errf(v, o.at(k), "must have exactly one of header and path")
			case ho.has("header"):
				if cp.Header, err = p.text(ho.get("header"), ho.at("header")); err != nil {
					return nil, err
				}
			default:
				if cp.Path, err = p.text(ho.get("path"), ho.at("path")); err != nil {
					return nil, err
				}
				if cp.compiled, err = CompileJSONPath(cp.Path); err != nil {
					return nil, p.errf(ho.get("path"), ho.at("path"), "%v", err)
				}
			}
			if ho.has("match") {
				re, err := p.text(ho.get("match"), ho.at("match"))
				if err != nil {
					return nil, err
				}
				if cp.Match, err = regexp.Compile(re); err != nil {
					return nil, p.errf(ho.get("match"), ho.at("match"), "%v", err)
				}
			}
		} else {
			if cp.Path, err = p.text(v, o.at(k)); err != nil {
				return nil, p.errf(v, o.at(k), "must be a JSONPath ($.id), {header: NAME} or {path: JSONPATH, match: REGEX}")
			}
			if cp.compiled, err = CompileJSONPath(cp.Path); err != nil {
				return nil, p.errf(v, o.at(k), "%v", err)
			}
		}
		out = append(out, cp)
	}
	return out, nil
}
