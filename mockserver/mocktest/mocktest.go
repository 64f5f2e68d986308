// Package mocktest starts the Fruxon mock for a Go test in one line:
//
//	m := mocktest.Start(t)
//	resp, err := http.Get(m.URL + "/v1/tenants/acme/integrations")
//
// Each Start gives the test its own server on a loopback port, closed when
// the test ends; Reset empties its state between subtests.
//
// Tests that run in parallel can share one server instead, each in a
// session of its own (see Session):
//
//	m := mocktest.Session(t) // its Client stamps X-Fruxon-Mock-Session
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
	// Client talks to URL (in a session, naming it on every request);
	// when the config sets a ControlToken, Client sends it
	// (X-Fruxon-Mock-Control-Token) on every request that doesn't carry
	// the header already.
	Client *http.Client
	// SessionID is the session Client names; "" for the shared state.
	SessionID string
	ts        *httptest.Server
	t         testing.TB // the session's test
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
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	client := ts.Client()
	if c.ControlToken != "" {
		client.Transport = controlTokenTransport{token: c.ControlToken, next: client.Transport}
	}
	return &Mock{URL: ts.URL, Server: srv, Client: client, ts: ts}
}

// controlTokenTransport adds the control token to requests without one.
type controlTokenTransport struct {
	token string
	next  http.RoundTripper
}

func (t controlTokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get(mockserver.ControlTokenHeader) == "" {
		r = r.Clone(r.Context())
		r.Header.Set(mockserver.ControlTokenHeader, t.token)
	}
	return t.next.RoundTrip(r)
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
