package mockserver_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// raw sends one request with the default client (no control token added)
// and returns the status and the problem's errors, if any.
func raw(t *testing.T, base, method, path, body string, host string, headers ...string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct {
		Errors map[string]any `json:"errors"`
	}
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &p)
	return resp.StatusCode, p.Errors
}

func TestControlTokenDoor(t *testing.T) {
	c, _ := start(t, mockserver.Config{ControlToken: "ct-123", Fixtures: demoFixtures(t)})
	u := c.M.URL
	for _, tt := range []struct {
		name, method, path string
		headers            []string
		want               int
	}{
		{"reset without token", "POST", "/_mock/reset", nil, 401},
		{"mint without token", "POST", "/_mock/tokens", nil, 401},
		{"export without token", "GET", "/_mock/state", nil, 401},
		{"wrong token", "GET", "/_mock/journal", []string{mockserver.ControlTokenHeader, "nope"}, 401},
		{"API bearer is not the control token", "GET", "/_mock/journal", []string{"Authorization", "Bearer dev"}, 401},
		{"token header", "GET", "/_mock/journal", []string{mockserver.ControlTokenHeader, "ct-123"}, 200},
		{"token as bearer", "GET", "/_mock/journal", []string{"Authorization", "Bearer ct-123"}, 200},
		{"header wins over another bearer", "GET", "/_mock/journal", []string{"Authorization", "Bearer dev", mockserver.ControlTokenHeader, "ct-123"}, 200},
		{"health stays open", "GET", "/_mock/health", nil, 200},
		{"served spec stays open", "GET", "/openapi.json", nil, 200},
		{"dashboard page stays open (its calls need the token)", "GET", "/_mock/ui", nil, 200},
		{"API untouched", "GET", "/v1/tenants/demo/integrations", []string{"Authorization", "Bearer dev"}, 200},
	} {
		body := ""
		if tt.path == "/_mock/tokens" {
			body = `{"tenant":"demo"}`
		}
		got, errs := raw(t, u, tt.method, tt.path, body, "", tt.headers...)
		if got != tt.want {
			t.Errorf("%s: %s %s = %d, want %d", tt.name, tt.method, tt.path, got, tt.want)
		}
		if got == 401 && errs[mockserver.ControlTokenHeader] == nil {
			t.Errorf("%s: the 401 doesn't name %s: %v", tt.name, mockserver.ControlTokenHeader, errs)
		}
	}
	// The consent page stays open without the token.
	st := startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`)
	if got, _ := raw(t, u, "GET", "/_mock/oauth/authorize?state="+url.QueryEscape(st), "", ""); got != 200 {
		t.Errorf("consent page without the token = %d, want 200", got)
	}
}

func TestJWTModeMintAndFixtureKeys(t *testing.T) {
	c, _ := start(t, mockserver.Config{Auth: mockserver.AuthJWT, Fixtures: demoFixtures(t)})
	c.Auth = ""
	p := c.Problem(403, "POST", "/_mock/tokens", `{}`)
	if errs, _ := p["errors"].(map[string]any); errs[mockserver.ControlTokenHeader] == nil {
		t.Errorf("the 403 doesn't name %s: %v", mockserver.ControlTokenHeader, p)
	}
	c.Must(401, "GET", demo+"/integrations", "", "X-API-KEY", "demo-admin-key")

	opted, _ := start(t, mockserver.Config{Auth: mockserver.AuthJWT, Fixtures: demoFixtures(t), FixtureAPIKeys: true, ControlToken: "ct"})
	opted.Auth = ""
	opted.Must(200, "GET", demo+"/integrations", "", "X-API-KEY", "demo-admin-key")
	opted.Must(401, "GET", demo+"/integrations", "", "X-API-KEY", "not-a-fixture-key")
	tok := opted.Must(200, "POST", "/_mock/tokens", `{"tenant":"demo"}`).JSON(t)["token"].(string)
	opted.Must(200, "GET", demo+"/integrations", "", "Authorization", "Bearer "+tok)
}

func TestHostAllowList(t *testing.T) {
	c, _ := start(t, mockserver.Config{AllowedHosts: []string{"mock.internal.test", "*.ci.example"}})
	for host, want := range map[string]int{
		"attacker.example":            403,
		"attacker.example:8080":       403,
		"localhost.attacker.example":  403,
		"127.0.0.1:8080":              200,
		"[::1]:8080":                  200,
		"localhost:8080":              200,
		"LOCALHOST":                   200,
		"app.localhost:8080":          200,
		"fruxon-mock:8080":            200,
		"mock.internal.test":          200,
		"runner-7.ci.example:8080":    200,
		"ci.example.attacker.example": 403,
	} {
		got, errs := raw(t, c.M.URL, "GET", "/v1/tenants/acme/integrations", "", host, "Authorization", "Bearer dev")
		if got != want {
			t.Errorf("Host %s = %d, want %d", host, got, want)
		}
		if got == 403 && errs["Host"] == nil {
			t.Errorf("Host %s: the 403 doesn't name Host: %v", host, errs)
		}
	}
}

func TestCrossSiteControlWrites(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	u := c.M.URL
	c.Must(200, "POST", "/v1/tenants/acme/integrations", crmIntegration)
	for _, tt := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"no-cors POST from another site", []string{"Origin", "https://attacker.example"}, 403},
		{"opaque origin", []string{"Origin", "null"}, 403},
		{"no Origin but cross-site", []string{"Sec-Fetch-Site", "cross-site"}, 403},
	} {
		got, errs := raw(t, u, "POST", "/_mock/reset", "", "", tt.headers...)
		if got != tt.want || errs["Origin"] == nil {
			t.Errorf("%s: reset = %d (%v), want %d naming Origin", tt.name, got, errs, tt.want)
		}
		got, _ = raw(t, u, "POST", "/_mock/tokens", `{}`, "", tt.headers...)
		if got != tt.want {
			t.Errorf("%s: mint = %d, want %d", tt.name, got, tt.want)
		}
	}
	// Nothing was reset.
	c.Must(200, "GET", "/v1/tenants/acme/integrations/crm", "")
	// An allowed origin, the mock's own, and a CLI (no Origin) may.
	if got, _ := raw(t, u, "POST", "/_mock/tokens", `{}`, "", "Origin", "http://localhost:5173"); got != 200 {
		t.Errorf("mint from an allowed origin = %d", got)
	}
	if got, _ := raw(t, u, "POST", "/_mock/tokens", `{}`, "", "Origin", u); got != 200 {
		t.Errorf("mint from the mock's own origin = %d", got)
	}
	if got, _ := raw(t, u, "DELETE", "/_mock/journal", "", ""); got != 204 {
		t.Errorf("journal clear from a CLI = %d", got)
	}
	// The consent form is posted from the mock's page whatever its origin
	// looks like; its single-use state protects it.
	st := startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`)
	a := decide(c, st, "approve", "application/json")
	if a.Status != 200 {
		t.Fatalf("consent = %d: %s", a.Status, a.Body)
	}
	st = startOAuth(t, c, "github", `{"integrationAuthMetadataId":"oauth"}`)
	form := url.Values{"state": {st}, "decision": {"approve"}}.Encode()
	if a := c.Do("POST", "/_mock/oauth/authorize", form, "Content-Type", "application/x-www-form-urlencoded",
		"Origin", "https://elsewhere.example", "Accept", "application/json"); a.Status != 200 {
		t.Fatalf("consent with a foreign Origin = %d: %s", a.Status, a.Body)
	}
}

