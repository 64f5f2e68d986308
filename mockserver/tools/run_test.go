package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// Each test below is one guarantee of DESIGN §3, checked against what a
// recording vendor really received.

func TestRunSimulatedSendsNothing(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{Seed: 42, VendorStubs: []sandboxroute.VendorStub{
		{Integration: "crm", Tool: "create_charge", Route: sandboxroute.RouteSimulated,
			Response: sandboxroute.StubResponse{Status: 201, Body: map[string]any{"id": "ch_stub"}}},
	}})
	id := w.Config("SIMULATED", true, true)
	for _, tool := range []struct{ name, params string }{
		{"list_contacts", `{"query":"smith"}`},
		{"create_charge", `{"amount":100}`},
		{"update_contact", `{"id":"c1"}`},
		{"offlist", `{}`},
	} {
		run := w.Run(tool.name, id, "SANDBOX", tool.params)
		if run["route"] != "SIMULATED" || run["outbound"] != false || run["sandboxMode"] != "SIMULATED" || run["revisionId"] != nil {
			t.Fatalf("%s: run = %v", tool.name, run)
		}
	}
	if calls := w.Vendor.Received(); len(calls) != 0 {
		t.Fatalf("SIMULATED sent %d requests: %+v", len(calls), calls)
	}
	// A SIMULATED stub answers its tool; other tools get generated values,
	// the same for the same seed and parameters.
	stubbed := w.Run("create_charge", id, "SANDBOX", `{"amount":100}`)
	resp := stubbed["response"].(map[string]any)
	if resp["status"].(float64) != 201 || resp["body"].(map[string]any)["id"] != "ch_stub" {
		t.Fatalf("stubbed SIMULATED answer = %v", resp)
	}
	a := w.Run("list_contacts", id, "SANDBOX", `{"query":"smith"}`)["response"]
	b := w.Run("list_contacts", id, "SANDBOX", `{"query":"smith"}`)["response"]
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) || !strings.Contains(string(ja), `"simulated":true`) {
		t.Fatalf("generated answers differ or are not marked: %s vs %s", ja, jb)
	}
	// The request shows the shape the real one would have, no credential.
	req := w.Run("list_contacts", id, "SANDBOX", `{"query":"smith"}`)["request"].(map[string]any)
	if req["url"] != w.Vendor.URL+"/prod/contacts?q=smith&region=eu" || req["headers"].(map[string]any)["X-Api-Key"] != sandboxroute.Redacted {
		t.Fatalf("SIMULATED request = %v", req)
	}
	w.NoLeaks()
}

func TestRunReadThroughSendsOnlyReads(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	id := w.Config("READ_THROUGH", false, true)
	read := w.Run("list_contacts", id, "SANDBOX", `{"query":"smith"}`)
	if read["route"] != "PRODUCTION" || read["outbound"] != true || read["actionType"] != "READ_ONLY" {
		t.Fatalf("read run = %v", read)
	}
	for _, tool := range []struct{ name, params string }{
		{"create_charge", `{"amount":100}`},
		{"update_contact", `{"id":"c1"}`},
	} {
		run := w.Run(tool.name, id, "SANDBOX", tool.params)
		if run["route"] != "SIMULATED" || run["outbound"] != false {
			t.Fatalf("%s: write run = %v", tool.name, run)
		}
	}
	calls := w.Vendor.Received()
	if len(calls) != 1 {
		t.Fatalf("vendor received %d requests, want the one read: %+v", len(calls), calls)
	}
	for _, c := range calls {
		if c.Method != "GET" {
			t.Fatalf("READ_THROUGH sent a write: %+v", c)
		}
	}
	w.NoLeaks()
}

