package sandboxroute_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
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
		{Integration: "crm", Tool: "list", Route: tools.RouteVendor, Response: sandboxroute.StubResponse{Status: 3}},
		{Tenant: "acme", Integration: "crm", Tool: "list", Route: tools.RouteVendor, Response: sandboxroute.StubResponse{Status: 4}},
		{Integration: "crm", Route: tools.RouteSimulated, Response: sandboxroute.StubResponse{Status: 5}},
		{Integration: "billing", Tool: "list", Response: sandboxroute.StubResponse{Status: 6}},
	}
	tests := []struct {
		tenant, integration, tool string
		route                     tools.Route
		want                      int // 0: none
	}{
		{"acme", "crm", "list", tools.RouteVendor, 4},
		{"other", "crm", "list", tools.RouteVendor, 3},
		{"other", "crm", "list", tools.RouteProduction, 2},
		{"other", "crm", "get", tools.RouteProduction, 1},
		{"other", "crm", "get", tools.RouteSimulated, 5},
		{"other", "billing", "list", tools.RouteVendor, 6},
		{"other", "billing", "get", tools.RouteVendor, 0},
	}
	for _, tt := range tests {
		s, ok := sandboxroute.MatchStub(stubs, tt.tenant, tt.integration, tt.tool, tt.route)
		if got := map[bool]int{true: s.Response.Status}[ok]; got != tt.want {
			t.Errorf("MatchStub(%s, %s, %s, %s) = %d, want %d", tt.tenant, tt.integration, tt.tool, tt.route, got, tt.want)
		}
	}
}

func TestSimulate(t *testing.T) {
	tool := func(rt tools.ResultType) tools.Tool {
		return tools.Tool{ID: "t", IntegrationID: "crm", Descriptor: tools.ToolDescriptor{APITool: tools.APITool{ResultType: rt}}}
	}
	params := map[string]any{"q": "smith"}
	tests := []struct {
		rt   tools.ResultType
		kind reflect.Kind
	}{
		{tools.ResultTypeJSON, reflect.Map},
		{tools.ResultTypeString, reflect.String},
		{tools.ResultTypeBoolean, reflect.Bool},
		{tools.ResultTypeInteger, reflect.String}, // json.Number
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
			if tt.rt == tools.ResultTypeInteger {
				if _, err := a.Body.(json.Number).Int64(); err != nil {
					t.Fatalf("INTEGER body %v: %v", a.Body, err)
				}
			}
		})
	}
	seen := map[string]bool{}
	for seed := range int64(8) {
		b, _ := json.Marshal(sandboxroute.Simulate(seed, tool(tools.ResultTypeJSON), params).Body)
		seen[string(b)] = true
	}
	if len(seen) < 2 {
		t.Fatal("the seed does not change the answer")
	}
}
