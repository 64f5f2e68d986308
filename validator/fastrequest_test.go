package validator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestFastRequestAgreesWithLibrary: for every operation with a JSON request
// body, its documented example and broken variants of it (every top-level
// property missing, mistyped or null, an extra property, broken JSON,
// empty), under several content types and with a bad query, the fast path
// gives exactly the library's findings (so the same problem bodies) and
// leaves the body readable for the handler.
func TestFastRequestAgreesWithLibrary(t *testing.T) {
	t.Parallel()
	for name := range embeddedSpecs {
		v := eagerValidator(t, name)
		compared, fastOps, valid := 0, 0, 0
		for _, op := range v.ops {
			if op.reqSchemas == nil {
				continue
			}
			if fastOps++; (fastOps-1)%raceStride != 0 {
				continue
			}
			body := []byte(`{}`)
			if media, ok := modelOf(op).op.RequestBody.Content.Get("application/json"); ok {
				if b, ok := mediaExample(media, ""); ok {
					body = b
				}
			}
			path := pathParam.ReplaceAllString(op.Path, "acme")
			for variant, b := range requestVariants(body) {
				for _, ct := range []string{"application/json", "application/json; charset=utf-8", "", "text/plain"} {
					for _, query := range []string{"", "?pageSize=abc"} {
						mk := func() *http.Request {
							r := httptest.NewRequest(op.Method, path+query, strings.NewReader(string(b)))
							if ct != "" {
								r.Header.Set("Content-Type", ct)
							}
							return r
						}
						fr := mk()
						fast := v.ValidateRequest(fr, op)
						_, errs := libOf(v).lib.ValidateHttpRequestSyncWithPathItem(mk(), modelOf(op).pathItem, op.Path)
						lib := fromLibErrors(errs, "")
						if !reflect.DeepEqual(fast, lib) {
							t.Errorf("%s %s %s, %q%s: fast %v, library %v", name, op.ID, variant, ct, query, fast, lib)
						}
						fp, _ := json.Marshal(fast.Problem())
						lp, _ := json.Marshal(lib.Problem())
						if len(fast) > 0 && string(fp) != string(lp) {
							t.Errorf("%s %s %s: problem bodies differ:\n%s\n%s", name, op.ID, variant, fp, lp)
						}
						if rest, _ := io.ReadAll(fr.Body); string(rest) != string(b) {
							t.Errorf("%s %s %s: the handler would read %q, not the body", name, op.ID, variant, rest)
						}
						if len(fast) == 0 {
							valid++
						}
						compared++
					}
				}
			}
		}
		if fastOps == 0 || compared < 50/raceStride || valid == 0 {
			t.Fatalf("%s: %d operations, %d comparisons, %d valid; the test proves little", name, fastOps, compared, valid)
		}
		t.Logf("%s: %d operations with a JSON body, %d comparisons, %d valid", name, fastOps, compared, valid)
	}
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// requestVariants returns the body and broken versions of it, one per
// top-level property and kind of breakage, plus one nested breakage.
func requestVariants(body []byte) map[string][]byte {
	out := map[string][]byte{"as documented": body, "not JSON": []byte(`{"a":`), "empty": nil,
		"two values": append(append([]byte{}, body...), body...), "trailing garbage": append(append([]byte{}, body...), " x"...),
		"array": []byte(`[]`), "null": []byte(`null`), "string": []byte(`"x"`)}
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return out
	}
	with := func(f func(map[string]any)) []byte {
		c := map[string]any{}
		json.Unmarshal(body, &c)
		f(c)
		b, _ := json.Marshal(c)
		return b
	}
	out["extra property"] = with(func(c map[string]any) { c["zzzExtra"] = 1 })
	for k, val := range m {
		out["without "+k] = with(func(c map[string]any) { delete(c, k) })
		out[k+" as a number"] = with(func(c map[string]any) { c[k] = 42 })
		out[k+" as null"] = with(func(c map[string]any) { c[k] = nil })
		out[k+" as a string"] = with(func(c map[string]any) { c[k] = "x" })
		if obj, ok := val.(map[string]any); ok {
			for nk := range obj {
				out[k+"."+nk+" as an array"] = with(func(c map[string]any) { c[k].(map[string]any)[nk] = []any{true} })
				break
			}
		}
	}
	return out
}