func TestOAuthOriginsMustBeAllowed(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t), CORSOrigins: []string{"http://localhost:*", "https://app.example.com"}})
	path := demo + "/integrations/github:authorize"
	body := `{"integrationAuthMetadataId":"oauth"}`
	for _, tt := range []struct {
		name    string
		headers []string
	}{
		{"Origin not on the CORS list", []string{"Origin", "https://attacker.example"}},
		{"Origin with a path", []string{"Origin", "https://app.example.com/"}},
		{"Origin with userinfo", []string{"Origin", "https://u@app.example.com"}},
		{"Origin not http", []string{"Origin", "javascript://app.example.com"}},
	} {
		p := c.Problem(400, "POST", path, body, tt.headers...)
		if errs, _ := p["errors"].(map[string]any); errs["Origin"] == nil {
			t.Errorf("%s: no error on Origin: %v", tt.name, p)
		}
	}
	startOAuth(t, c, "github", body, "Origin", "https://app.example.com")
	startOAuth(t, c, "github", body, "Origin", "http://localhost:5173")
}

// TestBodyReadDeadline: a client that sends the headers and then trickles
// (here: stops) the body gets a 408 once the deadline passes, instead of
// holding the connection forever.
func TestBodyReadDeadline(t *testing.T) {
	c, _ := start(t, mockserver.Config{BodyReadTimeout: 50 * time.Millisecond})
	conn, err := net.Dial("tcp", strings.TrimPrefix(c.M.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/tenants/acme/integrations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer dev\r\n"+
		"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
	// A bound on the test, not a timing assertion: without the deadline
	// the server never answers.
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("a stalled body = %d, want 408: %s", resp.StatusCode, b)
	}
}
