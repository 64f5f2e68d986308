package mockserver_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestEncodedColonIsLiteral: a custom method's colon sent percent-encoded
// (%3A or %3a) routes and validates exactly as the literal colon does.
func TestEncodedColonIsLiteral(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", runIntegration)
	cfg := c.Must(200, "POST", api+"/integrations/crm/configs", `{"displayName":"p","parameters":{"baseUrl":"https://x.test"},"auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"k"}},"sandboxMode":"SIMULATED"}`).JSON(t)
	id := cfg["id"].(string)
	c.Must(200, "POST", api+"/integrations/crm/tools", runTools[0])
	base := api + "/integrations/crm/configs/" + id
	for _, enc := range []string{":", "%3A", "%3a"} {
		t.Run(enc, func(t *testing.T) {
			c := c.In(t)
			pub := c.Do("POST", base+enc+"publish", "")
			if pub.Status != 200 || !strings.Contains(string(pub.Body), `"version"`) {
				t.Fatalf("publish with %s: %d %s", enc, pub.Status, pub.Body)
			}
			if a := c.Do("POST", base+enc+"verifyAuth", ""); a.Status != 200 {
				t.Fatalf("test with %s: %d %s", enc, a.Status, a.Body)
			}
			run := c.Do("POST", runsAPI+"/integrations/crm/tools/list_contacts"+enc+"run", `{"configId":"`+id+`","parameters":{"query":"x"},"executionMode":"SANDBOX"}`)
			if run.Status != 200 {
				t.Fatalf("run with %s: %d %s", enc, run.Status, run.Body)
			}
			if a := c.Do("POST", api+"/integrations/crm"+enc+"authorize", `{"integrationAuthMetadataId":"nope"}`); a.Status != 400 || !strings.Contains(string(a.Body), "integrationAuthMetadataId") {
				t.Fatalf(":authorize with %s: %d %s", enc, a.Status, a.Body)
			}
			// A body the operation refuses is blamed on the body field, not on
			// a path parameter that was sent.
			bad := c.Problem(400, "POST", runsAPI+"/integrations/crm/tools/list_contacts"+enc+"run", `{"configId":"`+id+`","parameters":{"query":"x"},"executionMode":"NOPE"}`)
			if errs, _ := bad["errors"].(map[string]any); errs["executionMode"] == nil {
				t.Fatalf("run with %s and a bad mode: %v", enc, bad)
			}
		})
	}
}
