package sandboxroute_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// TestRedactorLastLeaks holds issue 10 item 5: case-folded, base64 and
// base64url forms (standalone and inside a Basic credential) and the
// leaves of a Json secret are all redacted.
func TestRedactorLastLeaks(t *testing.T) {
	const secret = "Canary-Host-7f3A9c?>~"
	json := map[string]any{"clientSecret": "LEAF-CANARY-91x", "pin": 48213907.0, "short": "eu"}
	r := sandboxroute.NewRedactor(append([]string{secret}, core.SecretTexts(json)...)...)
	for _, leak := range []string{
		secret,
		strings.ToLower(secret),
		strings.ToUpper(secret),
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.URLEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
		"Basic " + base64.StdEncoding.EncodeToString([]byte("user:"+secret)),
		"Basic " + base64.StdEncoding.EncodeToString([]byte("us:"+secret+":x")),
		"LEAF-CANARY-91x",
		"48213907",
	} {
		got := r.String("detail: " + leak + " end")
		if !strings.Contains(got, sandboxroute.Redacted) || strings.Contains(got, leak) {
			t.Errorf("%q redacts to %q", leak, got)
		}
	}
	if got := r.String("region eu"); got != "region eu" {
		t.Errorf("a short leaf was redacted everywhere: %q", got)
	}
	if got := r.Value(map[string]any{"n": 48213907.0}); got.(map[string]any)["n"] != sandboxroute.Redacted {
		t.Errorf("a number leaf survived: %v", got)
	}
}
