package mockserver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// entryDetail is GET /_mock/journal/{id} of a listed entry.
func entryDetail(t *testing.T, c *client, e map[string]any) detail {
	t.Helper()
	d, _ := getDetail(t, c, int64(e["id"].(float64)))
	return d
}

// After an OAuth credential is stored (its tokenType is "Bearer"), a 401
// still says "Bearer" everywhere the journal and the dashboard show it:
// the finding, the reason header and WWW-Authenticate. Only secrets are
// redacted, not the words around them.
func TestOAuthCredentialLeavesBearerReadable(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	key := approvedKey(t, c, "github")
	c.Must(200, "POST", demo+"/integrations/github/configs", `{"displayName":"cfg","parameters":{"owner":"acme"},"oAuthCredentialKey":"`+key+`"}`)
	state := string(c.Must(200, "GET", "/_mock/state", "").Body)
	if !strings.Contains(state, `"tokenType":"Bearer"`) || strings.Contains(state, "fake_at_") {
		t.Errorf("the stored credential: want tokenType in the clear and the access token sealed; state %.400s…", state)
	}
	c.Must(401, "GET", demo+"/integrations", "", "Authorization", "")
	entries := journalEntries(t, c, "?status=401")
	if len(entries) == 0 {
		t.Fatal("no 401 in the journal")
	}
	for _, e := range entries {
		var msgs []string
		for _, f := range e["findings"].([]any) {
			msgs = append(msgs, f.(map[string]any)["message"].(string))
		}
		if text := strings.Join(msgs, "; "); !strings.Contains(text, "send Authorization: Bearer <token>") || strings.Contains(text, "[redacted]") {
			t.Errorf("journal entry's findings: %s", text)
		}
		resp := entryDetail(t, c, e).Response.Headers
		if got := resp["Www-Authenticate"]; got != `Bearer realm="fruxon-mock"` {
			t.Errorf("WWW-Authenticate in the detail view: %q, want Bearer realm=…", got)
		}
		if got := resp[mockserver.ReasonHeader]; !strings.Contains(got, "send Authorization: Bearer <token>") {
			t.Errorf("%s in the detail view: %q", mockserver.ReasonHeader, got)
		}
	}
}

// A secret too short or too common to redact wherever it shows is stored,
// flagged on the write that stored it (a journal note naming the field),
// hidden where the API carries secrets, and never smeared over the text
// around it.
func TestWeakSecretIsFlaggedNotSmeared(t *testing.T) {
	c, logs := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", `{"id":"crm","configMetadata":{"authMetadata":[{"id":"api-key","type":"API_KEY",
	  "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`)
	cfg := c.Must(200, "POST", api+"/integrations/crm/configs",
		`{"displayName":"Production","auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"Production"}}}`).JSON(t)
	write := journalEntries(t, c, "?limit=1")[0]
	text, _ := json.Marshal(write["findings"])
	if !strings.Contains(string(text), `"kind":"note"`) || !strings.Contains(string(text), `"field":"auth.parameters.apiKey"`) ||
		!strings.Contains(string(text), "plain word") || strings.Contains(string(text), "Production") {
		t.Fatalf("the write's findings: %s; want a note on auth.parameters.apiKey saying why, without the value", text)
	}
	if write["violation"] != false || write["status"].(float64) != 200 {
		t.Fatalf("the write: %v", write)
	}
	if !strings.Contains(logs.String(), "auth.parameters.apiKey") {
		t.Errorf("the log does not flag the weak secret: %s", logs.String())
	}
	if body := entryDetail(t, c, write).Request.Body; !strings.Contains(body, `"apiKey":"[redacted]"`) {
		t.Errorf("the write's request body: %s; the secret must still be hidden where the API carries it", body)
	}
	c.Must(200, "GET", api+"/integrations/crm/configs/"+cfg["id"].(string), "")
	if body := entryDetail(t, c, journalEntries(t, c, "?limit=1")[0]).Response.Body; !strings.Contains(body, `"displayName":"Production"`) {
		t.Errorf("a later answer's displayName was smeared: %s", body)
	}
	// A strong secret is still redacted wherever it shows.
	c.Must(200, "PATCH", api+"/integrations/crm/configs/"+cfg["id"].(string), `{"displayName":"sk_live_strong_9f3a"}`)
	c.Must(200, "PATCH", api+"/integrations/crm/configs/"+cfg["id"].(string), `{"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_live_strong_9f3a"}}}`)
	last := journalEntries(t, c, "?limit=1")[0]
	if text, _ := json.Marshal(last["findings"]); strings.Contains(string(text), "note") {
		t.Errorf("a strong secret was flagged: %s", text)
	}
	if body := entryDetail(t, c, last).Response.Body; strings.Contains(body, "sk_live_strong_9f3a") {
		t.Errorf("a strong secret shows in the detail view: %s", body)
	}
}
