package proxy

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The scenario file a recording becomes (the scenarios package's format).
type scenarioYAML struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description"`
	Steps       []stepYAML `yaml:"steps"`
}

type stepYAML struct {
	Name    string         `yaml:"name"`
	Request requestYAML    `yaml:"request"`
	Expect  expectYAML     `yaml:"expect"`
	Capture map[string]any `yaml:"capture,omitempty"`
}

type requestYAML struct {
	Method  string            `yaml:"method"`
	Path    string            `yaml:"path"`
	Query   map[string]any    `yaml:"query,omitempty"`
	Headers map[string]string `yaml:"headers,omitempty"`
	Body    *yaml.Node        `yaml:"body,omitempty"`
	RawBody *string           `yaml:"rawBody,omitempty"`
	Auth    string            `yaml:"auth,omitempty"`
}

type expectYAML struct {
	Status    int               `yaml:"status"`
	Headers   map[string]string `yaml:"headers,omitempty"`
	Body      *yaml.Node        `yaml:"body,omitempty"`
	EmptyBody bool              `yaml:"emptyBody,omitempty"`
}

// varDef is a value the server minted, captured where it first appeared.
type varDef struct {
	name   string
	step   int
	path   string // JSONPath into the answer, or "" for the header
	header string
	used   bool
}

type stampKey struct{ obj, key, value string }

// builder turns steps into a scenario, tracking which values the client
// chose (kept literal) and which the server minted (captured and reused).
type builder struct {
	known      map[string]*varDef // minted string value → its variable
	stamps     map[stampKey]*varDef
	clientSeen map[string]bool
	pending    []func() // registrations that take effect after a step
	vars       []*varDef
	step       int
}

func buildScenario(name string, steps []recStep) scenarioYAML {
	b := &builder{known: map[string]*varDef{}, stamps: map[stampKey]*varDef{}, clientSeen: map[string]bool{}}
	doc := scenarioYAML{Name: name, Description: "Recorded by fruxon-mock proxy --record."}
	for i, st := range steps {
		b.step = i
		doc.Steps = append(doc.Steps, b.stepOf(st))
		for _, f := range b.pending {
			f()
		}
		b.pending = nil
	}
	for _, v := range b.vars {
		if !v.used {
			continue
		}
		s := &doc.Steps[v.step]
		if s.Capture == nil {
			s.Capture = map[string]any{}
		}
		if v.header != "" {
			s.Capture[v.name] = map[string]string{"header": v.header}
		} else {
			s.Capture[v.name] = v.path
		}
	}
	return doc
}

func (b *builder) stepOf(st recStep) stepYAML {
	out := stepYAML{Name: fmt.Sprintf("%03d-%s", b.step+1, st.op)}
	req := requestYAML{Method: st.method, Path: b.path(st.path)}
	if len(st.query) > 0 {
		req.Query = map[string]any{}
		for k, vs := range st.query {
			sub := make([]string, len(vs))
			for i, v := range vs {
				sub[i] = b.use(v)
			}
			if len(sub) == 1 {
				req.Query[k] = sub[0]
			} else {
				req.Query[k] = sub
			}
		}
	}
	if len(st.header) > 0 {
		req.Headers = map[string]string{}
		for k, v := range st.header {
			req.Headers[k] = b.use(v)
		}
	}
	if st.body != nil {
		req.Body = node(b.requestValue(st.body))
	}
	if st.raw != nil {
		s := tmplEscape(*st.raw)
		req.RawBody = &s
	}
	if st.noAuth {
		req.Auth = "none"
	}
	out.Request = req
	exp := expectYAML{Status: st.status}
	if st.etag != "" {
		exp.Headers = map[string]string{"ETag": b.minted(st.etag, func(name string) *varDef { return &varDef{name: name, header: "ETag"} }, "etag")}
	}
	if st.retry {
		if exp.Headers == nil {
			exp.Headers = map[string]string{}
		}
		exp.Headers["Retry-After"] = "present"
	}
	switch {
	case st.empty:
		exp.EmptyBody = true
	case st.resp != nil:
		exp.Body = node(b.expected(st.resp, "$", "", ""))
	}
	out.Expect = exp
	return out
}

// use is a request value: a minted value becomes its variable, anything
// else is literal (and from now on known as the client's).
func (b *builder) use(s string) string {
	if v := b.known[s]; v != nil {
		v.used = true
		return "{{" + v.name + "}}"
	}
	b.clientSeen[s] = true
	return b.embed(s)
}

// minEmbedded is the shortest minted value replaced inside longer text
// (shorter ones would match by accident).
const minEmbedded = 8

// embed escapes s for a template, with minted values of earlier steps
// inside it ("config \"<uuid>\" not found") replaced by their variables.
func (b *builder) embed(s string) string {
	var out strings.Builder
	for s != "" {
		at, v := -1, (*varDef)(nil)
		var val string
		for value, d := range b.known {
			if len(value) < minEmbedded || d.step >= b.step {
				continue
			}
			if i := strings.Index(s, value); i >= 0 && (at < 0 || i < at || i == at && len(value) > len(val)) {
				at, v, val = i, d, value
			}
		}
		if v == nil {
			out.WriteString(tmplEscape(s))
			break
		}
		v.used = true
		out.WriteString(tmplEscape(s[:at]) + "{{" + v.name + "}}")
		s = s[at+len(val):]
	}
	return out.String()
}

