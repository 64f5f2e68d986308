package mockserver_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
)

const flakyScenario = `
name: flaky-create
description: the second create fails with 503, then creates work again
stubs:
  - name: first
    request: {method: POST, path: "/v1/tenants/{tenant}/integrations"}
    whenState: Started
    setState: failed-once
    response: {status: 200, headers: {ETag: '"s1"'}, body: {id: scripted, displayName: null, description: null, type: CUSTOM, configMetadata: {parametersMetadata: [], authMetadata: []}, tags: [], isInternal: false, createdAt: 1, modifiedAt: 1}}
  - name: then-503
    request: {method: POST, path: "/v1/tenants/{tenant}/integrations"}
    whenState: failed-once
    setState: recovered
    problem: {status: 503, title: Service Unavailable, detail: try later}
`

const brokenScenario = `
name: broken-on-purpose
stubs:
  - request: {method: GET, path: "/v1/tenants/{tenant}/integrations"}
    allowViolation: true
    response: {status: 200, body: {items: "not a list"}}
`

func scenarioList(t *testing.T, docs ...string) []*scenarios.Scenario {
	t.Helper()
	var list []*scenarios.Scenario
	for i, d := range docs {
		s, err := scenarios.Parse("test"+string(rune('a'+i))+".yaml", []byte(d))
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, s)
	}
	return list
}

func TestScenarioByHeaderAndSession(t *testing.T) {
	c, logs := start(t, mockserver.Config{Scenarios: scenarioList(t, flakyScenario, brokenScenario)})
	in := func(session string) []string {
		return []string{"X-Fruxon-Mock-Scenario", "flaky-create", "X-Fruxon-Mock-Session", session}
	}
	if id := c.Must(200, "POST", api+"/integrations", `{"id":"x"}`, in("s1")...).JSON(t)["id"]; id != "scripted" {
		t.Fatalf("first call not scripted: %v", id)
	}
	if p := c.Problem(503, "POST", api+"/integrations", `{"id":"x"}`, in("s1")...); p["detail"] != "try later" {
		t.Fatalf("%v", p)
	}
	// State "recovered" has no stub: the real, stateful behaviour answers.
	if id := c.Must(200, "POST", api+"/integrations", `{"id":"x"}`, in("s1")...).JSON(t)["id"]; id != "x" {
		t.Fatalf("after the script: %v", id)
	}
	// Another session starts from the initial state.
	if id := c.Must(200, "POST", api+"/integrations", `{"id":"y"}`, in("s2")...).JSON(t)["id"]; id != "scripted" {
		t.Fatalf("session s2 saw s1's state: %v", id)
	}
	// Without the header the scenario doesn't apply.
	c.Must(200, "POST", api+"/integrations", `{"id":"z"}`)
	// A scenario nobody loaded is the client's mistake.
	p := c.Problem(400, "GET", api+"/integrations", "", "X-Fruxon-Mock-Scenario", "nope")
	if p["errors"].(map[string]any)["X-Fruxon-Mock-Scenario"] == nil {
		t.Fatalf("%v", p)
	}
	// allowViolation lets a broken answer out, flagged in the log.
	a := c.Must(200, "GET", api+"/integrations", "", "X-Fruxon-Mock-Scenario", "broken-on-purpose")
	if a.Header.Get(mockserver.ViolationHeader) == "" || !strings.Contains(logs.String(), `"allowedByScenario":true`) {
		t.Fatalf("violation not flagged: %v", a.Header)
	}
	// The journal lists it as a response finding, in the control plane's shape.
	var j struct {
		Items []struct{ Findings json.RawMessage }
	}
	if err := json.Unmarshal(c.Must(200, "GET", "/_mock/journal?limit=1", "").Body, &j); err != nil || len(j.Items) != 1 {
		t.Fatalf("journal: %v %+v", err, j)
	}
	if got, want := string(j.Items[0].Findings), `[{"where":"response","kind":"violation","message":"is required","field":"nextPageToken"},{"where":"response","kind":"violation","message":"is required","field":"totalCount"},{"where":"response","kind":"violation","message":"must be array, not string","field":"items"}]`; got != want {
		t.Errorf("journal findings %s, want %s", got, want)
	}
}

func TestScenarioSessionsInParallel(t *testing.T) {
	c, _ := start(t, mockserver.Config{Scenarios: scenarioList(t, flakyScenario)})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := []string{"X-Fruxon-Mock-Scenario", "flaky-create", "X-Fruxon-Mock-Session", "p" + string(rune('a'+i))}
			if a := c.Do("POST", api+"/integrations", `{"id":"q"}`, h...); a.Status != 200 || !strings.Contains(string(a.Body), "scripted") {
				t.Errorf("session %d first call: %d %s", i, a.Status, a.Body)
			}
			if a := c.Do("POST", api+"/integrations", `{"id":"q"}`, h...); a.Status != 503 {
				t.Errorf("session %d second call: %d", i, a.Status)
			}
		}()
	}
	wg.Wait()
}

func TestScenarioControlPlane(t *testing.T) {
	c, _ := start(t, mockserver.Config{Scenarios: scenarioList(t, flakyScenario)})
	list := c.Must(200, "GET", "/_mock/scenarios", "").JSON(t)["items"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["active"] != false {
		t.Fatalf("%v", list)
	}
	st := c.Must(200, "POST", "/_mock/scenarios/flaky-create:activate", "").JSON(t)
	if st["active"] != true {
		t.Fatalf("%v", st)
	}
	// Active for everyone, no header needed.
	c.Must(200, "POST", api+"/integrations", `{"id":"a"}`)
	c.Problem(503, "POST", api+"/integrations", `{"id":"a"}`)
	if st := c.Must(200, "GET", "/_mock/scenarios", "").JSON(t)["items"].([]any)[0].(map[string]any); st["state"] != "recovered" {
		t.Fatalf("state: %v", st)
	}
	c.Must(200, "POST", "/_mock/scenarios/flaky-create:reset", "")
	if id := c.Must(200, "POST", api+"/integrations", `{"id":"a"}`).JSON(t)["id"]; id != "scripted" {
		t.Fatalf("reset did not restart the script: %v", id)
	}
	c.Must(200, "POST", "/_mock/scenarios/flaky-create:deactivate", "")
	c.Must(200, "POST", api+"/integrations", `{"id":"b"}`)
	c.Problem(404, "POST", "/_mock/scenarios/nope:activate", "")
	if _, err := mockserver.New(mockserver.Config{Scenarios: scenarioList(t, flakyScenario), ActiveScenarios: []string{"nope"}}); err == nil {
		t.Fatal("an unknown --scenario was accepted")
	}
}

func TestPreferCode(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	p := c.Problem(404, "GET", api+"/integrations/crm", "", "Prefer", "code=404")
	if p["status"].(float64) != 404 {
		t.Fatalf("%v", p)
	}
	a := c.Must(429, "GET", api+"/integrations", "", "Prefer", "code=429")
	if a.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	if a := c.Must(401, "GET", api+"/integrations", "", "Prefer", "code=401"); len(a.Body) != 0 {
		t.Fatal("401 with a body")
	}
	c.Must(200, "GET", api+"/integrations/crm", "", "Prefer", "code=200")
	c.Problem(400, "GET", api+"/integrations", "", "Prefer", "code=418")
}