func TestRunVendorUsesSandboxVariant(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	id := w.Config("VENDOR", true, true)
	run := w.Run("list_contacts", id, "SANDBOX", `{"query":"smith"}`)
	if run["route"] != "VENDOR" || run["outbound"] != true || run["revisionId"] != nil {
		t.Fatalf("run = %v", run)
	}
	w.Run("create_charge", id, "SANDBOX", `{"amount":5}`)
	calls := w.Vendor.Received()
	if len(calls) != 2 {
		t.Fatalf("vendor received %d requests, want 2", len(calls))
	}
	for _, c := range calls {
		if !strings.HasPrefix(c.Path, "/sandbox/") || c.Header.Get("X-Api-Key") != apitest.SbxKey {
			t.Fatalf("VENDOR did not use the sandbox variant: %+v", c)
		}
		if strings.Contains(c.Query+c.Body+c.Path, "eu") || c.Header.Get("X-Api-Key") == apitest.ProdKey {
			t.Fatalf("VENDOR sent production material: %+v", c)
		}
	}
	if calls[0].Query != "q=smith&region=sbx" {
		t.Fatalf("query = %s, want the variant's region", calls[0].Query)
	}
	w.NoLeaks()
}

func TestRunUsesPublishedRevision(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	id := w.Config("NONE", false, true)
	rev := w.Must(200, "GET", apitest.API+"/integrations/crm/configs/"+id, "")["publishedRevisionId"]
	// A draft change after publish — other key, region and mode — is not used.
	w.Must(200, "PATCH", apitest.API+"/integrations/crm/configs/"+id, `{"parameters":{"baseUrl":"`+w.Vendor.URL+`/draft","region":"us"},
	 "auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"DRAFT-KEY"}},"sandboxMode":"SIMULATED"}`)
	for _, mode := range []string{"PRODUCTION", "SANDBOX"} {
		run := w.Run("list_contacts", id, mode, `{"query":"x"}`)
		if run["route"] != "PRODUCTION" || run["revisionId"] != rev || run["sandboxMode"] != "NONE" || run["executionMode"] != mode {
			t.Fatalf("%s run = %v (published revision %v)", mode, run, rev)
		}
	}
	for _, c := range w.Vendor.Received() {
		if c.Path != "/prod/contacts" || c.Query != "q=x&region=eu" || c.Header.Get("X-Api-Key") != apitest.ProdKey {
			t.Fatalf("the run used the draft: %+v", c)
		}
	}
	if n := len(w.Vendor.Received()); n != 2 {
		t.Fatalf("vendor received %d requests, want 2", n)
	}
	w.NoLeaks()
}

func TestRunConflicts(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	t.Run("never published", func(t *testing.T) {
		id := w.Config("NONE", false, false)
		for _, mode := range []string{"PRODUCTION", "SANDBOX"} {
			p := w.Problem(409, "list_contacts", id, mode, `{"query":"x"}`)
			if !strings.Contains(p["detail"].(string), "never been published") {
				t.Fatalf("problem = %v", p)
			}
		}
	})
	t.Run("VENDOR without a sandboxVariant", func(t *testing.T) {
		id := w.Config("VENDOR", false, true)
		p := w.Problem(409, "list_contacts", id, "SANDBOX", `{"query":"x"}`)
		if !strings.Contains(p["detail"].(string), "sandboxVariant") {
			t.Fatalf("problem = %v", p)
		}
		w.Run("list_contacts", id, "PRODUCTION", `{"query":"x"}`) // PRODUCTION needs no variant
	})
	if n := len(w.Vendor.Received()); n != 1 {
		t.Fatalf("vendor received %d requests, want only the PRODUCTION one", n)
	}
}

