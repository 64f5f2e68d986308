package sandboxroute_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

func ptr[T any](v T) *T { return &v }

func TestDecide(t *testing.T) {
	const (
		prod, sbx = sandboxroute.ExecutionModeProduction, sandboxroute.ExecutionModeSandbox
		ro, rev   = sandboxroute.ActionTypeReadOnly, sandboxroute.ActionTypeReversible
		irr       = sandboxroute.ActionTypeIrreversible
	)
	tests := []struct {
		mode    sandboxroute.ExecutionMode
		sandbox integrations.SandboxMode
		action  sandboxroute.ActionType
		route   sandboxroute.Route
		variant integrations.RunVariant
	}{
		{prod, integrations.SandboxModeSimulated, irr, sandboxroute.RouteProduction, integrations.RunProduction},
		{prod, integrations.SandboxModeVendor, ro, sandboxroute.RouteProduction, integrations.RunProduction},
		{prod, integrations.SandboxModeReadThrough, irr, sandboxroute.RouteProduction, integrations.RunProduction},
		{sbx, integrations.SandboxModeNone, irr, sandboxroute.RouteProduction, integrations.RunProduction},
		{sbx, integrations.SandboxModeUnspecified, rev, sandboxroute.RouteProduction, integrations.RunProduction},
		{sbx, "", ro, sandboxroute.RouteProduction, integrations.RunProduction},
		{sbx, integrations.SandboxModeVendor, irr, sandboxroute.RouteVendor, integrations.RunSandboxVariant},
		{sbx, integrations.SandboxModeSimulated, ro, sandboxroute.RouteSimulated, integrations.RunProduction},
		{sbx, integrations.SandboxModeReadThrough, ro, sandboxroute.RouteProduction, integrations.RunProduction},
		{sbx, integrations.SandboxModeReadThrough, rev, sandboxroute.RouteSimulated, integrations.RunProduction},
		{sbx, integrations.SandboxModeReadThrough, irr, sandboxroute.RouteSimulated, integrations.RunProduction},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode)+"/"+string(tt.sandbox)+"/"+string(tt.action), func(t *testing.T) {
			d := sandboxroute.Decide(tt.mode, tt.sandbox, tt.action)
			if d.Route != tt.route || d.Variant != tt.variant {
				t.Fatalf("Decide = %+v, want route %s variant %d", d, tt.route, tt.variant)
			}
		})
	}
}

