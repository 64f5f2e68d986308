package scenarios

import (
	"net/http"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	stubKeys        = []string{"name", "request", "whenState", "setState", "times", "latency", "fault", "response", "problem", "allowViolation"}
	stubRequestKeys = []string{"method", "path", "headers", "query", "body"}
	responseKeys    = []string{"status", "headers", "body"}
	problemKeys     = []string{"status", "title", "detail", "type", "errors", "headers"}
	latencyKeys     = []string{"min", "max"}
)

func (p *parser) stub(n *yaml.Node, field string) (*Stub, error) {
	o, err := p.object(n, field, stubKeys...)
	if err != nil {
		return nil, err
	}
	if err := p.require(o, "request"); err != nil {
		return nil, err
	}
	st := &Stub{Line: o.n.Line}
	if o.has("name") {
		if st.Name, err = p.text(o.get("name"), o.at("name")); err != nil {
			return nil, err
		}
	}
	if st.Request, err = p.stubRequest(o.get("request"), o.at("request")); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"whenState", &st.WhenState}, {"setState", &st.SetState}} {
		key, dst := f.key, f.dst
		if o.has(key) {
			if *dst, err = p.text(o.get(key), o.at(key)); err != nil {
				return nil, err
			}
			if *dst == "" {
				return nil, p.errf(o.get(key), o.at(key), "must not be empty")
			}
		}
	}
	if o.has("times") {
		if st.Times, err = p.integer(o.get("times"), o.at("times")); err != nil {
			return nil, err
		}
		if st.Times < 1 {
			return nil, p.errf(o.get("times"), o.at("times"), "must be at least 1")
		}
	}
	if o.has("latency") {
		if st.Latency, err = p.latency(o.get("latency"), o.at("latency")); err != nil {
			return nil, err
		}
	}
	if o.has("fault") {
		if st.Fault, err = p.text(o.get("fault"), o.at("fault")); err != nil {
			return nil, err
		}
		if st.Fault != FaultDrop {
			return nil, p.errf(o.get("fault"), o.at("fault"), "must be %q", FaultDrop)
		}
	}
	if o.has("allowViolation") {
		if st.AllowViolation, err = p.boolean(o.get("allowViolation"), o.at("allowViolation")); err != nil {
			return nil, err
		}
	}
	if o.has("response") && o.has("problem") {
		return nil, p.errf(o.keyLine("problem"), o.at("problem"), "a stub answers with response or problem, not both")
	}
	st.AnswerLine = st.Line
	switch {
	case o.has("response"):
		st.AnswerLine = o.keyLine("response").Line
		if st.Response, err = p.response(o.get("response"), o.at("response")); err != nil {
			return nil, err
		}
	case o.has("problem"):
		st.AnswerLine = o.keyLine("problem").Line
		if st.Problem, err = p.problem(o.get("problem"), o.at("problem")); err != nil {
			return nil, err
		}
	case st.Fault == "":
		return nil, p.errf(o.n, o.at("response"), "is required (or problem, or fault: drop)")
	}
	if st.Fault != "" && (st.Response != nil || st.Problem != nil) {
		return nil, p.errf(o.keyLine("fault"), o.at("fault"), "a dropped connection has no response or problem")
	}
	return st, nil
}

