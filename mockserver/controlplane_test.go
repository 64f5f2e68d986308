package mockserver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// canary is a secret that must never come back out of the mock.
const canary = "sk_live_CANARY_4242_never_leaves"

// canaryConfig creates a config holding the canary as its secret key.
func canaryConfig(t *testing.T, c *client) string {
	t.Helper()
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	return c.Must(200, "POST", api+"/integrations/crm/configs",
		`{"displayName":"cfg","parameters":{"region":"eu"},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+canary+`"}}}`).JSON(t)["id"].(string)
}

func TestStateExportImport(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	id := canaryConfig(t, c)
	c.Must(200, "POST", api+"/integrations/crm/configs/"+id+":publish", "")
	exported := c.Must(200, "GET", "/_mock/state", "")
	if strings.Contains(string(exported.Body), canary) {
		t.Fatal("the state export holds the secret in the clear")
	}
	if !strings.Contains(string(exported.Body), `"secrets"`) {
		t.Fatalf("the export holds no sealed secret: %s", exported.Body)
	}
	etag := c.Must(200, "GET", api+"/integrations/crm/configs/"+id, "").Header.Get("ETag")

	c.Must(204, "POST", "/_mock/reset", "")
	c.Problem(404, "GET", api+"/integrations/crm", "")
	c.Must(204, "PUT", "/_mock/state", string(exported.Body))
	got := c.Must(200, "GET", api+"/integrations/crm/configs/"+id, "")
	if got.Header.Get("ETag") != etag || got.JSON(t)["hasAuth"] != true || got.JSON(t)["publishedRevisionId"] == nil {
		t.Fatalf("after import: %s %s (ETag was %s)", got.Header.Get("ETag"), got.Body, etag)
	}
	// The imported secret still works: a verification of the config reads it.
	if v := c.Must(200, "POST", api+"/integrations/crm/configs/"+id+":verifyAuth", "").JSON(t); v["success"] != true {
		t.Fatalf("verifyAuth after import: %v", v)
	}
}

func TestStateImportBadDocument(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	id := canaryConfig(t, c)
	before := c.Must(200, "GET", "/_mock/state", "").Body
	other, _ := secretbox.NewRandom()
	foreign, _ := other.Seal(`"x"`)
	good := string(before)
	for _, tt := range []struct{ name, body, field string }{
		{"not JSON", `{"version":2,`, "body"},
		{"wrong version", `{"version":3,"tenants":{}}`, "version"},
		{"version 1", `{"version":1,"tenants":{"t":{"integrations":[{"integration":{"id":"x"},"configs":[],"tools":[]}]}}}`, "version"},
		{"missing tenants", `{"version":2}`, "tenants"},
		{"unknown field", strings.Replace(good, `"configs":[`, `"bogus":1,"configs":[`, 1), "body"},
		{"bad integration id", `{"version":2,"tenants":{"t":{"integrations":[{"integration":{"id":"no spaces"},"configs":[]}],"tools":{"tools":[]}}}}`, "tenants.t.integrations[0].integration.id"},
		{"secret sealed with another key", `{"version":2,"tenants":{"t":{"integrations":[{"integration":{"id":"x"},"configs":[{"id":"c1","draft":{"sandboxMode":"NONE","secrets":{"k":"` + foreign + `"}},"revisions":[]}]}],"tools":{"tools":[]}}}}`, "tenants.t.integrations[0].configs[0].draft.secrets.k"},
		{"tool of no integration", `{"version":2,"tenants":{"t":{"integrations":[],"tools":{"tools":[{"tool":{"id":"x","integrationId":"gone","descriptor":{"apiTool":{"httpMethod":"GET","url":"https://x.test/"}}}}]}}}}`, "tenants.t.tools.tools[0].tool.integrationId"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := c.In(t)
			p := c.Problem(400, "PUT", "/_mock/state", tt.body)
			if errs, _ := p["errors"].(map[string]any); errs[tt.field] == nil {
				t.Fatalf("no error on %s: %v", tt.field, p)
			}
			if after := c.Must(200, "GET", "/_mock/state", "").Body; string(after) != string(before) {
				t.Fatal("a rejected import changed the state")
			}
		})
	}
	c.Must(200, "GET", api+"/integrations/crm/configs/"+id, "")
}

