package mockserver_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// journalFindings returns the findings of the newest journal entry with
// the status.
func journalFindings(t *testing.T, c *client, status string) []any {
	t.Helper()
	items := c.Must(200, "GET", "/_mock/journal?status="+status+"&limit=1", "").JSON(t)["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("no %s in the journal", status)
	}
	return items[0].(map[string]any)["findings"].([]any)
}

func TestRejectionsSayWhy(t *testing.T) {
	secret := "s3cret-for-tests"
	c, logs := start(t, mockserver.Config{Auth: mockserver.AuthJWT, JWTSecret: []byte(secret)})
	expired := sign(t, secret, map[string]any{"sub": "u", "exp": time.Now().Add(-time.Hour).Unix()})
	forged := sign(t, "another-secret", map[string]any{"sub": "u"})
	other := sign(t, secret, map[string]any{"sub": "u", "tenant": "globex"})
	for _, tc := range []struct {
		name, authz string
		status      int
		want        string
	}{
		{"none", "", 401, "no credentials"},
		{"not bearer", "Basic Zm9vOmJhcg==", 401, "not \"Bearer <token>\""},
		{"expired", "Bearer " + expired, 401, "token expired at"},
		{"forged", "Bearer " + forged, 401, "bad signature"},
		{"not a JWT", "Bearer opaque", 401, "not a JWT"},
		{"other tenant", "Bearer " + other, 403, `do not include tenant "acme"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.In(t)
			c.Auth = tc.authz
			a := c.Must(tc.status, "GET", api+"/integrations", "")
			reason := a.Header.Get("X-Fruxon-Mock-Reason")
			if len(a.Body) != 0 || !strings.Contains(reason, tc.want) {
				t.Fatalf("reason %q (want %q), body %q (want empty)", reason, tc.want, a.Body)
			}
			for _, tok := range []string{expired, forged, other} {
				if strings.Contains(reason, tok) {
					t.Fatal("the reason echoes the token")
				}
			}
			c.Auth = ""
			fs := journalFindings(t, c, strconv.Itoa(tc.status))
			if len(fs) == 0 || !strings.Contains(fs[0].(map[string]any)["message"].(string), tc.want) {
				t.Errorf("journal findings %v lack %q", fs, tc.want)
			}
		})
	}
	if !strings.Contains(logs.String(), "token expired at") {
		t.Error("the access log lacks the reason")
	}
	if strings.Contains(logs.String(), expired) {
		t.Error("the log holds a token")
	}
}

func TestRefusedPreflightLogsOriginAndList(t *testing.T) {
	c, logs := start(t, mockserver.Config{CORSOrigins: []string{"http://localhost:5173"}})
	a := c.Must(403, "OPTIONS", api+"/integrations", "", "Origin", "http://evil.test", "Access-Control-Request-Method", "GET")
	if a.Header.Get("Access-Control-Allow-Origin") != "" || !strings.Contains(a.Header.Get("X-Fruxon-Mock-Reason"), "--cors-origins") {
		t.Fatalf("headers %v", a.Header)
	}
	l := logs.String()
	if !strings.Contains(l, "http://evil.test") || !strings.Contains(l, "http://localhost:5173") {
		t.Fatalf("the log names neither the origin nor the allow list: %s", l)
	}
}

func TestBusinessRuleFindingsInJournal(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", `{"displayName": "CRM", "configMetadata": {"parametersMetadata": [
		{"name": "region", "type": "String", "required": true, "options": [{"value": "eu"}, {"value": "us"}]}]}}`)
	p := c.Problem(400, "POST", api+"/integrations/crm/configs", `{"displayName": "x", "parameters": {"region": "mars"}}`)
	field := ""
	for k := range p["errors"].(map[string]any) {
		field = k
	}
	fs := journalFindings(t, c, "400")
	if len(fs) == 0 {
		t.Fatal("the business-rule 400 has no findings in the journal")
	}
	f := fs[0].(map[string]any)
	if f["field"] != field || !strings.Contains(f["message"].(string), "must be one of") || f["where"] != "request" {
		t.Fatalf("finding %v, want field %q with the rule", f, field)
	}
}

func TestPreferBadCodeAndStamps(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	for _, v := range []string{"code=abc", "code=99", `code="x"`} {
		p := c.Problem(400, "GET", api+"/integrations", "", "Prefer", v)
		if _, ok := p["errors"].(map[string]any)["Prefer"]; !ok {
			t.Errorf("%s: %v does not name the Prefer header", v, p)
		}
	}
	a := c.Must(404, "GET", api+"/integrations/crm", "", "Prefer", "code=404", "X-Request-Id", "trace-abc-123")
	p := a.JSON(t)
	if p["instance"] != api+"/integrations/crm" || p["traceId"] != "trace-abc-123" || a.Header.Get("X-Trace-Id") != "trace-abc-123" {
		t.Fatalf("instance %v traceId %v X-Trace-Id %q", p["instance"], p["traceId"], a.Header.Get("X-Trace-Id"))
	}
}

func TestIndexPage(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	a := c.Must(200, "GET", "/", "")
	body := string(a.Body)
	if !strings.HasPrefix(a.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("content type %q", a.Header.Get("Content-Type"))
	}
	for _, link := range []string{`href="/_mock/ui"`, `href="/openapi.yaml"`, "#readme"} {
		if !strings.Contains(body, link) {
			t.Errorf("GET / lacks %s", link)
		}
	}
}
