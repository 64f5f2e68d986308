package mcp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/mcp"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

const ping = `{"jsonrpc":"2.0","id":1,"method":"ping"}`

func TestRPCNeedsTheCurrentKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	// No key minted yet: every key is refused.
	for _, test := range []bool{false, true} {
		if a := w.rpc(test, "fx_mcp_guess", ping); a.status != 401 || len(a.body) != 0 {
			t.Fatalf("before any key: %d %q", a.status, a.body)
		}
	}
	key := w.enable("list_contacts")
	for _, bad := range []string{"", key + "x", strings.ToUpper(key), key[:11]} {
		for _, test := range []bool{false, true} {
			a := w.rpc(test, bad, ping)
			if a.status != 401 || len(a.body) != 0 || a.header.Get(mcp.ReasonHeader) == "" {
				t.Fatalf("key %q: %d %q", bad, a.status, a.body)
			}
			if strings.Contains(a.header.Get(mcp.ReasonHeader), key) {
				t.Fatalf("the 401 reason shows the key")
			}
		}
	}
	// A bearer token is not the MCP key's place.
	if a := w.do("POST", settingsPath+":test", ping, "Authorization", "Bearer "+key); a.status != 401 {
		t.Fatalf("key as a bearer token: %d %s", a.status, a.body)
	}
	w.result(false, key, ping)
	w.result(true, key, ping)
}

func TestRPCDisabledRefusesRequests(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	key := w.enable("list_contacts")
	w.must(200, "PATCH", settingsPath, `{"enabled":false}`)
	for _, test := range []bool{false, true} {
		for _, body := range []string{ping, `{"jsonrpc":"2.0","id":"a","method":"initialize","params":{}}`,
			`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`} {
			m := w.rpcError(test, key, body, mcp.CodeDisabled)
			if m["id"] == nil || !strings.Contains(m["error"].(map[string]any)["message"].(string), "disabled") {
				t.Fatalf("disabled answer = %v", m)
			}
		}
		// A notification still gets its 202: there is nothing to answer.
		if a := w.rpc(test, key, `{"jsonrpc":"2.0","method":"notifications/initialized"}`); a.status != 202 || len(a.body) != 0 {
			t.Fatalf("notification while disabled: %d %q", a.status, a.body)
		}
	}
	// A wrong key is still a 401 first.
	if a := w.rpc(true, key+"x", ping); a.status != 401 {
		t.Fatalf("wrong key on disabled settings: %d", a.status)
	}
}

func TestRPCEnvelopes(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	key := w.enable("list_contacts")
	for _, test := range []bool{false, true} {
		for _, c := range []struct {
			body string
			code int
			id   any
		}{
			{`{"jsonrpc":"2.0","id":1,"method":"ping"`, mcp.CodeParseError, nil},
			{`not json`, mcp.CodeParseError, nil},
			{`{"jsonrpc":"2.0","id":1,"method":"ping"} {}`, mcp.CodeParseError, nil},
			{`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, mcp.CodeInvalidRequest, nil},
			{`"ping"`, mcp.CodeInvalidRequest, nil},
			{`{"id":1,"method":"ping"}`, mcp.CodeInvalidRequest, float64(1)},
			{`{"jsonrpc":"1.0","id":1,"method":"ping"}`, mcp.CodeInvalidRequest, float64(1)},
			{`{"jsonrpc":"2.0","id":7}`, mcp.CodeInvalidRequest, float64(7)},
			{`{"jsonrpc":"2.0","id":7,"method":3}`, mcp.CodeInvalidRequest, float64(7)},
			{`{"jsonrpc":"2.0","id":true,"method":"ping"}`, mcp.CodeInvalidRequest, nil},
			{`{"jsonrpc":"2.0","id":null,"method":"ping"}`, mcp.CodeInvalidRequest, nil},
			{`{"jsonrpc":"2.0","id":"x","method":"resources/list"}`, mcp.CodeMethodNotFound, "x"},
			{`{"jsonrpc":"2.0","id":4,"method":"tools/list","params":[1]}`, mcp.CodeInvalidParams, float64(4)},
			// A request method without an id lost its id: an error, not a
			// notification's silent 202.
			{`{"jsonrpc":"2.0","method":"tools/list"}`, mcp.CodeInvalidRequest, nil},
			{`{"jsonrpc":"2.0","method":"tools/call","params":{"name":"list_contacts"}}`, mcp.CodeInvalidRequest, nil},
			{`{"jsonrpc":"2.0","method":"no/such/notification"}`, mcp.CodeInvalidRequest, nil},
		} {
			m := w.rpcError(test, key, c.body, c.code)
			if m["id"] != c.id {
				t.Errorf("%s: id = %v, want %v", c.body, m["id"], c.id)
			}
		}
		// Notifications and the client's responses: 202, no body.
		for _, body := range []string{
			`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
			`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}`,
			`{"jsonrpc":"2.0","id":5,"result":{}}`,
			`{"jsonrpc":"2.0","id":5,"error":{"code":-1,"message":"no"}}`,
		} {
			if a := w.rpc(test, key, body); a.status != 202 || len(a.body) != 0 {
				t.Errorf("%s: %d %q, want 202 and no body", body, a.status, a.body)
			}
		}
		// ping answers an empty result; a string id comes back as is.
		a := w.rpc(test, key, `{"jsonrpc":"2.0","id":"abc-1","method":"ping"}`)
		if a.status != 200 || strings.TrimSpace(string(a.body)) != `{"jsonrpc":"2.0","id":"abc-1","result":{}}` ||
			!strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
			t.Errorf("ping: %d %s %s", a.status, a.header.Get("Content-Type"), a.body)
		}
	}
}

