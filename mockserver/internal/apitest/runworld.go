package apitest

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
)

// Canary secrets of RunWorld: none may ever appear in an answer or a log
// line.
const (
	ProdKey    = "PROD-CANARY-7f3a9c"
	SbxKey     = "SBX-CANARY-2b8e41"
	SecretNote = "NOTE-CANARY-55d1"
)

// Canaries are every canary secret.
var Canaries = []string{ProdKey, SbxKey, SecretNote}

// VendorCall is one request a recording vendor received.
type VendorCall struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

// RecordingVendor is an httptest vendor that records every request. It
// echoes the request (headers included) so tests can check redaction of
// answers; /slow never answers in time, /badjson declares JSON and isn't,
// /fail answers 500.
type RecordingVendor struct {
	*httptest.Server
	mu sync.Mutex
	// guards calls
	calls []VendorCall
}

// NewRecordingVendor starts a RecordingVendor, closed when the test ends.
func NewRecordingVendor(t *testing.T) *RecordingVendor {
	v := &RecordingVendor{}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v.mu.Lock()
		v.calls = append(v.calls, VendorCall{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(body)})
		v.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/slow"):
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case strings.HasSuffix(r.URL.Path, "/badjson"):
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"unterminated": `)
			return
		case strings.HasSuffix(r.URL.Path, "/redirect"):
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
			return
		case strings.HasSuffix(r.URL.Path, "/fail"):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":"vendor is down"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
			"headers": r.Header, "body": string(body)})
	}))
	t.Cleanup(v.Close)
	return v
}

// HostPort is the vendor's address.
func (v *RecordingVendor) HostPort() string { return strings.TrimPrefix(v.URL, "http://") }

// Received is every request the vendor received.
func (v *RecordingVendor) Received() []VendorCall {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]VendorCall(nil), v.calls...)
}

// GarbageVendor answers every connection with bytes that are not HTTP.
func GarbageVendor(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(2 * time.Second))
			c.Read(make([]byte, 4096))
			io.WriteString(c, "THIS IS NOT HTTP\r\n\r\n")
			c.Close()
		}
	}()
	return ln.Addr().String()
}

// RunWorld is a mock with the crm integration and its tools, a recording
// vendor on the allow list, and the mock's log captured.
type RunWorld struct {
	T      *testing.T
	M      *mocktest.Mock
	Vendor *RecordingVendor
	Logs   *SyncBuffer
	mu     sync.Mutex
	// guards answers
	answers []string
}

// NewRunWorld starts a RunWorld.
func NewRunWorld(t *testing.T, cfg mockserver.Config) *RunWorld {
	t.Helper()
	w := &RunWorld{T: t, Vendor: NewRecordingVendor(t), Logs: &SyncBuffer{}}
	cfg.OutboundAllow = append(cfg.OutboundAllow, w.Vendor.HostPort())
	cfg.Logger = slog.New(slog.NewJSONHandler(w.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w.M = mocktest.Start(t, cfg)
	w.Must(200, "POST", API+"/integrations", RunIntegration)
	for _, tool := range RunTools {
		w.Must(200, "POST", API+"/integrations/crm/tools", tool)
	}
	return w
}

// RunIntegration has a required baseUrl and two API-key methods: one in a
// header, one in the query.
const RunIntegration = `{"id":"crm","configMetadata":{
 "parametersMetadata":[{"name":"baseUrl","type":"String","required":true},{"name":"region","type":"String"}],
 "authMetadata":[
  {"id":"key","type":"API_KEY","authSettings":{"parameters":{"headerName":"X-Api-Key"}},
   "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]},
  {"id":"qkey","type":"API_KEY","authSettings":{"parameters":{"queryParameter":"api_key"}},
   "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`

// RunTools are the crm tools every run test can run.
var RunTools = []string{
	`{"id":"list_contacts","actionType":"READ_ONLY","descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/contacts",
	  "headers":{"Accept":"application/json"},"queryParameters":{"q":"{{query}}","region":"{{region}}"}}},
	  "parametersMetadata":[{"name":"query","type":"String","required":true},{"name":"limit","type":"Integer","integerRange":{"min":1,"max":100}}]}`,
	`{"id":"create_charge","actionType":"IRREVERSIBLE","descriptor":{"apiTool":{"httpMethod":"POST","url":"{{baseUrl}}/charges",
	  "body":"{\"amount\":{{amount}},\"note\":\"{{note}}\"}"}},
	  "parametersMetadata":[{"name":"amount","type":"Integer","required":true},{"name":"note","type":"String","secret":true,"defaultValue":"none"}]}`,
	`{"id":"update_contact","actionType":"REVERSIBLE","descriptor":{"apiTool":{"httpMethod":"PATCH","url":"{{baseUrl}}/contacts/{{id}}","body":"{}"}},
	  "parametersMetadata":[{"name":"id","type":"String","required":true}]}`,
	`{"id":"slow","descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/slow"}}}`,
	`{"id":"badjson","descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/badjson"}}}`,
	`{"id":"fail","descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/fail"}}}`,
	`{"id":"redirect","descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/redirect","queryParameters":{"to":"{{to}}"}}},
	  "parametersMetadata":[{"name":"to","type":"String","required":true}]}`,
	`{"id":"broken","descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/x/{{nope}}"}}}`,
	`{"id":"offlist","descriptor":{"apiTool":{"httpMethod":"GET","url":"https://api.crm.example.com/v2/contacts"}}}`,
}

// Do sends a request and remembers the answer's body.
func (w *RunWorld) Do(method, path, body string) (int, http.Header, []byte) {
	w.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, w.M.URL+path, rd)
	if err != nil {
		w.T.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer dev")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := w.M.Client.Do(req)
	if err != nil {
		w.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	w.mu.Lock()
	w.answers = append(w.answers, string(b))
	w.mu.Unlock()
	return resp.StatusCode, resp.Header, b
}

// Must asserts the status and decodes the JSON object answered.
func (w *RunWorld) Must(status int, method, path, body string) map[string]any {
	w.T.Helper()
	got, _, b := w.Do(method, path, body)
	if got != status {
		w.T.Fatalf("%s %s = %d, want %d: %s", method, path, got, status, b)
	}
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			w.T.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return m
}

// Config creates a config in sandboxMode with the production key and a
// sandboxVariant (when variant) with the sandbox key, and publishes it
// (when publish). Production calls go to /prod/…, sandbox ones to /sandbox/….
func (w *RunWorld) Config(mode string, variant, publish bool) string {
	w.T.Helper()
	body := `{"displayName":"` + mode + `","parameters":{"baseUrl":"` + w.Vendor.URL + `/prod","region":"eu"},
	 "auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"` + ProdKey + `"}},"sandboxMode":"` + mode + `"`
	if variant {
		body += `,"sandboxVariant":{"parameters":{"baseUrl":"` + w.Vendor.URL + `/sandbox","region":"sbx"},
		 "auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"` + SbxKey + `"}}}`
	}
	id := w.Must(200, "POST", API+"/integrations/crm/configs", body+"}")["id"].(string)
	if publish {
		w.Must(200, "POST", API+"/integrations/crm/configs/"+id+":publish", "")
	}
	return id
}

// ControlAPI is the control plane's tenant prefix (the tool-run debugger
// and the run log).
const ControlAPI = "/_mock/tenants/acme"

// RunBody is the tool-run debugger's body.
func RunBody(configID, mode, params string) string {
	return `{"configId":"` + configID + `","executionMode":"` + mode + `","parameters":` + params + `}`
}

// Run runs a tool and returns the run, which must have succeeded.
func (w *RunWorld) Run(tool, configID, mode, params string) map[string]any {
	w.T.Helper()
	return w.Must(200, "POST", ControlAPI+"/integrations/crm/tools/"+tool+":run", RunBody(configID, mode, params))
}

// Problem runs a tool that must fail with status; it returns the problem.
func (w *RunWorld) Problem(status int, tool, configID, mode, params string) map[string]any {
	w.T.Helper()
	return w.Must(status, "POST", ControlAPI+"/integrations/crm/tools/"+tool+":run", RunBody(configID, mode, params))
}

// NoLeaks fails if a canary is in any answer seen or any log line.
func (w *RunWorld) NoLeaks() {
	w.T.Helper()
	w.mu.Lock()
	answers := append([]string(nil), w.answers...)
	w.mu.Unlock()
	for _, c := range Canaries {
		for _, a := range answers {
			if strings.Contains(a, c) {
				w.T.Fatalf("secret %s in an answer: %s", c, a)
			}
		}
		if strings.Contains(w.Logs.String(), c) {
			w.T.Fatalf("secret %s in the log:\n%s", c, w.Logs.String())
		}
	}
}
