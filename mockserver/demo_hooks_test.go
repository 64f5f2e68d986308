package mockserver_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// The demo fixtures' documented keys (fixtures/default/demo.yaml).
const (
	demoMCPKey     = "fx_mcp_demo_stripe_0123456789abcdef"
	demoHookConfig = "66db60d9-d17a-5654-967d-c7035738c6aa"
	demoHookKey    = "whk_demo_github_0123456789abcdef"
	demoHook       = "/v1/tenants/demo/webhooks/github/" + demoHookConfig + "/" + demoHookKey
	demoDeliveries = "/_mock/tenants/demo/integrations/github/configs/" + demoHookConfig + "/webhook/deliveries"
)

// TestDemoHooksSessionsAndReset: the demo's webhook and MCP key work in a
// session (which copies the tenant, webhook and MCP key included, on its
// first write) without touching the shared state, and a reset after both
// keys were rotated brings the fixtures' keys back.
func TestDemoHooksSessionsAndReset(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	mcpTest := "/v1/tenants/demo/integrations/stripe/mcp:test"
	ping := `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	sess := []string{"X-Fruxon-Mock-Session", "s1"}

	c.Must(204, "POST", demoHook, `{"in":"session"}`, sess...)
	if got := c.Must(200, "GET", demoDeliveries, "", sess...).JSON(t)["items"].([]any); len(got) != 1 || got[0].(map[string]any)["subscribers"] != 2.0 {
		t.Fatalf("the session's deliveries: %v", got)
	}
	if got := c.Must(200, "GET", demoDeliveries, "").JSON(t)["items"].([]any); len(got) != 0 {
		t.Fatalf("a session's delivery shows outside it: %v", got)
	}
	c.Must(200, "POST", mcpTest, ping, append(sess, "X-API-KEY", demoMCPKey)...)

	c.Must(200, "POST", "/v1/tenants/demo/integrations/github/configs/"+demoHookConfig+"/webhook:rotate", "")
	c.Must(200, "POST", "/v1/tenants/demo/integrations/stripe/mcp:rotateKey", "")
	c.Problem(404, "POST", demoHook, `{}`)
	if a := c.Do("POST", mcpTest, ping, "X-API-KEY", demoMCPKey); a.Status != 401 {
		t.Fatalf("the rotated-out MCP key: %d %s", a.Status, a.Body)
	}
	c.Must(204, "POST", "/_mock/reset", "")
	c.Must(204, "POST", demoHook, `{"after":"reset"}`)
	c.Must(200, "POST", mcpTest, ping, "X-API-KEY", demoMCPKey)
	state := c.Must(200, "GET", "/_mock/state", "")
	for _, key := range []string{demoMCPKey, demoHookKey} {
		if strings.Contains(string(state.Body), key) {
			t.Errorf("the export shows %s", key)
		}
	}
}