func TestInitialize(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	key := w.enable("list_contacts")
	for _, c := range []struct{ asked, want string }{
		{"2025-03-26", "2025-03-26"}, {"2024-11-05", "2024-11-05"}, {"2099-01-01", mcp.ProtocolVersions[0]}, {"", mcp.ProtocolVersions[0]},
	} {
		r := w.result(true, key, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"`+c.asked+
			`","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
		caps, _ := r["capabilities"].(map[string]any)
		info, _ := r["serverInfo"].(map[string]any)
		if r["protocolVersion"] != c.want || caps["tools"] == nil || info["name"] != mcp.ServerName || info["version"] == nil {
			t.Fatalf("initialize %q = %v", c.asked, r)
		}
		if _, ok := r["instructions"]; ok {
			t.Fatalf("instructions without a description: %v", r)
		}
	}
	w.must(200, "PATCH", settingsPath, `{"description":"CRM tools for sales."}`)
	if r := w.result(false, key, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}`); r["instructions"] != "CRM tools for sales." {
		t.Fatalf("instructions = %v", r["instructions"])
	}
}

func TestToolsListShowsTheExposedToolsThatExist(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	key := w.enable("create_charge", "gone", "list_contacts")
	for _, test := range []bool{false, true} {
		r := w.result(test, key, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)
		list := r["tools"].([]any)
		if len(list) != 2 {
			t.Fatalf("tools = %v", list)
		}
		charge, contacts := list[0].(map[string]any), list[1].(map[string]any)
		if charge["name"] != "create_charge" || contacts["name"] != "list_contacts" {
			t.Fatalf("order or names: %v", list)
		}
		if contacts["description"] != "Searches contacts by name." || contacts["title"] != "List contacts" {
			t.Fatalf("list_contacts = %v", contacts)
		}
		if a := charge["annotations"].(map[string]any); a["destructiveHint"] != true || a["readOnlyHint"] != false {
			t.Fatalf("create_charge annotations = %v", a)
		}
		schema, _ := json.Marshal(contacts["inputSchema"])
		want := `{"properties":{"limit":{"maximum":50,"minimum":1,"type":"integer"},"order":{"enum":["asc","desc"],"type":"string"},` +
			`"query":{"description":"Name or email.","type":"string"}},"required":["query"],"type":"object"}`
		if string(schema) != want {
			t.Fatalf("inputSchema =\n%s\nwant\n%s", schema, want)
		}
		schema, _ = json.Marshal(charge["inputSchema"])
		if string(schema) != `{"properties":{"amount":{"type":"number"}},"required":["amount"],"type":"object"}` {
			t.Fatalf("create_charge inputSchema = %s", schema)
		}
	}
	// Deleting a tool drops it from the list; the settings keep its id.
	if err := w.tools.DeleteTool("t1", "acme", "create_charge", ""); err != nil {
		t.Fatal(err)
	}
	r := w.result(true, key, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)
	if list := r["tools"].([]any); len(list) != 1 || list[0].(map[string]any)["name"] != "list_contacts" {
		t.Fatalf("after delete: %v", list)
	}
	if s := w.must(200, "GET", settingsPath, ""); len(s["exposedToolIds"].([]any)) != 3 {
		t.Fatalf("the delete cleaned exposedToolIds: %v", s)
	}
	// Nothing exposed: an empty list, not null.
	w.must(200, "PATCH", settingsPath, `{"exposedToolIds":[]}`)
	if a := w.rpc(false, key, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`); !strings.Contains(string(a.body), `"tools":[]`) {
		t.Fatalf("empty list: %s", a.body)
	}
}

func TestToolsCallRefusesUnknownToolsAndBadArguments(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{allow: true})
	key := w.enable("list_contacts", "gone")
	call := func(params string) string {
		return `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":` + params + `}`
	}
	for _, test := range []bool{false, true} {
		for _, c := range []struct {
			params string
			field  string // a key of data.errors, "" when none
		}{
			{`{"name":"hidden","arguments":{}}`, ""},        // exists, not exposed
			{`{"name":"gone","arguments":{}}`, ""},          // exposed, deleted
			{`{"name":"nope"}`, ""},                         // neither
			{`{"arguments":{"query":"x"}}`, ""},             // no name
			{`{"name":5}`, ""},                              // name not a string
			{`{"name":"list_contacts","arguments":[]}`, ""}, // arguments not an object
			{`{"name":"list_contacts","arguments":{}}`, "parameters.query"},
			{`{"name":"list_contacts","arguments":{"query":3}}`, "parameters.query"},
			{`{"name":"list_contacts","arguments":{"query":"x","limit":500}}`, "parameters.limit"},
			{`{"name":"list_contacts","arguments":{"query":"x","order":"sideways"}}`, "parameters.order"},
			{`{"name":"list_contacts","arguments":{"query":"x","extra":1}}`, "parameters.extra"},
		} {
			m := w.rpcError(test, key, call(c.params), mcp.CodeInvalidParams)
			if m["id"] != float64(9) {
				t.Fatalf("%s: id %v", c.params, m["id"])
			}
			if c.field != "" {
				data, _ := m["error"].(map[string]any)["data"].(map[string]any)
				errs, _ := data["errors"].(map[string]any)
				if errs[c.field] == nil {
					t.Fatalf("%s: data = %v, want errors[%s]", c.params, data, c.field)
				}
			}
		}
	}
	if got := w.vendor.received(); len(got) != 0 {
		t.Fatalf("refused calls reached the vendor: %v", got)
	}
}

func callText(t *testing.T, r map[string]any) (string, bool) {
	t.Helper()
	content, _ := r["content"].([]any)
	if len(content) != 1 {
		t.Fatalf("content = %v", r["content"])
	}
	c := content[0].(map[string]any)
	isErr, ok := r["isError"].(bool)
	if c["type"] != "text" || !ok {
		t.Fatalf("result = %v", r)
	}
	return c["text"].(string), isErr
}

func TestMcpTestSimulatesDeterministicallyAndSendsNothing(t *testing.T) {
	t.Parallel()
	// The vendor is even allowed: mcp:test still sends nothing.
	a := newWorld(t, worldOpts{seed: 7, allow: true})
	b := newWorld(t, worldOpts{seed: 7, allow: true})
	other := newWorld(t, worldOpts{seed: 8, allow: true})
	body := `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_charge","arguments":{"amount":12.5}}}`
	var texts []string
	keys := map[*world]string{}
	for _, w := range []*world{a, a, b, other} {
		if keys[w] == "" {
			keys[w] = w.enable("create_charge", "list_contacts")
		}
		r := w.result(true, keys[w], body)
		text, isErr := callText(t, r)
		if isErr || !strings.Contains(text, `"simulated":true`) {
			t.Fatalf("simulated answer = %v", r)
		}
		texts = append(texts, text)
		if got := w.vendor.received(); len(got) != 0 {
			t.Fatalf("mcp:test sent %v", got)
		}
	}
	if texts[0] != texts[1] || texts[0] != texts[2] {
		t.Fatalf("same seed and arguments, different answers: %q", texts)
	}
	if texts[0] == texts[3] {
		t.Fatalf("another seed gave the same answer %q", texts[0])
	}
	key := keys[a]
	r := a.result(true, key, `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_charge","arguments":{"amount":13}}}`)
	if text, _ := callText(t, r); text == texts[0] {
		t.Fatalf("other arguments, same answer %q", text)
	}
	ans := a.rpc(true, key, body)
	if ans.header.Get(tools.AnsweredByHeader) != string(sandboxroute.AnsweredBySimulation) {
		t.Fatalf("answered by %q", ans.header.Get(tools.AnsweredByHeader))
	}
	// No config needed: unbinding it changes nothing for the sandbox.
	a.must(200, "PATCH", settingsPath, `{"configId":"`+mcp.NilUUID+`"}`)
	if text, _ := callText(t, a.result(true, key, body)); text != texts[0] {
		t.Fatalf("unbound config changed the simulated answer")
	}
	// The run log records nothing for a simulation.
	if page, err := a.tools.ListRuns("t1", "acme", a.config, 0, ""); err != nil || len(page.Items) != 0 {
		t.Fatalf("runs after mcp:test: %v %v", page.Items, err)
	}
}

func TestMcpTestUsesASimulatedStub(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{stubs: []sandboxroute.VendorStub{{Integration: "acme", Tool: "list_contacts", Route: sandboxroute.RouteSimulated,
		Response: sandboxroute.StubResponse{Status: 200, Body: map[string]any{"data": []any{}, "hasMore": false}}}}})
	key := w.enable("list_contacts")
	r := w.result(true, key, `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_contacts","arguments":{"query":"smith"}}}`)
	if text, isErr := callText(t, r); isErr || text != `{"data":[],"hasMore":false}` {
		t.Fatalf("stubbed answer = %v", r)
	}
}

