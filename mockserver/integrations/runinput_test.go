package integrations_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

func TestCheckRunParameters(t *testing.T) {
	lo, hi := int64(1), int64(100)
	def := func(s string) *string { return &s }
	decl := []integrations.ParameterMetadata{
		{Name: "query", Type: integrations.ParameterTypeString, Required: true},
		{Name: "limit", Type: integrations.ParameterTypeInteger, IntegerRange: &integrations.IntegerRange{Min: &lo, Max: &hi}, DefaultValue: def("10")},
		{Name: "order", Type: integrations.ParameterTypeString, Options: []integrations.Option{{Value: "asc"}, {Value: "desc"}}},
		{Name: "exact", Type: integrations.ParameterTypeBoolean, DefaultValue: def("true")},
		{Name: "filter", Type: integrations.ParameterTypeJSON, DefaultValue: def(`{"a":1}`)},
		{Name: "label", Type: integrations.ParameterTypeString, DefaultValue: def("x")},
	}
	tests := []struct {
		name   string
		values map[string]any
		want   map[string]any
		fields []string
	}{
		{"defaults fill absent optional parameters", map[string]any{"query": "smith", "order": nil},
			map[string]any{"query": "smith", "limit": json.Number("10"), "exact": true, "filter": map[string]any{"a": json.Number("1")}, "label": "x"}, nil},
		{"given values win and are normalised", map[string]any{"query": "q", "limit": 5, "order": "asc", "exact": false, "filter": nil, "label": "y"},
			map[string]any{"query": "q", "limit": json.Number("5"), "order": "asc", "exact": false, "filter": map[string]any{"a": json.Number("1")}, "label": "y"}, nil},
		{"every failure named", map[string]any{"limit": 1000, "order": "up", "exact": "yes", "extra": 1}, nil,
			[]string{"parameters.query", "parameters.limit", "parameters.order", "parameters.exact", "parameters.extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := integrations.CheckRunParameters(decl, tt.values)
			if tt.fields == nil {
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("CheckRunParameters = %#v, %v; want %#v", got, err, tt.want)
				}
				return
			}
			var se *core.Error
			if !errors.As(err, &se) || se.Kind != core.KindInvalid || len(se.Fields) != len(tt.fields) {
				t.Fatalf("err = %v, want findings on %v", err, tt.fields)
			}
			for _, f := range tt.fields {
				if se.Fields[f] == nil {
					t.Fatalf("no finding on %s: %v", f, se.Fields)
				}
			}
		})
	}
}

func TestConfigOwner(t *testing.T) {
	s, _ := newStore(t, integrations.Options{})
	for _, id := range []string{"crm", "billing"} {
		if _, _, err := s.CreateIntegration("acme", integrations.CreateIntegrationInput{ID: &id}); err != nil {
			t.Fatal(err)
		}
	}
	c, _, err := s.CreateConfig("acme", "billing", integrations.CreateConfigInput{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if owner, ok := s.ConfigOwner("acme", c.ID); !ok || owner != "billing" {
		t.Fatalf("ConfigOwner = %q, %v; want billing", owner, ok)
	}
	for _, q := range [][2]string{{"acme", "00000000-0000-4000-8000-000000000000"}, {"other", c.ID}} {
		if owner, ok := s.ConfigOwner(q[0], q[1]); ok {
			t.Fatalf("ConfigOwner(%s, %s) = %q, want none", q[0], q[1], owner)
		}
	}
}
