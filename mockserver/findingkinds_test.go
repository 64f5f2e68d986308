package mockserver_test

import (
	"encoding/json"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// journalEntries lists the journal, newest first.
func journalEntries(t *testing.T, c *client, query string) []map[string]any {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(c.Must(200, "GET", "/_mock/journal"+query, "").Body, &page); err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// The journal tells a request refused as the contract declares (a 401's
// reason, a business rule's 400) from one that breaks the contract (a body
// the spec rejects): finding kinds refusal and violation; violation (the
// answer's) stays false for all three.
func TestJournalTellsRefusalsFromViolations(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", `{"id":"crm","configMetadata":{"parametersMetadata":[{"name":"region","type":"String","options":[{"value":"eu"}]}]}}`)
	c.Must(401, "GET", api+"/integrations", "", "Authorization", "")
	c.Problem(400, "POST", api+"/integrations/crm/configs", `{"displayName":"cfg","parameters":{"region":"mars"}}`)
	c.Problem(400, "POST", api+"/integrations", `{"displayName":"x","bogus":1}`)
	entries := journalEntries(t, c, "?limit=3") // newest first
	for i, want := range []string{"violation", "refusal", "refusal"} {
		e := entries[i]
		fs := e["findings"].([]any)
		if len(fs) == 0 || e["violation"] != false {
			t.Fatalf("%s %s: findings %v, violation %v", e["method"], e["path"], fs, e["violation"])
		}
		for _, f := range fs {
			if kind := f.(map[string]any)["kind"]; kind != want {
				t.Errorf("%s %s (%v): finding %v has kind %v, want %s", e["method"], e["path"], e["status"], f, kind, want)
			}
		}
	}
}
