package mockserver_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestWalkthrough follows the README: integration → config with a key →
// patch → publish → revision, and the key never comes back.
func TestWalkthrough(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	it := c.Must(200, "POST", api+"/integrations", crmIntegration)
	if it.Header.Get("ETag") == "" || it.JSON(t)["type"] != "CUSTOM" {
		t.Fatalf("create: %s %v", it.Body, it.Header)
	}
	cfg := c.Must(200, "POST", api+"/integrations/crm/configs",
		`{"displayName":"Prod","parameters":{"region":"eu"},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_walk"}}}`).JSON(t)
	id := cfg["id"].(string)
	if cfg["hasAuth"] != true || cfg["authMethodId"] != "api-key" {
		t.Fatalf("config: %v", cfg)
	}
	c.Must(200, "PATCH", api+"/integrations/crm/configs/"+id, `{"sandboxMode":"SIMULATED","displayName":null}`)
	rev := c.Must(200, "POST", api+"/integrations/crm/configs/"+id+":publish", "").JSON(t)
	if rev["version"].(float64) != 1 || rev["sandboxMode"] != "SIMULATED" || rev["tenantId"] != "acme" || rev["note"] != nil {
		t.Fatalf("revision: %v", rev)
	}
	// A draft change after publish leaves the revision alone.
	c.Must(200, "PATCH", api+"/integrations/crm/configs/"+id, `{"displayName":"Draft","parameters":{"region":"us"}}`)
	got := c.Must(200, "GET", api+"/integrations/crm/configs/"+id+"/revisions/"+rev["id"].(string), "").JSON(t)
	if got["parameters"].(map[string]any)["region"] != "eu" {
		t.Fatalf("revision changed with the draft: %v", got)
	}
	cfg = c.Must(200, "GET", api+"/integrations/crm/configs/"+id, "").JSON(t)
	if cfg["publishedRevisionId"] != rev["id"] || cfg["displayName"] != "Draft" {
		t.Fatalf("config after publish: %v", cfg)
	}
	list := c.Must(200, "GET", api+"/integrations/crm/configs/"+id+"/revisions", "").JSON(t)
	if n := len(list["items"].([]any)); n != 1 {
		t.Fatalf("revisions: %d", n)
	}
	for _, a := range c.Answers() {
		if strings.Contains(string(a.Body), "sk_walk") {
			t.Fatalf("the key came back: %s", a.Body)
		}
	}
}

