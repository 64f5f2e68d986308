// Package mocktest starts the Fruxon mock for a Go test in one line:
//
//	m := mocktest.Start(t)
//	resp, err := m.Client.Get(m.URL + "/v1/tenants/acme/integrations")
//	if err != nil {
//		t.Fatal(err)
//	}
//	defer resp.Body.Close() // 200: m.Client authenticates
//
// Each Start gives the test its own server on a loopback port, closed when
// the test ends; Reset empties its state between subtests.
//
// m.Client authenticates: it sends Authorization: Bearer m.Token, a dev
// token the mock accepts for every tenant, on every request that carries
// no Authorization or X-API-KEY of its own. Set a header to send another
// credential, or m.Token = "" to send none (a 401 test).
//
// Tests that run in parallel can share one server instead, each in a
// session of its own (see Session), and verify what they sent:
//
//	m := mocktest.Session(t) // its Client also names the session
//	resp, err := m.Client.Post(m.URL+"/v1/tenants/acme/integrations", "application/json",
//		strings.NewReader(`{"displayName": "Acme CRM"}`))
//	if err != nil {
//		t.Fatal(err)
//	}
//	resp.Body.Close()
//	m.Verify(t, mocktest.Pattern{OperationID: "createIntegration", Count: mocktest.Times(1)})
package mocktest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// Mock is a running mock server.
type Mock struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Server is the handler, for direct access to its state.
	Server *mockserver.Server
	// Client talks to URL (in a session, naming it on every request).
	// It sends Authorization: Bearer Token on every request without an
	// Authorization or X-API-KEY header; when the config sets a
	// ControlToken, it sends that (X-Fruxon-Mock-Control-Token) on every
	// request that doesn't carry the header already.
	Client *http.Client
	// Token is the credential Client sends: a dev token good for every
	// tenant for a day (mockserver.DevToken). Set it to "" to send none,
	// or to another token (e.g. one minted with tenant claims); set it
	// before the requests it should apply to.
	Token string
	// SessionID is the session Client names; "" for the shared state.
	SessionID    string
	ts           *httptest.Server
	t            testing.TB // the session's test
	controlToken string
	base         http.RoundTripper // what Client's transport sends through
}

// Start runs a mock with cfg (zero value: embedded spec, permissive auth,
// strict response validation) until the test ends. It fails the test if
// the mock can't be built.
func Start(t testing.TB, cfg ...mockserver.Config) *Mock {
	t.Helper()
	var c mockserver.Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	srv, err := mockserver.New(c)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	token, err := srv.DevToken()
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return newMock(ts, srv, token, c.ControlToken)
}

// newMock is the Mock of a started server, its Client sending token (and
// controlToken, when set).
func newMock(ts *httptest.Server, srv *mockserver.Server, token, controlToken string) *Mock {
	base := ts.Client().Transport
	if base == nil {
		base = http.DefaultTransport
	}
	m := &Mock{URL: ts.URL, Server: srv, Token: token, ts: ts, controlToken: controlToken, base: base}
	m.Client = &http.Client{Transport: mockTransport{m: m, base: base}}
	return m
}

// mockTransport adds to each request what its Mock says: the session,
// the control token and the credential, each only where the request
// doesn't carry its own.
type mockTransport struct {
	m    *Mock
	base http.RoundTripper
}

func (t mockTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	m := t.m
	auth := m.Token != "" && r.Header.Get("Authorization") == "" && r.Header.Get("X-API-KEY") == ""
	control := m.controlToken != "" && r.Header.Get(mockserver.ControlTokenHeader) == ""
	if m.SessionID == "" && !auth && !control {
		return t.base.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	if m.SessionID != "" {
		r.Header.Set(mockserver.SessionHeader, m.SessionID)
	}
	if control {
		r.Header.Set(mockserver.ControlTokenHeader, m.controlToken)
	}
	if auth {
		r.Header.Set("Authorization", "Bearer "+m.Token)
	}
	return t.base.RoundTrip(r)
}

// Reset empties the mock's state (back to its fixtures, if any); in a
// session, only the session's.
func (m *Mock) Reset() {
	if m.SessionID == "" {
		m.Server.Reset()
		return
	}
	m.t.Helper()
	req, err := http.NewRequest(http.MethodPost, m.URL+"/_mock/reset", nil)
	if err != nil {
		m.t.Fatalf("mocktest: reset session: %v", err)
	}
	resp, err := m.Client.Do(req)
	if err != nil {
		m.t.Fatalf("mocktest: reset session: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		m.t.Fatalf("mocktest: reset session %s: status %d", m.SessionID, resp.StatusCode)
	}
}
