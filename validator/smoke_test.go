package validator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fruxon/fruxon-mock/validator"
)

// specDoc is a spec read as plain YAML, independent of libopenapi, so the
// smoke test checks the validator against what the file says.
type specDoc struct{ root map[string]any }

func loadDoc(t *testing.T, src []byte) specDoc {
	t.Helper()
	var root map[string]any
	if err := yaml.Unmarshal(src, &root); err != nil {
		t.Fatal(err)
	}
	return specDoc{root}
}

// resolve follows a local $ref ("#/components/…").
func (d specDoc) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	for i := 0; m != nil && i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var cur any = d.root
		for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[p]
		}
		m, _ = cur.(map[string]any)
	}
	return m
}

// examples returns a media type's examples by name ("example" for the
// single-example form).
func (d specDoc) examples(media map[string]any) map[string]any {
	out := map[string]any{}
	if ex, ok := media["example"]; ok {
		out["example"] = ex
	}
	if exs, ok := media["examples"].(map[string]any); ok {
		for name, e := range exs {
			if em := d.resolve(e); em != nil {
				if v, ok := em["value"]; ok {
					out[name] = v
				}
			}
		}
	}
	return out
}

type specOp struct {
	method, path, id string
	op               map[string]any
	params           []map[string]any
}

func (d specDoc) operations() []specOp {
	var ops []specOp
	paths := d.root["paths"].(map[string]any)
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item := d.resolve(paths[p])
		var shared []map[string]any
		if ps, ok := item["parameters"].([]any); ok {
			for _, x := range ps {
				shared = append(shared, d.resolve(x))
			}
		}
		for _, m := range []string{"get", "post", "put", "patch", "delete"} {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			params := append([]map[string]any{}, shared...)
			if ps, ok := op["parameters"].([]any); ok {
				for _, x := range ps {
					params = append(params, d.resolve(x))
				}
			}
			id, _ := op["operationId"].(string)
			ops = append(ops, specOp{strings.ToUpper(m), p, id, op, params})
		}
	}
	return ops
}

// pathValue picks a valid value for a path parameter: its example, else
// one that fits its schema.
func pathValue(p map[string]any) string {
	if ex, ok := p["example"]; ok {
		return fmt.Sprint(ex)
	}
	if s, ok := p["schema"].(map[string]any); ok {
		if ex, ok := s["example"]; ok {
			return fmt.Sprint(ex)
		}
		if s["format"] == "uuid" {
			return "497f6eca-6276-4993-bfeb-53cbbbba6f08"
		}
	}
	return "sample"
}

