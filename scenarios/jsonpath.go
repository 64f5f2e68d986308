package scenarios

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/jsonpath/pkg/jsonpath"
	"github.com/pb33f/jsonpath/pkg/jsonpath/config"
)

// JSONPath is a compiled RFC 9535 JSONPath expression (evaluated by
// github.com/pb33f/jsonpath in strict RFC mode): member names ($.id,
// $['a.b']), indexes ([0], [-1]), wildcards ([*], .*), slices ([1:3],
// [::2]), unions ([0,2]), recursive descent ($..id), filters
// ($.items[?@.id=='crm'], with ==, !=, <, <=, >, >=, &&, ||, !) and the
// standard functions length, count, match, search and value.
//
// One extension keeps the files written before RFC 9535 support working:
// a dotted name may contain '-' ($.request.headers.X-Api-Key); it is read
// as ['X-Api-Key'].
type JSONPath struct {
	src  string
	path *jsonpath.JSONPath
}

// CompileJSONPath compiles an expression; errors name it.
func CompileJSONPath(src string) (*JSONPath, error) {
	if !strings.HasPrefix(src, "$") {
		return nil, fmt.Errorf("%q: a JSONPath starts with $", src)
	}
	p, err := jsonpath.NewPath(quoteDashedNames(src), config.WithStrictRFC9535())
	if err != nil {
		return nil, fmt.Errorf("%q: %v", src, err)
	}
	return &JSONPath{src: src, path: p}, nil
}

// quoteDashedNames rewrites .name-with-dash as ['name-with-dash'] outside
// quotes and filters' string literals.
func quoteDashedNames(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	var b strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '.' && i+1 < len(s) && s[i+1] != '.' && s[i+1] != '*' && (i == 0 || s[i-1] != '.'):
			n := i + 1
			for n < len(s) && isNameChar(s[n]) {
				n++
			}
			if name := s[i+1 : n]; strings.Contains(name, "-") {
				b.WriteString("['" + name + "']")
				i = n - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isNameChar(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// Wildcard reports whether the path can select several values.
func (p *JSONPath) Wildcard() bool { return !p.path.IsSingular() }

// Select returns every value the path selects in doc (a decoded JSON
// value), in document order; object members go by sorted key.
func (p *JSONPath) Select(doc any) []any {
	back := map[*yaml.Node]any{}
	root := toNode(doc, back)
	var out []any
	for _, n := range p.path.Query(root) {
		if v, ok := back[n]; ok {
			out = append(out, v)
		}
	}
	return out
}

func (p *JSONPath) String() string { return p.src }

// toNode builds the YAML tree the evaluator walks, noting which value of
// doc each node stands for, so selections come back exactly (no number
// or type drift through YAML).
func toNode(v any, back map[*yaml.Node]any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode}
	switch x := v.(type) {
	case map[string]any:
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		for _, k := range slices.Sorted(maps.Keys(x)) {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, toNode(x[k], back))
		}
	case []any:
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		for _, e := range x {
			n.Content = append(n.Content, toNode(e, back))
		}
	case string:
		n.Tag, n.Value = "!!str", x
	case bool:
		n.Tag, n.Value = "!!bool", strconv.FormatBool(x)
	case nil:
		n.Tag, n.Value = "!!null", "null"
	case float64:
		if x == float64(int64(x)) {
			n.Tag, n.Value = "!!int", strconv.FormatInt(int64(x), 10)
		} else {
			n.Tag, n.Value = "!!float", strconv.FormatFloat(x, 'g', -1, 64)
		}
	default:
		n.Tag, n.Value = "!!str", fmt.Sprint(x)
	}
	back[n] = v
	return n
}

// Locate returns the normalized path ($.a['b-c'][0], see NormalizedPath)
// of every value the path selects in doc, in document order.
func (p *JSONPath) Locate(doc any) []string {
	back := map[*yaml.Node]any{}
	root := toNode(doc, back)
	where := map[*yaml.Node]string{}
	var walk func(n *yaml.Node, at string)
	walk = func(n *yaml.Node, at string) {
		where[n] = at
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], at+NormalizedMember(n.Content[i].Value))
			}
		case yaml.SequenceNode:
			for i, e := range n.Content {
				walk(e, at+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	walk(root, "$")
	var out []string
	for _, n := range p.path.Query(root) {
		if at, ok := where[n]; ok {
			out = append(out, at)
		}
	}
	return out
}

// NormalizedMember is the path segment of an object member: .name for a
// plain name, ['name'] for any other.
func NormalizedMember(name string) string {
	plain := name != ""
	for i := 0; i < len(name) && plain; i++ {
		c := name[i]
		plain = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || i > 0 && c >= '0' && c <= '9'
	}
	if plain {
		return "." + name
	}
	return "['" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(name) + "']"
}
