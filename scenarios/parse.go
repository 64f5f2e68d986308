package scenarios

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse reads one scenario from YAML. file names the source in errors.
// Every problem is a *LoadError naming file, line and field.
func Parse(file string, data []byte) (*Scenario, error) {
	p := &parser{file: file}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &LoadError{File: file, Line: 1, Msg: "the file is empty"}
		}
		return nil, syntaxError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, p.errf(&extra, "", "one scenario per file: a second YAML document starts here")
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(file, err)
	}
	if len(doc.Content) == 0 {
		return nil, &LoadError{File: file, Line: 1, Msg: "the file is empty"}
	}
	return p.scenario(doc.Content[0])
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func syntaxError(file string, err error) error {
	msg, line := err.Error(), 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	return &LoadError{File: file, Line: line, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// checker knows which variables are defined at a point of the file and
// fails on a template that uses another one.
type checker struct {
	p       *parser
	defined map[string]bool
}

func (c *checker) visit(s string, n *yaml.Node, field string) error {
	names, err := templateVars(s)
	if err != nil {
		return c.p.errf(n, field, "%v", err)
	}
	for _, name := range names {
		if !c.defined[name] {
			return c.p.errf(n, field, "unknown variable %q (defined here: %s)", name, c.list())
		}
	}
	return nil
}

func (c *checker) list() string {
	var names []string
	for k := range c.defined {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// string reads a scalar string and checks its templates.
func (c *checker) string(n *yaml.Node, field string) (string, error) {
	s, err := c.p.str(n, field)
	if err != nil {
		return "", err
	}
	return s, c.visit(s, deref(n), field)
}

var scenarioKeys = []string{"name", "description", "requires", "vars", "stubs", "vendorStubs", "steps"}

func (p *parser) scenario(n *yaml.Node) (*Scenario, error) {
	o, err := p.object(n, "", scenarioKeys...)
	if err != nil {
		return nil, err
	}
	if err := p.require(o, "name"); err != nil {
		return nil, err
	}
	s := &Scenario{File: p.file, nameLine: o.get("name").Line}
	if s.Name, err = p.text(o.get("name"), "name"); err != nil {
		return nil, err
	}
	if !namePattern.MatchString(s.Name) {
		return nil, p.errf(o.get("name"), "name", "must match ^[A-Za-z0-9_.-]+$")
	}
	if o.has("description") {
		if s.Description, err = p.text(o.get("description"), "description"); err != nil {
			return nil, err
		}
	}
	if o.has("requires") {
		if s.Requires, err = p.strings(o.get("requires"), "requires"); err != nil {
			return nil, err
		}
		for i, r := range s.Requires {
			if r != RequireStubs && r != RequireMock {
				return nil, p.errf(o.get("requires").Content[i], index("requires", i), "must be %q or %q", RequireStubs, RequireMock)
			}
		}
	}
	c := &checker{p: p, defined: map[string]bool{VarRun: true, VarTenant: true}}
	if o.has("vars") {
		if s.Vars, err = p.vars(o.get("vars"), c); err != nil {
			return nil, err
		}
	}
	if o.has("stubs") {
		items, err := p.list(o.get("stubs"), "stubs")
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			st, err := p.stub(it, index("stubs", i))
			if err != nil {
				return nil, err
			}
			if st.Name == "" {
				st.Name = index("stubs", i)
			}
			s.Stubs = append(s.Stubs, st)
		}
	}
	if o.has("vendorStubs") {
		items, err := p.list(o.get("vendorStubs"), "vendorStubs")
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			vs, err := p.vendorStub(it, index("vendorStubs", i))
			if err != nil {
				return nil, err
			}
			s.VendorStubs = append(s.VendorStubs, vs)
		}
	}
	if s.Needs(RequireStubs) && len(s.Stubs) == 0 && len(s.VendorStubs) == 0 {
		return nil, p.errf(o.get("requires"), "requires", "lists stubs, but the scenario has none")
	}
	if o.has("steps") {
		items, err := p.list(o.get("steps"), "steps")
		if err != nil {
			return nil, err
		}
		names := map[string]bool{}
		for i, it := range items {
			st, err := p.step(it, index("steps", i), c)
			if err != nil {
				return nil, err
			}
			if st.Name == "" {
				st.Name = "step-" + strconv.Itoa(i+1)
			}
			if names[st.Name] {
				return nil, p.errf(it, index("steps", i)+".name", "%q names an earlier step too", st.Name)
			}
			names[st.Name] = true
			s.Steps = append(s.Steps, st)
		}
	}
	if len(s.Stubs) == 0 && len(s.Steps) == 0 && len(s.VendorStubs) == 0 {
		return nil, p.errf(o.n, "", "a scenario needs stubs, vendorStubs or steps")
	}
	return s, nil
}

func (p *parser) vars(n *yaml.Node, c *checker) ([]Var, error) {
	o, err := p.object(n, "vars")
	if err != nil {
		return nil, err
	}
	var out []Var
	for _, k := range o.keys {
		if !varPattern.MatchString(k) {
			return nil, p.errf(o.keyLine(k), o.at(k), "a variable name must match ^[A-Za-z_][A-Za-z0-9_]*$")
		}
		if k == VarRun || k == VarTenant {
			return nil, p.errf(o.keyLine(k), o.at(k), "%q is a built-in variable", k)
		}
		v, err := c.string(o.get(k), o.at(k))
		if err != nil {
			return nil, err
		}
		out = append(out, Var{Name: k, Value: v})
		c.defined[k] = true
	}
	return out, nil
}

// matchers reads a mapping of header (or query) names to matchers. c, when
// set, checks templates.
func (p *parser) matchers(n *yaml.Node, field string, c *checker) (map[string]Matcher, error) {
	o, err := p.object(n, field)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Matcher, len(o.keys))
	for _, k := range o.keys {
		v, err := p.str(o.get(k), o.at(k))
		if err != nil {
			return nil, err
		}
		if c != nil {
			if err := c.visit(v, o.get(k), o.at(k)); err != nil {
				return nil, err
			}
		}
		m, err := newMatcher(v)
		if err != nil {
			return nil, p.errf(o.get(k), o.at(k), "%v", err)
		}
		out[k] = m
	}
	return out, nil
}
