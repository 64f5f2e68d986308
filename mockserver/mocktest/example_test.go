package mocktest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
)

// A frontend's Go test creates an integration against the mock and reads it
// back; Reset between subtests keeps them independent.
func TestExample(t *testing.T) {
	m := mocktest.Start(t)

	t.Run("create", func(t *testing.T) {
		m.Reset()
		req, _ := http.NewRequest("POST", m.URL+"/v1/tenants/acme/integrations", strings.NewReader(`{"displayName":"Acme CRM"}`))
		req.Header.Set("Authorization", "Bearer dev")
		req.Header.Set("Content-Type", "application/json")
		resp, err := m.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"id":"acme-crm"`) {
			t.Fatalf("create: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("reset empties", func(t *testing.T) {
		m.Reset()
		req, _ := http.NewRequest("GET", m.URL+"/v1/tenants/acme/integrations/acme-crm", nil)
		req.Header.Set("Authorization", "Bearer dev")
		resp, err := m.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Fatalf("after reset: %d, want 404", resp.StatusCode)
		}
	})
}
