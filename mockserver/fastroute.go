package mockserver

import (
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/gorilla/mux"
)

// fastRouter takes the requests mux would route to one of the spec's
// operations and sends them straight to that route's handler, with the
// same path variables; everything else (unclean paths, no match, 404/405)
// goes to mux. mux tries every route's regexp in turn, a seventh of a
// GET's cost; fastRouter compares '/'-separated segments, which is the
// same test for these templates: a parameter is [^/:]+ followed by the
// segment's literal suffix ("{config}:publish"). Routes are tried in
// mux's order (registration order, per method), so the first match is
// mux's.
type fastRouter struct {
	byMethod map[string][]*fastRoute
	next     *mux.Router
	// off is set when a template has a shape fastRouter does not parse;
	// mux then routes everything.
	off bool
}

type fastRoute struct {
	name string // the operation's id, mux's route name
	segs []routeSeg
	h    http.Handler
}

// maxRouteVars bounds a template's variables; a template with more turns
// fastRouter off.
const maxRouteVars = 6

// routeVals are a matched route's variable values, in template order.
type routeVals [maxRouteVars]string

// vars is the map mux would set for the matched values.
func (rt *fastRoute) vars(vals *routeVals) map[string]string {
	m := make(map[string]string, maxRouteVars)
	i := 0
	for _, s := range rt.segs {
		if s.param != "" {
			m[s.param] = vals[i]
			i++
		}
	}
	return m
}

// value is the variable name's matched value ("" when the template has none).
func (rt *fastRoute) value(vals *routeVals, name string) string {
	i := 0
	for _, s := range rt.segs {
		if s.param != "" {
			if s.param == name {
				return vals[i]
			}
			i++
		}
	}
	return ""
}

type routeSeg struct {
	literal string // when param is empty
	param   string
	suffix  string
}

var routeParamName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func newFastRouter(next *mux.Router) *fastRouter {
	return &fastRouter{byMethod: map[string][]*fastRoute{}, next: next}
}

// add registers a route after mux's own registration of it.
func (f *fastRouter) add(name, method, template string, h http.Handler) {
	if !strings.HasPrefix(template, "/") {
		f.off = true
		return
	}
	segs := []routeSeg{}
	params := 0
	for _, p := range strings.Split(template[1:], "/") {
		if template == "/" {
			break
		}
		open := strings.IndexByte(p, '{')
		switch {
		case open < 0:
			if strings.ContainsAny(p, "}") || p == "" {
				f.off = true
				return
			}
			segs = append(segs, routeSeg{literal: p})
		case open == 0:
			end := strings.IndexByte(p, '}')
			if end < 0 || !routeParamName.MatchString(p[1:end]) || strings.ContainsAny(p[end+1:], "{}") {
				f.off = true
				return
			}
			if params++; params > maxRouteVars {
				f.off = true
				return
			}
			segs = append(segs, routeSeg{param: p[1:end], suffix: p[end+1:]})
		default:
			f.off = true
			return
		}
	}
	f.byMethod[method] = append(f.byMethod[method], &fastRoute{name: name, segs: segs, h: h})
}

func (f *fastRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !f.off {
		// Routing reads the escaped path: an encoded slash ("%2F77") is part
		// of one segment, as the spec's client meant it, not a separator
		// mux's cleaning would collapse and redirect (a 301 the spec does
		// not declare, which a client follows as a GET). The values are
		// decoded after the match.
		p, escaped := r.URL.Path, r.URL.RawPath != ""
		if escaped {
			p = r.URL.EscapedPath()
		}
		if rt, vals := f.match(r.Method, p); rt != nil {
			if escaped && !unescapeVals(&vals) {
				f.next.ServeHTTP(w, r)
				return
			}
			// The values ride on the request's exchange, which pathVar
			// reads: no copy of the request as mux.SetURLVars makes.
			if ex, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
				ex.route, ex.routeVals = rt, vals
				rt.h.ServeHTTP(w, r)
				return
			}
			rt.h.ServeHTTP(w, mux.SetURLVars(r, rt.vars(&vals)))
			return
		}
	}
	f.next.ServeHTTP(w, r)
}

// unescapeVals decodes escaped path values in place; false when one is
// not valid percent-encoding.
func unescapeVals(vals *routeVals) bool {
	for i, v := range vals {
		if strings.IndexByte(v, '%') < 0 {
			continue
		}
		u, err := url.PathUnescape(v)
		if err != nil {
			return false
		}
		vals[i] = u
	}
	return true
}

// match finds the first route of the method whose template fits p, for a
// path mux would not redirect (clean, as mux's cleanPath sees it).
func (f *fastRouter) match(method, p string) (*fastRoute, routeVals) {
	var vals routeVals
	routes := f.byMethod[method]
	if len(routes) == 0 || p == "" || p[0] != '/' || !cleanAsMux(p) {
		return nil, vals
	}
	var parts [12]string
	n := 0
	for s := range strings.SplitSeq(p[1:], "/") {
		if p == "/" {
			break
		}
		if n == len(parts) {
			return nil, vals
		}
		parts[n] = s
		n++
	}
	for _, rt := range routes {
		if len(rt.segs) != n {
			continue
		}
		ok := true
		for i, s := range rt.segs {
			part := parts[i]
			if s.param == "" {
				if part != s.literal {
					ok = false
					break
				}
				continue
			}
			v, found := strings.CutSuffix(part, s.suffix)
			if !found || v == "" || strings.IndexByte(v, ':') >= 0 {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		j := 0
		for i, s := range rt.segs {
			if s.param != "" {
				vals[j] = strings.TrimSuffix(parts[i], s.suffix)
				j++
			}
		}
		return rt, vals
	}
	return nil, vals
}

// cleanAsMux reports whether mux's cleanPath leaves p as it is.
func cleanAsMux(p string) bool {
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np == p
}
