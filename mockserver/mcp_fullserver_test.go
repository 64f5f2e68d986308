package mockserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
)

// TestMcpThroughTheServer runs the MCP room through the whole server:
// middleware, request and (strict) response validation, sessions' stores,
// the journal's redaction and the state export.
func TestMcpThroughTheServer(t *testing.T) {
	w := apitest.NewRunWorld(t, mockserver.Config{})
	cfg := w.Config("NONE", false, true)
	base := apitest.API + "/integrations/crm/mcp"
	s := w.Must(200, "GET", base, "")
	if s["enabled"] != false || !strings.HasSuffix(s["callUrl"].(string), "/integrations/crm/mcp:call") {
		t.Fatalf("GET = %v", s)
	}
	s = w.Must(200, "PATCH", base, `{"enabled":true,"configId":"`+cfg+`","exposedToolIds":["list_contacts"]}`)
	key := s["apiKey"].(string)
	rpc := func(path, key, body string) (int, []byte) {
		req, _ := http.NewRequest("POST", w.M.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("X-API-KEY", key)
		resp, err := w.M.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	for _, p := range []string{base + ":call", base + ":test"} {
		st, b := rpc(p, key, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_contacts","arguments":{"query":"smith"}}}`)
		if st != 200 || !strings.Contains(string(b), `"isError":false`) {
			t.Fatalf("%s: %d %s", p, st, b)
		}
		if st, b := rpc(p, key, `{"jsonrpc":"2.0","method":"notifications/initialized"}`); st != 202 || len(b) != 0 {
			t.Fatalf("%s notification: %d %s", p, st, b)
		}
		// Through the whole server too (request validation runs first), a
		// bad envelope is a JSON-RPC error, not a problem.
		for _, c := range []struct {
			body string
			code float64
		}{
			{`not json`, -32700},
			{`{"jsonrpc":"2.0","id":1,"method":"ping"`, -32700},
			{`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, -32600},
			{`"ping"`, -32600},
			{`{"jsonrpc":"2.0","method":"tools/list"}`, -32600},
		} {
			st, b := rpc(p, key, c.body)
			var m struct {
				JSONRPC string          `json:"jsonrpc"`
				ID      json.RawMessage `json:"id"`
				Error   struct{ Code float64 }
			}
			if err := json.Unmarshal(b, &m); st != 200 || err != nil || m.JSONRPC != "2.0" || string(m.ID) != "null" || m.Error.Code != c.code {
				t.Fatalf("%s %s: %d %s, want a JSON-RPC error %v with a null id", p, c.body, st, b, c.code)
			}
		}
		if st, _ := rpc(p, key+"x", `{"jsonrpc":"2.0","id":1,"method":"ping"}`); st != 401 {
			t.Fatalf("%s wrong key: %d", p, st)
		}
	}
	if got := w.Vendor.Received(); len(got) != 1 {
		t.Fatalf("vendor received %d requests, want mcp:call's one", len(got))
	}
	// The key is in no export and no journal detail.
	st, _, b := w.Do("GET", "/_mock/state", "")
	if st != 200 || strings.Contains(string(b), key) || !strings.Contains(string(b), `"mcp"`) {
		t.Fatalf("export: %d, has key %v, %s", st, strings.Contains(string(b), key), b[:min(len(b), 300)])
	}
	st, _, b = w.Do("GET", "/_mock/journal", "")
	var list map[string]any
	json.Unmarshal(b, &list)
	if st != 200 {
		t.Fatalf("journal: %d %s", st, b)
	}
	entries, _ := list["items"].([]any)
	if entries == nil {
		entries, _ = list["entries"].([]any)
	}
	checked, redacted := 0, 0
	for _, e := range entries {
		n, _ := e.(map[string]any)["id"].(float64)
		id := strconv.Itoa(int(n))
		_, _, d := w.Do("GET", "/_mock/journal/"+id, "")
		checked++
		if strings.Contains(string(d), `"apiKey\":\"`) {
			redacted++
		}
		if strings.Contains(string(d), key) {
			t.Fatalf("journal entry %s shows the key: %s", id, d)
		}
	}
	if checked == 0 {
		t.Fatalf("no journal entry checked: %s", b[:min(len(b), 300)])
	}
	if redacted == 0 {
		t.Fatalf("no journal entry shows the minting answer's apiKey member (redacted)")
	}
}
