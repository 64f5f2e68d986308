package mcp_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
)

func TestGetAnswersDefaultsWithoutStoring(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	s := w.must(200, "GET", settingsPath, "")
	for field, want := range map[string]any{"integrationId": "acme", "enabled": false, "configId": nil, "description": nil,
		"apiKeyId": nil, "keyPrefix": nil, "apiKey": nil, "createdAt": float64(roomtest.T0), "modifiedAt": float64(roomtest.T0),
		"callUrl": w.srv.URL + settingsPath + ":call", "testUrl": w.srv.URL + settingsPath + ":test"} {
		if s[field] != want {
			t.Errorf("%s = %v, want %v", field, s[field], want)
		}
	}
	if ids, ok := s["exposedToolIds"].([]any); !ok || len(ids) != 0 {
		t.Errorf("exposedToolIds = %v, want []", s["exposedToolIds"])
	}
	if len(s) != 12 {
		t.Errorf("McpSettings has %d members, want the 12 documented: %v", len(s), s)
	}
	// The URLs follow how the client reached the mock.
	s = w.must(200, "GET", settingsPath, "", "X-Forwarded-Proto", "https")
	if want := "https://" + strings.TrimPrefix(w.srv.URL, "http://") + settingsPath + ":call"; s["callUrl"] != want {
		t.Errorf("callUrl behind TLS = %v, want %s", s["callUrl"], want)
	}
	// A read stores nothing: the tenant's MCP state is still empty, so a
	// session's GET never copies a tenant out of the fixtures.
	if snap := w.store.Snapshot([]string{"t1"}); len(snap["t1"].Settings) != 0 {
		t.Errorf("GET stored settings: %+v", snap)
	}
}

func TestUnknownIntegrationIs404(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	p := "/v1/tenants/t1/integrations/nope/mcp"
	for _, c := range []struct{ method, path, body string }{
		{"GET", p, ""}, {"PATCH", p, `{"enabled":true}`}, {"POST", p + ":rotateKey", ""},
		{"POST", p + ":call", `{"jsonrpc":"2.0","id":1,"method":"ping"}`}, {"POST", p + ":test", `{"jsonrpc":"2.0","id":1,"method":"ping"}`},
	} {
		if a := w.do(c.method, c.path, c.body, "X-API-KEY", "fx_mcp_whatever"); a.status != 404 || !strings.Contains(string(a.body), "nope") {
			t.Errorf("%s %s: %d %s, want a 404 naming the integration", c.method, c.path, a.status, a.body)
		}
	}
}

func TestPatchMintsTheKeyOnceOnFirstEnable(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	// Patching other fields mints nothing.
	s := w.must(200, "PATCH", settingsPath, `{"description":"CRM tools"}`)
	if s["apiKey"] != nil || s["apiKeyId"] != nil || s["enabled"] != false || s["description"] != "CRM tools" {
		t.Fatalf("patch without enabled = %v", s)
	}
	s = w.must(200, "PATCH", settingsPath, `{"enabled":true}`)
	key, _ := s["apiKey"].(string)
	if !strings.HasPrefix(key, mcp.KeyPrefix) || len(key) < 32 || s["keyPrefix"] != key[:11] || s["apiKeyId"] == nil || s["enabled"] != true {
		t.Fatalf("first enable = %v", s)
	}
	keyID := s["apiKeyId"]
	// Afterwards only the prefix shows.
	got := w.must(200, "GET", settingsPath, "")
	if got["apiKey"] != nil || got["keyPrefix"] != key[:11] || got["apiKeyId"] != keyID || got["description"] != "CRM tools" {
		t.Fatalf("GET after the mint = %v", got)
	}
	// Disabling keeps the key; re-enabling mints no new one.
	for _, body := range []string{`{"enabled":false}`, `{"enabled":true}`, `{"enabled":null}`, `{}`} {
		s = w.must(200, "PATCH", settingsPath, body)
		if s["apiKey"] != nil || s["apiKeyId"] != keyID {
			t.Fatalf("PATCH %s = %v: the key changed or showed", body, s)
		}
	}
	if s["enabled"] != true {
		t.Fatalf("null/absent enabled did not keep true: %v", s)
	}
	// The key still opens the endpoint.
	w.must(200, "PATCH", settingsPath, `{"enabled":false}`)
	w.must(200, "PATCH", settingsPath, `{"enabled":true}`)
	w.result(true, key, `{"jsonrpc":"2.0","id":1,"method":"ping"}`)
}

