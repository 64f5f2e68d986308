package mockserver_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestCanarySecretNeverLeaves plants a secret, runs a whole session of
// requests around it, and scans every response body, header and log line.
func TestCanarySecretNeverLeaves(t *testing.T) {
	const canary = "sk_live_CANARY_7f3a9c"
	c, logs := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	cfg := c.Must(200, "POST", api+"/integrations/crm/configs",
		`{"displayName":"cfg","parameters":{"region":"eu"},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+canary+`"}},
		  "sandboxMode":"VENDOR","sandboxVariant":{"parameters":{"region":"us"},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+canary+`-sandbox"}}}}`).JSON(t)
	path := api + "/integrations/crm/configs/" + cfg["id"].(string)
	c.Must(200, "GET", path, "")
	c.Must(200, "GET", api+"/integrations/crm/configs", "")
	c.Must(200, "PATCH", path, `{"auth":{"integrationAuthMetadataId":"api-key","parameters":{}}}`)
	c.Do("PATCH", path, `{"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+canary+`","bogus":"`+canary+`"}}}`)
	c.Do("PATCH", path, `{"parameters":{"region":"`+canary+`"}}`)
	rev := c.Must(200, "POST", path+":publish", "").JSON(t)
	c.Must(200, "GET", path+"/revisions/"+rev["id"].(string), "")
	c.Must(200, "GET", path+"/revisions", "")
	c.Must(200, "POST", path+":verifyAuth", "")
	c.Must(200, "GET", "/openapi.json", "")
	for _, a := range c.Answers() {
		if strings.Contains(string(a.Body), canary) {
			t.Fatalf("the canary is in a %d body: %s", a.Status, a.Body)
		}
		for k, vs := range a.Header {
			for _, v := range vs {
				if strings.Contains(v, canary) {
					t.Fatalf("the canary is in header %s", k)
				}
			}
		}
	}
	if strings.Contains(logs.String(), canary) {
		t.Fatal("the canary is in the log")
	}
	if !strings.Contains(logs.String(), `"msg":"request"`) {
		t.Fatal("the log is empty: the scan proved nothing")
	}
}
