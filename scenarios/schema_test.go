package scenarios

// An internal test: the loader's key lists are unexported.

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestSchemaMatchesLoader keeps scenario.schema.json, which editors use,
// in step with the keys the strict loader accepts.
func TestSchemaMatchesLoader(t *testing.T) {
	raw, err := os.ReadFile("scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	var schema struct {
		object
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("scenario.schema.json is not JSON: %v", err)
	}
	tests := []struct {
		where string
		props map[string]json.RawMessage
		keys  []string
	}{
		{"top level", schema.Properties, scenarioKeys},
		{"$defs.stub", schema.Defs["stub"].Properties, stubKeys},
		{"$defs.stubRequest", schema.Defs["stubRequest"].Properties, stubRequestKeys},
		{"$defs.vendorStub", schema.Defs["vendorStub"].Properties, vendorStubKeys},
		{"$defs.vendorStubResponse", schema.Defs["vendorStubResponse"].Properties, vendorStubResponseKeys},
		{"$defs.step", schema.Defs["step"].Properties, stepKeys},
		{"$defs.stepRequest", schema.Defs["stepRequest"].Properties, stepRequestKeys},
		{"$defs.expect", schema.Defs["expect"].Properties, expectKeys},
	}
	for _, tt := range tests {
		var got []string
		for k := range tt.props {
			got = append(got, k)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.keys))
		if !slices.Equal(got, want) {
			t.Errorf("%s: schema has %v, the loader knows %v", tt.where, got, want)
		}
	}
}
