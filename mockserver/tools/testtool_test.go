package tools_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// testCall posts body to path with the execution-mode header (none when
// mode is "") and returns the status and the decoded answer.
func testCall(t *testing.T, w *apitest.RunWorld, mode, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", w.M.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer dev")
	req.Header.Set("Content-Type", "application/json")
	if mode != "" {
		req.Header.Set(tools.ExecutionModeHeader, mode)
	}
	resp, err := w.M.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, c := range apitest.Canaries {
		if strings.Contains(string(b), c) {
			t.Fatalf("secret %s in the answer of %s: %s", c, path, b)
		}
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func testToolPath(config string) string {
	return apitest.API + "/integrations/crm/configs/" + config + ":testTool"
}

// :testTool runs the stored tool with the published revision, answers
// {response} and records the run in the control plane's run log.
func TestConfigTestToolProduction(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	id := w.Config("NONE", false, true)
	status, got := testCall(t, w, "", testToolPath(id), `{"toolId":"list_contacts","parameters":{"query":"smith"}}`)
	if status != 200 || len(got) != 1 {
		t.Fatalf(":testTool = %d %v", status, got)
	}
	text, _ := got["response"].(string)
	if !strings.Contains(text, "/prod/contacts") {
		t.Fatalf("response is not the vendor's answer as text: %q", text)
	}
	calls := w.Vendor.Received()
	if len(calls) != 1 || calls[0].Header.Get("X-Api-Key") != apitest.ProdKey {
		t.Fatalf("vendor received %+v", calls)
	}
	runs := w.Must(200, "GET", apitest.ControlAPI+"/integrations/crm/configs/"+id+"/runs", "")["items"].([]any)
	if len(runs) != 1 || runs[0].(map[string]any)["toolId"] != "list_contacts" || runs[0].(map[string]any)["executionMode"] != "PRODUCTION" {
		t.Fatalf("run log = %v", runs)
	}
	// The draft is never used: a draft edit changes nothing until publish.
	w.Must(200, "PATCH", apitest.API+"/integrations/crm/configs/"+id, `{"parameters":{"baseUrl":"`+w.Vendor.URL+`/draft","region":"us"}}`)
	if _, got := testCall(t, w, "", testToolPath(id), `{"toolId":"list_contacts","parameters":{"query":"x"}}`); strings.Contains(got["response"].(string), "/draft") {
		t.Fatalf(":testTool used the draft: %v", got)
	}
	w.NoLeaks()
}

func TestConfigTestToolRefusals(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	draft := w.Config("NONE", false, false)
	for _, tt := range []struct {
		name, mode, config, body string
		status                   int
		field                    string
	}{
		{"never published", "", draft, `{"toolId":"list_contacts","parameters":{"query":"x"}}`, 400, "config"},
		{"vendor without variant", "SANDBOX", w.Config("VENDOR", false, true), `{"toolId":"list_contacts","parameters":{"query":"x"}}`, 400, "config"},
		{"bad mode header", "STAGING", draft, `{"toolId":"list_contacts"}`, 400, tools.ExecutionModeHeader},
		{"null tool", "", draft, `{"toolId":null}`, 400, "toolId"},
		{"unknown tool", "", draft, `{"toolId":"nope"}`, 404, ""},
		{"bad parameter", "", w.Config("NONE", false, true), `{"toolId":"list_contacts","parameters":{"limit":1000,"query":"x"}}`, 400, "parameters.limit"},
	} {
		status, got := testCall(t, w, tt.mode, testToolPath(tt.config), tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d: %v", tt.name, status, tt.status, got)
			continue
		}
		if tt.field != "" {
			if errs, _ := got["errors"].(map[string]any); errs[tt.field] == nil {
				t.Errorf("%s: errors = %v, want one for %s", tt.name, got["errors"], tt.field)
			}
		}
	}
	if calls := w.Vendor.Received(); len(calls) != 0 {
		t.Fatalf("refused calls sent %d requests", len(calls))
	}
}

// In sandbox execution :testTool is routed by the revision's sandboxMode,
// with the guarantees of DESIGN §3.
func TestConfigTestToolSandbox(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{Seed: 7})
	sim := w.Config("SIMULATED", true, true)
	for _, tool := range []string{`{"toolId":"list_contacts","parameters":{"query":"x"}}`, `{"toolId":"create_charge","parameters":{"amount":5}}`} {
		if status, got := testCall(t, w, "SANDBOX", testToolPath(sim), tool); status != 200 || !strings.Contains(got["response"].(string), `"simulated":true`) {
			t.Fatalf("SIMULATED :testTool = %d %v", status, got)
		}
	}
	if calls := w.Vendor.Received(); len(calls) != 0 {
		t.Fatalf("SIMULATED sent %d requests", len(calls))
	}
	rt := w.Config("READ_THROUGH", false, true)
	testCall(t, w, "SANDBOX", testToolPath(rt), `{"toolId":"create_charge","parameters":{"amount":5}}`)
	testCall(t, w, "SANDBOX", testToolPath(rt), `{"toolId":"update_contact","parameters":{"id":"c1"}}`)
	if calls := w.Vendor.Received(); len(calls) != 0 {
		t.Fatalf("READ_THROUGH sent a write: %+v", calls)
	}
	testCall(t, w, "SANDBOX", testToolPath(rt), `{"toolId":"list_contacts","parameters":{"query":"x"}}`)
	if calls := w.Vendor.Received(); len(calls) != 1 || calls[0].Method != "GET" {
		t.Fatalf("READ_THROUGH read: %+v", calls)
	}
	vendor := w.Config("VENDOR", true, true)
	testCall(t, w, "SANDBOX", testToolPath(vendor), `{"toolId":"create_charge","parameters":{"amount":5}}`)
	calls := w.Vendor.Received()
	last := calls[len(calls)-1]
	if !strings.HasPrefix(last.Path, "/sandbox/") || strings.Contains(last.Body+last.Query+last.Header.Get("X-Api-Key"), apitest.ProdKey) ||
		last.Header.Get("X-Api-Key") != apitest.SbxKey {
		t.Fatalf("VENDOR call = %+v", last)
	}
	w.NoLeaks()
}