func TestProblems(t *testing.T) {
	c, _ := start(t, mockserver.Config{MaxBody: 4096})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	cfgID := c.Must(200, "POST", api+"/integrations/crm/configs", `{"displayName":"cfg","parameters":{"region":"eu"}}`).JSON(t)["id"].(string)
	cfgPath := api + "/integrations/crm/configs/" + cfgID

	t.Run("400 lists every finding", func(t *testing.T) {
		c := c.In(t)
		p := c.Problem(400, "POST", api+"/integrations", `{"displayName":"`+strings.Repeat("x", 101)+`","id":"a b","extra":1}`)
		errs := p["errors"].(map[string]any)
		for _, f := range []string{"displayName", "id", "extra"} {
			if errs[f] == nil {
				t.Errorf("errors lack %s: %v", f, errs)
			}
		}
	})
	t.Run("400 meaning: out of range, not in options, undeclared, unknown method", func(t *testing.T) {
		c := c.In(t)
		p := c.Problem(400, "PATCH", cfgPath, `{"parameters":{"region":"mars","limit":501,"color":"red"},"auth":{"integrationAuthMetadataId":"oauth","parameters":{}}}`)
		errs := p["errors"].(map[string]any)
		for _, f := range []string{"parameters.region", "parameters.limit", "parameters.color", "auth.integrationAuthMetadataId"} {
			if errs[f] == nil {
				t.Errorf("errors lack %s: %v", f, errs)
			}
		}
	})
	t.Run("400 missing required auth parameter", func(t *testing.T) {
		c := c.In(t)
		p := c.Problem(400, "PATCH", cfgPath, `{"auth":{"integrationAuthMetadataId":"api-key","parameters":{}}}`)
		if p["errors"].(map[string]any)["auth.parameters.apiKey"] == nil {
			t.Fatalf("%v", p)
		}
	})
	t.Run("a rejected PATCH changes nothing", func(t *testing.T) {
		c := c.In(t)
		before := c.Must(200, "GET", cfgPath, "")
		c.Problem(400, "PATCH", cfgPath, `{"displayName":"ok","parameters":{"region":"mars"}}`)
		after := c.Must(200, "GET", cfgPath, "")
		if string(before.Body) != string(after.Body) || before.Header.Get("ETag") != after.Header.Get("ETag") {
			t.Fatalf("changed:\n%s\n%s", before.Body, after.Body)
		}
	})
	t.Run("400 non-uuid config id", func(t *testing.T) {
		c := c.In(t)
		c.Problem(400, "GET", api+"/integrations/crm/configs/not-a-uuid", "")
	})
	t.Run("404 per resource", func(t *testing.T) {
		c := c.In(t)
		c.Problem(404, "GET", api+"/integrations/nope", "")
		c.Problem(404, "GET", api+"/integrations/crm/configs/00000000-0000-4000-8000-000000000000", "")
		c.Problem(404, "GET", cfgPath+"/revisions/00000000-0000-4000-8000-000000000000", "")
		c.Problem(404, "GET", api+"/integrations/crm/tools/nope", "")
		c.Problem(404, "GET", "/v1/nowhere", "")
	})
	t.Run("405 with Allow", func(t *testing.T) {
		c := c.In(t)
		a := c.Must(405, "PATCH", api+"/integrations/crm", `{}`)
		if a.Header.Get("Allow") == "" || a.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("405: %v %s", a.Header, a.Body)
		}
		c.Problem(405, "GET", cfgPath+":publish", "")
	})
	t.Run("409 duplicate id, delete with configs, stale If-Match", func(t *testing.T) {
		c := c.In(t)
		c.Problem(409, "POST", api+"/integrations", `{"id":"crm"}`)
		c.Problem(409, "DELETE", api+"/integrations/crm", "")
		etag := c.Must(200, "GET", cfgPath, "").Header.Get("ETag")
		c.Must(200, "PATCH", cfgPath, `{"displayName":"v2"}`, "If-Match", etag)
		c.Problem(409, "PATCH", cfgPath, `{"displayName":"v3"}`, "If-Match", etag)
	})
	t.Run("413", func(t *testing.T) {
		c := c.In(t)
		c.Problem(413, "POST", api+"/integrations", `{"description":"`+strings.Repeat("x", 5000)+`"}`)
		// Without a Content-Length (chunked), the cap is found while reading.
		req, _ := http.NewRequest("POST", c.M.URL+api+"/integrations", io.MultiReader(strings.NewReader(`{"description":"`+strings.Repeat("x", 5000)+`"}`)))
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.M.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 413 || req.ContentLength != 0 {
			t.Fatalf("chunked oversize body: %d (content length %d), want 413", resp.StatusCode, req.ContentLength)
		}
	})
	t.Run("415", func(t *testing.T) {
		c := c.In(t)
		c.Problem(415, "POST", api+"/integrations", `{}`, "Content-Type", "text/plain")
	})
	t.Run("malformed JSON", func(t *testing.T) {
		c := c.In(t)
		c.Problem(400, "POST", api+"/integrations", `{"id":`)
	})
	t.Run("401 empty with WWW-Authenticate", func(t *testing.T) {
		c := c.In(t)
		a := c.Must(401, "GET", api+"/integrations", "", "Authorization", "")
		if len(a.Body) != 0 || !strings.HasPrefix(a.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("401: %q %v", a.Body, a.Header)
		}
	})
}

// TestResponseValidationModes serves a spec whose Integration requires a
// field the mock never sends, so every integration answer violates it.
func TestResponseValidationModes(t *testing.T) {
	spec := strings.Replace(string(specBytes()),
		"required: [id, displayName, description, type, configMetadata, tags, isInternal, createdAt, modifiedAt]",
		"required: [id, displayName, description, type, configMetadata, tags, isInternal, createdAt, modifiedAt, owner]", 1)
	if spec == string(specBytes()) {
		t.Fatal("the test's spec edit did not apply")
	}
	t.Run("strict", func(t *testing.T) {
		c, logs := start(t, mockserver.Config{Spec: []byte(spec)})
		p := c.Problem(500, "POST", api+"/integrations", `{"id":"crm"}`)
		if !strings.Contains(p["detail"].(string), "owner") {
			t.Fatalf("the 500 does not name the violation: %v", p)
		}
		if !strings.Contains(logs.String(), "violates the contract") {
			t.Fatal("violation not logged")
		}
	})
	t.Run("warn", func(t *testing.T) {
		c, _ := start(t, mockserver.Config{Spec: []byte(spec), ValidateResponses: mockserver.ValidateWarn})
		a := c.Must(200, "POST", api+"/integrations", `{"id":"crm"}`)
		if !strings.Contains(a.Header.Get(mockserver.ViolationHeader), "owner") {
			t.Fatalf("no violation header: %v", a.Header)
		}
	})
	t.Run("off", func(t *testing.T) {
		c, _ := start(t, mockserver.Config{Spec: []byte(spec), ValidateResponses: mockserver.ValidateOff})
		a := c.Must(200, "POST", api+"/integrations", `{"id":"crm"}`)
		if a.Header.Get(mockserver.ViolationHeader) != "" {
			t.Fatal("off mode still validated")
		}
	})
}

