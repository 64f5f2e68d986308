package scenarios

import (
	"fmt"
	"strings"
)

// StubPath is a compiled stub path template:
//
//	/v1/tenants/{tenant}/integrations   {x} is one segment without ':'
//	/v1/tenants/*/integrations          * is any one segment
//	…/configs/{config}:publish          a parameter may carry a literal suffix
//	/v1/tenants/acme/**                 a final ** is any rest, even empty
type StubPath struct {
	segs []pathPart
	rest bool
}

type pathPart struct {
	lit    string
	param  bool // {name}, with suffix
	suffix string
	any    bool // *
}

func CompileStubPath(p string) (StubPath, error) {
	var sp StubPath
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if p == "/" {
		parts = nil
	}
	for i, s := range parts {
		switch {
		case s == "**":
			if i != len(parts)-1 {
				return sp, fmt.Errorf("** may only end a path")
			}
			sp.rest = true
		case s == "*":
			sp.segs = append(sp.segs, pathPart{any: true})
		case strings.HasPrefix(s, "{"):
			end := strings.IndexByte(s, '}')
			if end < 2 {
				return sp, fmt.Errorf("segment %q: a parameter is {name}", s)
			}
			suffix := s[end+1:]
			if strings.ContainsAny(suffix, "{}*") {
				return sp, fmt.Errorf("segment %q: one parameter per segment, then a literal suffix", s)
			}
			sp.segs = append(sp.segs, pathPart{param: true, suffix: suffix})
		case strings.ContainsAny(s, "{}*"):
			return sp, fmt.Errorf("segment %q: a parameter or * must be the whole segment (a parameter may have a literal suffix)", s)
		default:
			sp.segs = append(sp.segs, pathPart{lit: s})
		}
	}
	return sp, nil
}

// match reports whether a request path fits the template.
func (sp StubPath) Match(path string) bool {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if path == "/" || path == "" {
		parts = nil
	}
	if len(parts) < len(sp.segs) || (!sp.rest && len(parts) != len(sp.segs)) {
		return false
	}
	for i, s := range sp.segs {
		if !s.matchSegment(parts[i]) {
			return false
		}
	}
	return true
}

func (s pathPart) matchSegment(v string) bool {
	switch {
	case s.any:
		return v != ""
	case s.param:
		rest, ok := strings.CutSuffix(v, s.suffix)
		return ok && rest != "" && !strings.Contains(rest, ":")
	}
	return v == s.lit
}

// overlaps reports whether some request path fits both the stub template
// and a spec path template ("/v1/tenants/{tenant}/integrations"), so the
// stub can answer requests of that operation.
func (sp StubPath) Overlaps(specPath string) bool {
	var spec []pathPart
	for _, s := range strings.Split(strings.Trim(specPath, "/"), "/") {
		if strings.HasPrefix(s, "{") {
			if end := strings.IndexByte(s, '}'); end > 0 {
				spec = append(spec, pathPart{param: true, suffix: s[end+1:]})
				continue
			}
		}
		spec = append(spec, pathPart{lit: s})
	}
	if len(spec) < len(sp.segs) || (!sp.rest && len(spec) != len(sp.segs)) {
		return false
	}
	for i, s := range sp.segs {
		o := spec[i]
		switch {
		case !o.param:
			if !s.matchSegment(o.lit) {
				return false
			}
		case s.any:
		case s.param:
			if s.suffix != o.suffix {
				return false
			}
		default: // a literal against a spec parameter
			if !o.matchSegment(s.lit) {
				return false
			}
		}
	}
	return true
}
