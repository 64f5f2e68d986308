package mockserver_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

const sessionHeader = mockserver.SessionHeader

// Fifty sessions create, patch, publish and delete the same ids at once;
// each sees only its own, and the shared state sees none of it.
func TestSessionsIsolateConcurrentWriters(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sid := fmt.Sprintf("s-%d", i)
			h := []string{sessionHeader, sid}
			do := func(want int, method, path, body string) map[string]any {
				a := c.Do(method, path, body, h...)
				if a.Status != want {
					t.Errorf("session %s: %s %s = %d, want %d: %s", sid, method, path, a.Status, want, a.Body)
					return map[string]any{}
				}
				if want == 204 || len(a.Body) == 0 {
					return map[string]any{}
				}
				return a.JSON(t)
			}
			do(200, "POST", api+"/integrations", crmIntegration)
			cfg := do(200, "POST", api+"/integrations/crm/configs", `{"displayName":"first","parameters":{"region":"eu"}}`)
			id, _ := cfg["id"].(string)
			if id == "" {
				return
			}
			cfgPath := api + "/integrations/crm/configs/" + id
			name := "draft of " + sid
			do(200, "PATCH", cfgPath, `{"displayName":"`+name+`"}`)
			rev := do(200, "POST", cfgPath+":publish", "")
			if rev["configId"] != id || rev["version"] != 1.0 {
				t.Errorf("session %s: published %v", sid, rev)
			}
			do(200, "PATCH", cfgPath, `{"displayName":"later"}`)
			if got := do(200, "GET", cfgPath, ""); got["displayName"] != "later" {
				t.Errorf("session %s: draft reads %v", sid, got["displayName"])
			}
			revs := do(200, "GET", cfgPath+"/revisions", "")
			if items, _ := revs["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != rev["id"] {
				t.Errorf("session %s: revisions %v", sid, revs)
			}
			do(204, "DELETE", cfgPath, "")
			do(204, "DELETE", api+"/integrations/crm", "")
			do(404, "GET", api+"/integrations/crm", "")
		}()
	}
	wg.Wait()
	c.Must(404, "GET", api+"/integrations/crm", "")
	if n := len(c.Must(200, "GET", "/_mock/sessions", "").JSON(t)["sessions"].([]any)); n != 50 {
		t.Fatalf("%d sessions listed, want 50", n)
	}
}

// A new session starts from the fixtures; its writes stay its own.
func TestSessionForksFromFixtures(t *testing.T) {
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	list := func(h ...string) string {
		return string(c.Must(200, "GET", demo+"/integrations?pageSize=100", "", h...).Body)
	}
	shared := list()
	if got := list(sessionHeader, "a"); got != shared {
		t.Fatalf("a new session does not see the fixtures:\n%s\nshared:\n%s", got, shared)
	}
	name := func(h ...string) any {
		return c.Must(200, "GET", demo+"/integrations/stripe", "", h...).JSON(t)["displayName"]
	}
	orig := name()
	c.Must(200, "PUT", demo+"/integrations/stripe", `{"displayName":"Renamed in a"}`, sessionHeader, "a")
	if got := name(sessionHeader, "a"); got != "Renamed in a" {
		t.Fatalf("session a reads %v after its own write", got)
	}
	if got, gotB := name(), name(sessionHeader, "b"); got != orig || gotB != orig {
		t.Fatalf("a's write leaked: shared %v, session b %v", got, gotB)
	}
	c.Must(200, "POST", demo+"/integrations", `{"id":"only-in-b"}`, sessionHeader, "b")
	c.Must(404, "GET", demo+"/integrations/only-in-b", "", sessionHeader, "a")
	c.Must(404, "GET", demo+"/integrations/only-in-b", "")

	// The control plane acts on the named session only.
	exp := string(c.Must(200, "GET", "/_mock/state?session=b", "").Body)
	if !strings.Contains(exp, "only-in-b") || strings.Contains(string(c.Must(200, "GET", "/_mock/state", "").Body), "only-in-b") {
		t.Fatalf("export of session b lacks its write, or the shared one has it")
	}
	c.Must(204, "POST", "/_mock/reset", "", sessionHeader, "b")
	c.Must(404, "GET", demo+"/integrations/only-in-b", "", sessionHeader, "b")
	if got := name(sessionHeader, "a"); got != "Renamed in a" {
		t.Fatalf("resetting b changed a: %v", got)
	}

	infos := c.Must(200, "GET", "/_mock/sessions", "").JSON(t)["sessions"].([]any)
	byID := map[string]map[string]any{}
	for _, v := range infos {
		m := v.(map[string]any)
		byID[m["id"].(string)] = m
	}
	if a := byID["a"]; a == nil || a["requests"].(float64) < 3 || fmt.Sprint(a["tenants"]) != "[demo]" {
		t.Fatalf("session a listed as %v", byID["a"])
	}
	c.Must(204, "DELETE", "/_mock/sessions/a", "")
	c.Problem(404, "DELETE", "/_mock/sessions/a", "")
	if got := name(sessionHeader, "a"); got != orig { // starts afresh
		t.Fatalf("a deleted session kept its write: %v", got)
	}
}

