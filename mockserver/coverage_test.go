package mockserver_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

const teapotScenario = `
name: teapot
stubs:
  - request: {method: GET, path: "/v1/tenants/{tenant}/integrations"}
    allowViolation: true
    response: {status: 418, body: {title: teapot, status: 418}}
`

func coverageOf(t *testing.T, c *client, query string) coverage.Report {
	t.Helper()
	a := c.Must(200, "GET", "/_mock/coverage"+query, "")
	var rep coverage.Report
	if err := json.Unmarshal(a.Body, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func coverageRow(rep coverage.Report, op string, status int) (coverage.Operation, bool) {
	for _, r := range rep.APICoverage[0].Operations {
		if r.OperationID == op && r.ResponseCode == status {
			return r, true
		}
	}
	return coverage.Operation{}, false
}

func TestCoverageEndpoint(t *testing.T) {
	c, _ := start(t, mockserver.Config{Scenarios: scenarioList(t, teapotScenario)})
	c.Must(200, "GET", api+"/integrations", "")
	c.Must(200, "GET", api+"/integrations", "", "X-Fruxon-Mock-Session", "s1")
	c.Problem(404, "GET", api+"/integrations/nope", "", "X-Fruxon-Mock-Session", "s1")
	c.Must(401, "GET", api+"/integrations", "", "Authorization", "")
	c.Must(418, "GET", api+"/integrations", "", "X-Fruxon-Mock-Scenario", "teapot") // forced by a stub
	c.Problem(404, "GET", api+"/integrations/nope", "", "Prefer", "code=404")       // forced
	c.Must(200, "GET", api+"/integrations/nope", "", "Prefer", "code=200")          // forced: no such integration
	c.Problem(404, "GET", "/v1/nowhere", "")                                        // unmatched 404: not missing in spec
	c.Must(200, "GET", "/_mock/journal", "")                                        // control plane: not counted

	rep := coverageOf(t, c, "")
	// Answers Prefer or a stub forced count apart: they never cover a pair.
	tests := []struct {
		op            string
		status        int
		count, forced int64
		cov           string
	}{
		{"listIntegrations", 200, 2, 0, coverage.StatusCovered},
		{"listIntegrations", 401, 1, 0, coverage.StatusCovered},
		{"getIntegration", 404, 1, 1, coverage.StatusCovered},
		{"getIntegration", 200, 0, 1, coverage.StatusNotCovered},
		{"listIntegrations", 418, 0, 1, coverage.StatusMissingInSpc},
	}
	for _, tt := range tests {
		r, ok := coverageRow(rep, tt.op, tt.status)
		if !ok || r.Count != tt.count || r.Forced != tt.forced || r.CoverageStatus != tt.cov {
			t.Errorf("%s %d = %+v (found %v), want count %d, forced %d, %s", tt.op, tt.status, r, ok, tt.count, tt.forced, tt.cov)
		}
	}
	if rep.Totals.ForcedOnly != 1 {
		t.Errorf("totals.forcedOnly = %d, want 1 (getIntegration 200)", rep.Totals.ForcedOnly)
	}
	if rep.Totals.Covered != 3 || rep.Totals.MissingInSpec != 1 || rep.Totals.Pairs < 50 {
		t.Errorf("totals = %+v", rep.Totals)
	}
	if r, _ := coverageRow(rep, "listIntegrations", 200); r.Path != "/v1/tenants/{tenant}/integrations" || r.Method != "GET" {
		t.Errorf("row names %s %s", r.Method, r.Path)
	}

	s1 := coverageOf(t, c, "?session=s1")
	if s1.Totals.Covered != 2 || s1.Totals.MissingInSpec != 0 {
		t.Errorf("session s1 totals = %+v", s1.Totals)
	}
	if r, _ := coverageRow(s1, "listIntegrations", 200); r.Count != 1 {
		t.Errorf("session s1 listIntegrations 200 = %d, want 1", r.Count)
	}

	c.Must(204, "DELETE", "/_mock/coverage?session=s1", "")
	if got := coverageOf(t, c, "?session=s1").Totals.Covered; got != 0 {
		t.Errorf("after reset, s1 covered = %d", got)
	}
	if got := coverageOf(t, c, "").Totals.Covered; got != 3 {
		t.Errorf("resetting s1 touched the shared counts: %d", got)
	}
	c.Must(204, "DELETE", "/_mock/coverage", "")
	if got := coverageOf(t, c, "").Totals; got.Covered != 0 || got.MissingInSpec != 0 {
		t.Errorf("after reset: %+v", got)
	}
	c.Problem(400, "GET", "/_mock/coverage?session="+longID, "")
}

var longID = func() string {
	b := make([]byte, 200)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}()

func TestCoverageCountsToolRuns(t *testing.T) {
	w := newRunWorld(t, mockserver.Config{})
	sim := w.Config("SIMULATED", false, true)
	// Runs through the API (:testTool) count; the control plane's debugger
	// is not API traffic.
	testTool := func(mode, body string) {
		t.Helper()
		req, _ := http.NewRequest("POST", w.M.URL+apitest.API+"/integrations/crm/configs/"+sim+":testTool", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer dev")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(mockserver.ExecutionModeHeader, mode)
		resp, err := w.M.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf(":testTool = %d", resp.StatusCode)
		}
	}
	testTool("SANDBOX", `{"toolId":"create_charge","parameters":{"amount":5}}`)
	testTool("SANDBOX", `{"toolId":"create_charge","parameters":{"amount":6}}`)
	testTool("PRODUCTION", `{"toolId":"list_contacts","parameters":{"query":"a"}}`)
	w.Run("list_contacts", sim, "SANDBOX", `{"query":"b"}`)
	var rep coverage.Report
	if err := json.Unmarshal(mustBody(t, w, "/_mock/coverage"), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[coverage.Run]int64{
		{ExecutionMode: "SANDBOX", SandboxMode: "SIMULATED", Route: "SIMULATED"}:     2,
		{ExecutionMode: "PRODUCTION", SandboxMode: "SIMULATED", Route: "PRODUCTION"}: 1,
	}
	if len(rep.ToolRuns) != len(want) {
		t.Fatalf("toolRuns = %+v", rep.ToolRuns)
	}
	for _, r := range rep.ToolRuns {
		if want[r.Run] != r.Count {
			t.Errorf("%+v: count %d, want %d", r.Run, r.Count, want[r.Run])
		}
	}
}

func mustBody(t *testing.T, w *runWorld, path string) []byte {
	t.Helper()
	status, _, b := w.Do("GET", path, "")
	if status != 200 {
		t.Fatalf("GET %s = %d: %s", path, status, b)
	}
	return b
}
