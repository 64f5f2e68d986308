package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// BenchmarkExchangeCapture measures, in one run, what keeping each
// exchange's headers and bodies for the journal's detail view costs on the
// request path: two servers, one with Config.NoExchangeCapture, serve the
// same requests in turn (a listing of 20 integrations and a config write),
// and the ratio of their times is reported (capture-ratio; 1.00 = free).
func BenchmarkExchangeCapture(b *testing.B) {
	var servers [2]*mockserver.Server
	for i := range servers {
		srv, err := mockserver.New(mockserver.Config{NoExchangeCapture: i == 1})
		if err != nil {
			b.Fatal(err)
		}
		servers[i] = srv
	}
	req := func(method, path, body string) *http.Request {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Host = "127.0.0.1"
		r.Header.Set("Authorization", "Bearer dev")
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		return r
	}
	serve := func(srv *mockserver.Server, r *http.Request, want int) {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != want {
			b.Fatalf("%s %s = %d: %s", r.Method, r.URL, w.Code, w.Body)
		}
	}
	for _, srv := range servers {
		for i := range 20 {
			serve(srv, req("POST", "/v1/tenants/acme/integrations", fmt.Sprintf(`{"id":"crm%d","displayName":"CRM %d"}`, i, i)), 200)
		}
	}
	const write = `{"displayName":"Production","parameters":{}}`
	b.ResetTimer()
	var took [2]time.Duration
	for n := range b.N {
		for k := range 2 {
			i := (n + k) % 2 // alternate which goes first
			list, post := req("GET", "/v1/tenants/acme/integrations", ""), req("POST", "/v1/tenants/acme/integrations/crm1/configs", write)
			t0 := time.Now()
			serve(servers[i], list, 200)
			serve(servers[i], post, 200)
			took[i] += time.Since(t0)
		}
	}
	b.ReportMetric(float64(took[0])/float64(took[1]), "capture-ratio")
	b.ReportMetric(float64((took[0]-took[1]).Nanoseconds())/float64(2*b.N), "capture-ns/req")
}