// Past --max-sessions the least recently used goes, and past the TTL an
// idle one does; the next request starts afresh and the journal says why.
func TestSessionEvictionAndTTL(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c, _ := start(t, mockserver.Config{MaxSessions: 2, SessionTTL: time.Minute, Now: clock})
	for _, s := range []string{"one", "two"} {
		c.Must(200, "POST", api+"/integrations", `{"id":"mine"}`, sessionHeader, s)
	}
	c.Must(200, "GET", api+"/integrations/mine", "", sessionHeader, "one") // two is now the least recent
	c.Must(200, "POST", api+"/integrations", `{"id":"mine"}`, sessionHeader, "three")
	c.Must(404, "GET", api+"/integrations/mine", "", sessionHeader, "two")
	note := journalNote(t, c, "two")
	if !strings.Contains(note, "evicted") || !strings.Contains(note, "--max-sessions") {
		t.Fatalf("journal note of the returning session: %q", note)
	}

	advance(2 * time.Minute)
	c.Must(404, "GET", api+"/integrations/mine", "", sessionHeader, "three")
	if note := journalNote(t, c, "three"); !strings.Contains(note, "--session-ttl") {
		t.Fatalf("journal note after the TTL: %q", note)
	}
}

// journalNote is the sessionNote of the newest journal entry of a session.
func journalNote(t *testing.T, c *client, session string) string {
	t.Helper()
	items := c.Must(200, "GET", "/_mock/journal?session="+session, "").JSON(t)["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("no journal entry for session %s", session)
	}
	note, _ := items[0].(map[string]any)["sessionNote"].(string)
	return note
}

// A dev token's session claim selects the session, so a browser app gets
// isolation without adding a header.
func TestSessionFromTokenClaim(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	tok := c.Must(200, "POST", "/_mock/tokens", `{"session":"browser-1"}`).JSON(t)["token"].(string)
	c.Auth = "Bearer " + tok
	c.Must(200, "POST", api+"/integrations", `{"id":"from-browser"}`)
	c.Must(200, "GET", api+"/integrations/from-browser", "")
	c.Auth = "Bearer dev"
	c.Must(404, "GET", api+"/integrations/from-browser", "")
	c.Must(200, "GET", api+"/integrations/from-browser", "", sessionHeader, "browser-1")
	c.Problem(400, "POST", "/_mock/tokens", `{"session":"has space"}`)
}

// A malformed session id is a 400 naming where it came from; a bad
// verification pattern names its field.
func TestSessionBadInput(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	for _, id := range []string{strings.Repeat("x", 65), "a/b", "ünï"} {
		p := c.Problem(400, "GET", api+"/integrations", "", sessionHeader, id)
		if _, ok := p["errors"].(map[string]any)[sessionHeader]; !ok {
			t.Errorf("session %q: problem does not name the header: %v", id, p)
		}
	}
	p := c.Problem(400, "GET", "/_mock/journal?session=a%20b", "")
	if _, ok := p["errors"].(map[string]any)["session"]; !ok {
		t.Errorf("query session: %v", p)
	}
	p = c.Problem(400, "POST", "/_mock/verify", `{"operationId":"noSuchOperation"}`)
	if _, ok := p["errors"].(map[string]any)["operationId"]; !ok {
		t.Errorf("verify: %v", p)
	}
	if n := len(c.Must(200, "GET", "/_mock/sessions", "").JSON(t)["sessions"].([]any)); n != 0 {
		t.Errorf("refused requests created %d sessions", n)
	}
}

// Verification counts a session's requests only, and a near miss says
// what differed.
func TestVerifyInSession(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", `{"id":"v1","displayName":"Shared"}`)
	c.Must(200, "POST", api+"/integrations", `{"id":"v1","displayName":"Mine"}`, sessionHeader, "v")
	res := c.Must(200, "POST", "/_mock/verify", `{"operationId":"createIntegration","bodyContains":{"displayName":"Mine"},"count":1}`, sessionHeader, "v").JSON(t)
	if res["matched"] != true || res["count"] != 1.0 {
		t.Fatalf("verify in session: %v", res)
	}
	res = c.Must(200, "POST", "/_mock/verify", `{"operationId":"createIntegration","bodyContains":{"displayName":"Mine"}}`).JSON(t)
	if res["matched"] != false {
		t.Fatalf("the shared journal matched a session's request: %v", res)
	}
	misses := res["nearMisses"].([]any)
	if len(misses) != 1 || !strings.Contains(fmt.Sprint(misses[0]), "displayName") {
		t.Fatalf("near misses: %v", misses)
	}
}
