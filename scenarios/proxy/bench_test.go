package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
	"github.com/fruxon/fruxon-mock/scenarios/proxy"
)

// bareGET answers a getIntegration with a fixed, contract-valid body (one
// the mock answered), as a plain net/http handler: the baseline.
func bareGET(b *testing.B) http.Handler {
	m := mocktest.Start(b)
	a := send(b, "POST", m.URL+api, `{"id":"crm","displayName":"CRM","description":"Contacts and deals."}`, nil)
	if a.status != 200 {
		b.Fatalf("seed: %d %s", a.status, a.body)
	}
	body, etag := []byte(a.body), a.header.Get("ETag")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", etag)
		w.Write(body)
	})
}

// load sends n GETs from as many goroutines as there are CPUs (×4) and
// returns the throughput in requests per second.
func load(b *testing.B, url string, n int) float64 {
	conns := 4 * runtime.GOMAXPROCS(0)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	defer client.CloseIdleConnections()
	var left atomic.Int64
	left.Store(int64(n))
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				resp, err := client.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkProxyOverhead measures a polled GET against the bare handler
// and through the validating proxy in front of it, in the same run, and
// reports the proxy's share of the bare throughput (issue 14: ≥ 0.5).
func BenchmarkProxyOverhead(b *testing.B) {
	bare := httptest.NewServer(bareGET(b))
	defer bare.Close()
	p, base := start(b, bare.URL, proxy.Config{Strict: true})
	path := api + "/crm"
	load(b, bare.URL+path, 200) // warm connections and caches
	load(b, base+path, 200)
	b.ResetTimer()
	n := b.N
	if n < 2000 {
		n = 2000
	}
	// The ceiling: net/http's reverse proxy alone, no validation.
	u, _ := url.Parse(bare.URL)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = &http.Transport{MaxIdleConnsPerHost: 256}
	plain := httptest.NewServer(rp)
	defer plain.Close()
	load(b, plain.URL+path, 200)
	// Interleaved rounds, so load from elsewhere on the machine hits the
	// three alike.
	var bareT, proxyT, plainT float64
	const rounds = 5
	for range rounds {
		bareT += float64(n/rounds) / load(b, bare.URL+path, n/rounds)
		proxyT += float64(n/rounds) / load(b, base+path, n/rounds)
		plainT += float64(n/rounds) / load(b, plain.URL+path, n/rounds)
	}
	bareRPS, proxyRPS, plainRPS := float64(n)/bareT, float64(n)/proxyT, float64(n)/plainT
	b.StopTimer()
	b.ReportMetric(plainRPS/bareRPS, "plain-proxy-ratio")
	if t := p.Journal().Totals(); t.WithFindings != 0 {
		b.Fatalf("the bare answer should be valid: %+v", t)
	}
	b.ReportMetric(bareRPS, "bare-req/s")
	b.ReportMetric(proxyRPS, "proxy-req/s")
	b.ReportMetric(proxyRPS/bareRPS, "ratio")
}
