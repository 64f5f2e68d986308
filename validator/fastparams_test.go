package validator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// paramCandidates are raw (as sent: percent-encoded where they need to
// be) values tried in every parameter: valid and broken for each type,
// format and pattern in the specs, percent-encodings, reserved characters.
var paramCandidates = []string{
	"acme", "crm", "list_contacts", "test-create-42", "rate-limited",
	"3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14", "3F1C9A52-8D4E-4B7A-9C61-2E5F0D8B7A14",
	"3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a1", "3f1c9a528d4e4b7a9c612e5f0d8b7a14", "not-a-uuid",
	"%33f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14", "%61cme", "a%20b", "a+b", "a%2Bb", "a%3Ab", "a%2Fb",
	"a%2Cb", "%zz", "%", "%C3%A9", "a.b", "a~b", "_", "-",
	"0", "1", "-1", "10", "50", "100", "101", "199", "1000", "1001", "2147483648", "99999999999999999999", "1.0", "1e2", "abc", "",
	"true", "false", "TRUE", "True", "t", "yes",
	"CUSTOM", "custom", "MCP", "OPENAPI", "%20CUSTOM", "CUSTOM%20",
	strings.Repeat("x", 65), strings.Repeat("y", 129),
}

// TestFastParamsAgreeWithLibrary: for every parameter of every operation
// of both specs, each candidate value (and the parameter repeated, and
// absent) gives exactly the library-only findings, so the same problem
// bodies; and whenever the fast path answers "valid" the library finds
// the parameters valid too.
func TestFastParamsAgreeWithLibrary(t *testing.T) {
	t.Parallel()
	for name := range embeddedSpecs {
		v := eagerValidator(t, name)
		compared, fastValid, libValid, fastOps := 0, 0, 0, 0
		for i, op := range v.ops {
			if op.paramsFast {
				fastOps++
			}
			if i%raceStride != 0 {
				continue
			}
			params := slices.Concat(modelOf(op).pathItem.Parameters, modelOf(op).op.Parameters)
			defaults := map[string]string{}
			for _, p := range params {
				if p.In == "path" {
					defaults[p.Name] = exampleText(p.Example, "acme")
				}
			}
			var body []byte
			if op.hasBody {
				body = []byte(`{}`)
				if media, ok := modelOf(op).op.RequestBody.Content.Get("application/json"); ok {
					if b, ok := mediaExample(media, ""); ok {
						body = b
					}
				}
			}
			try := func(what string, path map[string]string, query string, header http.Header) {
				target := op.Path
				for k, val := range path {
					target = strings.Replace(target, "{"+k+"}", val, 1)
				}
				if query != "" {
					target += "?" + query
				}
				if _, err := url.ParseRequestURI(target); err != nil {
					return // a server never sees it
				}
				mk := func() *http.Request {
					r := httptest.NewRequest(op.Method, "http://x"+target, strings.NewReader(string(body)))
					if body == nil {
						r = httptest.NewRequest(op.Method, "http://x"+target, nil)
					} else {
						r.Header.Set("Content-Type", "application/json")
					}
					for k, vs := range header {
						r.Header[k] = vs
					}
					return r
				}
				probe := mk()
				fastOK := op.paramsValid(probe)
				fast := v.ValidateRequest(mk(), op)
				_, errs := libOf(v).lib.ValidateHttpRequestSyncWithPathItem(mk(), modelOf(op).pathItem, op.Path)
				lib := fromLibErrors(errs, "")
				compared++
				if len(lib) == 0 {
					libValid++
				}
				if fastOK {
					fastValid++
					if len(lib) > 0 && !(op.hasBody && onlyBody(lib)) {
						t.Errorf("%s %s %s (%s): the fast path says valid, the library: %v", name, op.ID, what, target, lib)
					}
				}
				if !reflect.DeepEqual(fast, lib) {
					t.Errorf("%s %s %s (%s): fast %v, library %v", name, op.ID, what, target, fast, lib)
					return
				}
				fp, _ := json.Marshal(fast.Problem())
				lp, _ := json.Marshal(lib.Problem())
				if string(fp) != string(lp) {
					t.Errorf("%s %s %s: problem bodies differ:\n%s\n%s", name, op.ID, what, fp, lp)
				}
			}
			try("defaults", defaults, "", nil)
			try("fragment-free undeclared query", defaults, "zzz=1&a%5Bb%5D=2", nil)
			try("semicolon query", defaults, "a=1;b=2", nil)
			for _, p := range params {
				for _, c := range paramCandidates {
					what := fmt.Sprintf("%s %s=%q", p.In, p.Name, c)
					switch p.In {
					case "path":
						if c == "" {
							continue
						}
						path := maps(defaults)
						path[p.Name] = c
						try(what, path, "", nil)
					case "query":
						try(what, defaults, p.Name+"="+c, nil)
						try(what+" repeated", defaults, p.Name+"="+c+"&"+p.Name+"=1", nil)
						try(what+" after an undeclared one", defaults, "zz=%2F&"+p.Name+"="+c, nil)
					case "header":
						try(what, defaults, "", http.Header{http.CanonicalHeaderKey(p.Name): {c}})
						try(what+" twice", defaults, "", http.Header{http.CanonicalHeaderKey(p.Name): {c, "x"}})
					default:
						try(what, defaults, "", http.Header{"Cookie": {p.Name + "=" + c}})
					}
				}
				if p.In == "query" {
					try("query "+p.Name+" without a value", defaults, p.Name, nil)
					try("query "+p.Name+" with a literal reserved character", defaults, p.Name+"=a:b", nil)
				}
			}
		}
		if compared < 1000/raceStride || fastValid < compared/10 || fastOps < len(v.ops)/2 {
			t.Fatalf("%s: %d comparisons, %d fast-valid, %d library-valid, %d/%d operations on the fast path: the test proves little",
				name, compared, fastValid, libValid, fastOps, len(v.ops))
		}
		t.Logf("%s: %d comparisons, %d found valid by the fast path, %d by the library; %d/%d operations on the fast path",
			name, compared, fastValid, libValid, fastOps, len(v.ops))
	}
}

func onlyBody(fs Findings) bool {
	for _, f := range fs {
		if f.In != "body" && f.In != "content-type" {
			return false
		}
	}
	return true
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func exampleText(n interface{ Decode(any) error }, fallback string) string {
	if reflect.ValueOf(n).IsNil() {
		return fallback
	}
	var s any
	if n.Decode(&s) != nil || s == nil {
		return fallback
	}
	return fmt.Sprint(s)
}
