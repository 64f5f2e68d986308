package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
)

type options struct {
	conns         int
	dur           time.Duration
	validate      mockserver.ResponseValidation
	only, compare string
	noCache       bool
}

// target is one server under test.
type target struct {
	name    string
	base    string
	configs []string // ids of the seeded configs of integration "crm"
	counter atomic.Int64
}

type result struct {
	reqs, errors, non2xx int
	sample               string // the first non-2xx answer
	rps                  float64
	p50, p99             time.Duration
}

// mixedConfigs is how many configs the mixed case spreads over.
const mixedConfigs = 200

// loadCase makes, per target and worker, the worker's request source.
type loadCase struct {
	name   string
	worker func(t *target, w, conns int) func() (*http.Request, error)
}

var cases = []loadCase{
	{"hot GET", func(t *target, _, _ int) func() (*http.Request, error) {
		return func() (*http.Request, error) { return newReq("GET", t.base+configPath(t.configs[0]), "") }
	}},
	// Each worker PATCHes a config (a new display name and parameter) and
	// then GETs it, moving over the configs, so no two answers are equal.
	{"mixed PATCH+GET", func(t *target, w, conns int) func() (*http.Request, error) {
		step := 0
		return func() (*http.Request, error) {
			id := t.configs[(w+step/2*conns)%len(t.configs)]
			step++
			if step%2 == 1 {
				n := t.counter.Add(1)
				return newReq("PATCH", t.base+configPath(id), fmt.Sprintf(`{"displayName":"Prod %d","parameters":{"region":"eu","limit":%d}}`, n, 1+n%500))
			}
			return newReq("GET", t.base+configPath(id), "")
		}
	}},
	{"list filtered", func(t *target, _, _ int) func() (*http.Request, error) {
		return func() (*http.Request, error) {
			return newReq("GET", t.base+api+"/integrations?query=crm&type=CUSTOM&hasConfigs=true&pageSize=10", "")
		}
	}},
	{"create 1 KB", func(t *target, _, _ int) func() (*http.Request, error) {
		return func() (*http.Request, error) {
			return newReq("POST", t.base+api+"/integrations", distinctCreate(t.counter.Add(1)))
		}
	}},
}

