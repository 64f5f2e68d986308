// Command loadbench measures the mock against a bare net/http JSON handler
// doing the same reads and writes without validation, on the same machine
// in the same run, and prints requests/s, p50 and p99 and their ratios.
//
//	go run ./cmd/loadbench -c 32 -d 5s
//
// Both servers and the load generator share this machine's cores, so read
// the ratios, not the absolute numbers.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

func main() {
	conns := flag.Int("c", 32, "concurrent connections")
	dur := flag.Duration("d", 5*time.Second, "duration of each case")
	validate := flag.String("validate-responses", "strict", "response validation of the mock: strict | warn | off")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	only := flag.String("case", "", "run only the cases whose name contains this (e.g. POST)")
	memory := flag.String("memory", "", "instead of the load cases, fill NxM (e.g. 10000x5: integrations × configs) and report memory")
	url := flag.String("url", "", "with -memory: fill this running mock instead of an in-process one")
	pid := flag.Int("pid", 0, "with -memory -url: the mock's process id, whose RSS is reported")
	compare := flag.String("compare", "", "also load another server of the same API (e.g. a Prism mock of the spec) and print the mock's ratio to it")
	noCache := flag.Bool("no-verdict-cache", false, "turn the mock's verdict cache off, so no case profits from repeated answers")
	startupBins := flag.String("startup", "", "instead of the load cases, time the start of these fruxon-mock binaries (comma-separated, run alternately): exec to first healthy answer, and the first request after; ratios to the first binary")
	runs := flag.Int("runs", 10, "with -startup: starts of each binary")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadbench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var err error
	if *startupBins != "" {
		err = startup(strings.Split(*startupBins, ","), *runs, 10*time.Second, os.Stdout)
	} else if *memory != "" {
		err = runMemory(*memory, *conns, *url, *pid, os.Stdout)
	} else {
		err = run(options{conns: *conns, dur: *dur, validate: mockserver.ResponseValidation(*validate), only: *only, compare: *compare, noCache: *noCache}, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func runMemory(spec string, conns int, url string, pid int, out io.Writer) error {
	var n, m int
	if _, err := fmt.Sscanf(spec, "%dx%d", &n, &m); err != nil || n < 1 || m < 0 {
		return fmt.Errorf("-memory %q: want NxM, e.g. 10000x5", spec)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns * 2}}
	if url != "" {
		if pid == 0 {
			return fmt.Errorf("-url needs -pid, the process whose memory to report")
		}
		return fill(client, url, n, m, conns, pid, out)
	}
	mock, err := mockserver.New(mockserver.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	url, stop, err := serve(mock)
	if err != nil {
		return err
	}
	defer stop()
	return fill(client, url, n, m, conns, 0, out)
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }

// load runs conns workers for dur and collects every latency. worker(i)
// makes worker i's request source, so a worker can keep its own sequence.
func load(client *http.Client, conns int, dur time.Duration, worker func(int) func() (*http.Request, error)) result {
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	r := result{}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conns; w++ {
		wg.Add(1)
		next := worker(w)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad, non2xx, sample := 0, 0, ""
			for ctx.Err() == nil {
				req, err := next()
				if err != nil {
					bad++
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				var body []byte
				if resp.StatusCode/100 != 2 {
					body, _ = io.ReadAll(io.LimitReader(resp.Body, 300))
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if resp.StatusCode/100 != 2 {
					non2xx++
					if sample == "" {
						sample = fmt.Sprintf("%s %s → %d %s", req.Method, req.URL.Path, resp.StatusCode, body)
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			r.errors += bad
			r.non2xx += non2xx
			if r.sample == "" {
				r.sample = sample
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	r.reqs, r.rps = len(lat), float64(len(lat))/elapsed.Seconds()
	if len(lat) > 0 {
		r.p50 = lat[len(lat)/2]
		r.p99 = lat[len(lat)*99/100]
	}
	return r
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

const api = "/v1/tenants/acme"

func configPath(id string) string { return api + "/integrations/crm/configs/" + id }

func newReq(method, url, body string) (*http.Request, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer load")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}
