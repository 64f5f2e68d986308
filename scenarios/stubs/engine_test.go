package stubs_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/stubs"
	"github.com/fruxon/fruxon-mock/validator"
)

// api is the validator of the embedded spec, built once.
func api(t testing.TB) *validator.Validator {
	t.Helper()
	specV, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	return specV
}

func parse(t testing.TB, name, src string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Parse(name+".yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func engine(t testing.TB, srcs ...string) *stubs.Engine {
	t.Helper()
	var list []*scenarios.Scenario
	for i, src := range srcs {
		list = append(list, parse(t, fmt.Sprint("s", i), src))
	}
	e, err := stubs.NewEngine(list, api(t))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const list = "/v1/tenants/acme/integrations"

func req(method, path, body string, header ...string) (*http.Request, []byte) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r, []byte(body)
}

// who names the stub that answers, or "-".
func who(e *stubs.Engine, r *http.Request, body []byte, session string, requested ...string) string {
	a := e.Match(r, body, session, requested)
	if a == nil {
		return "-"
	}
	return a.Scenario + "/" + a.Stub
}

func TestMatchRequestFields(t *testing.T) {
	e := engine(t, `name: m
stubs:
  - name: header-exact
    request: {path: /v1/tenants/t/integrations, headers: {X-Mode: exact}}
    problem: {status: 500}
  - name: header-regex
    request: {path: /v1/tenants/t/integrations, headers: {X-Mode: '~^re-[0-9]+$'}}
    problem: {status: 500}
  - name: header-present
    request: {path: /v1/tenants/t/integrations, headers: {X-Flag: present}}
    problem: {status: 500}
  - name: query
    request: {path: /v1/tenants/t/integrations, query: {pageSize: '7'}}
    problem: {status: 500}
  - name: body
    request: {method: POST, path: /v1/tenants/t/integrations, body: {id: '~^boom', configMetadata: {authMetadata: [{id: k}]}}}
    problem: {status: 500}
  - name: publish
    request: {method: POST, path: '/v1/tenants/{tenant}/integrations/{integration}/configs/{config}:publish'}
    problem: {status: 503}
  - name: config
    request: {method: GET, path: '/v1/tenants/{tenant}/integrations/{integration}/configs/{config}'}
    problem: {status: 500}
`)
	cfg := "/v1/tenants/t/integrations/crm/configs/3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14"
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header []string
		want   string
	}{
		{"exact header", "GET", "/v1/tenants/t/integrations", "", []string{"X-Mode", "exact"}, "m/header-exact"},
		{"regex header", "GET", "/v1/tenants/t/integrations", "", []string{"X-Mode", "re-42"}, "m/header-regex"},
		{"regex header no match", "GET", "/v1/tenants/t/integrations", "", []string{"X-Mode", "re-x"}, "-"},
		{"present header", "GET", "/v1/tenants/t/integrations", "", []string{"X-Flag", ""}, "m/header-present"},
		{"query", "GET", "/v1/tenants/t/integrations?pageSize=7", "", nil, "m/query"},
		{"query other value", "GET", "/v1/tenants/t/integrations?pageSize=8", "", nil, "-"},
		{"body subset", "POST", "/v1/tenants/t/integrations", `{"id":"boom-1","displayName":"x","configMetadata":{"authMetadata":[{"id":"k","type":"API_KEY"}]}}`, nil, "m/body"},
		{"body array length differs", "POST", "/v1/tenants/t/integrations", `{"id":"boom-1","configMetadata":{"authMetadata":[{"id":"k"},{"id":"j"}]}}`, nil, "-"},
		{"body not JSON", "POST", "/v1/tenants/t/integrations", `id=boom`, nil, "-"},
		{"custom method", "POST", cfg + ":publish", "", nil, "m/publish"},
		{"param never swallows a colon", "GET", cfg + ":publish", "", nil, "-"},
		{"param", "GET", cfg, "", nil, "m/config"},
		{"method differs", "DELETE", cfg, "", nil, "-"},
		{"other tenant", "GET", "/v1/tenants/u/integrations", "", []string{"X-Mode", "exact"}, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, b := req(tt.method, tt.path, tt.body, tt.header...)
			if got := who(e, r, b, "", "m"); got != tt.want {
				t.Errorf("answered by %s, want %s", got, tt.want)
			}
		})
	}
}