// buildRequest makes a request for op from the spec's own examples.
func (d specDoc) buildRequest(t *testing.T, o specOp) (*http.Request, map[string]any) {
	t.Helper()
	path := o.path
	q := url.Values{}
	for _, p := range o.params {
		name, _ := p["name"].(string)
		switch p["in"] {
		case "path":
			path = strings.ReplaceAll(path, "{"+name+"}", pathValue(p))
		case "query":
			if req, _ := p["required"].(bool); req {
				q.Set(name, pathValue(p))
			}
		}
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var r *http.Request
	var reqExamples map[string]any
	if rb := d.resolve(o.op["requestBody"]); rb != nil {
		content := rb["content"].(map[string]any)
		for mt, media := range content {
			reqExamples = d.examples(d.resolve(media))
			if len(reqExamples) == 0 {
				t.Errorf("%s: request body %s has no example", o.id, mt)
				return nil, nil
			}
			var body string
			for _, ex := range reqExamples {
				body = encodeBody(t, mt, ex)
				break
			}
			r = httptest.NewRequest(o.method, path, strings.NewReader(body))
			r.Header.Set("Content-Type", mt)
			break
		}
	}
	if r == nil {
		r = httptest.NewRequest(o.method, path, nil)
	}
	r.Header.Set("Authorization", "Bearer x")
	return r, reqExamples
}

func encodeBody(t *testing.T, mediaType string, ex any) string {
	if mediaType == "application/x-www-form-urlencoded" {
		form := url.Values{}
		for k, v := range ex.(map[string]any) {
			form.Set(k, fmt.Sprint(v))
		}
		return form.Encode()
	}
	b, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEveryOperation sends one valid request and checks every example
// response of every operation in both specs. A schema that silently failed
// to compile fails every exchange of its operation, so it shows up here.
func TestEveryOperation(t *testing.T) {
	for name, src := range map[string][]byte{"fruxon": validator.FruxonSpec(), "control-plane": validator.ControlPlaneSpec()} {
		t.Run(name, func(t *testing.T) {
			v := built(t, name)
			d := loadDoc(t, src)
			ops := d.operations()
			if len(ops) != len(v.Operations()) {
				t.Fatalf("spec has %d operations, validator indexed %d", len(ops), len(v.Operations()))
			}
			for _, o := range ops {
				t.Run(o.id, func(t *testing.T) {
					r, _ := d.buildRequest(t, o)
					if r == nil {
						return
					}
					op, _, err := v.Match(r.Method, r.URL.Path)
					if err != nil || op.ID != o.id {
						t.Fatalf("%s %s matched %v (%v), want %s", r.Method, r.URL.Path, op, err, o.id)
					}
					if fs := v.ValidateRequest(r, op); len(fs) != 0 {
						t.Fatalf("valid example request flagged: %v", fs)
					}
					checkResponses(t, d, v, op, o, r)
				})
			}
		})
	}
}

// checkResponses validates every example of every declared response, and
// requires a success example.
func checkResponses(t *testing.T, d specDoc, v *validator.Validator, op *validator.Operation, o specOp, r *http.Request) {
	responses := o.op["responses"].(map[string]any)
	sawSuccess := false
	for code, resp := range responses {
		status, err := strconv.Atoi(code)
		if err != nil {
			continue
		}
		rm := d.resolve(resp)
		content, _ := rm["content"].(map[string]any)
		if len(content) == 0 {
			if status < 300 || status == 401 || status == 403 {
				sawSuccess = sawSuccess || status < 300
				h := http.Header{}
				if hs, ok := rm["headers"].(map[string]any); ok {
					for hn := range hs {
						h.Set(hn, headerExample(hn))
					}
				}
				if fs := v.ValidateResponse(r, op, status, h, nil); len(fs) != 0 {
					t.Errorf("%d without content flagged: %v", status, fs)
				}
			}
			continue
		}
		for mt, media := range content {
			exs := d.examples(d.resolve(media))
			if len(exs) == 0 && (status < 300 || strings.Contains(mt, "json")) {
				t.Errorf("response %d %s has no example", status, mt)
			}
			for name, ex := range exs {
				var body []byte
				if s, ok := ex.(string); ok && !strings.Contains(mt, "json") {
					body = []byte(s)
				} else if body, err = json.Marshal(ex); err != nil {
					t.Fatal(err)
				}
				h := http.Header{"Content-Type": {mt}}
				if hs, ok := rm["headers"].(map[string]any); ok {
					for hn := range hs {
						h.Set(hn, headerExample(hn))
					}
				}
				if fs := v.ValidateResponse(r, op, status, h, body); len(fs) != 0 {
					t.Errorf("example %q of %d %s does not validate: %v", name, status, mt, fs)
				}
				if status < 300 {
					sawSuccess = true
				}
			}
		}
	}
	if !sawSuccess {
		t.Errorf("no success response example")
	}
}

func headerExample(name string) string {
	switch strings.ToLower(name) {
	case "retry-after":
		return "30"
	case "www-authenticate":
		return `Bearer realm="fruxon"`
	case "etag":
		return `"1"`
	}
	return "x"
}

// TestRequestExamplesValidate checks every named request example, not just
// the first one the smoke test sends.
func TestRequestExamplesValidate(t *testing.T) {
	for name, src := range map[string][]byte{"fruxon": validator.FruxonSpec(), "control-plane": validator.ControlPlaneSpec()} {
		v := built(t, name)
		d := loadDoc(t, src)
		for _, o := range d.operations() {
			rb := d.resolve(o.op["requestBody"])
			if rb == nil {
				continue
			}
			for mt, media := range rb["content"].(map[string]any) {
				for exName, ex := range d.examples(d.resolve(media)) {
					r, _ := d.buildRequest(t, o)
					body := encodeBody(t, mt, ex)
					r2 := httptest.NewRequest(r.Method, r.URL.String(), strings.NewReader(body))
					r2.Header = r.Header.Clone()
					op, _, _ := v.Match(r2.Method, r2.URL.Path)
					if fs := v.ValidateRequest(r2, op); len(fs) != 0 {
						t.Errorf("%s %s example %q: %v", name, o.id, exName, fs)
					}
				}
			}
		}
	}
}
