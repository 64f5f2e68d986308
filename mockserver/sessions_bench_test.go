package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// serveOnce sends one request straight to the handler and fails on an
// unexpected status.
func serveOnce(tb testing.TB, srv http.Handler, method, path, body, session string, want int) {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	r.Host = "localhost" // httptest's example.com is a foreign Host to the guard
	r.Header.Set("Authorization", "Bearer dev")
	if session != "" {
		r.Header.Set(mockserver.SessionHeader, session)
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != want {
		tb.Fatalf("%s %s in %q: %d, want %d: %s", method, path, session, w.Code, want, w.Body)
	}
}

// BenchmarkSessionMemory measures the heap that 1,000 sessions hold when
// each creates 5 integrations with a config (issue 13's target: under
// 150 MB), reported as MB-heap for the whole set; a run of the mock with
// the demo fixtures, so each session forks from a non-empty state.
func BenchmarkSessionMemory(b *testing.B) {
	for range b.N {
		b.StopTimer()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		srv, err := mockserver.New(mockserver.Config{Fixtures: demoFixtures(b), SessionTTL: -1})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for s := range 1000 {
			sid := fmt.Sprintf("bench-%d", s)
			for i := range 5 {
				serveOnce(b, srv, "POST", "/v1/tenants/demo/integrations", fmt.Sprintf(`{"id":"crm-%d",`, i)+crmIntegration[len(`{"id":"crm",`):], sid, 200)
				serveOnce(b, srv, "POST", fmt.Sprintf("/v1/tenants/demo/integrations/crm-%d/configs", i), `{"displayName":"Prod","parameters":{"region":"eu"}}`, sid, 200)
			}
		}
		b.StopTimer()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(srv)
		b.StartTimer()
	}
}

// BenchmarkSessionRequestCost serves the same GET of a fixture integration
// in the shared state and in a session that has written to its tenant, in
// one run; session/shared is the ratio to compare with issue 13's 1.2×.
func BenchmarkSessionRequestCost(b *testing.B) {
	srv, err := mockserver.New(mockserver.Config{Fixtures: demoFixtures(b)})
	if err != nil {
		b.Fatal(err)
	}
	serveOnce(b, srv, "PATCH", "/v1/tenants/demo/integrations/stripe", `{"displayName":"Stripe (session)"}`, "cost", 200)
	const path = "/v1/tenants/demo/integrations/stripe"
	var shared, inSession time.Duration
	b.ResetTimer()
	timed := func(session string) time.Duration {
		t0 := time.Now()
		serveOnce(b, srv, "GET", path, "", session, 200)
		return time.Since(t0)
	}
	for i := range b.N {
		// Alternate the order, so both sides see the same machine.
		if i%2 == 0 {
			shared += timed("")
			inSession += timed("cost")
		} else {
			inSession += timed("cost")
			shared += timed("")
		}
	}
	b.ReportMetric(float64(inSession)/float64(shared), "session/shared")
}
