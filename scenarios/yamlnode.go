package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// LoadError says what is wrong with a scenario file, and where:
// "library/x.yaml:12: steps[2].expect.status: must be an integer".
type LoadError struct {
	File  string
	Line  int
	Field string // the offending field's path; "" for the file as a whole
	Msg   string
}

func (e *LoadError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// parser walks a scenario file's YAML nodes and turns the first problem it
// meets into a LoadError.
type parser struct {
	file string
}

func (p *parser) errf(n *yaml.Node, field, format string, args ...any) error {
	line := 1
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	return &LoadError{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// object is a mapping whose keys were checked against the known ones.
type object struct {
	n     *yaml.Node
	field string
	vals  map[string]*yaml.Node
	keys  []string // in file order
}

// object checks that n is a mapping with only known keys, each once.
func (p *parser) object(n *yaml.Node, field string, known ...string) (*object, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, p.errf(n, field, "must be a mapping")
	}
	o := &object{n: n, field: field, vals: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, p.errf(k, field, "keys must be strings")
		}
		if known != nil && !slices.Contains(known, k.Value) {
			return nil, p.errf(k, join(field, k.Value), "unknown field (known: %s)", strings.Join(known, ", "))
		}
		if _, dup := o.vals[k.Value]; dup {
			return nil, p.errf(k, join(field, k.Value), "given twice")
		}
		o.vals[k.Value] = v
		o.keys = append(o.keys, k.Value)
	}
	return o, nil
}

// get returns the value node of key, or nil.
func (o *object) get(key string) *yaml.Node { return deref(o.vals[key]) }

func (o *object) has(key string) bool { return o.vals[key] != nil }

// at is the field path of key.
func (o *object) at(key string) string { return join(o.field, key) }

// keyLine is the line of a key, for errors about its value.
func (o *object) keyLine(key string) *yaml.Node {
	for i := 0; i+1 < len(o.n.Content); i += 2 {
		if o.n.Content[i].Value == key {
			return o.n.Content[i]
		}
	}
	return o.n
}

// require fails when key is absent.
func (p *parser) require(o *object, keys ...string) error {
	for _, k := range keys {
		if !o.has(k) {
			return p.errf(o.n, o.at(k), "is required")
		}
	}
	return nil
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// str reads a scalar as a string. Numbers and booleans are taken as
// written, so a header value of 1 is "1".
func (p *parser) str(n *yaml.Node, field string) (string, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return "", p.errf(n, field, "must be a string")
	}
	return n.Value, nil
}

// text is str for fields that must be written as text: a number or a
// boolean there is most likely a mistake.
func (p *parser) text(n *yaml.Node, field string) (string, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return "", p.errf(n, field, "must be a string")
	}
	return n.Value, nil
}

func (p *parser) integer(n *yaml.Node, field string) (int, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		return 0, p.errf(n, field, "must be an integer")
	}
	v, err := strconv.ParseInt(n.Value, 0, 64)
	if err != nil || v > math.MaxInt32 || v < math.MinInt32 {
		return 0, p.errf(n, field, "must be an integer")
	}
	return int(v), nil
}

func (p *parser) boolean(n *yaml.Node, field string) (bool, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return false, p.errf(n, field, "must be true or false")
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, p.errf(n, field, "must be true or false")
	}
	return b, nil
}

func (p *parser) duration(n *yaml.Node, field string) (time.Duration, error) {
	s, err := p.text(n, field)
	if err != nil {
		return 0, p.errf(n, field, "must be a duration such as 200ms or 1.5s")
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, p.errf(n, field, "must be a duration such as 200ms or 1.5s")
	}
	return d, nil
}

func (p *parser) status(n *yaml.Node, field string) (int, error) {
	s, err := p.integer(n, field)
	if err != nil {
		return 0, err
	}
	if s < 100 || s > 599 {
		return 0, p.errf(n, field, "must be an HTTP status (100-599)")
	}
	return s, nil
}

// list checks that n is a sequence.
func (p *parser) list(n *yaml.Node, field string) ([]*yaml.Node, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil, p.errf(n, field, "must be a list")
	}
	return n.Content, nil
}

// strings reads a list of scalars.
func (p *parser) strings(n *yaml.Node, field string) ([]string, error) {
	items, err := p.list(n, field)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, err := p.str(it, index(field, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// stringMap reads a mapping of scalars, with its nodes for later checks.
func (p *parser) stringMap(n *yaml.Node, field string) (map[string]string, map[string]*yaml.Node, error) {
	o, err := p.object(n, field)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[string]string, len(o.keys))
	nodes := make(map[string]*yaml.Node, len(o.keys))
	for _, k := range o.keys {
		s, err := p.str(o.get(k), o.at(k))
		if err != nil {
			return nil, nil, err
		}
		out[k], nodes[k] = s, o.get(k)
	}
	return out, nodes, nil
}

// value converts a node to a JSON-shaped Go value: map[string]any, []any,
// string, int64, float64, bool or nil. visit sees every string with its
// node and field path, so templates can be checked where they are written.
func (p *parser) value(n *yaml.Node, field string, visit func(s string, n *yaml.Node, field string) error) (any, error) {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		o, err := p.object(n, field)
		if err != nil {
			return nil, err
		}
		m := make(map[string]any, len(o.keys))
		for _, k := range o.keys {
			v, err := p.value(o.get(k), o.at(k), visit)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := p.value(c, index(field, i), visit)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			return p.boolean(n, field)
		case "!!int":
			v, err := strconv.ParseInt(n.Value, 0, 64)
			if err != nil {
				return nil, p.errf(n, field, "integer out of range")
			}
			return v, nil
		case "!!float":
			v, err := strconv.ParseFloat(n.Value, 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, p.errf(n, field, "must be a JSON number")
			}
			return v, nil
		case "!!str":
			if visit != nil {
				if err := visit(n.Value, n, field); err != nil {
					return nil, err
				}
			}
			return n.Value, nil
		}
		return nil, p.errf(n, field, "unsupported YAML value %s", n.ShortTag())
	}
	return nil, p.errf(n, field, "unsupported YAML node")
}

var (
	namePattern   = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	varPattern    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	methodPattern = regexp.MustCompile(`^[A-Z]+$`)
)
