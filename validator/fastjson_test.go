package validator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/jsonschema/v6"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// TestWalkJSONAgreesWithEngine: for every request and response schema of
// both specs that walkJSON compiles, its documented examples and thousands
// of variants (every value in them replaced by each kind of wrong or
// edge value, every property dropped, extra ones, escapes, invalid UTF-8,
// broken JSON) get walkJSON's verdict exactly when the JSON Schema engine
// gives it on the decoded document, so walkJSON never passes what the
// library would fail (nor, inside oneOf, fails a branch the engine passes).
func TestWalkJSONAgreesWithEngine(t *testing.T) {
	t.Parallel()
	for name := range embeddedSpecs {
		v := eagerValidator(t, name)
		type target struct {
			where  string
			walk   *jnode
			schema *jsonschema.Schema
			media  *v3.MediaType
		}
		var targets []target
		for _, op := range v.ops {
			for mt, n := range op.reqWalks {
				media, _ := modelOf(op).op.RequestBody.Content.Get(mt)
				targets = append(targets, target{op.ID + " request " + mt, n, op.reqSchemas[mt].get(), media})
			}
			if modelOf(op).op.Responses == nil {
				continue
			}
			for code, r := range modelOf(op).op.Responses.Codes.FromOldest() {
				d := op.responses[strings.ToUpper(code)]
				for mt, n := range d.walks {
					media, _ := r.Content.Get(mt)
					targets = append(targets, target{op.ID + " " + code + " " + mt, n, d.schemas[mt].get(), media})
				}
			}
		}
		sort.Slice(targets, func(i, j int) bool { return targets[i].where < targets[j].where })
		compared, valid, invalid, unsure := 0, 0, 0, 0
		for i, tg := range targets {
			if i%raceSchemaStride != 0 {
				continue
			}
			var docs [][]byte
			if tg.media != nil {
				if b, ok := mediaExample(tg.media, ""); ok {
					docs = append(docs, b)
				}
				if tg.media.Examples != nil {
					for key := range tg.media.Examples.KeysFromOldest() {
						if b, ok := mediaExample(tg.media, key); ok {
							docs = append(docs, b)
						}
					}
				}
			}
			docs = append(docs, []byte(`{}`), []byte(`[]`), []byte(`null`), []byte(`"x"`), []byte(`1`))
			for _, doc := range docs {
				for _, b := range jsonVariants(doc) {
					wv, sure := walkJSON(tg.walk, b)
					var val any
					engine := json.Unmarshal(b, &val) == nil && tg.schema.Validate(val) == nil
					if !sure {
						unsure++
						continue
					}
					compared++
					if engine {
						valid++
					} else {
						invalid++
					}
					if wv != engine {
						t.Errorf("%s %s: walkJSON says %v, the engine %v on %s", name, tg.where, wv, engine, b)
					}
				}
			}
		}
		if len(targets) < 10 || compared < 2000/raceSchemaStride || valid < 100/raceSchemaStride || invalid < 1000/raceSchemaStride {
			t.Fatalf("%s: %d schemas, %d comparisons (%d valid, %d invalid): the test proves little", name, len(targets), compared, valid, invalid)
		}
		t.Logf("%s: %d schemas compiled for walkJSON, %d comparisons (%d valid, %d invalid), %d documents walkJSON left to the engine",
			name, len(targets), compared, valid, invalid, unsure)
	}
}

// jsonVariants returns doc and variants of it: each value replaced by
// edge values of every type, each property removed, an extra property,
// and byte-level variants.
func jsonVariants(doc []byte) [][]byte {
	out := [][]byte{doc, append([]byte(" \n"), append(doc, "\t "...)...), append(append([]byte{}, doc...), " x"...),
		doc[:len(doc)/2], append(append([]byte{}, doc...), doc...)}
	var root any
	if json.Unmarshal(doc, &root) != nil {
		return out
	}
	replacements := []any{nil, 42.0, 1.5, -1.0, 0.0, 2147483648.0, 1e19, "x", "", "3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14",
		"3F1C9A52-8D4E-4B7A-9C61-2E5F0D8B7A1", strings.Repeat("é", 300), "CUSTOM", "API_KEY", "bad value!", true, false,
		[]any{}, []any{"x"}, []any{1.0}, map[string]any{}, map[string]any{"zzz": 1.0}}
	var paths [][]any
	var walk func(v any, path []any)
	walk = func(v any, path []any) {
		paths = append(paths, append([]any{}, path...))
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, append(path, k))
			}
		case []any:
			for i, c := range x {
				if i < 2 {
					walk(c, append(path, i))
				}
			}
		}
	}
	walk(root, nil)
	for _, p := range paths {
		for _, r := range replacements {
			out = append(out, mustJSON(replaceAt(deepCopy(root), p, r, false)))
		}
		if len(p) > 0 {
			if _, isKey := p[len(p)-1].(string); isKey {
				out = append(out, mustJSON(replaceAt(deepCopy(root), p, nil, true)))
			}
		}
		if _, ok := getAt(root, p).(map[string]any); ok {
			c := deepCopy(root)
			getAt(c, p).(map[string]any)["zzzExtra"] = "x"
			out = append(out, mustJSON(c))
		}
		if s, ok := getAt(root, p).(string); ok && len(p) > 0 {
			// the same string escaped, and with invalid UTF-8
			b := mustJSON(root)
			quoted, _ := json.Marshal(s)
			out = append(out, []byte(strings.Replace(string(b), string(quoted), `"\u0041`+string(quoted[1:]), 1)))
			out = append(out, []byte(strings.Replace(string(b), string(quoted), `"\xff`+string(quoted[1:]), 1)))
			out = append(out, []byte(strings.Replace(string(b), string(quoted), "\"\xff"+string(quoted[1:]), 1)))
			out = append(out, []byte(strings.Replace(string(b), string(quoted), `"\ud800`+string(quoted[1:]), 1)))
		}
	}
	return out
}

func getAt(v any, path []any) any {
	for _, k := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[k.(string)]
		case []any:
			v = x[k.(int)]
		}
	}
	return v
}

func replaceAt(root any, path []any, val any, remove bool) any {
	if len(path) == 0 {
		return val
	}
	parent := getAt(root, path[:len(path)-1])
	switch x := parent.(type) {
	case map[string]any:
		if remove {
			delete(x, path[len(path)-1].(string))
		} else {
			x[path[len(path)-1].(string)] = val
		}
	case []any:
		x[path[len(path)-1].(int)] = val
	}
	return root
}

func deepCopy(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return b
}

// TestSkipPlainAgreesWithTable: the eight-at-a-time scan stops where the
// byte-at-a-time one does, at every offset, over bytes of every kind.
func TestSkipPlainAgreesWithTable(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []byte("abcXYZ09 ~!\"\\\x00\x1f\x20\x7f\x80\xc3\xa9\xff")
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(4) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[i] = byte('a' + r.IntN(26))
			}
		}
		for from := 0; from <= len(b); from++ {
			want := from
			for want < len(b) && strPlain[b[want]] {
				want++
			}
			if got := skipPlain(b, from); got != want {
				t.Fatalf("skipPlain(%q, %d) = %d, want %d", b, from, got, want)
			}
		}
	}
}