func TestRunOffListTargetNeverContacted(t *testing.T) {
	t.Parallel()
	// The "off-list" vendor is a live server that is not on the allow list.
	stub := sandboxroute.VendorStub{Integration: "crm", Tool: "list_contacts", Route: sandboxroute.RouteProduction,
		Response: sandboxroute.StubResponse{Status: 200, Body: map[string]any{"data": []any{"from stub"}}}}
	stubbed := apitest.NewRunWorld(t, mockserver.Config{VendorStubs: []sandboxroute.VendorStub{stub}})
	offList := apitest.NewRecordingVendor(t)
	config := func(w *apitest.RunWorld) string {
		id := w.Must(200, "POST", apitest.API+"/integrations/crm/configs", `{"displayName":"cfg","parameters":{"baseUrl":"`+offList.URL+`"},
		 "auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"`+apitest.ProdKey+`"}}}`)["id"].(string)
		w.Must(200, "POST", apitest.API+"/integrations/crm/configs/"+id+":publish", "")
		return id
	}

	id := config(stubbed)
	status, header, body := stubbed.Do("POST", apitest.ControlAPI+"/integrations/crm/tools/list_contacts:run", apitest.RunBody(id, "PRODUCTION", `{"query":"x"}`))
	if status != 200 || header.Get(tools.AnsweredByHeader) != "stub" || !strings.Contains(string(body), "from stub") {
		t.Fatalf("stubbed run = %d %v %s", status, header, body)
	}
	if !strings.Contains(string(body), `"outbound":false`) {
		t.Fatalf("a stub answered, yet the run says a real request was sent: %s", body)
	}

	bare := apitest.NewRunWorld(t, mockserver.Config{})
	id = config(bare)
	p := bare.Problem(502, "list_contacts", id, "PRODUCTION", `{"query":"x"}`)
	detail := p["detail"].(string)
	for _, want := range []string{`integration "crm"`, `tool "list_contacts"`, "route PRODUCTION", "not on --outbound-allow"} {
		if !strings.Contains(detail, want) {
			t.Fatalf("502 detail %q does not say %q", detail, want)
		}
	}
	bare.Problem(502, "offlist", id, "PRODUCTION", `{}`) // a literal off-list URL too

	// A redirect is followed only to an allowed target; one off the list
	// is the answer.
	allowed := stubbed.Config("NONE", false, true)
	run := stubbed.Run("redirect", allowed, "PRODUCTION", `{"to":"`+offList.URL+`/stolen"}`)
	if resp := run["response"].(map[string]any); resp["status"].(float64) != 302 {
		t.Fatalf("off-list redirect: response %v, want the 302 itself", resp)
	}
	run = stubbed.Run("redirect", allowed, "PRODUCTION", `{"to":"`+stubbed.Vendor.URL+`/prod/contacts"}`)
	if resp := run["response"].(map[string]any); resp["status"].(float64) != 200 {
		t.Fatalf("allowed redirect not followed: %v", resp)
	}

	if calls := offList.Received(); len(calls) != 0 {
		t.Fatalf("an off-list target was contacted: %+v", calls)
	}
	stubbed.NoLeaks()
	bare.NoLeaks()
}

func TestRunVendorFailures(t *testing.T) {
	t.Parallel()
	garbage := apitest.GarbageVendor(t)
	w := apitest.NewRunWorld(t, mockserver.Config{OutboundTimeout: 300 * time.Millisecond, OutboundAllow: []string{garbage}})
	id := w.Config("NONE", false, true)

	start := time.Now()
	p := w.Problem(504, "slow", id, "PRODUCTION", `{}`)
	if time.Since(start) > 3*time.Second || !strings.Contains(p["detail"].(string), "did not answer") {
		t.Fatalf("timeout: %v after %s", p, time.Since(start))
	}
	w.Run("list_contacts", id, "PRODUCTION", `{"query":"still up"}`) // the mock stays up

	w.Problem(502, "badjson", id, "PRODUCTION", `{}`)

	// A vendor's own error is an answer: 200 with its status recorded.
	run := w.Run("fail", id, "PRODUCTION", `{}`)
	if resp := run["response"].(map[string]any); resp["status"].(float64) != 500 {
		t.Fatalf("vendor 500 recorded as %v", resp)
	}

	gid := w.Must(200, "POST", apitest.API+"/integrations/crm/configs", `{"displayName":"cfg","parameters":{"baseUrl":"http://`+garbage+`"}}`)["id"].(string)
	w.Must(200, "POST", apitest.API+"/integrations/crm/configs/"+gid+":publish", "")
	p = w.Problem(502, "list_contacts", gid, "PRODUCTION", `{"query":"x"}`)
	if !strings.Contains(p["detail"].(string), garbage) {
		t.Fatalf("garbage: %v", p)
	}
	w.Must(200, "GET", "/_mock/health", "")
	w.NoLeaks()
}

