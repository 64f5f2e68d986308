package mcp_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
)

// A snapshot restores into a store with the same secret key: the key goes
// on working, the settings read the same; with another key it is refused
// and nothing changes.
func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	key := w.enable("list_contacts")
	before, err := w.store.Get("t1", "acme")
	if err != nil {
		t.Fatal(err)
	}
	doc := w.store.Snapshot([]string{"t1", "t2"})
	if len(doc) != 1 || len(doc["t1"].Settings) != 1 {
		t.Fatalf("snapshot = %+v", doc)
	}
	has := func(tenant, integration string) bool { return tenant == "t1" && integration == "acme" }

	// Restore into the same store after a reset.
	w.store.Reset()
	if _, err := w.store.Access("t1", "acme", key); err != mcp.ErrNoKey {
		t.Fatalf("after reset: %v", err)
	}
	f := core.Findings{}
	p := w.store.Prepare(f, doc, has)
	if len(f) != 0 {
		t.Fatalf("findings: %v", f)
	}
	w.store.Commit(p)
	ep, err := w.store.Access("t1", "acme", key)
	if err != nil || !ep.Enabled || ep.ConfigID != w.config {
		t.Fatalf("after restore: %+v %v", ep, err)
	}
	after, _ := w.store.Get("t1", "acme")
	if a, b := mustText(t, before), mustText(t, after); a != b {
		t.Fatalf("settings changed in the round trip:\n%s\n%s", a, b)
	}

	// Another server's key does not open it; a missing integration is named.
	other := mcp.New(mcp.Options{Integrations: w.integ, Tools: w.tools, Box: roomtest.Box(t)})
	f = core.Findings{}
	other.Prepare(f, doc, func(string, string) bool { return false })
	other.Prepare(f, map[string]mcp.Section{"t1": {Settings: []mcp.SettingsSnapshot{{IntegrationID: "acme", APIKeyID: ptr("x"), KeyPrefix: ptr("fx_mcp_"), APIKeySealed: doc["t1"].Settings[0].APIKeySealed}}}}, has)
	if text := mustText(t, f); !strings.Contains(text, "apiKeySealed") || !strings.Contains(text, "does not have") {
		t.Fatalf("findings = %s", text)
	}
}

func mustText(t *testing.T, v any) string {
	t.Helper()
	s, err := jsonText(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