func TestPatchFields(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	s := w.must(200, "PATCH", settingsPath, `{"configId":"`+w.config+`","exposedToolIds":["list_contacts","gone","list_contacts"],"description":"d"}`)
	if s["configId"] != w.config || s["description"] != "d" {
		t.Fatalf("patch = %v", s)
	}
	if ids := s["exposedToolIds"].([]any); len(ids) != 2 || ids[0] != "list_contacts" || ids[1] != "gone" {
		t.Fatalf("exposedToolIds = %v, want the list once each, unknown ids kept", ids)
	}
	created := s["createdAt"]
	// null keeps every field.
	s = w.must(200, "PATCH", settingsPath, `{"configId":null,"exposedToolIds":null,"description":null,"enabled":null}`)
	if s["configId"] != w.config || s["description"] != "d" || len(s["exposedToolIds"].([]any)) != 2 || s["createdAt"] != created {
		t.Fatalf("null patch changed fields: %v", s)
	}
	// The nil UUID clears the binding; [] clears the tools; "" the description.
	s = w.must(200, "PATCH", settingsPath, `{"configId":"`+mcp.NilUUID+`","exposedToolIds":[],"description":""}`)
	if s["configId"] != nil || len(s["exposedToolIds"].([]any)) != 0 || s["description"] != "" {
		t.Fatalf("clearing patch = %v", s)
	}
	// A config of no integration, or of another, is the client's 400.
	for _, id := range []string{"3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14"} {
		a := w.do("PATCH", settingsPath, `{"configId":"`+id+`"}`)
		p := a.json(t)
		if a.status != 400 || p["errors"].(map[string]any)["configId"] == nil {
			t.Fatalf("unknown configId: %d %s", a.status, a.body)
		}
	}
	if a := w.do("PATCH", settingsPath, `{"exposedToolIds":[""]}`); a.status != 400 || !strings.Contains(string(a.body), "exposedToolIds[0]") {
		t.Fatalf("empty tool id: %d %s", a.status, a.body)
	}
	if s := w.must(200, "GET", settingsPath, ""); s["configId"] != nil {
		t.Fatalf("a refused patch changed the settings: %v", s)
	}
}

func TestRotateKeyRevokesTheOldKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	old := w.enable("list_contacts")
	before := w.must(200, "GET", settingsPath, "")
	s := w.must(200, "POST", settingsPath+":rotateKey", "")
	key, _ := s["apiKey"].(string)
	if !strings.HasPrefix(key, mcp.KeyPrefix) || key == old || s["apiKeyId"] == before["apiKeyId"] || s["keyPrefix"] != key[:11] {
		t.Fatalf("rotate = %v (old key prefix %s)", s, old[:11])
	}
	if s["enabled"] != true || s["configId"] != w.config {
		t.Fatalf("rotate changed the settings: %v", s)
	}
	if got := w.must(200, "GET", settingsPath, ""); got["apiKey"] != nil || got["keyPrefix"] != key[:11] {
		t.Fatalf("GET after rotate = %v", got)
	}
	ping := `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	for _, test := range []bool{false, true} {
		if a := w.rpc(test, old, ping); a.status != 401 || len(a.body) != 0 || a.header.Get(mcp.ReasonHeader) == "" {
			t.Fatalf("old key after rotate: %d %q", a.status, a.body)
		}
		w.result(test, key, ping)
	}
}

func TestRotateKeyBeforeAnyKeyMintsOne(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	s := w.must(200, "POST", settingsPath+":rotateKey", "")
	if key, _ := s["apiKey"].(string); !strings.HasPrefix(key, mcp.KeyPrefix) || s["enabled"] != false {
		t.Fatalf("rotate on fresh settings = %v", s)
	}
	// Enabling afterwards keeps that key: it is not the first mint.
	if s := w.must(200, "PATCH", settingsPath, `{"enabled":true}`); s["apiKey"] != nil {
		t.Fatalf("enable after a rotate minted again: %v", s)
	}
}

func TestKeysAreSecrets(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{allow: true})
	key := w.enable("list_contacts", "create_charge")
	w.result(false, key, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_contacts","arguments":{"query":"smith"}}}`)
	w.result(true, key, `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_charge","arguments":{"amount":5}}}`)
	w.rpc(true, key+"x", `{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	if strings.Contains(w.logs.String(), key) || strings.Contains(w.logs.String(), roomtest.Canary) {
		t.Fatalf("a secret reached the log:\n%s", w.logs)
	}
	// The store lists the key for redaction, and keeps it only sealed.
	texts := w.store.SecretTexts()
	if len(texts) != 1 || texts[0] != key {
		t.Fatalf("SecretTexts = %d texts, want the one key", len(texts))
	}
	snap, err := jsonText(w.store.Snapshot([]string{"t1"}))
	if err != nil || strings.Contains(snap, key) || !strings.Contains(snap, key[:11]) {
		t.Fatalf("snapshot holds the key in the clear, or not its prefix: %v %s", err, snap)
	}
	// Rotation drops the old key from the list.
	rotated := w.must(200, "POST", settingsPath+":rotateKey", "")["apiKey"].(string)
	if texts := w.store.SecretTexts(); len(texts) != 1 || texts[0] != rotated {
		t.Fatalf("after rotate SecretTexts has %d texts, want the new key only", len(texts))
	}
}
