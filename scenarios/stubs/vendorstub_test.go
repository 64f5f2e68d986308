package stubs_test

import (
	"reflect"
	"testing"
)

func TestEngineVendorStubs(t *testing.T) {
	e := engine(t,
		"name: a\nvendorStubs:\n  - {integration: crm, response: {status: 201}}\n",
		"name: b\nvendorStubs:\n  - {integration: crm, response: {status: 202}}\n  - {integration: erp, response: {status: 203}}\n",
		"name: c\nvendorStubs:\n  - {integration: crm, response: {status: 204}}\n",
	)
	statuses := func(requested ...string) []int {
		var out []int
		for _, vs := range e.VendorStubs(requested) {
			out = append(out, vs.Status)
		}
		return out
	}
	if got := statuses(); got != nil {
		t.Fatalf("nothing requested or active: %v", got)
	}
	if got, want := statuses("c", "b", "nope"), []int{204, 202, 203}; !reflect.DeepEqual(got, want) {
		t.Fatalf("requested c, b: %v, want %v", got, want)
	}
	if err := e.Activate("a"); err != nil {
		t.Fatal(err)
	}
	if err := e.Activate("c"); err != nil {
		t.Fatal(err)
	}
	// Requested first, then active ones in load order, each once.
	if got, want := statuses("c", "b"), []int{204, 202, 203, 201}; !reflect.DeepEqual(got, want) {
		t.Fatalf("requested c, b with a, c active: %v, want %v", got, want)
	}
	if got, want := statuses(), []int{201, 204}; !reflect.DeepEqual(got, want) {
		t.Fatalf("a, c active: %v, want %v", got, want)
	}
}
