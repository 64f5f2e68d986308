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
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
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
	if *memory != "" {
		err = runMemory(*memory, *conns, *url, *pid, os.Stdout)
	} else {
		err = run(*conns, *dur, mockserver.ResponseValidation(*validate), *only, *compare, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// target is one server under test.
type target struct {
	name    string
	base    string
	config  string // a config id to GET and PATCH
	counter atomic.Int64
}

type result struct {
	reqs     int
	errors   int
	rps      float64
	p50, p99 time.Duration
}

func run(conns int, dur time.Duration, validate mockserver.ResponseValidation, only, compare string, out io.Writer) error {
	// Configured as serve runs it: the built-in scenario library loaded
	// (none active), so the cost of consulting it is measured too.
	library, err := scenarios.Library()
	if err != nil {
		return err
	}
	mock, err := mockserver.New(mockserver.Config{
		ValidateResponses: validate,
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
		Scenarios:         library,
	})
	if err != nil {
		return err
	}
	mockURL, stopMock, err := serve(mock)
	if err != nil {
		return err
	}
	defer stopMock()
	bareURL, stopBare, err := serve(newBare())
	if err != nil {
		return err
	}
	defer stopBare()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: conns * 2}}
	targets := []*target{{name: "bare", base: bareURL}, {name: "mock", base: mockURL}}
	for _, t := range targets {
		if t.config, err = seed(client, t.base); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	var other *target
	if compare != "" {
		// Not seeded: a spec-driven mock answers any id from its examples.
		other = &target{name: "compare", base: strings.TrimSuffix(compare, "/"), config: "497f6eca-6276-4993-bfeb-53cbbbba6f08"}
	}
	cases := []struct {
		name string
		req  func(t *target) (*http.Request, error)
	}{
		{"GET config", func(t *target) (*http.Request, error) {
			return newReq("GET", t.base+configPath(t.config), "")
		}},
		{"POST integration", func(t *target) (*http.Request, error) {
			id := fmt.Sprintf("it-%d", t.counter.Add(1))
			return newReq("POST", t.base+api+"/integrations", strings.Replace(createBody, `"id":"acme-crm"`, `"id":"`+id+`"`, 1))
		}},
		{"PATCH config", func(t *target) (*http.Request, error) {
			return newReq("PATCH", t.base+configPath(t.config), fmt.Sprintf(`{"displayName":"Prod %d","parameters":{"region":"eu","limit":%d}}`, t.counter.Add(1), 1+t.counter.Load()%500))
		}},
	}
	fmt.Fprintf(out, "%d connections, %s per case, response validation %s, GOMAXPROCS shared by servers and load\n\n", conns, dur, validate)
	fmt.Fprintf(out, "%-17s %10s %10s %7s   %-19s %-19s %s\n", "case", "bare req/s", "mock req/s", "ratio", "bare p50 / p99", "mock p50 / p99", "errors")
	for _, c := range cases {
		if !strings.Contains(c.name, only) {
			continue
		}
		var res [2]result
		for i, t := range targets {
			res[i] = load(client, conns, dur, func() (*http.Request, error) { return c.req(t) })
		}
		fmt.Fprintf(out, "%-17s %10.0f %10.0f %6.2fx   %-19s %-19s %d/%d\n", c.name, res[0].rps, res[1].rps, res[1].rps/res[0].rps,
			fmt.Sprintf("%v / %v", round(res[0].p50), round(res[0].p99)), fmt.Sprintf("%v / %v", round(res[1].p50), round(res[1].p99)),
			res[0].errors, res[1].errors)
		if other != nil {
			o := load(client, conns, dur, func() (*http.Request, error) { return c.req(other) })
			fmt.Fprintf(out, "%-17s %10s %10.0f          compare: %.0f req/s, p50 %v / p99 %v, %d errors → mock is %.1fx it\n", "", "", res[1].rps,
				o.rps, round(o.p50), round(o.p99), o.errors, res[1].rps/o.rps)
		}
	}
	return nil
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

// load runs conns workers for dur and collects every latency.
func load(client *http.Client, conns int, dur time.Duration, next func() (*http.Request, error)) result {
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	errors := 0
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				req, err := next()
				if err != nil {
					bad++
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if resp.StatusCode != 200 {
					bad++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errors += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := result{reqs: len(lat), errors: errors, rps: float64(len(lat)) / elapsed.Seconds()}
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

// seed creates the integration and config the cases read and patch.
func seed(client *http.Client, base string) (string, error) {
	for _, step := range []struct{ method, path, body string }{
		{"POST", api + "/integrations", strings.Replace(createBody, `"id":"acme-crm"`, `"id":"crm"`, 1)},
		{"POST", api + "/integrations/crm/configs", `{"displayName":"Prod","parameters":{"region":"eu","limit":100},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_load"}}}`},
	} {
		req, err := newReq(step.method, base+step.path, step.body)
		if err != nil {
			return "", err
		}
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		var got map[string]any
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return "", fmt.Errorf("%s %s: %d %v", step.method, step.path, resp.StatusCode, got)
		}
		if strings.HasSuffix(step.path, "/configs") {
			return got["id"].(string), nil
		}
	}
	return "", fmt.Errorf("seed made no config")
}

// A ≈1 KB create body: an integration with two parameters and an API-key method.
const createBody = `{"id":"acme-crm","displayName":"Acme CRM","description":"Contacts, deals and notes from Acme's CRM, synced every five minutes.",
"configMetadata":{"parametersMetadata":[{"name":"region","index":0,"type":"String","displayName":"Region","description":"Data residency region",
"required":true,"secret":false,"options":[{"value":"eu","displayName":"Europe"},{"value":"us","displayName":"United States"}]},
{"name":"limit","index":1,"type":"Integer","integerRange":{"min":1,"max":500},"required":false,"secret":false,"defaultValue":"100"}],
"authMetadata":[{"id":"api-key","displayName":"API key","description":"A workspace API key","type":"API_KEY","sensitivity":"SECRET",
"authProviderName":null,"configTestSupported":true,"supportedLevels":["APPLICATION"],"authMap":{"useMap":false,"keyTemplate":null,"parametersMetadata":[]},
"authSettings":{"parameters":{"headerName":"X-Api-Key"}},"parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}],"availableScopes":[]}]}}`
