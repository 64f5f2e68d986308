package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
)

const api = "/v1/tenants/acme"

// client sends requests to one mock and remembers every answer, so tests
// can scan them all (for secrets, say).
type client struct {
	t    *testing.T
	m    *mocktest.Mock
	auth string
	log  *answerLog
}

// answerLog keeps every answer a client (and its subtest copies) saw.
type answerLog struct {
	mu sync.Mutex
	// guards seen
	seen []*answer
}

func (l *answerLog) all() []*answer {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*answer(nil), l.seen...)
}

// in returns the client bound to a subtest, sharing the answer log.
func (c *client) in(t *testing.T) *client { return &client{t: t, m: c.m, auth: c.auth, log: c.log} }

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a *answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, a.body)
	}
	return m
}

// start runs a mock whose log goes to a buffer the test can read.
func start(t *testing.T, cfg mockserver.Config) (*client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	m := mocktest.Start(t, cfg)
	m.Token = "" // the client sets Authorization itself (c.auth), or sends none
	return &client{t: t, m: m, auth: "Bearer dev", log: &answerLog{}}, logs
}

func (c *client) do(method, path, body string, headers ...string) *answer {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.m.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.m.Client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := &answer{status: resp.StatusCode, header: resp.Header, body: b}
	c.log.mu.Lock()
	c.log.seen = append(c.log.seen, a)
	c.log.mu.Unlock()
	return a
}

// must asserts the status and returns the answer.
func (c *client) must(status int, method, path, body string, headers ...string) *answer {
	c.t.Helper()
	a := c.do(method, path, body, headers...)
	if a.status != status {
		c.t.Fatalf("%s %s = %d, want %d: %s", method, path, a.status, status, a.body)
	}
	return a
}

// problem asserts an RFC 9457 answer with the status and returns it.
func (c *client) problem(status int, method, path, body string, headers ...string) map[string]any {
	c.t.Helper()
	a := c.must(status, method, path, body, headers...)
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		c.t.Fatalf("%s %s: content type %q, want application/problem+json", method, path, ct)
	}
	p := a.json(c.t)
	if int(p["status"].(float64)) != status || p["title"] == "" || p["traceId"] == "" {
		c.t.Fatalf("%s %s: malformed problem %s", method, path, a.body)
	}
	return p
}

type syncBuffer struct {
	mu sync.Mutex
	// guards b
	b bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// crmIntegration has a required region with options, an integer limit and
// an API-key method whose key is secret.
const crmIntegration = `{"id":"crm","displayName":"Acme CRM","configMetadata":{
 "parametersMetadata":[{"name":"region","type":"String","required":true,"options":[{"value":"eu"},{"value":"us"}]},
                       {"name":"limit","type":"Integer","integerRange":{"min":1,"max":500}}],
 "authMetadata":[{"id":"api-key","type":"API_KEY","supportedLevels":["APPLICATION"],"configTestSupported":true,
   "authSettings":{"parameters":{"headerName":"X-Api-Key"}},
   "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`
