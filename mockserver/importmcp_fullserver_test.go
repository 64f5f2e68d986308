package mockserver_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
)

// TestImportMcpThroughTheServer runs integrations:importMcp through the
// whole server (request and strict response validation, the journal's
// redaction): imported from the mock's own mcp:test, the bearer token
// shows in no answer and no journal entry.
func TestImportMcpThroughTheServer(t *testing.T) {
	w := apitest.NewRunWorld(t, mockserver.Config{})
	base := apitest.API + "/integrations/crm/mcp"
	s := w.Must(200, "PATCH", base, `{"enabled":true,"exposedToolIds":["list_contacts"]}`)
	key := s["apiKey"].(string)
	testURL := s["testUrl"].(string)
	body, _ := json.Marshal(map[string]any{"serverUrl": testURL, "integrationId": "crm-mcp", "bearerToken": key})
	st, _, b := w.Do("POST", apitest.API+"/integrations:importMcp", string(body))
	if st != 200 || strings.Contains(string(b), key) || !strings.Contains(string(b), `"mcpToolName":"list_contacts"`) {
		t.Fatalf("import: %d %s", st, b)
	}
	w.Must(200, "GET", apitest.API+"/integrations/crm-mcp/tools/list_contacts", "")
	// A token that is no MCP key of the mock: only its place in the body
	// tells the journal it is a secret.
	const other = "vendor-bearer-token-7f3a9c"
	body, _ = json.Marshal(map[string]any{"serverUrl": "https://elsewhere.example.com/mcp", "bearerToken": other})
	if st, _, b := w.Do("POST", apitest.API+"/integrations:importMcp", string(body)); st != 400 || !strings.Contains(string(b), "serverUrl") || strings.Contains(string(b), other) {
		t.Fatalf("refused host: %d %s", st, b)
	}

	st, _, b = w.Do("GET", "/_mock/journal", "")
	var list map[string]any
	json.Unmarshal(b, &list)
	entries, _ := list["items"].([]any)
	if entries == nil {
		entries, _ = list["entries"].([]any)
	}
	imports := 0
	for _, e := range entries {
		n, _ := e.(map[string]any)["id"].(float64)
		_, _, d := w.Do("GET", "/_mock/journal/"+strconv.Itoa(int(n)), "")
		if strings.Contains(string(d), "importMcp") {
			imports++
		}
		if strings.Contains(string(d), key) || strings.Contains(string(d), other) {
			t.Fatalf("journal entry %v shows the bearer token: %s", n, d)
		}
	}
	if st != 200 || imports < 2 {
		t.Fatalf("journal: %d, %d importMcp entries", st, imports)
	}
}