func TestMatchPrecedence(t *testing.T) {
	global := `name: global
stubs:
  - {name: any, request: {path: /v1/tenants/t/integrations}, problem: {status: 500}}
`
	first := `name: first
stubs:
  - {name: plain, request: {path: /v1/tenants/t/integrations}, problem: {status: 500}}
  - {name: plain-2, request: {path: /v1/tenants/t/integrations}, problem: {status: 500}}
  - {name: stateful, request: {path: /v1/tenants/t/integrations}, whenState: Started, problem: {status: 503}}
`
	second := `name: second
stubs:
  - {name: only, request: {path: /v1/tenants/t/integrations}, problem: {status: 500}}
`
	e := engine(t, global, first, second)
	r, b := req("GET", "/v1/tenants/t/integrations", "")
	if got := who(e, r, b, ""); got != "-" {
		t.Errorf("nothing active or requested: answered by %s", got)
	}
	if err := e.Activate("global"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		requested []string
		want      string
	}{
		{"active only", nil, "global/any"},
		{"requested before active", []string{"second"}, "second/only"},
		{"header order", []string{"second", "first"}, "second/only"},
		{"whenState before file order", []string{"first", "second"}, "first/stateful"},
		{"unknown names are ignored", []string{"nope", "second"}, "second/only"},
		{"repeats are ignored", []string{"second", "second"}, "second/only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := who(e, r, b, "s-"+tt.name, tt.requested...); got != tt.want {
				t.Errorf("answered by %s, want %s", got, tt.want)
			}
		})
	}
	if err := e.Deactivate("global"); err != nil {
		t.Fatal(err)
	}
	if got := who(e, r, b, ""); got != "-" {
		t.Errorf("after deactivate: answered by %s", got)
	}
}

func TestStatesAndTimes(t *testing.T) {
	e := engine(t, `name: flaky-publish
description: the second call fails once, then it recovers
stubs:
  - name: first-ok
    request: {method: GET, path: /v1/tenants/t/integrations}
    whenState: Started
    setState: one-done
    response: {status: 200, body: {items: [], nextPageToken: null, totalCount: 0}}
  - name: second-fails
    request: {path: /v1/tenants/t/integrations}
    whenState: one-done
    setState: recovered
    problem: {status: 503}
  - name: limited
    request: {path: /v1/tenants/t/integrations}
    times: 2
    problem: {status: 429}
`)
	r, b := req("GET", "/v1/tenants/t/integrations", "")
	var got []string
	for range 6 {
		got = append(got, who(e, r, b, "", "flaky-publish"))
	}
	want := "flaky-publish/first-ok flaky-publish/second-fails flaky-publish/limited flaky-publish/limited - -"
	if strings.Join(got, " ") != want {
		t.Errorf("answers\n got: %s\nwant: %s", strings.Join(got, " "), want)
	}
	if st, _ := e.State("flaky-publish", ""); st != "recovered" {
		t.Errorf("state = %q, want recovered", st)
	}
	if l := e.List(); len(l) != 1 || l[0].State != "recovered" || l[0].Active || l[0].Description == "" {
		t.Errorf("List() = %+v", l)
	}
	if err := e.Reset("flaky-publish"); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.State("flaky-publish", ""); st != scenarios.InitialState {
		t.Errorf("after reset: state = %q", st)
	}
	if l := e.List(); l[0].State != "" {
		t.Errorf("after reset: List state = %q, want \"\" (initial)", l[0].State)
	}
	if b, _ := json.Marshal(e.List()); string(b) != `[{"name":"flaky-publish","description":"the second call fails once, then it recovers","active":false,"state":null}]` {
		t.Errorf("List as JSON: %s", b)
	}
	checkControlPlane(t, e.List())
	if got := who(e, r, b, "", "flaky-publish"); got != "flaky-publish/first-ok" {
		t.Errorf("after reset: answered by %s", got)
	}
}

func TestUnknownScenario(t *testing.T) {
	e := engine(t, "name: a\nstubs:\n  - {request: {path: /v1/tenants/t/integrations}, problem: {status: 500}}\n")
	for name, call := range map[string]func(string) error{"Activate": e.Activate, "Deactivate": e.Deactivate, "Reset": e.Reset} {
		err := call("nope")
		var se *stubs.Error
		if !errors.As(err, &se) || se.Kind != stubs.KindUnknown || se.Name != "nope" {
			t.Errorf("%s(nope) = %v, want a KindUnknown *Error", name, err)
		}
	}
	if e.Has("nope") || !e.Has("a") {
		t.Error("Has is wrong")
	}
}

