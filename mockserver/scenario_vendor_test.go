package mockserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// Scenario vendor stubs (issue 4, DESIGN §3): a scenario that applies to a
// :run request answers the runs that are not sent out before the fixtures'
// vendor stubs do.

const simScenario = `name: crm-sim
vendorStubs:
  - integration: crm
    tool: list_contacts            # no route: any route
    response: {status: 200, body: {from: scenario}}
  - integration: crm
    tool: update_contact
    route: SIMULATED
    response: {status: 202, headers: {X-Vendor: sim}, body: {from: scenario-update}}
`

const prodScenario = `name: crm-prod
vendorStubs:
  - integration: crm
    tool: list_contacts
    route: PRODUCTION
    response: {status: 200, body: {from: scenario-prod}}
`

// fixtureStub is more specific than simScenario's list_contacts stub
// (route and tenant too), yet a scenario that applies still wins.
var fixtureStub = sandboxroute.VendorStub{Tenant: "acme", Integration: "crm", Tool: "list_contacts", Route: sandboxroute.RouteSimulated,
	Response: sandboxroute.StubResponse{Status: 200, Body: map[string]any{"from": "fixture"}}}

// runWith runs a tool with X-Fruxon-Mock-Scenario set to scenario (when
// not ""); it returns the status, the answered-by header and the body.
func runWith(w *runWorld, scenario, tool, configID, mode, params string) (int, string, map[string]any) {
	w.T.Helper()
	req, err := http.NewRequest("POST", w.M.URL+runsAPI+"/integrations/crm/tools/"+tool+":run", strings.NewReader(runBody(configID, mode, params)))
	if err != nil {
		w.T.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer dev")
	req.Header.Set("Content-Type", "application/json")
	if scenario != "" {
		req.Header.Set("X-Fruxon-Mock-Scenario", scenario)
	}
	resp, err := w.M.Client.Do(req)
	if err != nil {
		w.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		w.T.Fatalf("%s: %v: %s", tool, err, b)
	}
	return resp.StatusCode, resp.Header.Get(mockserver.AnsweredByHeader), m
}

// answeredFrom is the "from" of a run's response body, or "generated" for
// a generated SIMULATED value.
func answeredFrom(t *testing.T, run map[string]any) string {
	t.Helper()
	resp, ok := run["response"].(map[string]any)
	if !ok {
		t.Fatalf("no response in %v", run)
	}
	body, _ := resp["body"].(map[string]any)
	if body["simulated"] == true {
		return "generated"
	}
	from, _ := body["from"].(string)
	return from
}

func TestScenarioVendorStubsSimulated(t *testing.T) {
	t.Parallel()
	w := newRunWorld(t, mockserver.Config{Seed: 7, Scenarios: scenarioList(t, simScenario, prodScenario),
		VendorStubs: []sandboxroute.VendorStub{fixtureStub}})
	id := w.Config("SIMULATED", true, true)
	check := func(label, scenario, tool, params, wantFrom, wantBy string) map[string]any {
		t.Helper()
		status, by, run := runWith(w, scenario, tool, id, "SANDBOX", params)
		if status != 200 {
			t.Fatalf("%s: %s run = %d %v", label, tool, status, run)
		}
		if got := answeredFrom(t, run); got != wantFrom || by != wantBy {
			t.Fatalf("%s: %s answered from %q by %q, want %q by %q: %v", label, tool, got, by, wantFrom, wantBy, run)
		}
		if run["route"] != "SIMULATED" || run["outbound"] != false {
			t.Fatalf("%s: %s run = %v", label, tool, run)
		}
		return run
	}

	// Not named, not active: the fixture stub, else a generated value.
	check("no scenario", "", "list_contacts", `{"query":"a"}`, "fixture", "stub")
	check("no scenario", "", "update_contact", `{"id":"c1"}`, "generated", "simulation")
	// A scenario whose stubs are for another route leaves the fixtures be.
	check("other route", "crm-prod", "list_contacts", `{"query":"a"}`, "fixture", "stub")

	// Named by the request: its stubs first, however specific the fixture's.
	check("named", "crm-sim", "list_contacts", `{"query":"a"}`, "scenario", "stub")
	run := check("named", "crm-prod, crm-sim", "update_contact", `{"id":"c1"}`, "scenario-update", "stub")
	resp := run["response"].(map[string]any)
	if resp["status"].(float64) != 202 || resp["headers"].(map[string]any)["X-Vendor"] != "sim" {
		t.Fatalf("scenario stub answer = %v", resp)
	}
	check("named, no stub for the tool", "crm-sim", "create_charge", `{"amount":1}`, "generated", "simulation")
	// ... and only that request.
	check("next request", "", "list_contacts", `{"query":"a"}`, "fixture", "stub")

	// Activated: every request.
	w.Must(200, "POST", "/_mock/scenarios/crm-sim:activate", "")
	check("active", "", "list_contacts", `{"query":"a"}`, "scenario", "stub")
	check("active", "", "update_contact", `{"id":"c1"}`, "scenario-update", "stub")
	check("active", "", "create_charge", `{"amount":1}`, "generated", "simulation")
	w.Must(200, "POST", "/_mock/scenarios/crm-sim:deactivate", "")
	check("deactivated", "", "list_contacts", `{"query":"a"}`, "fixture", "stub")
	check("deactivated", "", "update_contact", `{"id":"c1"}`, "generated", "simulation")

	// An unknown name is the client's mistake, as for every API request.
	req, _ := http.NewRequest("POST", w.M.URL+api+"/integrations/crm/configs/"+id+":testTool", strings.NewReader(`{"toolId":"list_contacts","parameters":{"query":"a"}}`))
	req.Header.Set("Authorization", "Bearer dev")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Fruxon-Mock-Scenario", "nope")
	unknown, err := w.M.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	unknown.Body.Close()
	if unknown.StatusCode != 400 {
		t.Fatalf("unknown scenario on :testTool: %d", unknown.StatusCode)
	}
	if calls := w.Vendor.Received(); len(calls) != 0 {
		t.Fatalf("SIMULATED sent %d requests: %+v", len(calls), calls)
	}
	w.NoLeaks()
}

func TestScenarioVendorStubsProductionOffList(t *testing.T) {
	t.Parallel()
	w := newRunWorld(t, mockserver.Config{Scenarios: scenarioList(t, simScenario, prodScenario)})
	offList := newRecordingVendor(t) // live, but not on the allow list
	id := w.Must(200, "POST", api+"/integrations/crm/configs", `{"displayName":"cfg","parameters":{"baseUrl":"`+offList.URL+`"},
	 "auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"`+prodKey+`"}}}`)["id"].(string)
	w.Must(200, "POST", api+"/integrations/crm/configs/"+id+":publish", "")

	// Without the scenario there is no stub: 502, nothing sent.
	if status, _, p := runWith(w, "", "list_contacts", id, "PRODUCTION", `{"query":"x"}`); status != 502 {
		t.Fatalf("no stub: %d %v", status, p)
	}
	status, by, run := runWith(w, "crm-prod", "list_contacts", id, "PRODUCTION", `{"query":"x"}`)
	if status != 200 || by != "stub" || answeredFrom(t, run) != "scenario-prod" {
		t.Fatalf("scenario PRODUCTION stub: %d %q %v", status, by, run)
	}
	if run["route"] != "PRODUCTION" || run["outbound"] != false {
		t.Fatalf("run = %v", run)
	}
	// The route selector holds: crm-prod has nothing for update_contact.
	if status, _, p := runWith(w, "crm-prod", "update_contact", id, "PRODUCTION", `{"id":"c1"}`); status != 502 {
		t.Fatalf("update_contact with crm-prod: %d %v", status, p)
	}
	w.Must(200, "POST", "/_mock/scenarios/crm-prod:activate", "")
	if status, by, run := runWith(w, "", "list_contacts", id, "PRODUCTION", `{"query":"x"}`); status != 200 || by != "stub" || answeredFrom(t, run) != "scenario-prod" {
		t.Fatalf("active scenario PRODUCTION stub: %d %q %v", status, by, run)
	}
	if calls := offList.Received(); len(calls) != 0 {
		t.Fatalf("the off-list vendor received %d requests: %+v", len(calls), calls)
	}
	if calls := w.Vendor.Received(); len(calls) != 0 {
		t.Fatalf("the allowed vendor received %d requests: %+v", len(calls), calls)
	}
	w.NoLeaks()
}