func TestControlPlane(t *testing.T) {
	c, _ := start(t, mockserver.Config{Auth: mockserver.AuthJWT, JWTSecret: []byte("s")})
	c.Auth = "" // none of these need credentials
	if got := c.Must(200, "GET", "/_mock/health", "").JSON(t)["status"]; got != "ok" {
		t.Fatalf("health: %v", got)
	}
	if a := c.Must(200, "GET", "/openapi.yaml", ""); !strings.Contains(string(a.Body), "openapi: 3.1") {
		t.Fatal("openapi.yaml")
	}
	c.Must(200, "GET", "/openapi.json", "").JSON(t)
	c.Auth = "Bearer " + sign(t, "s", map[string]any{"sub": "dev"})
	c.Must(200, "POST", api+"/integrations", `{"id":"gone"}`)
	c.Must(204, "POST", "/_mock/reset", "")
	c.Problem(404, "GET", api+"/integrations/gone", "")
}

func TestStrictTenants(t *testing.T) {
	c, _ := start(t, mockserver.Config{StrictTenants: true})
	c.Problem(404, "GET", api+"/integrations", "")
	c.Problem(404, "POST", api+"/integrations", `{"id":"x"}`)
	c2, _ := start(t, mockserver.Config{})
	c2.Must(200, "GET", api+"/integrations", "")
}

// TestParallelRequests hammers one mock from many goroutines; with -race
// it checks the locking, and every answer must still be a contract one.
func TestParallelRequests(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				id := fmt.Sprintf("it-%d-%d", g, i)
				if a := c.Do("POST", api+"/integrations", `{"id":"`+id+`"}`); a.Status != 200 {
					t.Errorf("create %s: %d %s", id, a.Status, a.Body)
				}
				cfg := c.Do("POST", api+"/integrations/crm/configs", `{"displayName":"cfg","parameters":{"region":"us"}}`)
				if cfg.Status != 200 {
					t.Errorf("config: %d %s", cfg.Status, cfg.Body)
					continue
				}
				cid := cfg.JSON(t)["id"].(string)
				c.Do("PATCH", api+"/integrations/crm/configs/"+cid, `{"displayName":"p"}`)
				c.Do("POST", api+"/integrations/crm/configs/"+cid+":publish", "")
				c.Do("GET", api+"/integrations?Paging.PageSize=5", "")
			}
		}()
	}
	wg.Wait()
	for _, a := range c.Answers() {
		if a.Status >= 500 {
			t.Fatalf("a %d under load: %s", a.Status, a.Body)
		}
	}
	list := c.Must(200, "GET", api+"/integrations?Paging.PageSize=100", "").JSON(t)
	if n := len(list["items"].([]any)); n != 81 || list["totalCount"] != 81.0 {
		t.Fatalf("%d integrations, want 81", n)
	}
}

func TestListFiltersAndPaging(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	for i := 0; i < 7; i++ {
		c.Must(200, "POST", api+"/integrations", fmt.Sprintf(`{"id":"i%d","displayName":"Item %d"}`, i, i))
	}
	seen := map[string]bool{}
	path := api + "/integrations?Paging.PageSize=3"
	for pages := 0; ; pages++ {
		p := c.Must(200, "GET", path, "").JSON(t)
		for _, it := range p["items"].([]any) {
			seen[it.(map[string]any)["id"].(string)] = true
		}
		tok, _ := p["nextPageToken"].(string)
		if tok == "" {
			if pages != 2 {
				t.Fatalf("%d pages, want 3", pages+1)
			}
			break
		}
		if p["totalCount"] != 7.0 {
			t.Fatalf("totalCount = %v on page %d", p["totalCount"], pages+1)
		}
		path = api + "/integrations?Paging.PageSize=3&Paging.PageToken.Cursor=" + tok
	}
	if len(seen) != 7 {
		t.Fatalf("paging saw %d of 7", len(seen))
	}
	skipped := c.Must(200, "GET", api+"/integrations?Paging.PageSize=2&Paging.PageToken.Skip=5", "").JSON(t)["items"].([]any)
	if len(skipped) != 2 || skipped[0].(map[string]any)["id"] != "i5" {
		t.Fatalf("skip: %v", skipped)
	}
	q := c.Must(200, "GET", api+"/integrations?Search=item%205", "").JSON(t)["items"].([]any)
	if len(q) != 1 {
		t.Fatalf("Search filter: %v", q)
	}
	none := c.Must(200, "GET", api+"/integrations?Types=SYSTEM", "").JSON(t)
	if len(none["items"].([]any)) != 0 || none["totalCount"] != 0.0 {
		t.Fatalf("Types=SYSTEM: %v", none)
	}
	c.Problem(400, "GET", api+"/integrations?Paging.PageToken.Cursor=garbage", "")
}

func TestCORS(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	a := c.Must(204, "OPTIONS", api+"/integrations", "", "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST")
	if a.Header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" || a.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("preflight: %v", a.Header)
	}
	a = c.Must(403, "OPTIONS", api+"/integrations", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
	if a.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("foreign origin allowed")
	}
	a = c.Must(200, "GET", api+"/integrations", "", "Origin", "http://127.0.0.1:3000")
	if a.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:3000" || !strings.Contains(a.Header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Fatalf("simple request: %v", a.Header)
	}
}
