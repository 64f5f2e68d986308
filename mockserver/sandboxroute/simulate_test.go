package sandboxroute_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

func TestAllowList(t *testing.T) {
	a, err := sandboxroute.ParseAllowList([]string{"api.example.com", " 127.0.0.1:8080 ", "[::1]:9000", "Sandbox.Vendor.test:443"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://api.example.com/x", true},
		{"http://api.example.com:8443/x", true}, // no port: any port
		{"http://127.0.0.1:8080/x", true},
		{"http://127.0.0.1:8081/x", false},
		{"http://127.0.0.1/x", false},
		{"http://[::1]:9000/", true},
		{"https://sandbox.vendor.test/", true}, // 443 by scheme, case folded
		{"http://sandbox.vendor.test/", false}, // 80
		{"https://evil.example.com/", false},
		{"https://api.example.com.evil.test/", false},
		{"ftp://api.example.com/", false},
		{"/relative", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Allows(u); got != tt.want {
			t.Errorf("Allows(%s) = %v, want %v", tt.url, got, tt.want)
		}
	}
	for _, bad := range []string{"http://x.test", "x.test/path", "x.test:0", "x.test:port", ":80", "user@x.test"} {
		if _, err := sandboxroute.ParseAllowList([]string{bad}); err == nil {
			t.Errorf("ParseAllowList(%q) succeeded", bad)
		}
	}
	if empty, _ := sandboxroute.ParseAllowList(nil); empty.Allows(&url.URL{Scheme: "http", Host: "localhost"}) {
		t.Error("an empty list allows something")
	}
}

func TestMatchStub(t *testing.T) {
	stubs := []sandboxroute.VendorStub{
		{Integration: "crm", Response: sandboxroute.StubResponse{Status: 1}},
		{Integration: "crm", Tool: "list", Response: sandboxroute.StubResponse{Status: 2}},
		{Integration: "crm", Tool: "list", Route: sandboxroute.RouteVendor, Response: sandboxroute.StubResponse{Status: 3}},
		{Tenant: "acme", Integration: "crm", Tool: "list", Route: sandboxroute.RouteVendor, Response: sandboxroute.StubResponse{Status: 4}},
		{Integration: "crm", Route: sandboxroute.RouteSimulated, Response: sandboxroute.StubResponse{Status: 5}},
		{Integration: "billing", Tool: "list", Response: sandboxroute.StubResponse{Status: 6}},
	}
	tests := []struct {
		tenant, integration, tool string
		route                     sandboxroute.Route
		want                      int // 0: none
	}{
		{"acme", "crm", "list", sandboxroute.RouteVendor, 4},
		{"other", "crm", "list", sandboxroute.RouteVendor, 3},
		{"other", "crm", "list", sandboxroute.RouteProduction, 2},
		{"other", "crm", "get", sandboxroute.RouteProduction, 1},
		{"other", "crm", "get", sandboxroute.RouteSimulated, 5},
		{"other", "billing", "list", sandboxroute.RouteVendor, 6},
		{"other", "billing", "get", sandboxroute.RouteVendor, 0},
	}
	for _, tt := range tests {
		s, ok := sandboxroute.MatchStub(stubs, tt.tenant, tt.integration, tt.tool, tt.route)
		if got := map[bool]int{true: s.Response.Status}[ok]; got != tt.want {
			t.Errorf("MatchStub(%s, %s, %s, %s) = %d, want %d", tt.tenant, tt.integration, tt.tool, tt.route, got, tt.want)
		}
	}
}

func TestSimulate(t *testing.T) {
	tool := func(rt sandboxroute.ResultType) sandboxroute.Tool {
		return sandboxroute.Tool{ID: "t", Integration: "crm", ResultType: rt}
	}
	params := map[string]any{"q": "smith"}
	tests := []struct {
		rt   sandboxroute.ResultType
		kind reflect.Kind
	}{
		{sandboxroute.ResultTypeJSON, reflect.Map},
		{sandboxroute.ResultTypeString, reflect.String},
		{sandboxroute.ResultTypeBoolean, reflect.Bool},
		{sandboxroute.ResultTypeInteger, reflect.String}, // json.Number
	}
	for _, tt := range tests {
		t.Run(string(tt.rt), func(t *testing.T) {
			a := sandboxroute.Simulate(7, tool(tt.rt), params)
			b := sandboxroute.Simulate(7, tool(tt.rt), map[string]any{"q": "smith"})
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("not deterministic: %v vs %v", a, b)
			}
			if a.Status != 200 || reflect.TypeOf(a.Body).Kind() != tt.kind {
				t.Fatalf("answer = %#v, want status 200 and a %s body", a, tt.kind)
			}
			if tt.rt == sandboxroute.ResultTypeInteger {
				if _, err := a.Body.(json.Number).Int64(); err != nil {
					t.Fatalf("INTEGER body %v: %v", a.Body, err)
				}
			}
		})
	}
	seen := map[string]bool{}
	for seed := range int64(8) {
		b, _ := json.Marshal(sandboxroute.Simulate(seed, tool(sandboxroute.ResultTypeJSON), params).Body)
		seen[string(b)] = true
	}
	if len(seen) < 2 {
		t.Fatal("the seed does not change the answer")
	}
}
