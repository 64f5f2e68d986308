package mcp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

const importPath = "/v1/tenants/t1/integrations:importMcp"

// importBody is an importMcp body; empty strings are left out.
func importBody(server, id, name, token string, override bool) string {
	m := map[string]any{"serverUrl": server, "overrideExisting": override}
	if id != "" {
		m["integrationId"] = id
	}
	if name != "" {
		m["displayName"] = name
	}
	if token != "" {
		m["bearerToken"] = token
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// wantProblem wants a 400 whose errors name field, with a message
// containing text.
func (w *world) wantProblem(body, field, text string) {
	w.t.Helper()
	a := w.do("POST", importPath, body)
	if a.status != 400 {
		w.t.Fatalf("import %s: status %d, want 400; %s", body, a.status, a.body)
	}
	errs, _ := a.json(w.t)["errors"].(map[string]any)
	msgs, _ := errs[field].([]any)
	if len(msgs) == 0 || !strings.Contains(msgs[0].(string), text) {
		w.t.Fatalf("import %s: errors %v, want %s: …%s…", body, errs, field, text)
	}
}

// toolsByID indexes an import answer's tools.
func toolsByID(t *testing.T, res map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	list, ok := res["tools"].([]any)
	if !ok {
		t.Fatalf("no tools list: %v", res)
	}
	for _, x := range list {
		tool := x.(map[string]any)
		out[tool["id"].(string)] = tool
	}
	return out
}

// TestImportFromOwnEndpoint imports from the mock's own mcp:call (and
// mcp:test) of another integration, resolved in process with bearerToken
// as the MCP key: the exposed tools become MCP tools whose parameters
// come back from their input schemas; nothing is sent to the vendor and
// the key shows nowhere in the answer.
func TestImportFromOwnEndpoint(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{allow: true})
	key := w.enable("list_contacts", "create_charge")
	s := w.must(200, "GET", settingsPath, "")
	callURL, testURL := s["callUrl"].(string), s["testUrl"].(string)

	a := w.do("POST", importPath, importBody(callURL, "acme-copy", "Acme copy", key, false))
	if a.status != 200 || strings.Contains(string(a.body), key) || a.header.Get(mcp.SkippedHeader) != "" {
		t.Fatalf("import: %d %s (skipped %q)", a.status, a.body, a.header.Get(mcp.SkippedHeader))
	}
	res := a.json(t)
	it := res["integration"].(map[string]any)
	if it["id"] != "acme-copy" || it["displayName"] != "Acme copy" || it["type"] != "CUSTOM" {
		t.Fatalf("integration = %v", it)
	}
	ts := toolsByID(t, res)
	if len(ts) != 2 {
		t.Fatalf("tools = %v", ts)
	}
	lc, cc := ts["list_contacts"], ts["create_charge"]
	mt := lc["descriptor"].(map[string]any)["mcpTool"].(map[string]any)
	if lc["toolType"] != "MCP" || mt["serverUrl"] != callURL || mt["mcpToolName"] != "list_contacts" ||
		lc["actionType"] != "READ_ONLY" || lc["displayName"] != "List contacts" || lc["integrationId"] != "acme-copy" {
		t.Fatalf("list_contacts = %v", lc)
	}
	if cc["actionType"] != "IRREVERSIBLE" || cc["displayName"] != "create_charge" {
		t.Fatalf("create_charge = %v", cc)
	}
	params := map[string]map[string]any{}
	for _, p := range lc["parametersMetadata"].([]any) {
		params[p.(map[string]any)["name"].(string)] = p.(map[string]any)
	}
	if q := params["query"]; q["type"] != "String" || q["required"] != true || q["description"] != "Name or email." {
		t.Fatalf("query = %v", q)
	}
	if l := params["limit"]; l["type"] != "Integer" || l["required"] != false ||
		l["integerRange"].(map[string]any)["min"] != float64(1) || l["integerRange"].(map[string]any)["max"] != float64(50) {
		t.Fatalf("limit = %v", l)
	}
	if o := params["order"]; len(o["options"].([]any)) != 2 {
		t.Fatalf("order = %v", o)
	}
	// The stored tool is what the answer shows.
	stored, _, err := w.tools.GetTool("t1", "acme-copy", "list_contacts")
	if err != nil || stored.ToolType != tools.ToolTypeMCP || *stored.Descriptor.MCPTool.MCPToolName != "list_contacts" {
		t.Fatalf("stored = %+v, %v", stored, err)
	}

	// mcp:test lists the same tools; a derived id comes from the host.
	res = w.must(200, "POST", importPath, importBody(testURL, "", "", key, false))
	if it := res["integration"].(map[string]any); it["id"] != "127-0-0-1" || it["displayName"] != "127.0.0.1" || len(toolsByID(t, res)) != 2 {
		t.Fatalf("import from testUrl = %v", res)
	}

	// The key is checked as the endpoint checks X-API-KEY.
	w.wantProblem(importBody(callURL, "x", "", "", false), "bearerToken", "is required")
	w.wantProblem(importBody(callURL, "x", "", key+"x", false), "bearerToken", "not the current MCP key")
	rotated := w.must(200, "POST", settingsPath+":rotateKey", "")["apiKey"].(string)
	w.wantProblem(importBody(callURL, "x", "", key, false), "bearerToken", "not the current MCP key")
	w.must(200, "POST", importPath, importBody(callURL, "x", "", rotated, false))
	w.wantProblem(importBody(callURL, "bad id!", "", rotated, false), "integrationId", "letters, digits")
	w.wantProblem(importBody(strings.Replace(callURL, "/acme/", "/nope/", 1), "y", "", rotated, false), "serverUrl", "does not exist")
	w.must(200, "PATCH", settingsPath, `{"enabled":false}`)
	w.wantProblem(importBody(callURL, "y", "", rotated, false), "serverUrl", "disabled")
	if _, _, err := w.integ.GetIntegration("t1", "y"); err == nil {
		t.Fatal("a refused import created its integration")
	}
	if got := w.vendor.received(); len(got) != 0 {
		t.Fatalf("the vendor received %v", got)
	}
}

// bearerServer is an MCP server of the official Go SDK on loopback (its
// Streamable HTTP handler, answering with SSE streams) that wants a
// bearer token and records what it was sent.
type bearerServer struct {
	*httptest.Server
	token string
	mu    sync.Mutex
	// guards auths
	auths []string
	hits  atomic.Int64
}

func newBearerServer(t *testing.T, token string) *bearerServer {
	t.Helper()
	srv := sdk.NewServer(&sdk.Implementation{Name: "weather", Version: "1"}, nil)
	type weatherIn struct {
		City string `json:"city" jsonschema:"the city"`
		Days int    `json:"days,omitempty" jsonschema:"how many days"`
	}
	sdk.AddTool(srv, &sdk.Tool{Name: "get_weather", Title: "Get weather", Description: "The forecast.",
		Annotations: &sdk.ToolAnnotations{ReadOnlyHint: true}},
		func(context.Context, *sdk.CallToolRequest, weatherIn) (*sdk.CallToolResult, any, error) {
			return nil, nil, nil
		})
	type alertIn struct {
		Message string         `json:"message"`
		Meta    map[string]any `json:"meta,omitempty"`
	}
	sdk.AddTool(srv, &sdk.Tool{Name: "send.alert", Description: "Sends an alert.",
		Annotations: &sdk.ToolAnnotations{DestructiveHint: new(false)}},
		func(context.Context, *sdk.CallToolRequest, alertIn) (*sdk.CallToolResult, any, error) {
			return nil, nil, nil
		})
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, nil)
	b := &bearerServer{token: token}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.hits.Add(1)
		b.mu.Lock()
		b.auths = append(b.auths, r.Header.Get("Authorization"))
		b.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+b.token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

// TestImportFromAllowListedServer imports from a real MCP server (the
// official SDK's) on a host of the outbound allow list, forwarding
// bearerToken as Authorization: Bearer.
func TestImportFromAllowListedServer(t *testing.T) {
	t.Parallel()
	const token = "remote-secret-token-42"
	remote := newBearerServer(t, token)
	w := newWorld(t, worldOpts{allowAlso: []string{strings.TrimPrefix(remote.URL, "http://")}})
	server := remote.URL + "/mcp?tenant=x"

	a := w.do("POST", importPath, importBody(server, "weather", "Weather", token, false))
	if a.status != 200 || strings.Contains(string(a.body), token) {
		t.Fatalf("import: %d %s", a.status, a.body)
	}
	res := a.json(t)
	ts := toolsByID(t, res)
	gw, sa := ts["get_weather"], ts["send_alert"]
	if gw == nil || sa == nil || len(ts) != 2 {
		t.Fatalf("tools = %v", ts)
	}
	if gw["actionType"] != "READ_ONLY" || gw["displayName"] != "Get weather" || gw["description"] != "The forecast." {
		t.Fatalf("get_weather = %v", gw)
	}
	if sa["actionType"] != "REVERSIBLE" || sa["descriptor"].(map[string]any)["mcpTool"].(map[string]any)["mcpToolName"] != "send.alert" {
		t.Fatalf("send_alert = %v", sa)
	}
	types := map[string]any{}
	for _, p := range gw["parametersMetadata"].([]any) {
		types[p.(map[string]any)["name"].(string)] = p.(map[string]any)["type"]
	}
	if types["city"] != "String" || types["days"] != "Integer" {
		t.Fatalf("get_weather parameters = %v", gw["parametersMetadata"])
	}
	for _, p := range sa["parametersMetadata"].([]any) {
		if p := p.(map[string]any); p["name"] == "meta" && (p["type"] != "Json" || p["jsonSchema"] == nil) {
			t.Fatalf("meta = %v", p)
		}
	}
	remote.mu.Lock()
	auths := append([]string(nil), remote.auths...)
	remote.mu.Unlock()
	if len(auths) < 3 {
		t.Fatalf("the server saw %d requests, want initialize, initialized, tools/list", len(auths))
	}
	for _, got := range auths {
		if got != "Bearer "+token {
			t.Fatalf("Authorization = %q", got)
		}
	}

	// A wrong or missing token: the server's 401 is the client's mistake.
	w.wantProblem(importBody(server, "w2", "", "wrong", false), "bearerToken", "refused initialize with the bearer token given (HTTP 401)")
	w.wantProblem(importBody(server, "w2", "", "", false), "bearerToken", "without a bearer token")
	if strings.Contains(w.logs.String(), token) {
		t.Fatal("the token is in a log line")
	}
}

// TestImportRefusesOtherTargets: a host neither the mock's own nor on the
// allow list, a malformed URL, or the mock's own host off its MCP paths
// is a 400 naming serverUrl, and nothing is contacted.
func TestImportRefusesOtherTargets(t *testing.T) {
	t.Parallel()
	remote := newBearerServer(t, "tok")
	w := newWorld(t, worldOpts{allow: true}) // the vendor is allowed; remote is not
	host := strings.TrimPrefix(remote.URL, "http://")
	w.wantProblem(importBody(remote.URL+"/mcp", "r", "", "tok", false), "serverUrl", "host "+host+" is neither this mock")
	w.wantProblem(importBody("ftp://example.com/mcp", "r", "", "", false), "serverUrl", "absolute http or https URL")
	w.wantProblem(importBody("/relative", "r", "", "", false), "serverUrl", "absolute http or https URL")
	w.wantProblem(importBody("", "r", "", "", false), "serverUrl", "is required")
	w.wantProblem(importBody(w.srv.URL+"/v1/tenants/t1/integrations/acme", "r", "", "", false), "serverUrl", "mock's own host")
	w.wantProblem(importBody(w.vendor.URL+"/mcp", "bad id!", "", "", false), "serverUrl", "answer to initialize holds no JSON-RPC response") // allowed, but no MCP server
	if n := remote.hits.Load(); n != 0 {
		t.Fatalf("the refused host was contacted %d times", n)
	}
	if _, _, err := w.integ.GetIntegration("t1", "r"); err == nil {
		t.Fatal("a refused import created its integration")
	}
}

// TestImportCollisions: an existing integration and tool are kept, and
// the tool skipped (listed in the header), unless overrideExisting, which
// updates the integration's displayName and replaces the tool whole.
func TestImportCollisions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	key := w.enable("list_contacts", "create_charge")
	callURL := w.must(200, "GET", settingsPath, "")["callUrl"].(string)
	w.must(200, "POST", importPath, importBody(callURL, "copy", "First", key, false))
	// The user edits the integration and replaces one tool by an HTTP tool.
	if _, _, err := w.integ.UpdateIntegration("t1", "copy", integrationsUpdate("Mine"), ""); err != nil {
		t.Fatal(err)
	}
	if err := w.tools.DeleteTool("t1", "copy", "list_contacts", ""); err != nil {
		t.Fatal(err)
	}
	mine, _, err := w.tools.CreateTool("t1", "copy", tools.CreateToolInput{ID: ptr("list_contacts"),
		Descriptor: tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "GET", URL: "https://example.com/c"}}})
	if err != nil {
		t.Fatal(err)
	}

	a := w.do("POST", importPath, importBody(callURL, "copy", "Second", key, false))
	res := a.json(t)
	if a.status != 200 || a.header.Get(mcp.SkippedHeader) != "list_contacts,create_charge" || len(res["tools"].([]any)) != 0 ||
		res["integration"].(map[string]any)["displayName"] != "Mine" {
		t.Fatalf("import without override: %d %s, skipped %q", a.status, a.body, a.header.Get(mcp.SkippedHeader))
	}
	if got, _, _ := w.tools.GetTool("t1", "copy", "list_contacts"); got.ToolType != tools.ToolTypeAPI {
		t.Fatalf("a skipped tool changed: %+v", got)
	}

	a = w.do("POST", importPath, importBody(callURL, "copy", "Second", key, true))
	res = a.json(t)
	if a.status != 200 || a.header.Get(mcp.SkippedHeader) != "" || res["integration"].(map[string]any)["displayName"] != "Second" {
		t.Fatalf("import with override: %d %s", a.status, a.body)
	}
	lc := toolsByID(t, res)["list_contacts"]
	if lc["toolType"] != "MCP" || lc["createdAt"] != float64(mine.CreatedAt) || len(toolsByID(t, res)) != 2 {
		t.Fatalf("override: list_contacts = %v", lc)
	}
	// The integration's other fields are kept.
	if it, _, _ := w.integ.GetIntegration("t1", "copy"); it.Type != "CUSTOM" {
		t.Fatalf("integration = %+v", it)
	}
}

func integrationsUpdate(name string) integrations.UpdateIntegrationInput {
	return integrations.UpdateIntegrationInput{DisplayName: &name}
}
