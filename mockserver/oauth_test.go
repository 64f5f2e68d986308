package mockserver_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver"
)

const demo = "/v1/tenants/demo"

// clock is a settable clock for expiry tests.
type clock struct {
	mu sync.Mutex
	// guards t
	t time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func demoFixtures(t testing.TB) *fixtures.Set {
	t.Helper()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// startOAuth runs :authorize and returns the consent page's state.
func startOAuth(t *testing.T, c *client, integration, body string, headers ...string) string {
	t.Helper()
	a := c.Must(200, "POST", demo+"/integrations/"+integration+":authorize", body, headers...)
	u, err := url.Parse(a.JSON(t)["authorizationUrl"].(string))
	if err != nil || u.Path != "/_mock/oauth/authorize" || !strings.HasPrefix(c.M.URL, u.Scheme+"://"+u.Host) {
		t.Fatalf("authorizationUrl %s is not the mock's consent page (%v)", a.Body, err)
	}
	return u.Query().Get("state")
}

// decide posts the consent form.
func decide(c *client, st, decision, accept string) *answer {
	form := url.Values{"state": {st}, "decision": {decision}}.Encode()
	return c.Do("POST", "/_mock/oauth/authorize", form, "Content-Type", "application/x-www-form-urlencoded", "Accept", accept)
}

func approvedKey(t *testing.T, c *client, integration string) string {
	t.Helper()
	st := startOAuth(t, c, integration, `{"integrationAuthMetadataId":"oauth"}`)
	a := decide(c, st, "approve", "application/json")
	if a.Status != 200 {
		t.Fatalf("approve: %d %s", a.Status, a.Body)
	}
	return a.JSON(t)["oAuthCredentialKey"].(string)
}

func TestOAuthFlowWithoutBrowser(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t), Now: clk.now})
	configs := demo + "/integrations/github/configs"

	t.Run("approve, then create a config with the key", func(t *testing.T) {
		c := c.In(t)
		key := approvedKey(t, c, "github")
		cfg := c.Must(200, "POST", configs, `{"displayName":"OAuth","parameters":{"owner":"acme"},"oAuthCredentialKey":"`+key+`"}`).JSON(t)
		if cfg["hasAuth"] != true || cfg["authMethodId"] != "oauth" {
			t.Fatalf("config: %v", cfg)
		}
		if scopes := cfg["auth"].(map[string]any)["grantedScopes"].([]any); len(scopes) != 3 {
			t.Fatalf("grantedScopes: %v", scopes)
		}
		p := c.Problem(400, "POST", configs, `{"displayName":"again","oAuthCredentialKey":"`+key+`"}`)
		if msg := p["errors"].(map[string]any)["oAuthCredentialKey"]; !strings.Contains(toJSON(msg), "already used") {
			t.Fatalf("reuse: %v", p)
		}
	})
	t.Run("PATCH with a key", func(t *testing.T) {
		c := c.In(t)
		id := c.Must(200, "POST", configs, `{"displayName":"later","parameters":{"owner":"acme"}}`).JSON(t)["id"].(string)
		key := approvedKey(t, c, "github")
		cfg := c.Must(200, "PATCH", configs+"/"+id, `{"oAuthCredentialKey":"`+key+`"}`).JSON(t)
		if cfg["hasAuth"] != true {
			t.Fatalf("patched: %v", cfg)
		}
	})
	t.Run(":consumeOAuthCredentials binds the key to a config", func(t *testing.T) {
		c := c.In(t)
		id := c.Must(200, "POST", configs, `{"displayName":"consumed","parameters":{"owner":"acme"}}`).JSON(t)["id"].(string)
		key := approvedKey(t, c, "github")
		consume := demo + "/integrations/github:consumeOAuthCredentials"
		body := `{"credentialKey":"` + key + `","integrationConfigId":"` + id + `"}`
		if a := c.Do("POST", consume, body); a.Status != 204 || len(a.Body) != 0 {
			t.Fatalf("consume: %d %s", a.Status, a.Body)
		}
		cfg := c.Must(200, "GET", configs+"/"+id, "").JSON(t)
		if cfg["hasAuth"] != true || cfg["authMethodId"] != "oauth" || len(cfg["auth"].(map[string]any)["grantedScopes"].([]any)) != 3 {
			t.Fatalf("after consume: %v", cfg)
		}
		if strings.Contains(toJSON(cfg), "fake_at_") {
			t.Fatalf("a token shows: %v", cfg)
		}
		p := c.Problem(400, "POST", consume, body)
		if msg := toJSON(p["errors"].(map[string]any)["credentialKey"]); !strings.Contains(msg, "already used") {
			t.Fatalf("reuse: %v", p)
		}
		c.Problem(400, "POST", consume, `{"credentialKey":"ock_forged","integrationConfigId":"`+id+`"}`)
		other := approvedKey(t, c, "github")
		c.Problem(404, "POST", consume, `{"credentialKey":"`+other+`","integrationConfigId":"4a1b2c3d-0000-4000-8000-000000000000"}`)
		// The 404 consumed nothing: the key still binds.
		if a := c.Do("POST", consume, `{"credentialKey":"`+other+`","integrationConfigId":"`+id+`"}`); a.Status != 204 {
			t.Fatalf("consume after a 404: %d %s", a.Status, a.Body)
		}
	})
	t.Run(":authorize scopes must be available", func(t *testing.T) {
		c := c.In(t)
		p := c.Problem(400, "POST", demo+"/integrations/github:authorize", `{"integrationAuthMetadataId":"oauth","scopes":["repo","admin:everything"]}`)
		if errs := p["errors"].(map[string]any); errs["scopes[1]"] == nil || errs["scopes[0]"] != nil {
			t.Fatalf("scopes: %v", p)
		}
		st := startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth","scopes":["repo"]}`)
		a := decide(c, st, "approve", "application/json")
		key := a.JSON(t)["oAuthCredentialKey"].(string)
		cfg := c.Must(200, "POST", configs, `{"displayName":"one scope","parameters":{"owner":"acme"},"oAuthCredentialKey":"`+key+`"}`).JSON(t)
		if scopes := toJSON(cfg["auth"].(map[string]any)["grantedScopes"]); scopes != `["repo"]` {
			t.Fatalf("grantedScopes = %s, want the one asked for", scopes)
		}
	})
	for _, tt := range []struct {
		name, integration, tenant, key, want string
		wait                                 time.Duration
	}{
		{name: "expired", integration: "github", wait: 11 * time.Minute, want: "expired"},
		{name: "other integration", integration: "google-calendar", want: "another tenant or integration"},
		{name: "unknown key", integration: "github", key: "ock_forged", want: "not a key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := c.In(t)
			key := tt.key
			if key == "" {
				key = approvedKey(t, c, "github")
			}
			clk.advance(tt.wait)
			body := `{"displayName":"k","parameters":{"owner":"acme"},"oAuthCredentialKey":"` + key + `"}`
			if tt.integration == "google-calendar" {
				body = `{"displayName":"k","oAuthCredentialKey":"` + key + `"}`
			}
			p := c.Problem(400, "POST", demo+"/integrations/"+tt.integration+"/configs", body)
			if msg := toJSON(p["errors"].(map[string]any)["oAuthCredentialKey"]); !strings.Contains(msg, tt.want) {
				t.Fatalf("errors.oAuthCredentialKey = %s, want %q", msg, tt.want)
			}
		})
	}
	t.Run("other tenant", func(t *testing.T) {
		c := c.In(t)
		key := approvedKey(t, c, "github")
		c.Must(200, "POST", "/v1/tenants/other/integrations", `{"id":"github","configMetadata":{"authMetadata":[{"id":"oauth","type":"OAUTH2"}]}}`)
		p := c.Problem(400, "POST", "/v1/tenants/other/integrations/github/configs", `{"displayName":"k","oAuthCredentialKey":"`+key+`"}`)
		if msg := toJSON(p["errors"]); !strings.Contains(msg, "oAuthCredentialKey") {
			t.Fatalf("foreign tenant: %s", msg)
		}
	})
	t.Run("deny", func(t *testing.T) {
		c := c.In(t)
		st := startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`)
		p := c.Problem(400, "POST", "/_mock/oauth/authorize", url.Values{"state": {st}, "decision": {"deny"}}.Encode(),
			"Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json")
		if !strings.Contains(toJSON(p), "access_denied") {
			t.Fatalf("deny: %v", p)
		}
		if a := decide(c, st, "approve", "application/json"); a.Status != 400 {
			t.Fatalf("a denied state was approved: %d", a.Status)
		}
	})
	t.Run("expired consent", func(t *testing.T) {
		c := c.In(t)
		st := startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`)
		clk.advance(11 * time.Minute)
		c.Problem(400, "GET", "/_mock/oauth/authorize?state="+url.QueryEscape(st), "")
		if a := decide(c, st, "approve", "application/json"); a.Status != 400 || !strings.Contains(string(a.Body), "expired") {
			t.Fatalf("expired approve: %d %s", a.Status, a.Body)
		}
	})
}

