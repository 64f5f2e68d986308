package validator

import "strings"

// segment is one '/'-separated piece of a path template: a literal, or a
// parameter with an optional literal suffix such as "{config}:publish".
type segment struct {
	literal string // set when the segment has no parameter
	param   string
	suffix  string
}

func parseTemplate(tmpl string) []segment {
	parts := strings.Split(strings.Trim(tmpl, "/"), "/")
	segs := make([]segment, len(parts))
	for i, p := range parts {
		if strings.HasPrefix(p, "{") {
			if end := strings.IndexByte(p, '}'); end > 0 {
				segs[i] = segment{param: p[1:end], suffix: p[end+1:]}
				continue
			}
		}
		segs[i] = segment{literal: p}
	}
	return segs
}

// match reports whether path fits the template and returns the path
// parameters. A parameter never swallows a ':' so that "{config}:publish"
// and "{config}" stay apart, and it never matches an empty string.
func matchSegments(segs []segment, path string) (map[string]string, int, bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != len(segs) {
		return nil, 0, false
	}
	var params map[string]string
	literals := 0
	for i, s := range segs {
		p := parts[i]
		if s.param == "" {
			if p != s.literal {
				return nil, 0, false
			}
			literals++
			continue
		}
		if !strings.HasSuffix(p, s.suffix) {
			return nil, 0, false
		}
		v := p[:len(p)-len(s.suffix)]
		if v == "" || strings.IndexByte(v, ':') >= 0 {
			return nil, 0, false
		}
		if params == nil {
			params = make(map[string]string, 4)
		}
		params[s.param] = v
	}
	return params, literals, true
}
