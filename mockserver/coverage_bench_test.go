package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// BenchmarkCoverageShare measures, in one run, what coverage bookkeeping
// (what the access log does per API exchange: op.Declares and Record)
// costs beside the mock serving a polled GET, and reports it as a share of
// the request's cost (coverage-%; the target is < 3).
func BenchmarkCoverageShare(b *testing.B) {
	srv, err := mockserver.New(mockserver.Config{})
	if err != nil {
		b.Fatal(err)
	}
	req := func() *http.Request {
		r := httptest.NewRequest("GET", "/v1/tenants/acme/integrations", nil)
		r.Host = "127.0.0.1" // httptest's example.com is refused (DNS rebinding guard)
		r.Header.Set("Authorization", "Bearer dev")
		return r
	}
	if w := httptest.NewRecorder(); func() int { srv.ServeHTTP(w, req()); return w.Code }() != 200 {
		b.Fatal("the GET does not answer 200")
	}
	v, err := validator.Fruxon()
	if err != nil {
		b.Fatal(err)
	}
	set := coverage.New("fruxon.yaml", v)
	op := v.Operation("listIntegrations")
	// The clock's own cost, taken out of the bookkeeping's brackets.
	var clock time.Duration
	for range 1000 {
		t0 := time.Now()
		clock += time.Since(t0)
	}
	clock /= 1000
	b.ResetTimer()
	var serve, count time.Duration
	for range b.N {
		r, w := req(), httptest.NewRecorder()
		t0 := time.Now()
		srv.ServeHTTP(w, r)
		t1 := time.Now()
		set.RecordOp(r.Header.Get("X-Fruxon-Mock-Session"), op, w.Code)
		t2 := time.Now()
		serve += t1.Sub(t0)
		count += max(t2.Sub(t1)-clock, 0)
	}
	b.ReportMetric(100*float64(count)/float64(serve), "coverage-%")
	b.ReportMetric(float64(count.Nanoseconds())/float64(b.N), "coverage-ns/op")
}
