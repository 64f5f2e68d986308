package validator

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/jsonschema/v6"
)

type walkTarget struct {
	where  string
	walk   *jnode
	schema *jsonschema.Schema
}

// walkTargets lists every body schema of the embedded API spec that
// walkJSON compiles, beside the engine's compiled schema, in a stable order.
func walkTargets(t testing.TB) []walkTarget {
	v := eagerValidator(t, "fruxon")
	var out []walkTarget
	for _, op := range v.ops {
		for mt, n := range op.reqWalks {
			out = append(out, walkTarget{op.ID + " request " + mt, n, op.reqSchemas[mt].get()})
		}
		for code, d := range op.responses {
			for mt, n := range d.walks {
				out = append(out, walkTarget{op.ID + " " + code + " " + mt, n, d.schemas[mt].get()})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// FuzzWalkJSON pits walkJSON against the JSON Schema engine on arbitrary
// bytes for every body schema it compiles: whenever walkJSON is sure of its
// verdict, the engine must give the same one. A document walkJSON passes
// and the engine fails would be an invalid body let through.
func FuzzWalkJSON(f *testing.F) {
	targets := walkTargets(f)
	if len(targets) == 0 {
		f.Fatal("no schema compiled for walkJSON")
	}
	f.Add(uint16(0), []byte(`{}`))
	f.Add(uint16(1), []byte(`{"displayName":"x","type":"CUSTOM"}`))
	f.Add(uint16(2), []byte(`[{"a":1}]`))
	f.Add(uint16(3), []byte(`{"id":"3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14","displayName":"é\u00e9","tags":["a"]}`))
	f.Add(uint16(4), []byte(`{"configMetadata":{"parameters":[{"name":"n","type":"String"}]}}`))
	f.Fuzz(func(t *testing.T, which uint16, doc []byte) {
		tg := targets[int(which)%len(targets)]
		got, sure := walkJSON(tg.walk, doc)
		if !sure {
			return
		}
		var val any
		want := json.Unmarshal(doc, &val) == nil && tg.schema.Validate(val) == nil
		if got != want {
			t.Fatalf("%s: walkJSON says %v, the engine %v on %q", tg.where, got, want, strings.ToValidUTF8(string(doc), "\uFFFD"))
		}
	})
}
