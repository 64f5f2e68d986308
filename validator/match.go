package validator

import (
	"net/http"
	"net/url"
	"strings"

	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

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

// asRouted returns r as the server reads it, for the library, which reads
// a few things otherwise: a percent-encoded colon in the path (%3A, %3a)
// is a literal ':', so "{config}%3Apublish" validates as
// "{config}:publish" does, the way the router (which decodes the path)
// routes it (a parameter never holds a ':', so an encoded one can only be
// the custom method's); and an unencoded comma in the value of a query
// parameter of style form with explode true is part of that one value
// (?tag=a,b is the tag "a,b", as other OpenAPI validators read it), so it
// is handed on encoded. r itself is returned when neither applies; else a
// shallow copy with its own URL, r left as it was.
func asRouted(r *http.Request, op *Operation) *http.Request {
	path := literalColons(r.URL)
	query := formCommas(r.URL.RawQuery, op)
	if path == r.URL.RawPath && query == r.URL.RawQuery {
		return r
	}
	u := *r.URL
	u.RawPath, u.RawQuery = path, query
	c := *r
	c.URL = &u
	return &c
}

// literalColons is u's RawPath with every %3A written as ':'.
func literalColons(u *url.URL) string {
	raw := u.RawPath
	if raw == "" || (!strings.Contains(raw, "%3A") && !strings.Contains(raw, "%3a")) {
		return raw
	}
	fixed := strings.NewReplacer("%3A", ":", "%3a", ":").Replace(raw)
	if p, err := url.PathUnescape(fixed); err != nil || p != u.Path {
		return raw
	}
	if (&url.URL{Path: u.Path}).EscapedPath() == fixed {
		return "" // the default encoding: RawPath is only for a path that needs it
	}
	return fixed
}

// formCommas is a raw query with the literal commas in the values of op's
// exploded form-style query parameters percent-encoded.
func formCommas(raw string, op *Operation) string {
	if !strings.Contains(raw, ",") || op == nil {
		return raw
	}
	m := modelOf(op)
	exploded := map[string]bool{}
	for _, params := range [][]*v3.Parameter{m.pathItem.Parameters, m.op.Parameters} {
		for _, p := range params {
			if p != nil && p.In == "query" && (p.Style == "" || p.Style == "form") && (p.Explode == nil || *p.Explode) {
				exploded[p.Name] = true
			}
		}
	}
	pairs := strings.Split(raw, "&")
	for i, pair := range pairs {
		k, v, ok := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(k); ok && err == nil && exploded[name] {
			pairs[i] = k + "=" + strings.ReplaceAll(v, ",", "%2C")
		}
	}
	return strings.Join(pairs, "&")
}
