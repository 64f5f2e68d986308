package mcp_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// The room's handlers are tested through HTTP on a plain ServeMux (the
// spec of this branch has no MCP operations for the server to route), with
// a stand-in for the server's plumbing that maps errors as it does: the
// same core.Problem mapping, 401 with an empty body.

// fakeAPI is httpapi.Server as the mockserver implements it, minus the
// middleware.
type fakeAPI struct{}

var _ httpapi.Server = fakeAPI{}

func (fakeAPI) PathVar(r *http.Request, name string) string { return r.PathValue(name) }
func (fakeAPI) Subject(*http.Request) string                { return "" }
func (fakeAPI) DecodeJSON(r *http.Request, v any) error {
	d := json.NewDecoder(r.Body)
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return core.Invalid("Decode", "body", "%v", err)
	}
	return nil
}
func (fakeAPI) WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
func (a fakeAPI) WriteResource(w http.ResponseWriter, _ string, v any) { a.WriteJSON(w, 200, v) }
func (a fakeAPI) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	p, _ := core.Problem(err, "trace")
	a.WriteProblem(w, r, p)
}
func (fakeAPI) WriteProblem(w http.ResponseWriter, _ *http.Request, p *validator.Problem) {
	if p.Status == http.StatusUnauthorized || p.Status == http.StatusForbidden {
		w.WriteHeader(p.Status)
		return
	}
	w.Header().Set("Content-Type", validator.ProblemContentType)
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}
func (fakeAPI) NoteWeakSecrets(*http.Request, []string) {}
func (fakeAPI) NoteRun(*http.Request, coverage.Run)     {}

// vendor records what it receives and echoes it; /fail answers 500.
type vendor struct {
	*httptest.Server
	mu sync.Mutex
	// guards got
	got []string
}

func newVendor(t *testing.T) *vendor {
	v := &vendor{}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		v.got = append(v.got, r.Method+" "+r.URL.String()+" key="+r.Header.Get("X-Api-Key"))
		v.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/fail") {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":"vendor is down"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"path": r.URL.Path, "query": r.URL.RawQuery})
	}))
	t.Cleanup(v.Close)
	return v
}

func (v *vendor) received() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.got...)
}

// world is the acme integration (tenant t1) with three tools, a published
// config whose credential is roomtest.Canary, and the MCP room served over
// HTTP.
type world struct {
	t      *testing.T
	integ  *integrations.Store
	tools  *tools.Store
	store  *mcp.Store
	srv    *httptest.Server
	vendor *vendor
	logs   *bytes.Buffer
	config string // the published config
	draft  string // a config never published
}

type worldOpts struct {
	seed  int64
	allow bool // the vendor is on the outbound allow list
	// allowAlso are further HOST:PORT entries of the outbound allow list.
	allowAlso []string
	stubs     []sandboxroute.VendorStub
}

func newWorld(t *testing.T, o worldOpts) *world {
	t.Helper()
	w := &world{t: t, vendor: newVendor(t), logs: &bytes.Buffer{}}
	clock, versions, box := roomtest.NewClock(), &core.Versions{}, roomtest.Box(t)
	w.integ = integrations.New(integrations.Options{Now: clock.Now, Box: box, Versions: versions})
	roomtest.AddAcme(t, w.integ)
	w.tools = tools.New(tools.Options{Integrations: w.integ, Now: clock.Now, Versions: versions})
	w.store = mcp.New(mcp.Options{Integrations: w.integ, Tools: w.tools, Box: box, Now: clock.Now})
	for _, in := range []tools.CreateToolInput{
		{ID: ptr("list_contacts"), DisplayName: ptr("List contacts"), Description: ptr("Searches contacts by name."),
			Descriptor: tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "GET", URL: w.vendor.URL + "/contacts",
				QueryParameters: map[string]string{"q": "{{query}}", "limit": "{{limit}}"}}},
			ParametersMetadata: []integrations.ParameterMetadata{
				{Name: "query", Type: integrations.ParameterTypeString, Required: true, Description: ptr("Name or email.")},
				{Name: "limit", Type: integrations.ParameterTypeInteger, IntegerRange: &integrations.IntegerRange{Min: ptr(int64(1)), Max: ptr(int64(50))}},
				{Name: "order", Type: integrations.ParameterTypeString, Options: []integrations.Option{{Value: "asc"}, {Value: "desc"}}},
			}},
		{ID: ptr("create_charge"), ActionType: ptr(sandboxroute.ActionTypeIrreversible),
			Descriptor:         tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "POST", URL: w.vendor.URL + "/charges", Body: ptr(`{"amount":{{amount}}}`)}},
			ParametersMetadata: []integrations.ParameterMetadata{{Name: "amount", Type: integrations.ParameterTypeFloat, Required: true}}},
		{ID: ptr("broken"), Descriptor: tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "GET", URL: w.vendor.URL + "/fail"}}},
		{ID: ptr("hidden"), Descriptor: tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "GET", URL: w.vendor.URL + "/hidden"}}},
	} {
		if _, _, err := w.tools.CreateTool("t1", "acme", in); err != nil {
			t.Fatal(err)
		}
	}
	c, _, err := w.integ.CreateConfig("t1", "acme", roomtest.ValidConfig(), "tester")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.integ.PublishConfig("t1", "acme", c.ID, "", "tester"); err != nil {
		t.Fatal(err)
	}
	w.config = c.ID
	d, _, err := w.integ.CreateConfig("t1", "acme", roomtest.ValidConfig(), "tester")
	if err != nil {
		t.Fatal(err)
	}
	w.draft = d.ID

	var allow []string
	if o.allow {
		allow = []string{strings.TrimPrefix(w.vendor.URL, "http://")}
	}
	allow = append(allow, o.allowAlso...)
	log := slog.New(slog.NewTextHandler(w.logs, nil))
	router, err := sandboxroute.New(sandboxroute.Options{Allow: allow, Seed: o.seed, Stubs: o.stubs, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	h := mcp.NewHandlers(mcp.Deps{
		API:    fakeAPI{},
		Store:  func(http.ResponseWriter, *http.Request) (*mcp.Store, bool) { return w.store, true },
		Runner: tools.NewRunner(router, log),
		Router: router,
	})
	mux := http.NewServeMux()
	base := "/v1/tenants/{tenant}/integrations/{integration}/mcp"
	for pattern, id := range map[string]string{
		"GET " + base: "getMcpSettings", "PATCH " + base: "updateMcpSettings",
		"POST " + base + ":rotateKey": "rotateMcpKey", "POST " + base + ":call": "callMcp", "POST " + base + ":test": "testMcp",
	} {
		mux.HandleFunc(pattern, h.Operations()[id])
	}
	mux.HandleFunc("POST /v1/tenants/{tenant}/integrations:importMcp", h.Operations()["importMcp"])
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	return w
}

func ptr[T any](v T) *T { return &v }

// answer is one HTTP exchange's outcome.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("status %d, body %q is not a JSON object: %v", a.status, a.body, err)
	}
	return m
}

