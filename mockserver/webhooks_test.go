package mockserver_test

import (
	"fmt"
	"regexp"
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

// TestWebhookKeyNeverShownAgain plants a webhook key and delivers with it,
// with a near miss (the key and more), and on a path past the key; then
// greps every surface: the answers after the mint, the log, the journal's
// list and each entry's detail, the state export (which, imported back,
// keeps the webhook delivering at the same URL). The key shows only in
// :generateWebhookUrl's answer; the journal keeps its prefix.
func TestWebhookKeyNeverShownAgain(t *testing.T) {
	c, logs := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	id := c.Must(200, "POST", api+"/integrations/crm/configs", `{"displayName":"hook"}`).JSON(t)["id"].(string)
	cfg := api + "/integrations/crm/configs/" + id
	u := c.Must(200, "POST", cfg+":generateWebhookUrl", "").JSON(t)["webhookUrl"].(string)
	key := u[strings.LastIndex(u, "/")+1:]
	inbound := u[strings.Index(u, "/v1/"):]
	minted := len(c.Answers())
	c.Must(204, "POST", inbound, `{"update_id":1}`)
	c.Problem(404, "POST", inbound+"x", `{}`)
	c.Problem(400, "POST", inbound, `hi`, "Content-Type", "text/plain")
	c.Do("POST", inbound+"/more", `{}`)
	c.Must(200, "POST", cfg+":inspectWebhook", `{"expectedUrl":"`+u+`"}`)
	c.Must(204, "POST", inbound, `{"echo":"`+key+`"}`) // a body that quotes the key
	c.Must(200, "GET", "/_mock/tenants/acme/integrations/crm/configs/"+id+"/webhook/deliveries", "")
	// An export carries the webhook sealed; imported back, the same URL
	// still delivers, to the same subscribers, after the same deliveries.
	c.Must(200, "POST", api+"/webhooks/"+id+"/subscriptions", `{"subscriberType":"AGENT","subscriberId":"bot"}`)
	exported := c.Must(200, "GET", "/_mock/state", "")
	if !strings.Contains(string(exported.Body), `"keySealed"`) || !strings.Contains(string(exported.Body), `"subscriberId":"bot"`) {
		t.Fatalf("the export lacks the webhook: %s", exported.Body)
	}
	c.Must(204, "POST", inbound, `{"update_id":2}`) // not in the export: the import drops it
	c.Must(204, "PUT", "/_mock/state", string(exported.Body))
	c.Must(204, "POST", inbound, `{"update_id":3}`)
	items := c.Must(200, "GET", "/_mock/tenants/acme/integrations/crm/configs/"+id+"/webhook/deliveries", "").JSON(t)["items"].([]any)
	if len(items) != 3 || fmt.Sprint(items[0].(map[string]any)["body"]) != "map[update_id:3]" || items[0].(map[string]any)["subscribers"] != 1.0 {
		t.Fatalf("deliveries after the round trip: %v", items)
	}
	c.Problem(400, "POST", cfg+":generateWebhookUrl", "") // still bound
	c.Must(204, "DELETE", cfg, "")                        // the store forgets the key: nothing left to redact it with
	journal := c.Must(200, "GET", "/_mock/journal", "")
	ids := regexp.MustCompile(`"id":\s*(\d+)`).FindAllStringSubmatch(string(journal.Body), -1)
	if len(ids) < 6 || !strings.Contains(string(journal.Body), key[:8]+"…") {
		t.Fatalf("journal lists %d entries, want the deliveries with the key's prefix: %s", len(ids), journal.Body)
	}
	for _, m := range ids {
		c.Must(200, "GET", "/_mock/journal/"+m[1], "")
	}
	c.Must(200, "GET", "/_mock/state", "")
	for _, a := range c.Answers()[minted:] {
		if strings.Contains(string(a.Body), key) || strings.Contains(fmt.Sprint(a.Header), key) {
			t.Errorf("an answer shows the key: %s", a.Body)
		}
	}
	if strings.Contains(logs.String(), key) {
		t.Errorf("the log shows the key:\n%s", logs)
	}
}

// TestWebhookSubscriptions: a subscription attaches a subscriber to a
// config's inbound webhook (its id is the config's); an unknown webhook, or
// a config without a bound key, is a 404; a missing subscriber a 400
// naming the field; the webhook keeps taking subscriptions after a
// rotation, and deleting the config takes the webhook away.
func TestWebhookSubscriptions(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	id := c.Must(200, "POST", api+"/integrations/crm/configs", `{"displayName":"hook"}`).JSON(t)["id"].(string)
	cfg := api + "/integrations/crm/configs/" + id
	subs := api + "/webhooks/" + id + "/subscriptions"
	body := `{"subscriberType":"agent","subscriberId":"support-bot","eventFilter":"message.created","config":{"lang":"en"}}`
	c.Problem(404, "POST", subs, body) // no key bound yet
	c.Must(200, "POST", cfg+":generateWebhookUrl", "")
	got := c.Must(200, "POST", subs, body).JSON(t)
	if got["webhookId"] != id || got["subscriberType"] != "agent" || got["subscriberId"] != "support-bot" ||
		got["eventFilter"] != "message.created" || fmt.Sprint(got["config"]) != "map[lang:en]" || got["id"] == "" || got["createdAt"] == float64(0) {
		t.Fatalf("subscription = %v", got)
	}
	if p := c.Problem(400, "POST", subs, `{"subscriberType":"agent","subscriberId":null}`); fmt.Sprint(p["errors"]) == "" || p["errors"].(map[string]any)["subscriberId"] == nil {
		t.Errorf("a null subscriberId: %v", p)
	}
	c.Problem(400, "POST", subs, `{"subscriberType":" ","subscriberId":"x"}`)
	c.Problem(400, "POST", subs, `{"subscriberType":"agent"}`)
	c.Problem(404, "POST", api+"/webhooks/00000000-0000-4000-8000-000000000000/subscriptions", body)
	c.Must(200, "POST", cfg+"/webhook:rotate", "")
	second := c.Must(200, "POST", subs, `{"subscriberType":"asset","subscriberId":"kb-1"}`).JSON(t)
	if second["id"] == got["id"] || second["eventFilter"] != nil || second["config"] != nil {
		t.Errorf("second subscription = %v", second)
	}
	c.Must(204, "DELETE", cfg, "")
	c.Problem(404, "POST", subs, body)
}

// TestWebhookDeliveries: the control plane lists what the inbound webhook
// accepted, newest first, with the JSON body as received, the key's prefix
// and the subscriber count; refused deliveries (a wrong or rotated key)
// are not listed, nor are :inspectWebhook's checks of the URL; a body
// quoting the key shows it cut to the prefix; an unknown config is a 404.
func TestWebhookDeliveries(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	id := c.Must(200, "POST", api+"/integrations/crm/configs", `{"displayName":"hook"}`).JSON(t)["id"].(string)
	cfg := api + "/integrations/crm/configs/" + id
	list := "/_mock/tenants/acme/integrations/crm/configs/" + id + "/webhook/deliveries"
	if got := c.Must(200, "GET", list, "").JSON(t)["items"].([]any); len(got) != 0 {
		t.Fatalf("a config without deliveries lists %v", got)
	}
	u := c.Must(200, "POST", cfg+":generateWebhookUrl", "").JSON(t)["webhookUrl"].(string)
	key := u[strings.LastIndex(u, "/")+1:]
	inbound := u[strings.Index(u, "/v1/"):]
	c.Must(200, "POST", "/v1/tenants/acme/webhooks/"+id+"/subscriptions", `{"subscriberType":"AGENT","subscriberId":"support-bot"}`)
	c.Must(204, "POST", inbound, `{"update_id":1,"message":{"text":"hello"}}`)
	c.Problem(404, "POST", inbound+"x", `{"update_id":2}`)
	c.Must(200, "POST", cfg+":inspectWebhook", `{"expectedUrl":"`+u+`"}`)
	c.Must(204, "POST", inbound, `{"update_id":3,"echo":"`+key+`"}`)
	rotated := c.Must(200, "POST", cfg+"/webhook:rotate", "").JSON(t)["webhookUrl"].(string)
	c.Problem(404, "POST", inbound, `{"update_id":4}`)
	c.Must(204, "POST", rotated[strings.Index(rotated, "/v1/"):], "")

	a := c.Must(200, "GET", list, "")
	if strings.Contains(string(a.Body), key) {
		t.Fatalf("the deliveries show the key: %s", a.Body)
	}
	items := a.JSON(t)["items"].([]any)
	if len(items) != 3 {
		t.Fatalf("want the 3 accepted deliveries, got %d: %s", len(items), a.Body)
	}
	empty, third, first := items[0].(map[string]any), items[1].(map[string]any), items[2].(map[string]any)
	if empty["size"] != 0.0 || empty["body"] != nil {
		t.Errorf("the body-less delivery: %v", empty)
	}
	if body, _ := first["body"].(map[string]any); body == nil || body["update_id"] != 1.0 || first["keyPrefix"] != key[:8] ||
		first["webhookProvider"] != "crm" || first["subscribers"] != 1.0 || first["contentType"] != "application/json" {
		t.Errorf("the first delivery: %v", first)
	}
	if body, _ := third["body"].(map[string]any); body == nil || body["echo"] != key[:8]+"…" {
		t.Errorf("the delivery quoting the key: %v", third)
	}
	c.Problem(404, "GET", "/_mock/tenants/acme/integrations/crm/configs/00000000-0000-4000-8000-000000000001/webhook/deliveries", "")
}

// TestApplyWebhookWithoutRegistrationAPI: providers the reference names as
// having no registration API (Slack Events API, Teams) answer
// :applyWebhookToProvider with a 400 naming the manual install, even for
// the current URL; an unknown config of theirs is still a 404, and a
// Telegram-like provider applies.
func TestApplyWebhookWithoutRegistrationAPI(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	for _, id := range []string{"Slack-Prod", "teams", "telegram"} {
		c.Must(200, "POST", api+"/integrations", strings.Replace(crmIntegration, `"crm"`, `"`+id+`"`, 1))
		cfgID := c.Must(200, "POST", api+"/integrations/"+id+"/configs", `{"displayName":"hook"}`).JSON(t)["id"].(string)
		cfg := api + "/integrations/" + id + "/configs/" + cfgID
		u := c.Must(200, "POST", cfg+":generateWebhookUrl", "").JSON(t)["webhookUrl"].(string)
		if id == "telegram" {
			if got := c.Must(200, "POST", cfg+":applyWebhookToProvider", `{"webhookUrl":"`+u+`"}`).JSON(t); got["applied"] != true {
				t.Errorf("telegram: %v", got)
			}
			continue
		}
		p := c.Problem(400, "POST", cfg+":applyWebhookToProvider", `{"webhookUrl":"`+u+`"}`)
		if !strings.Contains(fmt.Sprint(p["detail"]), "by hand") {
			t.Errorf("%s: %v", id, p)
		}
		c.Problem(404, "POST", api+"/integrations/"+id+"/configs/00000000-0000-4000-8000-000000000001:applyWebhookToProvider", `{"webhookUrl":"`+u+`"}`)
	}
}
