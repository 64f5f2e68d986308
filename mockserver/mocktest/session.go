package mocktest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/journal"
)

var (
	sharedOnce sync.Once
	shared     *Mock
	sharedErr  error
)

// Shared is one mock server for the whole test binary, started on first
// use with the zero Config and never closed (it ends with the process).
// Tests share it through Session, which keeps their data apart:
//
//	func TestList(t *testing.T) {
//		t.Parallel()
//		m := mocktest.Session(t)
//		resp, err := m.Client.Get(m.URL + "/v1/tenants/demo/integrations") // the fixtures and this test's writes
//		if err != nil {
//			t.Fatal(err)
//		}
//		resp.Body.Close()
//	}
func Shared(t testing.TB) *Mock {
	t.Helper()
	sharedOnce.Do(func() {
		srv, err := mockserver.New(mockserver.Config{})
		if err != nil {
			sharedErr = err
			return
		}
		token, err := srv.DevToken()
		if err != nil {
			sharedErr = err
			return
		}
		shared = newMock(httptest.NewServer(srv), srv, token, "")
	})
	if sharedErr != nil {
		t.Fatalf("mocktest: %v", sharedErr)
	}
	return shared
}

// Session is Shared(t).Session(t): a sandbox of its own on the shared
// server, for tests that run in parallel.
func Session(t testing.TB) *Mock {
	t.Helper()
	return Shared(t).Session(t)
}

// Session returns a view of m whose Client names a new session of its own
// (X-Fruxon-Mock-Session) on every request: it starts from the fixture
// state, sees only its own writes, and its journal holds only its own
// requests. The session is deleted when the test ends. The returned
// Mock's Reset resets only the session. Its Client authenticates like
// m's, with its own Token field (m.Token when the session starts).
func (m *Mock) Session(t testing.TB) *Mock {
	t.Helper()
	id := sessionID(t.Name())
	s := &Mock{URL: m.URL, Server: m.Server, Token: m.Token, ts: m.ts, SessionID: id, t: t,
		controlToken: m.controlToken, base: m.base}
	s.Client = &http.Client{Transport: mockTransport{m: s, base: m.base}}
	t.Cleanup(func() {
		req, err := http.NewRequest(http.MethodDelete, m.URL+"/_mock/sessions/"+url.PathEscape(id), nil)
		if err != nil {
			return
		}
		if resp, err := m.Client.Do(req); err == nil {
			resp.Body.Close()
		}
	})
	return s
}

// sessionID makes a readable, unique session id from a test name: the
// name's allowed characters (at most 40) and 8 random hex digits.
func sessionID(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() >= 40 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	var n [4]byte
	_, _ = rand.Read(n[:])
	return b.String() + "-" + hex.EncodeToString(n[:])
}

// Pattern is what Verify looks for in the session's journal; the fields
// are those of POST /_mock/verify. Give OperationID, or Method and Path
// (a path template such as /v1/tenants/{tenant}/integrations).
type Pattern struct {
	OperationID  string            `json:"operationId,omitempty"`
	Method       string            `json:"method,omitempty"`
	Path         string            `json:"path,omitempty"`
	BodyContains any               `json:"bodyContains,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"`
	// Count, when set, is the exact number of matching requests
	// expected; otherwise AtLeast (default 1) is the minimum.
	Count   *int `json:"count,omitempty"`
	AtLeast *int `json:"atLeast,omitempty"`
}

// Times is a helper for Pattern.Count: Pattern{…, Count: mocktest.Times(2)}.
func Times(n int) *int { return &n }

// Verify fails the test unless the requests m's session sent match p the
// expected number of times; the failure lists the near misses and what
// differed in each. It returns the number of matching requests.
func (m *Mock) Verify(t testing.TB, p Pattern) int {
	t.Helper()
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("mocktest: verify: %v", err)
	}
	var res mockserver.VerifyResult
	status := m.control(t, http.MethodPost, "/_mock/verify", body, &res)
	if status != http.StatusOK {
		t.Fatalf("mocktest: verify answered %d", status)
	}
	if !res.Matched {
		var b strings.Builder
		fmt.Fprintf(&b, "mocktest: verify %s: %d matching request(s)", describe(p), res.Count)
		for _, nm := range res.NearMisses {
			fmt.Fprintf(&b, "\n  near miss %s %s: %s", nm.Request.Method, nm.Request.Path, strings.Join(nm.Differences, "; "))
		}
		if len(res.NearMisses) == 0 {
			b.WriteString("\n  (no other requests in this session)")
		}
		t.Error(b.String())
	}
	return res.Count
}

func describe(p Pattern) string {
	want := "at least 1"
	switch {
	case p.Count != nil:
		want = fmt.Sprintf("exactly %d", *p.Count)
	case p.AtLeast != nil:
		want = fmt.Sprintf("at least %d", *p.AtLeast)
	}
	if p.OperationID != "" {
		return fmt.Sprintf("%s (want %s)", p.OperationID, want)
	}
	return fmt.Sprintf("%s %s (want %s)", p.Method, p.Path, want)
}

// Requests lists the journal entries of m's session (of the shared
// default state when m has no session), newest first; operationID, when
// not empty, keeps only that operation's.
func (m *Mock) Requests(t testing.TB, operationID string) []journal.Entry {
	t.Helper()
	q := url.Values{}
	if operationID != "" {
		q.Set("operationId", operationID)
	}
	path := "/_mock/journal"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out struct {
		Items []journal.Entry `json:"items"`
	}
	if status := m.control(t, http.MethodGet, path, nil, &out); status != http.StatusOK {
		t.Fatalf("mocktest: journal answered %d", status)
	}
	return out.Items
}

// control sends a control-plane call through m.Client (so it names m's
// session) and decodes a 200 answer into out.
func (m *Mock) control(t testing.TB, method, path string, body []byte, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, m.URL+path, rd)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.Client.Do(req)
	if err != nil {
		t.Fatalf("mocktest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("mocktest: %s %s: %v", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Logf("mocktest: %s %s: %d %s", method, path, resp.StatusCode, data)
		return resp.StatusCode
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("mocktest: %s %s: %v", method, path, err)
	}
	return resp.StatusCode
}
