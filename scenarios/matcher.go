package scenarios

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Matcher keywords. A leading backslash makes a string literal: "\present"
// matches the text "present", "\~x" the text "~x".
const (
	matchPresent = "present"
	matchAbsent  = "absent"
)

// newMatcher parses a matcher as written. A regex without templates is
// compiled now, so a bad one is a load error.
func newMatcher(raw string) (Matcher, error) {
	m := Matcher{raw: raw}
	if re, ok := strings.CutPrefix(raw, "~"); ok && !strings.Contains(raw, "{{") {
		c, err := regexp.Compile(re)
		if err != nil {
			return m, fmt.Errorf("bad regular expression %q: %v", re, err)
		}
		m.re = c
	}
	return m, nil
}

// Expand renders the matcher's templates.
func (m Matcher) Expand(v Vars) (Matcher, error) {
	if !strings.Contains(m.raw, "{{") {
		return m, nil
	}
	s, err := v.Expand(m.raw)
	if err != nil {
		return m, err
	}
	out := Matcher{raw: s}
	if re, ok := strings.CutPrefix(s, "~"); ok {
		if out.re, err = regexp.Compile(re); err != nil {
			return m, fmt.Errorf("bad regular expression %q: %v", re, err)
		}
	}
	return out, nil
}

// Match applies the matcher to a value that may be missing. It returns ""
// when the value matches, else what was wanted.
func (m Matcher) Match(got any, present bool) string {
	switch {
	case m.raw == matchPresent:
		if !present {
			return "want present, got nothing"
		}
		return ""
	case m.raw == matchAbsent:
		if present {
			return fmt.Sprintf("want absent, got %s", show(got))
		}
		return ""
	case !present:
		return fmt.Sprintf("want %s, got nothing", m.describe())
	case strings.HasPrefix(m.raw, "~"):
		re := m.re
		if re == nil {
			var err error
			if re, err = regexp.Compile(m.raw[1:]); err != nil {
				return fmt.Sprintf("bad regular expression %q", m.raw[1:])
			}
		}
		switch got.(type) {
		case string, float64, int64, bool:
		default:
			return fmt.Sprintf("want a match of /%s/, got %s", re, show(got))
		}
		if !re.MatchString(textOf(got)) {
			return fmt.Sprintf("want a match of /%s/, got %s", re, show(got))
		}
		return ""
	}
	want := strings.TrimPrefix(m.raw, `\`)
	if s, ok := got.(string); !ok || s != want {
		return fmt.Sprintf("want %q, got %s", want, show(got))
	}
	return ""
}

func (m Matcher) describe() string {
	if strings.HasPrefix(m.raw, "~") {
		return "a match of /" + m.raw[1:] + "/"
	}
	return fmt.Sprintf("%q", strings.TrimPrefix(m.raw, `\`))
}

// Subset compares a JSON value with an expected one and lists every
// difference. Objects match when each listed member matches (others are
// ignored); arrays match when they have the same length and each element
// matches by index; strings are matchers; numbers compare by value.
func Subset(at string, want, got any, present bool) []string {
	switch w := want.(type) {
	case Matcher:
		return diff(at, w.Match(got, present))
	case string:
		m, err := newMatcher(w)
		if err != nil {
			return []string{at + ": " + err.Error()}
		}
		return diff(at, m.Match(got, present))
	}
	if !present {
		return []string{fmt.Sprintf("%s: want %s, got nothing", at, show(want))}
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %s", at, show(got))}
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			gv, has := g[k]
			out = append(out, Subset(member(at, k), w[k], gv, has)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array, got %s", at, show(got))}
		}
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %s, got %d", at, plural(len(w), "element"), len(g))}
		}
		var out []string
		for i := range w {
			out = append(out, Subset(fmt.Sprintf("%s[%d]", at, i), w[i], g[i], true)...)
		}
		return out
	case nil:
		if got != nil {
			return []string{fmt.Sprintf("%s: want null, got %s", at, show(got))}
		}
		return nil
	case bool:
		if g, ok := got.(bool); !ok || g != w {
			return []string{fmt.Sprintf("%s: want %v, got %s", at, w, show(got))}
		}
		return nil
	}
	wf, wok := number(want)
	gf, gok := number(got)
	if !wok {
		return []string{fmt.Sprintf("%s: unsupported expected value %s", at, show(want))}
	}
	if !gok || wf != gf {
		return []string{fmt.Sprintf("%s: want %s, got %s", at, show(want), show(got))}
	}
	return nil
}

func diff(at, why string) []string {
	if why == "" {
		return nil
	}
	return []string{at + ": " + why}
}

// member renders the path of an object member.
func member(at, key string) string {
	for i := 0; i < len(key); i++ {
		if !isKeyChar(key[i]) {
			return at + "['" + key + "']"
		}
	}
	if key == "" {
		return at + "['']"
	}
	return at + "." + key
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// show renders a value for a message, cut to a readable length.
func show(v any) string {
	b, err := json.Marshal(v)
	s := string(b)
	if err != nil {
		s = fmt.Sprint(v)
	}
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// CompileMatchers turns the strings of an expected value into Matchers,
// so regexes are compiled once (stub bodies, matched on every request).
func CompileMatchers(v any) (any, error) {
	switch x := v.(type) {
	case string:
		return newMatcher(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := CompileMatchers(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := CompileMatchers(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// isKeyChar reports whether c may appear in a member name written after a
// dot in the paths that differences name.
func isKeyChar(c byte) bool {
	return c == '_' || c == '-' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
