package validator_test

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fruxon/fruxon-mock/validator"
)

func parsedSpec(t *testing.T, spec []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// operations yields each operation object of a document with its
// operationId.
func specOperations(doc map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, item := range doc["paths"].(map[string]any) {
		for _, o := range item.(map[string]any) {
			if op, ok := o.(map[string]any); ok && op["operationId"] != nil {
				out[op["operationId"].(string)] = op
			}
		}
	}
	return out
}

// TestRequestExamplesHaveTwins: example-driven contract tools (Dredd,
// Prism's example selection, Schemathesis' explicit examples) pair a
// request example with the response example of the same name; every named
// request example of both specs has a 2xx response example twin, so none
// is paired with an error answer (an operation whose 2xx has no body, like
// importState's 204, has nothing to pair).
func TestRequestExamplesHaveTwins(t *testing.T) {
	for name, spec := range map[string][]byte{"fruxon.yaml": validator.FruxonSpec(), "control-plane.yaml": validator.ControlPlaneSpec()} {
		for id, op := range specOperations(parsedSpec(t, spec)) {
			rb, _ := op["requestBody"].(map[string]any)
			if rb == nil || rb["content"] == nil {
				continue
			}
			twins := map[string]bool{}
			bodiless := false
			for status, r := range op["responses"].(map[string]any) {
				if !strings.HasPrefix(status, "2") {
					continue
				}
				content, _ := r.(map[string]any)["content"].(map[string]any)
				if content == nil {
					bodiless = true // a 204 has no body to be an example of
				}
				for _, media := range content {
					exs, _ := media.(map[string]any)["examples"].(map[string]any)
					for ex := range exs {
						twins[ex] = true
					}
				}
			}
			for ct, media := range rb["content"].(map[string]any) {
				exs, _ := media.(map[string]any)["examples"].(map[string]any)
				for ex := range exs {
					if !twins[ex] && !bodiless {
						t.Errorf("%s %s: request example %q (%s) has no 2xx response example of that name", name, id, ex, ct)
					}
				}
			}
		}
	}
}

// TestSpecYAMLEveryReadingAgrees: GET /openapi.yaml answers YAML text. A
// validator that parses YAML bodies reads the document (an object), one
// that reads text a string; the declared media type may not have a schema
// that one of these readings breaks (it had `type: string`).
func TestSpecYAMLEveryReadingAgrees(t *testing.T) {
	op := specOperations(parsedSpec(t, validator.ControlPlaneSpec()))["getSpecYAML"]
	media := op["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)["application/yaml"].(map[string]any)
	if schema, ok := media["schema"].(map[string]any); ok {
		if typ, ok := schema["type"]; ok {
			t.Fatalf("application/yaml declares type %v: a YAML-parsing validator reads an object, a text one a string", typ)
		}
	}
	// The mock's own reading: the served document passes response validation.
	v, err := validator.ControlPlane()
	if err != nil {
		t.Fatal(err)
	}
	if o := v.Operation("getSpecYAML"); o == nil || !o.Declares(200) {
		t.Fatal("getSpecYAML does not declare 200")
	}
}