func TestMcpCallRunsThePublishedConfig(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{allow: true})
	key := w.enable("list_contacts", "broken")
	r := w.result(false, key, `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_contacts","arguments":{"query":"smith","limit":5}}}`)
	text, isErr := callText(t, r)
	if isErr || !strings.Contains(text, `"path":"/contacts"`) || !strings.Contains(text, "q=smith") {
		t.Fatalf("production answer = %v", r)
	}
	got := w.vendor.received()
	if len(got) != 1 || !strings.Contains(got[0], "GET /contacts?") || !strings.Contains(got[0], "key=CANARY") {
		t.Fatalf("vendor received %v, want one request with the published credential", got)
	}
	if strings.Contains(text, "CANARY") {
		t.Fatalf("the credential shows in the answer: %s", text)
	}
	// The run is in the config's run log, as a production run.
	page, err := w.tools.ListRuns("t1", "acme", w.config, 0, "")
	if err != nil || len(page.Items) != 1 || page.Items[0].Route != sandboxroute.RouteProduction || page.Items[0].ToolID != "list_contacts" {
		t.Fatalf("run log = %+v %v", page.Items, err)
	}
	// A vendor failure is the tool's error, in the result.
	r = w.result(false, key, `{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"broken"}}`)
	if text, isErr := callText(t, r); !isErr || !strings.Contains(text, "vendor is down") {
		t.Fatalf("vendor 500 = %v", r)
	}
}