func TestOAuthBadInput(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	form := "application/x-www-form-urlencoded"
	st := startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`)
	for _, tt := range []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		field                    string
	}{
		{"not an OAUTH2 method", "POST", demo + "/integrations/github:authorize", `{"integrationAuthMetadataId":"pat"}`, nil, 400, "integrationAuthMetadataId"},
		{"unknown method", "POST", demo + "/integrations/github:authorize", `{"integrationAuthMetadataId":"nope"}`, nil, 400, "integrationAuthMetadataId"},
		{"missing method", "POST", demo + "/integrations/github:authorize", `{}`, nil, 400, "integrationAuthMetadataId"},
		{"the old field name", "POST", demo + "/integrations/github:authorize", `{"authMethodId":"oauth"}`, nil, 400, "authMethodId"},
		{"bad origin", "POST", demo + "/integrations/github:authorize", `{"integrationAuthMetadataId":"oauth"}`, []string{"Origin", "http://x.test/cb?a=1"}, 400, "Origin"},
		{"unknown integration", "POST", demo + "/integrations/nope:authorize", `{"integrationAuthMetadataId":"oauth"}`, nil, 404, ""},
		{"unknown state", "GET", "/_mock/oauth/authorize?state=forged", "", nil, 400, "state"},
		{"missing state", "GET", "/_mock/oauth/authorize", "", nil, 400, "state"},
		{"unknown form field", "POST", "/_mock/oauth/authorize", "state=" + st + "&decision=approve&extra=1", []string{"Content-Type", form}, 400, "extra"},
		{"bad decision", "POST", "/_mock/oauth/authorize", "state=" + st + "&decision=maybe", []string{"Content-Type", form}, 400, "decision"},
		{"state twice", "POST", "/_mock/oauth/authorize", "state=" + st + "&state=x&decision=approve", []string{"Content-Type", form}, 400, "state"},
		{"no state", "POST", "/_mock/oauth/authorize", "decision=approve", []string{"Content-Type", form}, 400, "state"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := c.In(t)
			a := c.Do(tt.method, tt.path, tt.body, tt.headers...)
			if a.Status != tt.status {
				t.Fatalf("%d, want %d: %s", a.Status, tt.status, a.Body)
			}
			if tt.field != "" {
				if errs, _ := a.JSON(t)["errors"].(map[string]any); errs[tt.field] == nil {
					t.Fatalf("no error on %s: %s", tt.field, a.Body)
				}
			}
		})
	}
	// The bad requests above consumed nothing: the flow still completes.
	if a := decide(c, st, "approve", "application/json"); a.Status != 200 {
		t.Fatalf("approve after bad posts: %d %s", a.Status, a.Body)
	}
}

func TestOAuthPages(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	// A display name with markup must come out escaped.
	gh := c.Must(200, "GET", demo+"/integrations/github", "").JSON(t)
	c.Must(200, "PUT", demo+"/integrations/github", `{"displayName":"Git<script>alert(1)</script>Hub \"quoted\"","configMetadata":`+toJSON(gh["configMetadata"])+`}`)
	st := startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`, "Origin", "http://localhost:5173")
	page := c.Must(200, "GET", "/_mock/oauth/authorize?state="+url.QueryEscape(st), "")
	body := string(page.Body)
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "Git&lt;script&gt;") {
		t.Fatalf("consent page does not escape the display name:\n%s", body)
	}
	for _, want := range []string{`name="decision" value="approve"`, `name="decision" value="deny"`, `method="post"`, "repo", "read:org"} {
		if !strings.Contains(body, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	checkCSP(t, page)

	a := decide(c, st, "approve", "text/html")
	body = string(a.Body)
	if a.Status != 200 || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("success page: %d %s", a.Status, a.Body)
	}
	nonce := checkCSP(t, a)
	for _, want := range []string{`<script nonce="` + nonce + `">`, `"fruxon-oauth-success"`, `"http://localhost:5173"`, "postMessage", "window.close()", "ock_"} {
		if !strings.Contains(body, want) {
			t.Errorf("success page lacks %q:\n%s", want, body)
		}
	}

	st = startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`, "Origin", "http://127.0.0.1:3000")
	a = decide(c, st, "deny", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	for _, want := range []string{`"fruxon-oauth-error"`, `"access_denied"`, `"http://127.0.0.1:3000"`} {
		if !strings.Contains(string(a.Body), want) {
			t.Errorf("deny page lacks %q:\n%s", want, a.Body)
		}
	}
	if strings.Contains(string(a.Body), "ock_") {
		t.Error("the deny page carries a key")
	}
}

// checkCSP asserts the strict policy and returns its nonce.
func checkCSP(t *testing.T, a *answer) string {
	t.Helper()
	csp := a.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP %q is not strict", csp)
	}
	_, rest, ok := strings.Cut(csp, "script-src 'nonce-")
	nonce, _, ok2 := strings.Cut(rest, "'")
	if !ok || !ok2 || len(nonce) < 16 {
		t.Fatalf("CSP %q has no script nonce", csp)
	}
	if a.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("no nosniff")
	}
	return nonce
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
