package scenarios

// Internal tests of the JSONPath subset and the templates: both are
// unexported helpers of the format.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestJSONPath(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"items":[{"id":"a","n":1},{"id":"b","n":2}],
		"errors":{"auth.parameters.apiKey":["is required"]},"x-y":{"z":true},"empty":[]}`), &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    string
		want    string // the selected values as JSON, or the compile error
		wantErr bool
	}{
		{"$", "", false},
		{"$.items[0].id", `["a"]`, false},
		{"$.items[-1].n", `[2]`, false},
		{"$.items[2]", `null`, false},
		{"$.items[*].id", `["a","b"]`, false},
		{"$.items.*.n", `[1,2]`, false},
		{"$.errors['auth.parameters.apiKey'][0]", `["is required"]`, false},
		{`$.errors["auth.parameters.apiKey"]`, `[["is required"]]`, false},
		{"$.x-y.z", `[true]`, false},
		{"$['x-y'].z", `[true]`, false},
		{"$.empty[*]", `null`, false},
		{"$.missing.deeper", `null`, false},
		// RFC 9535 beyond the old subset.
		{"$.items[?@.id=='b'].n", `[2]`, false},
		{"$.items[?@.n > 1 && @.id != 'x'].id", `["b"]`, false},
		{"$.items[?@.id=='x-y'].n", `null`, false},
		{"$..id", `["a","b"]`, false},
		{"$.items[0:1].id", `["a"]`, false},
		{"$.items[::-1].id", `["b","a"]`, false},
		{"$.items[0,1].n", `[1,2]`, false},
		{"$.items[?length(@.id) == 1].id", `["a","b"]`, false},
		{"$.items[?match(@.id, '[ab]')].n", `[1,2]`, false},
		{"items", `"items": a JSONPath starts with $`, true},
		{"$.", ``, true},
		{"$.items[", ``, true},
		{"$.items[a]", ``, true},
		{"$['a", ``, true},
	}
	for _, tt := range tests {
		p, err := CompileJSONPath(tt.path)
		if tt.wantErr {
			if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("%q", tt.path)) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v, want one naming the path (and %q)", tt.path, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		if tt.path == "$" {
			if got := p.Select(doc); len(got) != 1 {
				t.Errorf("$ selects %d values", len(got))
			}
			continue
		}
		got, _ := json.Marshal(p.Select(doc))
		if string(got) != tt.want {
			t.Errorf("%s selects %s, want %s", tt.path, got, tt.want)
		}
	}
}

func TestTemplates(t *testing.T) {
	v := Vars{"run": "r1", "n": float64(3), "obj": map[string]any{"a": "b"}, "s": "x"}
	tests := []struct {
		in      any
		want    string // JSON of the expanded value, or the error
		wantErr bool
	}{
		{"plain", `"plain"`, false},
		{"id-{{run}}", `"id-r1"`, false},
		{"{{ n }}", `3`, false},
		{"{{n}}", `3`, false},
		{"n={{n}}", `"n=3"`, false},
		{"{{obj}}", `{"a":"b"}`, false},
		{"o={{obj}}", `"o={\"a\":\"b\"}"`, false},
		{`{{repeat "ab" 3}}`, `"ababab"`, false},
		{`{{s}}{{s}}`, `"xx"`, false},
		{`\{{baseUrl}}/c?q={{s}}`, `"{{baseUrl}}/c?q=x"`, false},
		{`\{{nope}}`, `"{{nope}}"`, false},
		{map[string]any{"k": []any{"{{n}}", "{{s}}"}}, `{"k":[3,"x"]}`, false},
		{"{{nope}}", `unknown variable "nope"`, true},
		{"{{run", `"{{run" has no closing }}`, true},
		{`{{repeat x 3}}`, `{{repeat x 3}}: repeat wants a quoted string, then a count`, true},
	}
	for _, tt := range tests {
		got, err := v.ExpandValue(tt.in)
		if tt.wantErr {
			if err == nil || err.Error() != tt.want {
				t.Errorf("%v: error %v, want %s", tt.in, err, tt.want)
			}
			continue
		}
		b, _ := json.Marshal(got)
		if err != nil || string(b) != tt.want {
			t.Errorf("%v = %s, %v; want %s", tt.in, b, err, tt.want)
		}
	}
}

func TestSubset(t *testing.T) {
	var got any
	json.Unmarshal([]byte(`{"id":"crm","n":1767232800000,"tags":["a","b"],"x":null,"ok":true}`), &got)
	tests := []struct {
		name string
		want any
		diff int
	}{
		{"listed members", map[string]any{"id": "crm", "n": int64(1767232800000)}, 0},
		{"regex", map[string]any{"id": "~^c"}, 0},
		{"escaped keyword", map[string]any{"id": `\present`}, 1},
		{"present and absent", map[string]any{"x": "present", "nope": "absent"}, 0},
		{"null is present", map[string]any{"x": nil}, 0},
		{"array by index", map[string]any{"tags": []any{"a", "~b"}}, 0},
		{"array length", map[string]any{"tags": []any{"a"}}, 1},
		{"wrong types", map[string]any{"id": int64(1), "ok": "true", "tags": map[string]any{}}, 3},
		{"regex on null", map[string]any{"x": "~."}, 1},
		{"missing", map[string]any{"nope": "x", "n": 2.5}, 2},
	}
	for _, tt := range tests {
		if d := Subset("$", tt.want, got, true); len(d) != tt.diff {
			t.Errorf("%s: %d differences %q, want %d", tt.name, len(d), d, tt.diff)
		}
	}
}

// TestJSONPathLocate: Locate names what a path selects with normalized
// paths, the form parity divergences use.
func TestJSONPathLocate(t *testing.T) {
	doc := map[string]any{
		"items": []any{map[string]any{"id": "a", "x-y": 1}, map[string]any{"id": "b", "x-y": 2}},
		"meta":  map[string]any{"it's": true},
	}
	for src, want := range map[string]string{
		"$.items[*].id":       "$.items[0].id $.items[1].id",
		"$.items[?@.id=='b']": "$.items[1]",
		"$.items[0]['x-y']":   "$.items[0]['x-y']",
		"$..id":               "$.items[0].id $.items[1].id",
		"$.meta[\"it's\"]":    `$.meta['it\'s']`,
		"$.missing":           "",
		"$":                   "$",
	} {
		p, err := CompileJSONPath(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(p.Locate(doc), " "); got != want {
			t.Errorf("%s: got %q, want %q", src, got, want)
		}
	}
}