func TestMcpCallConfigProblems(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	key := w.enable("list_contacts")
	body := `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_contacts","arguments":{"query":"smith"}}}`
	// Not on the allow list and no stub: nothing is sent, the tool errs.
	text, isErr := callText(t, w.result(false, key, body))
	if !isErr || !strings.Contains(text, "no vendor stub") {
		t.Fatalf("no stub: %q %v", text, isErr)
	}
	// A config never published: the tool errs, naming it.
	w.must(200, "PATCH", settingsPath, `{"configId":"`+w.draft+`"}`)
	if text, isErr := callText(t, w.result(false, key, body)); !isErr || !strings.Contains(text, "publish") {
		t.Fatalf("unpublished config: %q %v", text, isErr)
	}
	// No config bound: a JSON-RPC error.
	w.must(200, "PATCH", settingsPath, `{"configId":"`+mcp.NilUUID+`"}`)
	w.rpcError(false, key, body, mcp.CodeNoConfig)
	// The config deleted after binding: the tool errs.
	w.must(200, "PATCH", settingsPath, `{"configId":"`+w.config+`"}`)
	if err := w.integ.DeleteConfig("t1", "acme", w.config, ""); err != nil {
		t.Fatal(err)
	}
	if _, isErr := callText(t, w.result(false, key, body)); !isErr {
		t.Fatalf("deleted config did not err")
	}
	if got := w.vendor.received(); len(got) != 0 {
		t.Fatalf("vendor received %v", got)
	}
}
