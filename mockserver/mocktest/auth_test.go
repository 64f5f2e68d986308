package mocktest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
)

// get sends a GET through m.Client as written, adding nothing.
func get(t *testing.T, m *mocktest.Mock, path string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, m.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := m.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get(mockserver.ReasonHeader) + string(body)
}

// The package doc's first example, as written: a request through m.Client
// with no credential of its own is answered, not refused with a 401.
func TestClientAuthenticatesByDefault(t *testing.T) {
	m := mocktest.Start(t)
	resp, err := m.Client.Get(m.URL + "/v1/tenants/acme/integrations")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close() // 200: m.Client authenticates
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET through Start's Client: %d %s, want 200", resp.StatusCode, resp.Header.Get(mockserver.ReasonHeader))
	}
	if m.Token == "" {
		t.Fatal("Start left Token empty")
	}
}

// A session's client authenticates too, on the shared server.
func TestSessionClientAuthenticatesByDefault(t *testing.T) {
	m := mocktest.Session(t)
	if st, body := get(t, m, "/v1/tenants/demo/integrations"); st != http.StatusOK {
		t.Fatalf("GET through Session's Client: %d %s, want 200", st, body)
	}
	m.Verify(t, mocktest.Pattern{OperationID: "listIntegrations", Count: mocktest.Times(1)})
}

// The dev token is a real one: under --auth jwt, where "Bearer dev" is
// refused, the client's requests still get in.
func TestClientAuthenticatesUnderJWT(t *testing.T) {
	m := mocktest.Start(t, mockserver.Config{Auth: mockserver.AuthJWT})
	if st, body := get(t, m, "/v1/tenants/acme/integrations"); st != http.StatusOK {
		t.Fatalf("dev token under jwt: %d %s, want 200", st, body)
	}
	if st, _ := get(t, m, "/v1/tenants/acme/integrations", "Authorization", "Bearer dev"); st != http.StatusUnauthorized {
		t.Fatalf("Bearer dev under jwt: %d, want 401 (the request's own header must win)", st)
	}
}

// Token = "" sends no credential (a 401 test); a request's own
// Authorization or X-API-KEY is sent as it is.
func TestClientSendsNoneOrAnother(t *testing.T) {
	m := mocktest.Session(t)
	m.Token = ""
	st, reason := get(t, m, "/v1/tenants/demo/integrations")
	if st != http.StatusUnauthorized || !strings.Contains(reason, "no credentials") {
		t.Fatalf("Token \"\": %d %q, want 401 naming no credentials", st, reason)
	}
	claims, err := mockserver.SignHS256([]byte("not the server's secret"), map[string]any{"tenant": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	// permissive mode reads a JWT's tenant claim without verifying it
	m.Token = claims
	if st, _ := get(t, m, "/v1/tenants/demo/integrations"); st != http.StatusForbidden {
		t.Fatalf("another Token (tenant acme) on demo: %d, want 403", st)
	}
	if st, _ := get(t, m, "/v1/tenants/demo/integrations", "X-API-KEY", "demo-api-key"); st != http.StatusOK {
		t.Fatalf("own X-API-KEY: %d, want 200 (no Authorization added beside it)", st)
	}
}

// The package doc's session example, as written.
func TestPackageDocSessionExample(t *testing.T) {
	m := mocktest.Session(t) // its Client also names the session
	resp, err := m.Client.Post(m.URL+"/v1/tenants/acme/integrations", "application/json",
		strings.NewReader(`{"displayName": "Acme CRM"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	m.Verify(t, mocktest.Pattern{OperationID: "createIntegration", Count: mocktest.Times(1)})
}