func TestResetReturnsToFixtures(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	list := func() []any {
		return c.Must(200, "GET", demo+"/integrations?pageSize=100", "").JSON(t)["items"].([]any)
	}
	n := len(list())
	if n < 6 {
		t.Fatalf("the default fixtures have %d integrations", n)
	}
	stripe := demo + "/integrations/stripe/configs"
	configs := c.Must(200, "GET", stripe, "").JSON(t)["items"].([]any)
	first := configs[0].(map[string]any)["id"].(string)
	before := string(c.Must(200, "GET", stripe+"/"+first, "").Body)
	c.Must(204, "DELETE", stripe+"/"+first, "")
	c.Must(200, "POST", demo+"/integrations", `{"id":"added"}`)
	c.Must(200, "PUT", demo+"/integrations/github", `{"displayName":"Changed"}`)

	c.Must(204, "POST", "/_mock/reset", "")
	if got := len(list()); got != n {
		t.Fatalf("after reset: %d integrations, want %d", got, n)
	}
	c.Problem(404, "GET", demo+"/integrations/added", "")
	if name := c.Must(200, "GET", demo+"/integrations/github", "").JSON(t)["displayName"]; name != "GitHub" {
		t.Fatalf("github after reset: %v", name)
	}
	if after := string(c.Must(200, "GET", stripe+"/"+first, "").Body); after != before {
		t.Fatalf("restored config:\n%s\nwant\n%s", after, before)
	}
}

func TestFixturesThroughTheAPI(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	// API keys from the fixtures.
	c.Auth = ""
	c.Must(200, "GET", demo+"/integrations", "", "X-API-KEY", "demo-api-key")
	c.Must(403, "GET", "/v1/tenants/acme/integrations", "", "X-API-KEY", "demo-api-key")
	c.Must(200, "GET", "/v1/tenants/acme/integrations", "", "X-API-KEY", "demo-admin-key")
	c.Auth = "Bearer dev"
	// A published config with unpublished draft changes.
	zendesk := c.Must(200, "GET", demo+"/integrations/zendesk/configs", "").JSON(t)["items"].([]any)[0].(map[string]any)
	rev := c.Must(200, "GET", demo+"/integrations/zendesk/configs/"+zendesk["id"].(string)+"/revisions/"+zendesk["publishedRevisionId"].(string), "").JSON(t)
	if zendesk["displayName"] != "Support desk (EU)" || rev["configId"] != zendesk["id"] || rev["version"] != 1.0 || rev["tenantId"] != "demo" {
		t.Fatalf("draft %v vs published %v", zendesk["displayName"], rev)
	}
	// Ids are stable across starts.
	c2, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	again := c2.Must(200, "GET", demo+"/integrations/zendesk/configs", "").JSON(t)["items"].([]any)[0].(map[string]any)
	if again["id"] != zendesk["id"] || again["publishedRevisionId"] != zendesk["publishedRevisionId"] {
		t.Fatalf("ids differ between starts: %v %v", again["id"], zendesk["id"])
	}
	// No fixture secret is ever shown.
	body := string(c.Must(200, "GET", "/_mock/state", "").Body)
	for _, s := range []string{"sk_live_demo", "sk_test_demo", "ghp_demo", "zd_demo", "xoxb-demo"} {
		if strings.Contains(body, s) {
			t.Fatalf("the export shows fixture secret %s", s)
		}
	}
}

