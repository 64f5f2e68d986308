// Package apitest drives a whole mock over HTTP for the end-to-end tests of
// the server and of its rooms: a client that keeps every answer, a mock
// whose log a test can read, and a world for tool runs (an integration with
// its tools, a recording vendor on the allow list, canary secrets). It is
// for tests only.
package apitest

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

// API is the tenant the tests work in.
const API = "/v1/tenants/acme"

// Client sends requests to one mock and remembers every answer, so tests
// can scan them all (for secrets, say).
type Client struct {
	T *testing.T
	M *mocktest.Mock
	// Auth is the Authorization header sent ("" for none).
	Auth string
	log  *answerLog
}

// answerLog keeps every answer a client (and its subtest copies) saw.
type answerLog struct {
	mu sync.Mutex
	// guards seen
	seen []*Answer
}

// Answers are every answer the client (and its subtest copies) saw.
func (c *Client) Answers() []*Answer {
	c.log.mu.Lock()
	defer c.log.mu.Unlock()
	return append([]*Answer(nil), c.log.seen...)
}

// In returns the client bound to a subtest, sharing the answer log.
func (c *Client) In(t *testing.T) *Client { return &Client{T: t, M: c.M, Auth: c.Auth, log: c.log} }

// Answer is one answer a Client saw.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the answer as a JSON object.
func (a *Answer) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, a.Body)
	}
	return m
}

// Start runs a mock whose log goes to a buffer the test can read.
func Start(t *testing.T, cfg mockserver.Config) (*Client, *SyncBuffer) {
	t.Helper()
	logs := &SyncBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	m := mocktest.Start(t, cfg)
	m.Token = "" // the client sets Authorization itself (Auth), or sends none
	return &Client{T: t, M: m, Auth: "Bearer dev", log: &answerLog{}}, logs
}

// Do sends a request (headers as name, value pairs; an empty value
// removes one) and keeps the answer.
func (c *Client) Do(method, path, body string, headers ...string) *Answer {
	c.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.M.URL+path, rd)
	if err != nil {
		c.T.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Auth != "" {
		req.Header.Set("Authorization", c.Auth)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.M.Client.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := &Answer{Status: resp.StatusCode, Header: resp.Header, Body: b}
	c.log.mu.Lock()
	c.log.seen = append(c.log.seen, a)
	c.log.mu.Unlock()
	return a
}

// Must asserts the status and returns the answer.
func (c *Client) Must(status int, method, path, body string, headers ...string) *Answer {
	c.T.Helper()
	a := c.Do(method, path, body, headers...)
	if a.Status != status {
		c.T.Fatalf("%s %s = %d, want %d: %s", method, path, a.Status, status, a.Body)
	}
	return a
}

// Problem asserts an RFC 9457 answer with the status and returns it.
func (c *Client) Problem(status int, method, path, body string, headers ...string) map[string]any {
	c.T.Helper()
	a := c.Must(status, method, path, body, headers...)
	if ct := a.Header.Get("Content-Type"); ct != "application/problem+json" {
		c.T.Fatalf("%s %s: content type %q, want application/problem+json", method, path, ct)
	}
	p := a.JSON(c.T)
	if int(p["status"].(float64)) != status || p["title"] == "" || p["traceId"] == "" {
		c.T.Fatalf("%s %s: malformed problem %s", method, path, a.Body)
	}
	return p
}

// SyncBuffer is a log buffer safe for concurrent writes.
type SyncBuffer struct {
	mu sync.Mutex
	// guards b
	b bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String is everything written.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// CRMIntegration has a required region with options, an integer limit and
// an API-key method whose key is secret.
const CRMIntegration = `{"id":"crm","displayName":"Acme CRM","configMetadata":{
 "parametersMetadata":[{"name":"region","type":"String","required":true,"options":[{"value":"eu"},{"value":"us"}]},
                       {"name":"limit","type":"Integer","integerRange":{"min":1,"max":500}}],
 "authMetadata":[{"id":"api-key","type":"API_KEY","supportedLevels":["APPLICATION"],"configTestSupported":true,
   "authSettings":{"parameters":{"headerName":"X-Api-Key"}},
   "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`
