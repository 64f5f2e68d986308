package scenarios

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// MaxRepeat bounds what {{repeat "s" N}} may produce, in bytes.
const MaxRepeat = 16 << 20

// Built-in variables every step can use.
const (
	VarRun    = "run"    // unique per replay run
	VarTenant = "tenant" // --tenant, default "replay-{{run}}"
)

// tmplPart is a literal, a variable or a repeat of a template string.
type tmplPart struct {
	lit    string
	name   string // a variable
	repeat string // the repeated string, when count > 0
	count  int
	isLit  bool
}

// parseTemplate splits s into its parts. Inside "{{ }}" is either a
// variable name or `repeat "text" N`.
func parseTemplate(s string) ([]tmplPart, error) {
	var parts []tmplPart
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			if s != "" {
				parts = append(parts, tmplPart{lit: s, isLit: true})
			}
			return parts, nil
		}
		if i > 0 && s[i-1] == '\\' {
			// \{{ is a literal {{, for text the target expands itself (a
			// tool's url template, say).
			parts = append(parts, tmplPart{lit: s[:i-1] + "{{", isLit: true})
			s = s[i+2:]
			continue
		}
		if i > 0 {
			parts = append(parts, tmplPart{lit: s[:i], isLit: true})
		}
		end := strings.Index(s[i:], "}}")
		if end < 0 {
			return nil, fmt.Errorf("%q has no closing }}", s[i:])
		}
		expr := strings.TrimSpace(s[i+2 : i+end])
		part, err := parseExpr(expr)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
		s = s[i+end+2:]
	}
}

func parseExpr(expr string) (tmplPart, error) {
	if varPattern.MatchString(expr) && expr != "repeat" {
		return tmplPart{name: expr}, nil
	}
	rest, ok := strings.CutPrefix(expr, "repeat ")
	if !ok {
		return tmplPart{}, fmt.Errorf("{{%s}} is neither a variable name nor repeat \"text\" N", expr)
	}
	rest = strings.TrimSpace(rest)
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return tmplPart{}, fmt.Errorf("{{%s}}: repeat wants a quoted string, then a count", expr)
	}
	text, _ := strconv.Unquote(q)
	n, err := strconv.Atoi(strings.TrimSpace(rest[len(q):]))
	if err != nil || n < 1 || text == "" {
		return tmplPart{}, fmt.Errorf("{{%s}}: repeat wants a non-empty string and a count of at least 1", expr)
	}
	if len(text)*n > MaxRepeat {
		return tmplPart{}, fmt.Errorf("{{%s}}: repeat makes more than %d bytes", expr, MaxRepeat)
	}
	return tmplPart{repeat: text, count: n}, nil
}

// templateVars lists the variables a string uses.
func templateVars(s string) ([]string, error) {
	if !strings.Contains(s, "{{") {
		return nil, nil
	}
	parts, err := parseTemplate(s)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range parts {
		if p.name != "" {
			names = append(names, p.name)
		}
	}
	return names, nil
}

// Vars holds the variables of one scenario run: built-ins, the
// scenario's own and captured values (which keep their JSON type).
type Vars map[string]any

// Expand renders a template string.
func (v Vars) Expand(s string) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	parts, err := parseTemplate(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range parts {
		switch {
		case p.isLit:
			b.WriteString(p.lit)
		case p.count > 0:
			b.WriteString(strings.Repeat(p.repeat, p.count))
		default:
			val, ok := v[p.name]
			if !ok {
				return "", fmt.Errorf("unknown variable %q", p.name)
			}
			b.WriteString(textOf(val))
		}
	}
	return b.String(), nil
}

// ExpandValue renders every string of a JSON-shaped value. A string that
// is exactly one variable takes the variable's value with its type, so
// "{{count}}" can stand for a number.
func (v Vars) ExpandValue(x any) (any, error) {
	switch x := x.(type) {
	case string:
		if strings.HasPrefix(x, "{{") && strings.HasSuffix(x, "}}") && strings.Count(x, "{{") == 1 {
			if p, err := parseExpr(strings.TrimSpace(x[2 : len(x)-2])); err == nil && p.name != "" {
				if val, ok := v[p.name]; ok {
					return val, nil
				}
			}
		}
		return v.Expand(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			ev, err := v.ExpandValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = ev
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			ev, err := v.ExpandValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = ev
		}
		return out, nil
	}
	return x, nil
}

// textOf renders a value inside a string: strings as they are, anything
// else as JSON.
func textOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "null"
	case json.Number:
		return v.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
