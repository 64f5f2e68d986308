package mockserver_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestConfigWebhookKeys: :generateWebhookUrl mints a URL whose key shows
// only there; a second mint is a 400; the inbound endpoint takes the bound
// key and refuses others (anonymously once the server honours
// security: [], which the lead is adding); /webhook:rotate makes the old URL
// stop working; :rollback-style reads never show the key.
func TestConfigWebhookKeys(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	id := c.Must(200, "POST", api+"/integrations/crm/configs", `{"displayName":"hook","parameters":{"region":"eu"}}`).JSON(t)["id"].(string)
	cfg := api + "/integrations/crm/configs/" + id
	c.Problem(400, "POST", cfg+"/webhook:rotate", "")
	minted := c.Must(200, "POST", cfg+":generateWebhookUrl", "").JSON(t)
	u, prefix := minted["webhookUrl"].(string), minted["webhookKeyPrefix"].(string)
	if !strings.Contains(u, "/v1/tenants/acme/webhooks/crm/"+id+"/"+prefix) {
		t.Fatalf("minted %v", minted)
	}
	c.Problem(400, "POST", cfg+":generateWebhookUrl", "")
	inbound := u[strings.Index(u, "/v1/"):]
	if a := c.Do("POST", inbound, `{"update_id":1}`); a.Status != 204 {
		t.Fatalf("inbound with the key: %d %s", a.Status, a.Body)
	}
	c.Problem(404, "POST", inbound+"x", `{}`)
	rotated := c.Must(200, "POST", cfg+"/webhook:rotate", "").JSON(t)["webhookUrl"].(string)
	if rotated == u {
		t.Fatal("rotate kept the key")
	}
	c.Problem(404, "POST", inbound, `{}`)
	if a := c.Do("POST", rotated[strings.Index(rotated, "/v1/"):], `{}`); a.Status != 204 {
		t.Fatalf("inbound with the rotated key: %d %s", a.Status, a.Body)
	}
	applied := c.Must(200, "POST", cfg+":applyWebhookToProvider", `{"webhookUrl":"`+u+`"}`).JSON(t)
	if applied["applied"] != false {
		t.Fatalf("the revoked URL was applied: %v", applied)
	}
	if c.Must(200, "POST", cfg+":applyWebhookToProvider", `{"webhookUrl":"`+rotated+`"}`).JSON(t)["applied"] != true {
		t.Fatal("the current URL was not applied")
	}
	key := rotated[strings.LastIndex(rotated, "/")+1:]
	for _, path := range []string{cfg, cfg + ":inspectWebhook"} {
		method := "GET"
		if strings.HasSuffix(path, "Webhook") {
			method = "POST"
		}
		if a := c.Must(200, method, path, ""); strings.Contains(string(a.Body), key) {
			t.Fatalf("%s shows the key: %s", path, a.Body)
		}
	}
}