// path substitutes minted values segment by segment ("<id>:publish" too).
func (b *builder) path(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s == "" {
			continue
		}
		if base, suffix, ok := strings.Cut(s, ":"); ok && base != "" {
			segs[i] = b.use(unescape(base)) + ":" + tmplEscape(suffix)
			continue
		}
		segs[i] = b.use(unescape(s))
	}
	return strings.Join(segs, "/")
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

func (b *builder) requestValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = b.requestValue(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = b.requestValue(x)
		}
		return out
	case string:
		return b.use(t)
	case json.Number:
		return jsonNumber(t)
	}
	return v
}

// minted is the expectation for a value the server made: the variable of
// an earlier step when it is the same value, else "present" (the value is
// volatile) and a variable that later steps may use.
func (b *builder) minted(value string, def func(name string) *varDef, base string) string {
	if v := b.known[value]; v != nil && v.step < b.step {
		v.used = true
		return "{{" + v.name + "}}"
	}
	if _, taken := b.known[value]; !taken && !b.clientSeen[value] {
		v := def(fmt.Sprintf("%s_%d", varBase(base), b.step+1))
		v.step = b.step
		for _, o := range b.vars {
			if o.name == v.name {
				v.name += "_" + strconv.Itoa(len(b.vars))
			}
		}
		b.vars = append(b.vars, v)
		b.pending = append(b.pending, func() {
			if _, ok := b.known[value]; !ok {
				b.known[value] = v
			}
		})
	}
	if b.clientSeen[value] {
		return matcherEscape(value)
	}
	return "present"
}

var nonVar = regexp.MustCompile(`[^A-Za-z0-9_]`)

func varBase(s string) string {
	s = nonVar.ReplaceAllString(s, "_")
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "v" + s
	}
	return s
}

// mintedKey says a member holds a value the server made up.
func mintedKey(k string) bool {
	return k == "id" || strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "ID") || strings.HasSuffix(k, "Token")
}

// volatileKey says a member differs on every run and is only checked to
// be there.
func volatileKey(k string) bool { return k == "traceId" || k == "instance" }

// expected turns an answer into a body subset; obj is the id of the
// enclosing object (for timestamps), key the member holding v.
func (b *builder) expected(v any, path, obj, key string) any {
	switch t := v.(type) {
	case map[string]any:
		id, _ := t["id"].(string)
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = b.expected(x, path+member(k), id, k)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = b.expected(x, path+"["+strconv.Itoa(i)+"]", "", "")
		}
		return out
	case string:
		switch {
		case t == Redacted || volatileKey(key):
			return "present"
		case mintedKey(key):
			return b.minted(t, func(name string) *varDef { return &varDef{name: name, path: path} }, key)
		case b.known[t] != nil && b.known[t].step < b.step:
			b.known[t].used = true
			return "{{" + b.known[t].name + "}}"
		}
		return b.literal(t)
	case json.Number:
		if strings.HasSuffix(key, "At") {
			return b.stamp(t, path, obj, key)
		}
		return jsonNumber(t)
	}
	return v
}

// stamp matches a timestamp loosely, or by the variable captured from the
// same member of the same resource earlier.
func (b *builder) stamp(n json.Number, path, obj, key string) any {
	if obj == "" {
		return "~^[0-9]+$"
	}
	k := stampKey{obj, key, n.String()}
	if v := b.stamps[k]; v != nil && v.step < b.step {
		v.used = true
		return "{{" + v.name + "}}"
	}
	if b.stamps[k] == nil {
		v := &varDef{name: fmt.Sprintf("%s_%d", varBase(key), b.step+1), step: b.step, path: path}
		for _, o := range b.vars {
			if o.name == v.name {
				v.name += "_" + strconv.Itoa(len(b.vars))
			}
		}
		b.vars = append(b.vars, v)
		b.pending = append(b.pending, func() {
			if b.stamps[k] == nil {
				b.stamps[k] = v
			}
		})
	}
	return "~^[0-9]+$"
}

var plainMember = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func member(k string) string {
	if plainMember.MatchString(k) {
		return "." + k
	}
	return "['" + strings.ReplaceAll(k, "'", `\'`) + "']"
}

// tmplEscape keeps "{{" literal in a template.
func tmplEscape(s string) string { return strings.ReplaceAll(s, "{{", `\{{`) }

// literal is the expectation for a string: itself, with minted values in
// it replaced by their variables, escaped so it doesn't read as a matcher.
func (b *builder) literal(s string) string {
	e := b.embed(s)
	if e == "present" || e == "absent" || strings.HasPrefix(e, "~") || strings.HasPrefix(e, `\`) {
		return `\` + e
	}
	return e
}

// matcherEscape keeps a literal expected string from reading as a matcher.
func matcherEscape(s string) string {
	s = tmplEscape(s)
	if s == "present" || s == "absent" || strings.HasPrefix(s, "~") || strings.HasPrefix(s, `\`) {
		return `\` + s
	}
	return s
}

// node encodes a value for the YAML file, map keys sorted.
func node(v any) *yaml.Node {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	return &n
}

// marshalYAML writes the scenario; yaml.v3 sorts map keys, so the same
// traffic always gives the same file.
func marshalYAML(doc scenarioYAML) ([]byte, error) { return yaml.Marshal(doc) }
