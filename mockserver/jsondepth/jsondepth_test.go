package jsondepth

import (
	"encoding/json"
	"strings"
	"testing"
)

func nest(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func TestOf(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{`1`, 0}, {`{}`, 1}, {`{"a":[1,{"b":2}]}`, 3}, {`"[[[["`, 0}, {`{"a\"[[":"]"}`, 1}, {nest(70), 70},
	} {
		if got := Of([]byte(tt.in)); got != tt.want {
			t.Errorf("Of(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestCheckNamesTheField(t *testing.T) {
	for _, tt := range []struct {
		in, path string
		deep     bool
	}{
		{`{"parameters":{"blob":` + nest(10) + `}}`, "", false},
		{`{"parameters":{"blob":` + nest(Max) + `}}`, "parameters.blob", true},
		{`{"a":1,"list":[0,{"x":` + nest(Max) + `}]}`, "list[1].x", true},
		{nest(Max + 1), "", true},
		{`{"s":"` + strings.Repeat("[", 200) + `"}`, "", false},
		{`{"bad":` + strings.Repeat("[", 10) + `}`, "", false},
	} {
		path, deep := Check([]byte(tt.in), Max)
		if path != tt.path || deep != tt.deep {
			t.Errorf("Check(%.60s…) = %q, %v; want %q, %v", tt.in, path, deep, tt.path, tt.deep)
		}
	}
}

func TestValue(t *testing.T) {
	var v any
	if err := json.Unmarshal([]byte(`{"a":[1,{"b":`+nest(5)+`}]}`), &v); err != nil {
		t.Fatal(err)
	}
	if got := Value(v, Max); got != 8 {
		t.Fatalf("Value = %d, want 8", got)
	}
	if got := Value(v, 3); got != 4 {
		t.Fatalf("Value with limit 3 = %d, want 4 (stops past the limit)", got)
	}
}