func TestRender(t *testing.T) {
	values := sandboxroute.Values{
		Run:      map[string]any{"id": "a/b c", "q": "x&y=z", "limit": json.Number("10"), "region": "run-wins"},
		Config:   map[string]any{"baseUrl": "https://api.example.com/v2", "region": "eu", "flag": true},
		Builtins: map[string]string{"tenant": "acme", "integration": "crm", "config": "c1"},
		Declared: map[string]bool{"unset": true},
	}
	tests := []struct {
		name string
		tool sandboxroute.Template
		want sandboxroute.Rendered
	}{
		{
			name: "base URL raw, path and query escaped",
			tool: sandboxroute.Template{HTTPMethod: "GET", URL: "{{baseUrl}}/items/{{id}}?q={{q}}"},
			want: sandboxroute.Rendered{Method: "GET", URL: "https://api.example.com/v2/items/a%2Fb%20c?q=x%26y%3Dz", Headers: map[string]string{}},
		},
		{
			name: "query parameters encoded and appended",
			tool: sandboxroute.Template{HTTPMethod: "GET", URL: "{{baseUrl}}/search?fixed=1",
				QueryParameters: map[string]string{"q": "{{q}}", "limit": "{{limit}}"}},
			want: sandboxroute.Rendered{Method: "GET", URL: "https://api.example.com/v2/search?fixed=1&limit=10&q=x%26y%3Dz", Headers: map[string]string{}},
		},
		{
			name: "a declared parameter without a value renders empty; its query parameter is left out",
			tool: sandboxroute.Template{HTTPMethod: "GET", URL: "{{baseUrl}}/a{{unset}}",
				QueryParameters: map[string]string{"u": "{{unset}}", "fixed": "1", "empty": ""}},
			want: sandboxroute.Rendered{Method: "GET", URL: "https://api.example.com/v2/a?empty=&fixed=1", Headers: map[string]string{}},
		},
		{
			name: "run parameters before config parameters before built-ins",
			tool: sandboxroute.Template{HTTPMethod: "POST", URL: "{{baseUrl}}/t/{{tenant}}",
				Headers: map[string]string{"X-Region": "{{region}}", "X-Who": "{{ tenant }}/{{integration}}/{{config}}"},
				Body:    ptr(`{"flag":{{flag}},"limit":{{limit}}}`)},
			want: sandboxroute.Rendered{Method: "POST", URL: "https://api.example.com/v2/t/acme",
				Headers: map[string]string{"X-Region": "run-wins", "X-Who": "acme/crm/c1", "Content-Type": "application/json"},
				Body:    ptr(`{"flag":true,"limit":10}`)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sandboxroute.Render(tt.tool, values)
			if err != nil {
				t.Fatal(err)
			}
			if got.Method != tt.want.Method || got.URL != tt.want.URL || !equalMaps(got.Headers, tt.want.Headers) || !equalPtr(got.Body, tt.want.Body) {
				t.Fatalf("Render =\n %+v (body %v)\nwant\n %+v (body %v)", got, deref(got.Body), tt.want, deref(tt.want.Body))
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name   string
		tool   sandboxroute.Template
		fields []string
	}{
		{"unknown placeholders, each named", sandboxroute.Template{HTTPMethod: "GET", URL: "https://x.test/{{nope}}",
			Headers: map[string]string{"A": "{{alsoNope}}"}, Body: ptr("{{nope}}")}, []string{"parameters.alsoNope", "parameters.nope"}},
		{"line break in a header", sandboxroute.Template{HTTPMethod: "GET", URL: "https://x.test/",
			Headers: map[string]string{"A": "{{evil}}"}}, []string{"parameters"}},
		{"NUL in a header", sandboxroute.Template{HTTPMethod: "GET", URL: "https://x.test/",
			Headers: map[string]string{"A": "{{nul}}"}}, []string{"parameters"}},
		{"DEL in a header", sandboxroute.Template{HTTPMethod: "GET", URL: "https://x.test/",
			Headers: map[string]string{"A": "{{del}}"}}, []string{"parameters"}},
		{"userinfo in the URL", sandboxroute.Template{HTTPMethod: "GET", URL: "{{base}}/x"}, []string{"parameters"}},
	}
	values := sandboxroute.Values{Run: map[string]any{"evil": "a\r\nX-Injected: 1", "nul": "a\x00b", "del": "a\x7fb",
		"base": "https://user:pw@x.test"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sandboxroute.Render(tt.tool, values)
			var se *core.Error
			if !errors.As(err, &se) || se.Kind != core.KindInvalid {
				t.Fatalf("err = %v, want a KindInvalid *core.Error", err)
			}
			if len(se.Fields) != len(tt.fields) {
				t.Fatalf("fields = %v, want %v", se.Fields, tt.fields)
			}
			for _, f := range tt.fields {
				if se.Fields[f] == nil {
					t.Fatalf("fields = %v, want %s", se.Fields, f)
				}
			}
		})
	}
	_, err := sandboxroute.Render(sandboxroute.Template{HTTPMethod: "GET", URL: "https://x.test/{{nope}}"}, sandboxroute.Values{})
	if err == nil || !strings.Contains(err.Error(), "{{nope}}") {
		t.Fatalf("err = %v, want it to name {{nope}}", err)
	}
}

func TestInjectAuth(t *testing.T) {
	tests := []struct {
		name    string
		auth    *integrations.RunAuth
		url     string
		header  string
		value   string
		secrets []string
	}{
		{"no auth", nil, "https://x.test/a", "", "", nil},
		{"bearer", &integrations.RunAuth{Type: integrations.AuthTypeBearerToken, Parameters: map[string]any{"token": "t0k"}},
			"https://x.test/a", "Authorization", "Bearer t0k", []string{"t0k"}},
		{"bearer falls back to the first parameter", &integrations.RunAuth{Type: integrations.AuthTypeBearerToken, Parameters: map[string]any{"pat": "p4t"}},
			"https://x.test/a", "Authorization", "Bearer p4t", []string{"p4t"}},
		{"api key, default header", &integrations.RunAuth{Type: integrations.AuthTypeAPIKey, Parameters: map[string]any{"apiKey": "k"}},
			"https://x.test/a", "X-Api-Key", "k", []string{"k"}},
		{"api key, named header", &integrations.RunAuth{Type: integrations.AuthTypeAPIKey, Settings: map[string]string{"headerName": "X-Key"}, Parameters: map[string]any{"apiKey": "k"}},
			"https://x.test/a", "X-Key", "k", []string{"k"}},
		{"api key in the query", &integrations.RunAuth{Type: integrations.AuthTypeAPIKey, Settings: map[string]string{"queryParameter": "api_key"}, Parameters: map[string]any{"apiKey": "k&1"}},
			"https://x.test/a?api_key=k%261", "", "", []string{"k&1"}},
		{"basic", &integrations.RunAuth{Type: integrations.AuthTypeBasic, Parameters: map[string]any{"username": "u", "password": "p"}},
			"https://x.test/a", "Authorization", "Basic dTpw", []string{"dTpw", "u", "p"}},
		{"oauth2 access token", &integrations.RunAuth{Type: integrations.AuthTypeOAuth2, Parameters: map[string]any{"refreshToken": "r", "accessToken": "at"}},
			"https://x.test/a", "Authorization", "Bearer at", []string{"at"}},
		{"unspecified type", &integrations.RunAuth{Type: integrations.AuthTypeUnspecified, Parameters: map[string]any{"token": "t"}},
			"https://x.test/a", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := sandboxroute.Rendered{Method: "GET", URL: "https://x.test/a", Headers: map[string]string{"authorization": "from template"}}
			inj := sandboxroute.InjectAuth(&req, tt.auth)
			if req.URL != tt.url {
				t.Fatalf("URL = %s, want %s", req.URL, tt.url)
			}
			if tt.header != "" && (req.Headers[tt.header] != tt.value || inj.Header != tt.header) {
				t.Fatalf("headers = %v, injected %+v; want %s: %s", req.Headers, inj, tt.header, tt.value)
			}
			if tt.header == "Authorization" && req.Headers["authorization"] != "" {
				t.Fatalf("the template's authorization header survived: %v", req.Headers)
			}
			if strings.Join(inj.Values, ",") != strings.Join(tt.secrets, ",") {
				t.Fatalf("secrets = %v, want %v", inj.Values, tt.secrets)
			}
		})
	}
}

func TestRedactor(t *testing.T) {
	r := sandboxroute.NewRedactor("s3cr&t", "", "12345")
	req := sandboxroute.Rendered{
		Method:  "POST",
		URL:     "https://x.test/a/s3cr&t?k=s3cr%26t&p=s3cr%26t",
		Headers: map[string]string{"X-Api-Key": "anything", "X-Other": "pre s3cr&t post"},
		Body:    ptr(`{"k":"s3cr&t","n":12345}`),
	}
	got := r.Request(req, sandboxroute.Injected{Header: "X-Api-Key"})
	b, _ := json.Marshal(got)
	for _, leak := range []string{"s3cr", "12345", "anything"} {
		if strings.Contains(string(b), leak) {
			t.Fatalf("request record leaks %q: %s", leak, b)
		}
	}
	resp := r.Response(sandboxroute.StubResponse{Headers: map[string]string{"Echo": "s3cr&t"},
		Body: map[string]any{"s3cr&t": []any{"x s3cr&t", json.Number("12345"), 12345.0, true}}})
	b, _ = json.Marshal(resp)
	if strings.Contains(string(b), "s3cr") || strings.Contains(string(b), "12345") || resp.Status != 200 {
		t.Fatalf("response record = %s", b)
	}
	if s := sandboxroute.NewRedactor().String("nothing to hide"); s != "nothing to hide" {
		t.Fatalf("empty redactor changed %q", s)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func equalPtr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
