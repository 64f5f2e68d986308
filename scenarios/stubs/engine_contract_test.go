package stubs_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/stubs"
)

func TestNewEngineChecksTheContract(t *testing.T) {
	tests := []struct {
		name string
		stub string
		want string // "" = accepted; else a substring of the error
	}{
		{"429 problem gets Retry-After", "request: {method: GET, path: " + list + "}\n    problem: {status: 429}", ""},
		{"503 problem gets Retry-After", "request: {path: /v1/tenants/*/integrations}\n    problem: {status: 503, detail: down}", ""},
		{"401 problem is empty", "request: {path: '/v1/tenants/{tenant}/integrations'}\n    problem: {status: 401}", ""},
		{"400 problem gets errors", "request: {method: POST, path: " + list + "}\n    problem: {status: 400, detail: nope}", ""},
		{"undeclared status", "request: {method: POST, path: " + list + "}\n    problem: {status: 422}",
			"s0.yaml:4: stubs[0].problem: its 422 answer breaks the contract of createIntegration: status: status 422 is not declared for createIntegration (add allowViolation: true to answer it anyway)"},
		{"undeclared status allowed", "request: {method: POST, path: " + list + "}\n    problem: {status: 422}\n    allowViolation: true", ""},
		{"missing ETag", "request: {method: GET, path: " + list + "/crm}\n    response: {status: 200, body: {id: crm}}", "breaks the contract of getIntegration"},
		{"body off schema", "request: {method: GET, path: " + list + "}\n    response: {status: 200, body: {items: 3, nextPageToken: null}}", "breaks the contract of listIntegrations"},
		{"valid literal response", "request: {method: GET, path: " + list + "}\n    response: {status: 200, body: {items: [], nextPageToken: null, totalCount: 0}}", ""},
		{"any method checks every operation", "request: {path: " + list + "}\n    response: {status: 200, body: {items: [], nextPageToken: null, totalCount: 0}}", "breaks the contract of createIntegration"},
		{"no operation", "request: {path: /nowhere}\n    response: {status: 200}", "any method on /nowhere reaches no operation of the API"},
		{"drop needs no check", "request: {path: /nowhere}\n    fault: drop", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parse(t, "s0", "name: s\nstubs:\n  - "+tt.stub+"\n")
			_, err := stubs.NewEngine([]*scenarios.Scenario{s}, api(t))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("accepted, want an error with %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
			if err != nil {
				var le *scenarios.LoadError
				if !errors.As(err, &le) || le.Line == 0 {
					t.Errorf("error %T%+v does not name a line", err, err)
				}
			}
		})
	}
}

func TestProblemAnswers(t *testing.T) {
	e := engine(t, `name: errs
stubs:
  - {name: unauthorized, request: {path: /v1/tenants/a/integrations}, problem: {status: 401}}
  - {name: limited, request: {path: /v1/tenants/b/integrations}, problem: {status: 429, detail: slow down}}
  - {name: own-retry, request: {path: /v1/tenants/c/integrations}, problem: {status: 503, headers: {Retry-After: 30}}}
`)
	tests := []struct {
		path        string
		wantStatus  int
		wantHeaders map[string]string
		wantBody    string
	}{
		{"/v1/tenants/a/integrations", 401, map[string]string{"WWW-Authenticate": "Bearer", "Content-Type": ""}, ""},
		{"/v1/tenants/b/integrations", 429, map[string]string{"Retry-After": "1", "Content-Type": "application/problem+json"},
			`{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"slow down"}`},
		{"/v1/tenants/c/integrations", 503, map[string]string{"Retry-After": "30"}, ""},
	}
	for _, tt := range tests {
		r, b := req("GET", tt.path, "")
		a := e.Match(r, b, "", []string{"errs"})
		if a == nil {
			t.Fatalf("%s: no answer", tt.path)
		}
		if a.Status != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.path, a.Status, tt.wantStatus)
		}
		for k, v := range tt.wantHeaders {
			if got := a.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", tt.path, k, got, v)
			}
		}
		if tt.wantBody != "" && string(a.Body) != tt.wantBody {
			t.Errorf("%s: body %s, want %s", tt.path, a.Body, tt.wantBody)
		}
		if tt.wantStatus == 401 && (len(a.Body) > 0 || a.Problem != nil) {
			t.Errorf("401 has a body")
		}
	}
}

func TestLibraryStubsMeetTheContract(t *testing.T) {
	list, err := scenarios.Library()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stubs.NewEngine(list, api(t)); err != nil {
		t.Errorf("the library's stubs: %v", err)
	}
}