// tools:test runs an ad-hoc descriptor: placeholders from the parameters
// and config.parameters; SANDBOX simulates it.
func TestToolsTest(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	path := apitest.API + "/integrations/crm/tools:test"
	body := `{"descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/things","queryParameters":{"q":"{{query}}"}}},
	  "parametersMetadata":[{"name":"query","type":"String","required":true}],
	  "parameters":{"query":"abc"},"config":{"parameters":{"baseUrl":"` + w.Vendor.URL + `/adhoc"}}}`
	if status, got := testCall(t, w, "SANDBOX", path, body); status != 200 || !strings.Contains(got["response"].(string), `"simulated":true`) {
		t.Fatalf("SANDBOX tools:test = %d %v", status, got)
	}
	if calls := w.Vendor.Received(); len(calls) != 0 {
		t.Fatalf("a SANDBOX tools:test sent %d requests", len(calls))
	}
	status, got := testCall(t, w, "", path, body)
	if status != 200 || !strings.Contains(got["response"].(string), "/adhoc/things") {
		t.Fatalf("tools:test = %d %v", status, got)
	}
	if calls := w.Vendor.Received(); len(calls) != 1 || calls[0].Query != "q=abc" || calls[0].Header.Get("X-Api-Key") != "" {
		t.Fatalf("vendor received %+v", calls)
	}
	for _, bad := range []struct{ body, field string }{
		{`{"descriptor":{"codeTool":{"code":"x"}}}`, "descriptor"},
		{`{}`, "descriptor"},
		{`{"descriptor":{"apiTool":{"httpMethod":"GET","url":"u"}},"parametersMetadata":[{"name":"q","type":"String","required":true}]}`, "parameters.q"},
		{`{"descriptor":{"apiTool":{"httpMethod":"GET","url":"u"}},"config":{"parameters":"x"}}`, "config.parameters"},
	} {
		status, got := testCall(t, w, "", path, bad.body)
		if errs, _ := got["errors"].(map[string]any); status != 400 || errs[bad.field] == nil {
			t.Errorf("%s: %d %v, want 400 naming %s", bad.body, status, got, bad.field)
		}
	}
	if status, _ := testCall(t, w, "", apitest.API+"/integrations/nope/tools:test", body); status != 404 {
		t.Errorf("unknown integration: %d", status)
	}
}