func TestRunBadInput(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	id := w.Config("NONE", false, true)
	w.Must(200, "POST", apitest.API+"/integrations", `{"id":"other"}`)
	otherID := w.Must(200, "POST", apitest.API+"/integrations/other/configs", `{"displayName":"cfg"}`)["id"].(string)
	w.Must(200, "POST", apitest.API+"/integrations/other/configs/"+otherID+":publish", "")

	tests := []struct {
		name, tool, config, params string
		status                     int
		field                      string
	}{
		{"unknown tool", "nope", id, `{}`, 404, ""},
		{"unknown config", "list_contacts", "00000000-0000-4000-8000-000000000000", `{"query":"x"}`, 404, ""},
		{"config of another integration", "list_contacts", otherID, `{"query":"x"}`, 400, "configId"},
		{"missing required parameter", "list_contacts", id, `{}`, 400, "parameters.query"},
		{"undeclared parameter", "list_contacts", id, `{"query":"x","extra":1}`, 400, "parameters.extra"},
		{"out of range", "list_contacts", id, `{"query":"x","limit":1000}`, 400, "parameters.limit"},
		{"wrong type", "create_charge", id, `{"amount":"lots"}`, 400, "parameters.amount"},
		{"unknown placeholder", "broken", id, `{}`, 400, "parameters.nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := w.Problem(tt.status, tt.tool, tt.config, "PRODUCTION", tt.params)
			if tt.field != "" {
				errs, _ := p["errors"].(map[string]any)
				if errs[tt.field] == nil {
					t.Fatalf("problem does not name %s: %v", tt.field, p)
				}
			}
		})
	}
	if n := len(w.Vendor.Received()); n != 0 {
		t.Fatalf("bad input reached the vendor %d times", n)
	}
}

func TestRunSecretsNeverLeave(t *testing.T) {
	t.Parallel()
	w := apitest.NewRunWorld(t, mockserver.Config{})
	var ids []string
	for _, mode := range []string{"NONE", "VENDOR", "SIMULATED", "READ_THROUGH"} {
		id := w.Config(mode, true, true)
		ids = append(ids, id)
		for _, exec := range []string{"PRODUCTION", "SANDBOX"} {
			// The vendor echoes every header and the body: the answer
			// carries the key and the secret note back.
			for _, tool := range []struct{ name, params string }{
				{"list_contacts", `{"query":"x"}`},
				{"create_charge", `{"amount":1,"note":"` + apitest.SecretNote + `"}`},
			} {
				run := w.Run(tool.name, id, exec, tool.params)
				req := run["request"].(map[string]any)
				if h := req["headers"].(map[string]any); h["X-Api-Key"] != nil && h["X-Api-Key"] != sandboxroute.Redacted {
					t.Fatalf("auth header shown: %v", h)
				}
			}
		}
		w.Must(200, "GET", apitest.ControlAPI+"/integrations/crm/configs/"+id+"/runs", "")
	}
	// The secret note went out in the body: the vendor did get it.
	sent := false
	for _, c := range w.Vendor.Received() {
		sent = sent || strings.Contains(c.Body, apitest.SecretNote)
	}
	if !sent {
		t.Fatal("the secret run parameter never reached the vendor; the test proves nothing")
	}
	// A key in the query string, on a run that fails.
	qid := w.Must(200, "POST", apitest.API+"/integrations/crm/configs", `{"displayName":"cfg","parameters":{"baseUrl":"https://unlisted.example.com"},
	 "auth":{"integrationAuthMetadataId":"qkey","parameters":{"apiKey":"`+apitest.ProdKey+`"}}}`)["id"].(string)
	w.Must(200, "POST", apitest.API+"/integrations/crm/configs/"+qid+":publish", "")
	w.Problem(502, "list_contacts", qid, "PRODUCTION", `{"query":"x"}`)
	w.NoLeaks()
	if !strings.Contains(w.Logs.String(), `"msg":"tool run"`) {
		t.Fatalf("no run was logged; the log check proves nothing:\n%s", w.Logs.String())
	}
	// And the runs are listed newest first.
	list := w.Must(200, "GET", apitest.ControlAPI+"/integrations/crm/configs/"+ids[0]+"/runs", "")
	items := list["items"].([]any)
	if len(items) != 4 || items[0].(map[string]any)["toolId"] != "create_charge" {
		t.Fatalf("runs = %v", items)
	}
}
