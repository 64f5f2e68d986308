package mocktest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
)

func do(t *testing.T, m *mocktest.Mock, method, path, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, m.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer dev")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Parallel tests on one shared server each create the same id with their
// own name; each reads back its own, and verification counts only its own.
func TestSessionsIsolateParallelTests(t *testing.T) {
	for i := range 20 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			m := mocktest.Session(t)
			name := fmt.Sprintf("CRM of test %d", i)
			if st, body := do(t, m, "POST", "/v1/tenants/acme/integrations", `{"id":"crm","displayName":"`+name+`"}`); st != 200 {
				t.Fatalf("create: %d %s", st, body)
			}
			st, body := do(t, m, "GET", "/v1/tenants/acme/integrations/crm", "")
			if st != 200 || !strings.Contains(body, name) {
				t.Fatalf("read back: %d %s", st, body)
			}
			m.Verify(t, mocktest.Pattern{OperationID: "createIntegration", Count: mocktest.Times(1)})
			m.Verify(t, mocktest.Pattern{Method: "GET", Path: "/v1/tenants/{tenant}/integrations/{integration}"})
			if got := m.Requests(t, ""); len(got) != 2 {
				t.Errorf("journal of the session: %d entries, want 2", len(got))
			}
		})
	}
}

// The shared state never sees a session's writes, and a session's Reset
// empties only the session.
func TestSessionWritesStayInTheSession(t *testing.T) {
	m := mocktest.Session(t)
	if st, body := do(t, m, "POST", "/v1/tenants/iso/integrations", `{"id":"only-here","displayName":"Only here"}`); st != 200 {
		t.Fatalf("create: %d %s", st, body)
	}
	shared := mocktest.Shared(t)
	if st, _ := do(t, shared, "GET", "/v1/tenants/iso/integrations/only-here", ""); st != 404 {
		t.Fatalf("shared state sees the session's write: %d", st)
	}
	m.Reset()
	if st, _ := do(t, m, "GET", "/v1/tenants/iso/integrations/only-here", ""); st != 404 {
		t.Fatalf("after the session's reset: %d, want 404", st)
	}
}

// recorder is a testing.TB that keeps what Error reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Error(args ...any) {
	r.errors = append(r.errors, fmt.Sprint(args...))
}

// A failed verification names the near misses and what differed.
func TestVerifyReportsNearMisses(t *testing.T) {
	m := mocktest.Session(t)
	if st, body := do(t, m, "POST", "/v1/tenants/acme/integrations", `{"id":"near","displayName":"Near"}`); st != 200 {
		t.Fatalf("create: %d %s", st, body)
	}
	rec := &recorder{TB: t}
	n := m.Verify(rec, mocktest.Pattern{OperationID: "createIntegration", BodyContains: map[string]any{"displayName": "Far"}})
	if n != 0 || len(rec.errors) != 1 {
		t.Fatalf("count %d, errors %q: want 0 and one error", n, rec.errors)
	}
	msg := rec.errors[0]
	for _, want := range []string{"createIntegration", "near miss POST /v1/tenants/acme/integrations", "displayName"} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure %q does not mention %q", msg, want)
		}
	}
}
