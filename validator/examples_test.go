package validator_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestOperationExample(t *testing.T) {
	t.Parallel()
	v := api(t)
	tests := []struct {
		name        string
		opID        string
		status      int
		example     string
		wantOK      bool
		wantType    string
		wantHeaders map[string]string
		wantField   string // a top-level member the body must have
		wantValue   any    // its value (JSON-decoded), when not nil
	}{
		{name: "first 200 example", opID: "getIntegration", status: 200, wantOK: true,
			wantType: "application/json", wantHeaders: map[string]string{"ETag": `"1"`}, wantField: "id", wantValue: "crm"},
		{name: "named 200 example", opID: "getIntegration", status: 200, example: "crm", wantOK: true,
			wantType: "application/json", wantField: "id", wantValue: "crm"},
		{name: "unknown example name", opID: "getIntegration", status: 200, example: "nope"},
		{name: "404 problem", opID: "getIntegration", status: 404, example: "notFound", wantOK: true,
			wantType: "application/problem+json", wantField: "status", wantValue: float64(404)},
		{name: "429 has Retry-After", opID: "listIntegrations", status: 429, wantOK: true,
			wantType: "application/problem+json", wantHeaders: map[string]string{"Retry-After": "1"}, wantField: "status", wantValue: float64(429)},
		{name: "503 has Retry-After", opID: "createIntegration", status: 503, wantOK: true,
			wantType: "application/problem+json", wantHeaders: map[string]string{"Retry-After": "1"}},
		{name: "401 is empty with WWW-Authenticate", opID: "listIntegrations", status: 401, wantOK: true,
			wantHeaders: map[string]string{"WWW-Authenticate": "Bearer"}},
		{name: "403 is empty", opID: "listIntegrations", status: 403, wantOK: true},
		{name: "204 is empty", opID: "deleteIntegration", status: 204, wantOK: true},
		{name: "named example of an empty response", opID: "deleteIntegration", status: 204, example: "x"},
		{name: "undeclared status", opID: "getIntegration", status: 418},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := v.Operation(tt.opID)
			if op == nil {
				t.Fatalf("no operation %s", tt.opID)
			}
			ct, body, header, ok := op.Example(tt.status, tt.example)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				return
			}
			if ct != tt.wantType {
				t.Errorf("content type = %q, want %q", ct, tt.wantType)
			}
			if tt.wantType == "" && len(body) > 0 {
				t.Errorf("body = %s, want none", body)
			}
			if tt.wantType != "" && header.Get("Content-Type") != tt.wantType {
				t.Errorf("Content-Type header = %q, want %q", header.Get("Content-Type"), tt.wantType)
			}
			for k, want := range tt.wantHeaders {
				if got := header.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if tt.wantField == "" {
				return
			}
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("body is not a JSON object: %v\n%s", err, body)
			}
			got, has := m[tt.wantField]
			if !has {
				t.Fatalf("body has no %q: %s", tt.wantField, body)
			}
			if tt.wantValue != nil && got != tt.wantValue {
				t.Errorf("%s = %v, want %v", tt.wantField, got, tt.wantValue)
			}
		})
	}
}

// TestEveryExampleKeepsTheContract answers every declared status of every
// operation with its documented example and validates the answer: what
// Prefer serves must never be a violation.
func TestEveryExampleKeepsTheContract(t *testing.T) {
	v := api(t)
	n := 0
	for _, op := range v.Operations() {
		path := samplePath(op.Path)
		for _, status := range op.DeclaredStatuses() {
			ct, body, header, ok := op.Example(status, "")
			if !ok {
				continue
			}
			n++
			if ct != "" && header.Get("Content-Type") != ct {
				t.Errorf("%s %d: Content-Type header %q, content type %q", op.ID, status, header.Get("Content-Type"), ct)
			}
			r := httptest.NewRequest(op.Method, path, nil)
			if fs := v.ValidateResponse(r, op, status, header, body); len(fs) > 0 {
				t.Errorf("%s %d: the documented example violates the contract: %s", op.ID, status, fs)
			}
		}
	}
	t.Logf("%d examples checked", n)
	if n < 50 {
		t.Errorf("only %d examples were checked; the spec documents more", n)
	}
}

// samplePath fills a path template with values its parameters accept.
func samplePath(tmpl string) string {
	r := strings.NewReplacer(
		"{tenant}", "acme", "{integration}", "crm", "{tool}", "list_contacts",
		"{config}", configID, "{revision}", configID,
	)
	return r.Replace(tmpl)
}
