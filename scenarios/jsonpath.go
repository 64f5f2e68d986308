package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// JSONPath is a compiled expression of the JSONPath subset scenarios use:
//
//	$            the whole body
//	.name        a member (letters, digits, '_' and '-')
//	['name']     a member with any characters ("a.b", spaces); "..." works too
//	[n]          an array element; negative n counts from the end ([-1] is the last)
//	[*] or .*    every element of an array, every member of an object
//
// Filters, slices, recursive descent and functions are not supported.
type JSONPath struct {
	src  string
	segs []pathSeg
}

type pathSeg struct {
	key   string
	index int
	kind  segKind
}

type segKind int

const (
	segKey segKind = iota
	segIndex
	segAll
)

func CompileJSONPath(src string) (*JSONPath, error) {
	if !strings.HasPrefix(src, "$") {
		return nil, fmt.Errorf("%q: a JSONPath starts with $", src)
	}
	p := &JSONPath{src: src}
	s := src[1:]
	for s != "" {
		switch {
		case strings.HasPrefix(s, ".*"):
			p.segs = append(p.segs, pathSeg{kind: segAll})
			s = s[2:]
		case s[0] == '.':
			n := 1
			for n < len(s) && isKeyChar(s[n]) {
				n++
			}
			if n == 1 {
				return nil, fmt.Errorf("%q: a name must follow '.'", src)
			}
			p.segs = append(p.segs, pathSeg{key: s[1:n]})
			s = s[n:]
		case s[0] == '[' && len(s) > 1 && (s[1] == '\'' || s[1] == '"'):
			// A quoted name may hold any character but its quote.
			end := strings.IndexByte(s[2:], s[1])
			if end < 0 || !strings.HasPrefix(s[2+end+1:], "]") {
				return nil, fmt.Errorf("%q: unterminated quoted name", src)
			}
			p.segs = append(p.segs, pathSeg{key: s[2 : 2+end]})
			s = s[2+end+2:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, fmt.Errorf("%q: '[' is not closed", src)
			}
			inner := strings.TrimSpace(s[1:end])
			if inner == "*" {
				p.segs = append(p.segs, pathSeg{kind: segAll})
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil {
					return nil, fmt.Errorf("%q: [%s] is not an index, * or a quoted name", src, inner)
				}
				p.segs = append(p.segs, pathSeg{kind: segIndex, index: n})
			}
			s = s[end+1:]
		default:
			return nil, fmt.Errorf("%q: unexpected %q", src, s[:1])
		}
	}
	return p, nil
}

func isKeyChar(c byte) bool {
	return c == '_' || c == '-' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Wildcard reports whether the path can select several values.
func (p *JSONPath) Wildcard() bool {
	for _, s := range p.segs {
		if s.kind == segAll {
			return true
		}
	}
	return false
}

// Select returns every value the path selects in doc, in document order
// (object members by sorted key).
func (p *JSONPath) Select(doc any) []any {
	cur := []any{doc}
	for _, s := range p.segs {
		var next []any
		for _, v := range cur {
			switch s.kind {
			case segKey:
				if m, ok := v.(map[string]any); ok {
					if e, ok := m[s.key]; ok {
						next = append(next, e)
					}
				}
			case segIndex:
				if a, ok := v.([]any); ok {
					i := s.index
					if i < 0 {
						i += len(a)
					}
					if i >= 0 && i < len(a) {
						next = append(next, a[i])
					}
				}
			case segAll:
				switch c := v.(type) {
				case []any:
					next = append(next, c...)
				case map[string]any:
					keys := make([]string, 0, len(c))
					for k := range c {
						keys = append(keys, k)
					}
					sort.Strings(keys)
					for _, k := range keys {
						next = append(next, c[k])
					}
				}
			}
		}
		cur = next
	}
	return cur
}

func (p *JSONPath) String() string { return p.src }