func (p *parser) stubRequest(n *yaml.Node, field string) (StubRequest, error) {
	var r StubRequest
	o, err := p.object(n, field, stubRequestKeys...)
	if err != nil {
		return r, err
	}
	if err := p.require(o, "path"); err != nil {
		return r, err
	}
	if o.has("method") {
		if r.Method, err = p.text(o.get("method"), o.at("method")); err != nil {
			return r, err
		}
		if r.Method == "*" {
			r.Method = ""
		} else if !methodPattern.MatchString(r.Method) {
			return r, p.errf(o.get("method"), o.at("method"), "must be an upper-case HTTP method such as GET, or *")
		}
	}
	if r.Path, err = p.text(o.get("path"), o.at("path")); err != nil {
		return r, err
	}
	if !strings.HasPrefix(r.Path, "/") {
		return r, p.errf(o.get("path"), o.at("path"), "must start with /")
	}
	if _, err := CompileStubPath(r.Path); err != nil {
		return r, p.errf(o.get("path"), o.at("path"), "%v", err)
	}
	if o.has("headers") {
		if r.Headers, err = p.matchers(o.get("headers"), o.at("headers"), nil); err != nil {
			return r, err
		}
	}
	if o.has("query") {
		if r.Query, err = p.matchers(o.get("query"), o.at("query"), nil); err != nil {
			return r, err
		}
	}
	if o.has("body") {
		if r.Body, err = p.value(o.get("body"), o.at("body"), nil); err != nil {
			return r, err
		}
		if _, err := CompileMatchers(r.Body); err != nil {
			return r, p.errf(o.get("body"), o.at("body"), "%v", err)
		}
		r.HasBody = true
	}
	return r, nil
}

func (p *parser) response(n *yaml.Node, field string) (*Response, error) {
	o, err := p.object(n, field, responseKeys...)
	if err != nil {
		return nil, err
	}
	if err := p.require(o, "status"); err != nil {
		return nil, err
	}
	r := &Response{}
	if r.Status, err = p.status(o.get("status"), o.at("status")); err != nil {
		return nil, err
	}
	if o.has("headers") {
		if r.Headers, _, err = p.stringMap(o.get("headers"), o.at("headers")); err != nil {
			return nil, err
		}
	}
	if o.has("body") {
		if r.Body, err = p.value(o.get("body"), o.at("body"), nil); err != nil {
			return nil, err
		}
		r.HasBody = true
	}
	return r, nil
}

func (p *parser) problem(n *yaml.Node, field string) (*Problem, error) {
	o, err := p.object(n, field, problemKeys...)
	if err != nil {
		return nil, err
	}
	if err := p.require(o, "status"); err != nil {
		return nil, err
	}
	pr := &Problem{}
	if pr.Status, err = p.status(o.get("status"), o.at("status")); err != nil {
		return nil, err
	}
	if pr.Status < 400 {
		return nil, p.errf(o.get("status"), o.at("status"), "a problem's status is 400 or more")
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"title", &pr.Title}, {"detail", &pr.Detail}, {"type", &pr.Type}} {
		key, dst := f.key, f.dst
		if o.has(key) {
			if *dst, err = p.text(o.get(key), o.at(key)); err != nil {
				return nil, err
			}
		}
	}
	if pr.Title == "" {
		pr.Title = http.StatusText(pr.Status)
	}
	if pr.Type == "" {
		pr.Type = "about:blank"
	}
	if o.has("errors") {
		eo, err := p.object(o.get("errors"), o.at("errors"))
		if err != nil {
			return nil, err
		}
		pr.Errors = map[string][]string{}
		for _, k := range eo.keys {
			if pr.Errors[k], err = p.strings(eo.get(k), eo.at(k)); err != nil {
				return nil, err
			}
		}
	}
	if o.has("headers") {
		if pr.Headers, _, err = p.stringMap(o.get("headers"), o.at("headers")); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

func (p *parser) latency(n *yaml.Node, field string) (Latency, error) {
	if deref(n).Kind == yaml.ScalarNode {
		d, err := p.duration(n, field)
		return Latency{Min: d, Max: d}, err
	}
	o, err := p.object(n, field, latencyKeys...)
	if err != nil {
		return Latency{}, p.errf(n, field, "must be a duration (200ms) or {min, max}")
	}
	if err := p.require(o, "min", "max"); err != nil {
		return Latency{}, err
	}
	var l Latency
	if l.Min, err = p.duration(o.get("min"), o.at("min")); err != nil {
		return l, err
	}
	if l.Max, err = p.duration(o.get("max"), o.at("max")); err != nil {
		return l, err
	}
	if l.Max < l.Min {
		return l, p.errf(o.get("max"), o.at("max"), "must not be less than min")
	}
	return l, nil
}
