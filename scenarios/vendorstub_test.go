package scenarios_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
)

const vendorOnly = `name: crm-down
vendorStubs:
  - integration: crm
    tool: list_contacts
    route: SIMULATED
    tenant: acme
    response:
      status: 503
      headers: {Retry-After: 1}
      body: {error: down, n: 2}
  - integration: crm
    response: {status: 200}
`

func TestParseVendorStubs(t *testing.T) {
	s, err := scenarios.Parse("v.yaml", []byte(vendorOnly))
	if err != nil {
		t.Fatal(err)
	}
	want := []scenarios.VendorStub{
		{Line: 3, Tenant: "acme", Integration: "crm", Tool: "list_contacts", Route: scenarios.RouteSimulated,
			Status: 503, Headers: map[string]string{"Retry-After": "1"}, Body: map[string]any{"error": "down", "n": int64(2)}},
		{Line: 11, Integration: "crm", Status: 200},
	}
	if !reflect.DeepEqual(s.VendorStubs, want) {
		t.Fatalf("vendor stubs\n got: %#v\nwant: %#v", s.VendorStubs, want)
	}
	// A scenario with only vendor stubs satisfies requires: [stubs].
	if _, err := scenarios.Parse("r.yaml", []byte("name: r\nrequires: [stubs]\nvendorStubs:\n  - {integration: crm, response: {status: 200}}\n")); err != nil {
		t.Fatal(err)
	}
}

func TestParseVendorStubErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "name: x\nvendorStubs:\n  - integration: crm\n    tol: a\n    response: {status: 200}\n",
			"x.yaml:4: vendorStubs[0].tol: unknown field (known: integration, tool, route, tenant, response)"},
		{"bad route", "name: x\nvendorStubs:\n  - integration: crm\n    route: SANDBOX\n    response: {status: 200}\n",
			`x.yaml:4: vendorStubs[0].route: must be "PRODUCTION", "VENDOR" or "SIMULATED"`},
		{"missing integration", "name: x\nvendorStubs:\n  - tool: a\n    response: {status: 200}\n",
			"x.yaml:3: vendorStubs[0].integration: is required"},
		{"missing response", "name: x\nvendorStubs:\n  - integration: crm\n",
			"x.yaml:3: vendorStubs[0].response: is required"},
		{"missing status", "name: x\nvendorStubs:\n  - integration: crm\n    response: {body: {}}\n",
			"x.yaml:4: vendorStubs[0].response.status: is required"},
		{"missing status in second", "name: x\nvendorStubs:\n  - {integration: crm, response: {status: 200}}\n  - integration: crm\n    response: {body: {}}\n",
			"x.yaml:5: vendorStubs[1].response.status: is required"},
		{"status out of range", "name: x\nvendorStubs:\n  - integration: crm\n    response: {status: 600}\n",
			"x.yaml:4: vendorStubs[0].response.status: must be an HTTP status (100-599)"},
		{"unknown response key", "name: x\nvendorStubs:\n  - integration: crm\n    response: {status: 200, problem: {}}\n",
			"x.yaml:4: vendorStubs[0].response.problem: unknown field (known: status, headers, body)"},
		{"empty tool", "name: x\nvendorStubs:\n  - {integration: crm, tool: '', response: {status: 200}}\n",
			"x.yaml:3: vendorStubs[0].tool: must not be empty (leave it out to match any)"},
		{"numeric integration", "name: x\nvendorStubs:\n  - {integration: 7, response: {status: 200}}\n",
			"x.yaml:3: vendorStubs[0].integration: must be a string"},
		{"not a list", "name: x\nvendorStubs: {integration: crm}\n", "x.yaml:2: vendorStubs: must be a list"},
		{"bad header", "name: x\nvendorStubs:\n  - integration: crm\n    response: {status: 200, headers: {A: [1]}}\n",
			"x.yaml:4: vendorStubs[0].response.headers.A: must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenarios.Parse("x.yaml", []byte(tt.yaml))
			var le *scenarios.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T), want a *LoadError %q", err, err, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
		})
	}
}
