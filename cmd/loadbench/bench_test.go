package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// handlerClient sends requests straight to h's ServeHTTP, without a network.
func handlerClient(h http.Handler) *http.Client {
	return &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Result(), nil
	})}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// BenchmarkCases runs each load case's requests in-process (no sockets,
// one goroutine) against the bare handler and the mock with strict
// validation and the verdict cache off: the CPU cost per request, for
// profiles (-cpuprofile, -memprofile) and ratios that load on a shared
// machine disturbs less than the socket benchmark.
func BenchmarkCases(b *testing.B) {
	for _, c := range cases {
		for _, name := range []string{"bare", "mock"} {
			b.Run(c.name+"/"+name, func(b *testing.B) {
				h := newBare()
				if name == "mock" {
					mock, err := mockserver.New(mockserver.Config{Logger: slog.New(slog.DiscardHandler), NoVerdictCache: true})
					if err != nil {
						b.Fatal(err)
					}
					h = mock
				}
				client := handlerClient(h)
				t := &target{name: name, base: "http://bench"}
				var err error
				if t.configs, err = seed(client, t.base); err != nil {
					b.Fatal(err)
				}
				next := c.worker(t, 0, 1)
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					req, err := next()
					if err != nil {
						b.Fatal(err)
					}
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					if resp.StatusCode/100 != 2 {
						body, _ := io.ReadAll(resp.Body)
						b.Fatalf("%s %s: %d %s", req.Method, req.URL, resp.StatusCode, body)
					}
				}
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// cpuTime is the process's user+system CPU time: on a shared, loaded
// machine a steadier measure of work than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