// TestSessionIsolation runs many sessions at once against a times: 1 stub
// and a state machine: every session must see exactly its own first call.
func TestSessionIsolation(t *testing.T) {
	e := engine(t, `name: once
stubs:
  - name: fail-once
    request: {path: /v1/tenants/t/integrations}
    times: 1
    problem: {status: 503}
  - name: after
    request: {path: /v1/tenants/t/integrations/x}
    whenState: Started
    setState: seen
    problem: {status: 500}
`)
	const sessions, calls = 32, 8
	results := make([][]string, sessions)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			session := fmt.Sprint("session-", i)
			for range calls {
				r, b := req("GET", "/v1/tenants/t/integrations", "")
				results[i] = append(results[i], who(e, r, b, session, "once"))
				r, b = req("GET", "/v1/tenants/t/integrations/x", "")
				results[i] = append(results[i], who(e, r, b, session, "once"))
			}
		}()
	}
	wg.Wait()
	for i, got := range results {
		var hits, states int
		for _, g := range got {
			switch g {
			case "once/fail-once":
				hits++
			case "once/after":
				states++
			}
		}
		if hits != 1 || states != 1 {
			t.Errorf("session %d: %d times-1 hits and %d state hits, want 1 and 1: %v", i, hits, states, got)
		}
	}
	if st, _ := e.State("once", ""); st != scenarios.InitialState {
		t.Errorf("the global session moved to %q", st)
	}
}

func TestFaultsAndLatency(t *testing.T) {
	e := engine(t, `name: faults
stubs:
  - name: drop
    request: {path: /v1/tenants/t/integrations}
    fault: drop
  - name: slow
    request: {method: GET, path: /v1/tenants/u/integrations}
    latency: {min: 10ms, max: 30ms}
    response: {status: 200, body: {items: [], nextPageToken: null, totalCount: 0}}
  - name: fixed
    request: {method: GET, path: /v1/tenants/v/integrations}
    latency: 25ms
    response: {status: 200, body: {items: [], nextPageToken: null, totalCount: 0}}
`)
	r, b := req("GET", "/v1/tenants/t/integrations", "")
	if a := e.Match(r, b, "", []string{"faults"}); a == nil || !a.Drop {
		t.Errorf("drop: %+v", a)
	}
	for range 20 {
		r, b = req("GET", "/v1/tenants/u/integrations", "")
		a := e.Match(r, b, "", []string{"faults"})
		if a == nil || a.Delay < 10*time.Millisecond || a.Delay > 30*time.Millisecond {
			t.Fatalf("range latency: %+v", a)
		}
	}
	r, b = req("GET", "/v1/tenants/v/integrations", "")
	if a := e.Match(r, b, "", []string{"faults"}); a == nil || a.Delay != 25*time.Millisecond || a.Header.Get("Content-Type") != "application/json" {
		t.Errorf("fixed latency: %+v", a)
	}
}

// checkControlPlane validates a List as GET /_mock/scenarios answers it.
func checkControlPlane(t *testing.T, list []stubs.Status) {
	t.Helper()
	cp, err := validator.ControlPlane()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"items": list})
	op := cp.Operation("listScenarios")
	if op == nil {
		t.Fatal("the control plane has no listScenarios")
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if fs := cp.ValidateResponse(httptest.NewRequest("GET", op.Path, nil), op, 200, h, body); len(fs) > 0 {
		t.Errorf("List breaks the control plane's contract: %s\n%s", fs, body)
	}
}

func TestApplies(t *testing.T) {
	stubbed := parse(t, "stubbed", `
name: stubbed
stubs:
  - request: {method: GET, path: "/v1/tenants/{tenant}/integrations"}
    problem: {status: 503, title: Service Unavailable}
`)
	stepsOnly := parse(t, "steps-only", `
name: steps-only
steps:
  - request: {method: GET, path: /v1/tenants/t1/integrations}
    expect: {status: 200}
`)
	e, err := stubs.NewEngine([]*scenarios.Scenario{stubbed, stepsOnly}, api(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		requested []string
		want      bool
	}{
		{nil, false},
		{[]string{"steps-only"}, false},
		{[]string{"unknown"}, false},
		{[]string{"steps-only", "stubbed"}, true},
	} {
		if got := e.Applies(tt.requested); got != tt.want {
			t.Errorf("Applies(%v) = %v, want %v", tt.requested, got, tt.want)
		}
	}
	if err := e.Activate("steps-only"); err != nil {
		t.Fatal(err)
	}
	if e.Applies(nil) {
		t.Error("an active scenario without stubs applies")
	}
	e.Activate("stubbed")
	if !e.Applies(nil) {
		t.Error("an active scenario with stubs does not apply")
	}
	e.Deactivate("stubbed")
	if e.Applies(nil) {
		t.Error("a deactivated scenario still applies")
	}
}
