package mockserver_test

import (
	"bytes"
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

// runsAPI is the tenant every run test works in.
const runsAPI = "/v1/tenants/acme"

// Canary secrets: none may ever appear in an answer or a log line.
const (
	prodKey    = "PROD-CANARY-7f3a9c"
	sbxKey     = "SBX-CANARY-2b8e41"
	secretNote = "NOTE-CANARY-55d1"
)

var canaries = []string{prodKey, sbxKey, secretNote}

// vendorCall is one request a recording vendor received.
type vendorCall struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

// recordingVendor is an httptest vendor that records every request. It
// echoes the request (headers included) so tests can check redaction of
// answers; /slow never answers in time, /badjson declares JSON and isn't,
// /fail answers 500.
type recordingVendor struct {
	*httptest.Server
	mu sync.Mutex
	// guards calls
	calls []vendorCall
}

func newRecordingVendor(t *testing.T) *recordingVendor {
	v := &recordingVendor{}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v.mu.Lock()
		v.calls = append(v.calls, vendorCall{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(body)})
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

func (v *recordingVendor) hostPort() string { return strings.TrimPrefix(v.URL, "http://") }

func (v *recordingVendor) received() []vendorCall {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]vendorCall(nil), v.calls...)
}

// garbageVendor answers every connection with bytes that are not HTTP.
func garbageVendor(t *testing.T) string {
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

// runWorld is a mock with the crm integration and its tools, a recording
// vendor on the allow list, and the mock's log captured.
type runWorld struct {
	t      *testing.T
	m      *mocktest.Mock
	vendor *recordingVendor
	logs   *lockedLog
	mu     sync.Mutex
	// guards answers
	answers []string
}

type lockedLog struct {
	mu sync.Mutex
	// guards b
	b bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newRunWorld(t *testing.T, cfg mockserver.Config) *runWorld {
	t.Helper()
	w := &runWorld{t: t, vendor: newRecordingVendor(t), logs: &lockedLog{}}
	cfg.OutboundAllow = append(cfg.OutboundAllow, w.vendor.hostPort())
	cfg.Logger = slog.New(slog.NewJSONHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w.m = mocktest.Start(t, cfg)
	w.must(200, "POST", runsAPI+"/integrations", runIntegration)
	for _, tool := range runTools {
		w.must(200, "POST", runsAPI+"/integrations/crm/tools", tool)
	}
	return w
}

// runIntegration has a required baseUrl and two API-key methods: one in a
// header, one in the query.
const runIntegration = `{"id":"crm","configMetadata":{
 "parametersMetadata":[{"name":"baseUrl","type":"String","required":true},{"name":"region","type":"String"}],
 "authMetadata":[
  {"id":"key","type":"API_KEY","authSettings":{"parameters":{"headerName":"X-Api-Key"}},
   "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]},
  {"id":"qkey","type":"API_KEY","authSettings":{"parameters":{"queryParameter":"api_key"}},
   "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`

var runTools = []string{
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

// do sends a request and remembers the answer's body.
func (w *runWorld) do(method, path, body string) (int, http.Header, []byte) {
	w.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, w.m.URL+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer dev")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := w.m.Client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	w.mu.Lock()
	w.answers = append(w.answers, string(b))
	w.mu.Unlock()
	return resp.StatusCode, resp.Header, b
}

// must asserts the status and decodes the JSON object answered.
func (w *runWorld) must(status int, method, path, body string) map[string]any {
	w.t.Helper()
	got, _, b := w.do(method, path, body)
	if got != status {
		w.t.Fatalf("%s %s = %d, want %d: %s", method, path, got, status, b)
	}
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			w.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return m
}

// config creates a config in sandboxMode with the production key and a
// sandboxVariant (when variant) with the sandbox key, and publishes it
// (when publish). Production calls go to /prod/…, sandbox ones to /sandbox/….
func (w *runWorld) config(mode string, variant, publish bool) string {
	w.t.Helper()
	body := `{"parameters":{"baseUrl":"` + w.vendor.URL + `/prod","region":"eu"},
	 "auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"` + prodKey + `"}},"sandboxMode":"` + mode + `"`
	if variant {
		body += `,"sandboxVariant":{"parameters":{"baseUrl":"` + w.vendor.URL + `/sandbox","region":"sbx"},
		 "auth":{"integrationAuthMetadataId":"key","parameters":{"apiKey":"` + sbxKey + `"}}}`
	}
	id := w.must(200, "POST", runsAPI+"/integrations/crm/configs", body+"}")["id"].(string)
	if publish {
		w.must(200, "POST", runsAPI+"/integrations/crm/configs/"+id+":publish", "")
	}
	return id
}

func runBody(configID, mode, params string) string {
	return `{"configId":"` + configID + `","executionMode":"` + mode + `","parameters":` + params + `}`
}

// run runs a tool and returns the run, which must have succeeded.
func (w *runWorld) run(tool, configID, mode, params string) map[string]any {
	w.t.Helper()
	return w.must(200, "POST", runsAPI+"/integrations/crm/tools/"+tool+":run", runBody(configID, mode, params))
}

// problem runs a tool that must fail with status; it returns the problem.
func (w *runWorld) problem(status int, tool, configID, mode, params string) map[string]any {
	w.t.Helper()
	return w.must(status, "POST", runsAPI+"/integrations/crm/tools/"+tool+":run", runBody(configID, mode, params))
}

// noLeaks fails if a canary is in any answer seen or any log line.
func (w *runWorld) noLeaks() {
	w.t.Helper()
	w.mu.Lock()
	answers := append([]string(nil), w.answers...)
	w.mu.Unlock()
	for _, c := range canaries {
		for _, a := range answers {
			if strings.Contains(a, c) {
				w.t.Fatalf("secret %s in an answer: %s", c, a)
			}
		}
		if strings.Contains(w.logs.String(), c) {
			w.t.Fatalf("secret %s in the log:\n%s", c, w.logs.String())
		}
	}
}