// do sends a request; headers alternate name, value.
func (w *world) do(method, path, body string, headers ...string) answer {
	w.t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

const settingsPath = "/v1/tenants/t1/integrations/acme/mcp"

// must sends a request and wants status; it returns the JSON body.
func (w *world) must(status int, method, path, body string, headers ...string) map[string]any {
	w.t.Helper()
	a := w.do(method, path, body, headers...)
	if a.status != status {
		w.t.Fatalf("%s %s %s: status %d, want %d; body %s", method, path, body, a.status, status, a.body)
	}
	if len(a.body) == 0 {
		return nil
	}
	return a.json(w.t)
}

// enable turns MCP on with the given tools exposed and the published
// config bound, and returns the minted key.
func (w *world) enable(exposed ...string) string {
	w.t.Helper()
	ids, _ := json.Marshal(exposed)
	s := w.must(200, "PATCH", settingsPath, `{"enabled":true,"configId":"`+w.config+`","exposedToolIds":`+string(ids)+`}`)
	key, _ := s["apiKey"].(string)
	if key == "" {
		w.t.Fatalf("enable minted no key: %v", s)
	}
	return key
}

// rpc posts one JSON-RPC message to mcp:call (test false) or mcp:test.
func (w *world) rpc(test bool, key, body string) answer {
	w.t.Helper()
	path := settingsPath + ":call"
	if test {
		path = settingsPath + ":test"
	}
	return w.do("POST", path, body, "X-API-KEY", key, "Accept", "application/json, text/event-stream")
}

// result posts a request and wants a JSON-RPC result; it returns it.
func (w *world) result(test bool, key, body string) map[string]any {
	w.t.Helper()
	a := w.rpc(test, key, body)
	m := a.json(w.t)
	if a.status != 200 || m["jsonrpc"] != "2.0" || m["error"] != nil {
		w.t.Fatalf("%s: status %d, answer %s", body, a.status, a.body)
	}
	r, ok := m["result"].(map[string]any)
	if !ok {
		w.t.Fatalf("%s: no result object: %s", body, a.body)
	}
	return r
}

// rpcError posts a request and wants a JSON-RPC error of code; it
// returns the whole response.
func (w *world) rpcError(test bool, key, body string, code int) map[string]any {
	w.t.Helper()
	a := w.rpc(test, key, body)
	if a.status != 200 {
		w.t.Fatalf("%s: status %d, want 200 with a JSON-RPC error; body %s", body, a.status, a.body)
	}
	m := a.json(w.t)
	e, _ := m["error"].(map[string]any)
	if m["jsonrpc"] != "2.0" || e == nil || e["code"] != float64(code) || m["result"] != nil {
		w.t.Fatalf("%s: answer %s, want error code %d", body, a.body, code)
	}
	if _, ok := e["message"].(string); !ok {
		w.t.Fatalf("%s: error without a message: %s", body, a.body)
	}
	return m
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