func run(o options, out io.Writer) error {
	// Configured as serve runs it: the built-in scenario library loaded
	// (none active), so the cost of consulting it is measured too.
	library, err := scenarios.Library()
	if err != nil {
		return err
	}
	mock, err := mockserver.New(mockserver.Config{
		ValidateResponses: o.validate,
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
		Scenarios:         library,
		NoVerdictCache:    o.noCache,
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

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.conns * 2, MaxConnsPerHost: o.conns * 2}}
	targets := []*target{{name: "bare", base: bareURL}, {name: "mock", base: mockURL}}
	for _, t := range targets {
		if t.configs, err = seed(client, t.base); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	var other *target
	if o.compare != "" {
		// Not seeded: a spec-driven mock answers any id from its examples.
		other = &target{name: "compare", base: strings.TrimSuffix(o.compare, "/"), configs: []string{"497f6eca-6276-4993-bfeb-53cbbbba6f08"}}
	}
	loadavg, _ := os.ReadFile("/proc/loadavg")
	cache := "on"
	if o.noCache {
		cache = "off"
	}
	fmt.Fprintf(out, "%d connections, %s per case, response validation %s, verdict cache %s, GOMAXPROCS %d shared by servers and load; loadavg before: %s\n",
		o.conns, o.dur, o.validate, cache, runtime.GOMAXPROCS(0), strings.TrimSpace(string(loadavg)))
	fmt.Fprintf(out, "%-16s %10s %10s %7s   %-19s %-19s %8s   %s\n", "case", "bare req/s", "mock req/s", "ratio", "bare p50 / p99", "mock p50 / p99", "p99 ×", "non-2xx bare/mock")
	var samples []string
	for _, c := range cases {
		if !strings.Contains(c.name, o.only) {
			continue
		}
		var res [2]result
		for i, t := range targets {
			runtime.GC()
			res[i] = load(client, o.conns, o.dur, func(w int) func() (*http.Request, error) { return c.worker(t, w, o.conns) })
		}
		flag := ""
		if res[0].non2xx+res[1].non2xx+res[0].errors+res[1].errors > 0 {
			flag = "  ← NOT ALL 2xx"
		}
		fmt.Fprintf(out, "%-16s %10.0f %10.0f %6.2fx   %-19s %-19s %7.2fx   %d/%d%s\n", c.name, res[0].rps, res[1].rps, res[1].rps/res[0].rps,
			fmt.Sprintf("%v / %v", round(res[0].p50), round(res[0].p99)), fmt.Sprintf("%v / %v", round(res[1].p50), round(res[1].p99)),
			float64(res[1].p99)/float64(res[0].p99), res[0].non2xx+res[0].errors, res[1].non2xx+res[1].errors, flag)
		for i, r := range res {
			if r.sample != "" {
				samples = append(samples, fmt.Sprintf("%s %s: %s", c.name, targets[i].name, r.sample))
			}
		}
		if other != nil {
			o2 := load(client, o.conns, o.dur, func(w int) func() (*http.Request, error) { return c.worker(other, w, o.conns) })
			fmt.Fprintf(out, "%-16s %10s %10.0f          compare: %.0f req/s, p50 %v / p99 %v, %d non-2xx → mock is %.1fx it\n", "", "", res[1].rps,
				o2.rps, round(o2.p50), round(o2.p99), o2.non2xx, res[1].rps/o2.rps)
		}
	}
	for _, s := range samples {
		fmt.Fprintln(out, "first non-2xx of", s)
	}
	loadavg, _ = os.ReadFile("/proc/loadavg")
	fmt.Fprintf(out, "loadavg after: %s\n", strings.TrimSpace(string(loadavg)))
	return nil
}

// seed creates integration "crm" with mixedConfigs configs, and 60 more
// integrations (half with "crm" in the id, every other one with a config)
// for the list case. It returns crm's config ids.
func seed(client *http.Client, base string) ([]string, error) {
	configBody := func(i int) string {
		return fmt.Sprintf(`{"displayName":"Prod %d","parameters":{"region":"eu","limit":%d},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_load_%d"}}}`, i, 1+i%500, i)
	}
	var ids []string
	if _, err := seedPost(client, base+api+"/integrations", distinctCreateID("crm", 0)); err != nil {
		return nil, err
	}
	for i := 0; i < mixedConfigs; i++ {
		id, err := seedPost(client, base+api+"/integrations/crm/configs", configBody(i))
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	for i := 0; i < 60; i++ {
		id := fmt.Sprintf("crm-%02d", i)
		if i%2 == 1 {
			id = fmt.Sprintf("erp-%02d", i)
		}
		if _, err := seedPost(client, base+api+"/integrations", distinctCreateID(id, int64(i))); err != nil {
			return nil, err
		}
		if i%4 < 2 {
			if _, err := seedPost(client, base+api+"/integrations/"+id+"/configs", configBody(i)); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// seedPost POSTs body and returns the created resource's id.
func seedPost(client *http.Client, url, body string) (string, error) {
	req, err := newReq("POST", url, body)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var got map[string]any
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("POST %s: %d %v", url, resp.StatusCode, got)
	}
	id, _ := got["id"].(string)
	return id, nil
}

// distinctCreate is the ≈1 KB create body made unique by n: its id,
// display name, description and a parameter's description differ.
func distinctCreate(n int64) string { return distinctCreateID(fmt.Sprintf("it-%d", n), n) }

func distinctCreateID(id string, n int64) string {
	return strings.NewReplacer(`"id":"acme-crm"`, `"id":"`+id+`"`,
		`"displayName":"Acme CRM"`, fmt.Sprintf(`"displayName":"Acme CRM %d"`, n),
		"synced every five minutes.", fmt.Sprintf("synced every %d minutes.", n%60+1),
		"Data residency region", fmt.Sprintf("Data residency region (shard %d)", n%97)).Replace(createBody)
}

// A ≈1 KB create body: an integration with two parameters and an API-key method.
const createBody = `{"id":"acme-crm","displayName":"Acme CRM","description":"Contacts, deals and notes from Acme's CRM, synced every five minutes.",
"configMetadata":{"parametersMetadata":[{"name":"region","index":0,"type":"String","displayName":"Region","description":"Data residency region",
"required":true,"secret":false,"options":[{"value":"eu","displayName":"Europe"},{"value":"us","displayName":"United States"}]},
{"name":"limit","index":1,"type":"Integer","integerRange":{"min":1,"max":500},"required":false,"secret":false,"defaultValue":"100"}],
"authMetadata":[{"id":"api-key","displayName":"API key","description":"A workspace API key","type":"API_KEY","sensitivity":"SECRET",
"authProviderName":null,"configTestSupported":true,"supportedLevels":["APPLICATION"],"authMap":{"useMap":false,"keyTemplate":null,"parametersMetadata":[]},
"authSettings":{"parameters":{"headerName":"X-Api-Key"}},"parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}],"availableScopes":[]}]}}`
