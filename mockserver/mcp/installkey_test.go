package mcp_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
)

// TestInstallKey: a key the fixtures choose is bound like a minted one
// (shown only as its prefix, enabling keeps it), replaces a minted one
// (which stops working), and must look like an MCP key.
func TestInstallKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{})
	minted := w.enable("list_contacts")
	const key = mcp.KeyPrefix + "fixture_0123456789"
	if err := w.store.InstallKey("t1", "acme", "key-1", key); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.Access("t1", "acme", minted); err != mcp.ErrBadKey {
		t.Errorf("the replaced key: %v", err)
	}
	if ep, err := w.store.Access("t1", "acme", key); err != nil || !ep.Enabled {
		t.Fatalf("the installed key: %+v %v", ep, err)
	}
	s, _ := w.store.Get("t1", "acme")
	if core.Deref(s.APIKeyID) != "key-1" || core.Deref(s.KeyPrefix) != key[:11] || s.APIKey != nil {
		t.Errorf("settings: %+v", s)
	}
	for _, bad := range []string{"", "fx_mcp_", "whk_0123456789abcdef"} {
		if err := w.store.InstallKey("t1", "acme", "key-2", bad); core.KindOf(err) != core.KindInvalid {
			t.Errorf("key %q: %v", bad, err)
		}
	}
	if err := w.store.InstallKey("t1", "nope", "key-2", key); core.KindOf(err) != core.KindNotFound {
		t.Errorf("unknown integration: %v", err)
	}
}