func TestTokens(t *testing.T) {
	for _, cfg := range []struct {
		name string
		cfg  mockserver.Config
	}{
		{"jwt mode, configured secret", mockserver.Config{Auth: mockserver.AuthJWT, JWTSecret: []byte("s3cret"), ControlToken: "ct"}},
		{"jwt mode, no secret (per-process)", mockserver.Config{Auth: mockserver.AuthJWT, ControlToken: "ct"}},
		{"permissive", mockserver.Config{}},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			c, _ := start(t, cfg.cfg)
			c.Auth = ""
			tok := c.Must(200, "POST", "/_mock/tokens", `{"tenant":"acme","sub":"user_1","scopes":["integrations.read"],"ttlSeconds":600}`).JSON(t)
			if tok["expiresAt"].(float64) <= 0 {
				t.Fatalf("token: %v", tok)
			}
			c.Auth = "Bearer " + tok["token"].(string)
			c.Must(200, "GET", "/v1/tenants/acme/integrations", "")
			if created := c.Must(200, "POST", "/v1/tenants/acme/integrations", crmIntegration).JSON(t); created["id"] != "crm" {
				t.Fatal(created)
			}
			c.Must(403, "GET", "/v1/tenants/globex/integrations", "")

			c.Auth = ""
			multi := c.Must(200, "POST", "/_mock/tokens", `{"tenants":["acme","globex"]}`).JSON(t)["token"].(string)
			c.Auth = "Bearer " + multi
			c.Must(200, "GET", "/v1/tenants/globex/integrations", "")
			c.Must(403, "GET", "/v1/tenants/initech/integrations", "")
		})
	}
	t.Run("expired token", func(t *testing.T) {
		clk := &clock{}
		clk.t = clk.t.AddDate(2026, 0, 0)
		c, _ := start(t, mockserver.Config{Auth: mockserver.AuthJWT, Now: clk.now, ControlToken: "ct"})
		c.Auth = ""
		tok := c.Must(200, "POST", "/_mock/tokens", `{"tenant":"acme","ttlSeconds":60}`).JSON(t)["token"].(string)
		c.Auth = "Bearer " + tok
		c.Must(200, "GET", "/v1/tenants/acme/integrations", "")
		clk.advance(61e9)
		c.Must(401, "GET", "/v1/tenants/acme/integrations", "")
	})
	t.Run("bad requests", func(t *testing.T) {
		c, _ := start(t, mockserver.Config{})
		for _, tt := range []struct{ body, field string }{
			{`{"tenant":""}`, "tenant"},
			{`{"tenants":[]}`, "tenants"},
			{`{"tenants":["a",""]}`, "tenants[1]"},
			{`{"ttlSeconds":0}`, "ttlSeconds"},
			{`{"ttlSeconds":86401}`, "ttlSeconds"},
			{`{"tenant":"a","extra":1}`, "extra"},
		} {
			p := c.Problem(400, "POST", "/_mock/tokens", tt.body)
			if errs, _ := p["errors"].(map[string]any); errs[tt.field] == nil {
				t.Errorf("%s: no error on %s: %v", tt.body, tt.field, p)
			}
		}
	})
}

func TestJournal(t *testing.T) {
	var observed []string
	c, _ := start(t, mockserver.Config{JournalSize: 5, Observe: func(e mockserver.Entry) { observed = append(observed, e.Path) }})
	c.Must(204, "DELETE", "/_mock/journal", "")
	id := canaryConfig(t, c)
	c.Must(200, "PATCH", api+"/integrations/crm/configs/"+id, `{"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+canary+`"}}}`,
		"Authorization", "Bearer "+canary, "X-API-KEY", canary)
	c.Problem(400, "POST", api+"/integrations/crm/configs?token="+canary, `{"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+canary+`"}},"bogus":"`+canary+`"}`)
	c.Must(200, "GET", "/_mock/health", "")

	all := c.Must(200, "GET", "/_mock/journal", "")
	if strings.Contains(string(all.Body), canary) {
		t.Fatalf("the journal holds a secret: %s", all.Body)
	}
	items := all.JSON(t)["items"].([]any)
	if len(items) != 4 { // create integration, create config, patch, the 400; not health, not journal reads
		t.Fatalf("%d entries: %s", len(items), all.Body)
	}
	newest := items[0].(map[string]any)
	if newest["status"].(float64) != 400 || newest["tenant"] != "acme" || newest["method"] != "POST" || newest["path"] != api+"/integrations/crm/configs" {
		t.Fatalf("newest entry: %v", newest)
	}
	f := newest["findings"].([]any)[0].(map[string]any)
	if f["where"] != "request" || f["field"] != "bogus" {
		t.Fatalf("finding: %v", f)
	}

	bad := c.Must(200, "GET", "/_mock/journal?status=400", "").JSON(t)["items"].([]any)
	byPath := c.Must(200, "GET", "/_mock/journal?path="+api+"/integrations/crm/configs/&limit=5", "").JSON(t)["items"].([]any)
	if len(bad) != 1 || len(byPath) != 1 || byPath[0].(map[string]any)["method"] != "PATCH" {
		t.Fatalf("filters: status=400 → %d, path → %v", len(bad), byPath)
	}
	for range 6 {
		c.Must(200, "GET", api+"/integrations", "")
	}
	if n := len(c.Must(200, "GET", "/_mock/journal", "").JSON(t)["items"].([]any)); n != 5 {
		t.Fatalf("the ring holds %d entries, want its size 5", n)
	}
	c.Must(204, "DELETE", "/_mock/journal", "")
	if n := len(c.Must(200, "GET", "/_mock/journal", "").JSON(t)["items"].([]any)); n != 0 {
		t.Fatalf("%d entries after clear", n)
	}
	c.Problem(400, "GET", "/_mock/journal?status=abc", "")
	if len(observed) == 0 || !json.Valid(all.Body) {
		t.Fatal("the user's Observe was not called")
	}
}
