package validator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestFastBodyAgreesWithLibrary: for every documented JSON response, and
// for broken variants of it, the fast path and libopenapi-validator give
// the same verdict.
func TestFastBodyAgreesWithLibrary(t *testing.T) {
	t.Parallel()
	for name := range embeddedSpecs {
		v := eagerValidator(t, name)
		compared := 0
		for i, op := range v.ops {
			if i%raceStride != 0 {
				continue
			}
			r := httptest.NewRequest(op.Method, "/x", nil)
			for _, status := range op.DeclaredStatuses() {
				d, _ := op.declared(status)
				if len(d.schemas) == 0 {
					continue
				}
				ct, body, header, ok := op.Example(status, "")
				if !ok || len(body) == 0 {
					continue
				}
				header.Set("Content-Type", ct)
				for variant, b := range variants(t, body) {
					for _, h := range headerVariants(header) {
						fast, _ := d.fastBody(status, h, b)
						lib := v.libVerdict(r, op, status, h, b)
						if (len(fast) == 0) != lib {
							t.Errorf("%s %s %d %s: fast says %v, library says valid=%v\nbody: %s", name, op.ID, status, variant, fast, lib, b)
						}
						compared++
					}
				}
			}
		}
		if compared < 100/raceStride {
			t.Fatalf("%s: only %d comparisons; the test proves little", name, compared)
		}
	}
}

func (v *Validator) libVerdict(r *http.Request, op *Operation, status int, h http.Header, body []byte) bool {
	resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}
	ok, _ := libOf(v).lib.GetResponseBodyValidator().ValidateResponseBodyWithPathItem(r, resp, modelOf(op).pathItem, op.Path)
	return ok
}

// variants returns the body and broken versions of it.
func variants(t *testing.T, body []byte) map[string][]byte {
	out := map[string][]byte{"as documented": body, "not JSON": []byte(`{"a":`)}
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
	for k := range m {
		out["without "+k] = with(func(c map[string]any) { delete(c, k) })
		out[k+" as a number"] = with(func(c map[string]any) { c[k] = 42 })
		out[k+" as null"] = with(func(c map[string]any) { c[k] = nil })
		break // one key per example keeps the run short; examples differ
	}
	return out
}

func headerVariants(h http.Header) []http.Header {
	out := []http.Header{h}
	wrongType := h.Clone()
	wrongType.Set("Content-Type", "text/plain")
	out = append(out, wrongType)
	for k := range h {
		if k != "Content-Type" {
			missing := h.Clone()
			missing.Del(k)
			out = append(out, missing)
		}
	}
	return out
}
