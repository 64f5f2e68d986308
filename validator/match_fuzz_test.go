package validator

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// rebuild fills a template's parameters, as the path a client would send.
func rebuild(segs []segment, params map[string]string) string {
	parts := make([]string, len(segs))
	for i, s := range segs {
		if s.param == "" {
			parts[i] = s.literal
			continue
		}
		parts[i] = params[s.param] + s.suffix
	}
	return strings.Join(parts, "/")
}

// FuzzMatch feeds paths (and templates) to the path matcher: it never
// panics; a match binds every parameter to a non-empty value without ':'
// or '/', and putting the values back into the template gives the path;
// Validator.Match answers an operation of the method asked or a 404/405.
func FuzzMatch(f *testing.F) {
	v, err := Fruxon()
	if err != nil {
		f.Fatal(err)
	}
	for _, o := range v.Operations() {
		f.Add(o.Method, o.Path, o.Path)
		concrete := rebuild(o.segs, map[string]string{"tenant": "acme", "integration": "crm", "config": "c-1", "tool": "search", "revision": "1"})
		f.Add(o.Method, o.Path, "/"+concrete)
		f.Add(o.Method, o.Path, "/"+concrete+"/")
		f.Add("GET", o.Path, "/"+strings.ReplaceAll(concrete, ":", "%3A"))
	}
	for _, p := range []string{"", "/", "//", "/v1/tenants//integrations", "/v1/tenants/a:b/integrations",
		"/v1/tenants/acme/integrations/crm/configs/c:publish:publish", "/v1/tenants/acme/integrations/crm/oauth:start",
		"/v1/tenants/acme/integrations/crm/configs/%3Apublish", "/v1/tenants/acme/integrations/crm/configs/c%3apublish"} {
		f.Add("POST", "/v1/tenants/{tenant}", p)
	}
	f.Add("GET", "/{a}}/{", "/x}/{")
	f.Fuzz(func(t *testing.T, method, tmpl, path string) {
		segs := parseTemplate(tmpl)
		if params, _, ok := matchSegments(segs, path); ok {
			for name, val := range params {
				if val == "" || strings.ContainsAny(val, ":/") {
					t.Fatalf("template %q, path %q: parameter %s = %q", tmpl, path, name, val)
				}
			}
			if got := rebuild(segs, params); got != strings.Trim(path, "/") {
				t.Fatalf("template %q, path %q: params %v rebuild %q", tmpl, path, params, got)
			}
		}
		op, params, err := v.Match(method, path)
		if err != nil {
			var me *MatchError
			if !errors.As(err, &me) || op != nil {
				t.Fatalf("Match(%s %q) = %v, %v", method, path, op, err)
			}
			switch me.Status {
			case http.StatusNotFound:
			case http.StatusMethodNotAllowed:
				if len(me.Allow) == 0 || slices.Contains(me.Allow, method) {
					t.Fatalf("Match(%s %q): 405 with Allow %v", method, path, me.Allow)
				}
			default:
				t.Fatalf("Match(%s %q): status %d", method, path, me.Status)
			}
			return
		}
		if op.Method != method {
			t.Fatalf("Match(%s %q) = %s %s", method, path, op.Method, op.Path)
		}
		if got := rebuild(op.segs, params); got != strings.Trim(path, "/") {
			t.Fatalf("Match(%s %q) = %s with %v, which rebuilds %q", method, path, op.Path, params, got)
		}
	})
}

// TestEncodedColonValidates: the validator, used on its own (proxy,
// validate-traffic), reads "%3Apublish" as ":publish", as the router does,
// and leaves the caller's request as it was.
func TestEncodedColonValidates(t *testing.T) {
	v, err := Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ op, suffix string }{{"publishConfig", "publish"}, {"verifyConfigAuth", "verifyAuth"}} {
		for _, colon := range []string{":", "%3A", "%3a"} {
			r, _ := http.NewRequest("POST", "http://127.0.0.1/v1/tenants/acme/integrations/crm/configs/3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14"+colon+c.suffix, nil)
			r.Header.Set("Authorization", "Bearer dev")
			raw := r.URL.RawPath
			if fs := v.ValidateRequest(r, v.Operation(c.op)); len(fs) > 0 {
				t.Errorf("%s with %q: %v", c.op, colon, fs)
			}
			if r.URL.RawPath != raw {
				t.Errorf("%s with %q: the caller's URL changed to %q", c.op, colon, r.URL.RawPath)
			}
		}
	}
}
