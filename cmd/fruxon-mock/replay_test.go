package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// replayCLI runs "fruxon-mock replay ARGS…" through run, as main does, and
// returns stdout and the exit code.
func replayCLI(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"replay"}, args...), &stdout, &stderr)
	code := 0
	if err != nil {
		var ee exitError
		if !errors.As(err, &ee) {
			t.Fatalf("replay: %v\nstderr: %s", err, stderr.String())
		}
		code = ee.code
		if ee.msg != "" {
			stdout.WriteString("error: " + ee.msg + "\n")
		}
	}
	return stdout.String(), code
}

var summaryLine = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed(, (\d+) skipped)?\n\z`)

// libraryRun is one serial replay of the built-in library against an
// in-process mock, as .ci/run replays it (JUnit and coverage written), made
// once and read by the tests that check its output, its JUnit file, its
// coverage and its parallel twin: each replay of the library is seconds
// under -race.
type libraryRun struct {
	out        string
	code       int
	junit, cov []byte
	err        error
	stderr     string
}

var serialLibrary = sync.OnceValue(func() libraryRun {
	var r libraryRun
	dir, err := os.MkdirTemp("", "fruxon-mock-library")
	if err != nil {
		r.err = err
		return r
	}
	defer os.RemoveAll(dir)
	junit, cov := filepath.Join(dir, "out", "replay-junit.xml"), filepath.Join(dir, "c.json")
	var stdout, stderr bytes.Buffer
	err = run(context.Background(), []string{"replay", "--no-durations", "--junit", junit, "--coverage", cov, "--min-coverage", libraryMinCoverage}, &stdout, &stderr)
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.code
		if ee.msg != "" {
			stdout.WriteString("error: " + ee.msg + "\n")
		}
	default:
		r.err = err
	}
	r.out, r.stderr = stdout.String(), stderr.String()
	r.junit, _ = os.ReadFile(junit)
	r.cov, _ = os.ReadFile(cov)
	return r
})

// library returns the shared serial replay of the library; a replay that
// could not run at all fails the test.
func library(t *testing.T) libraryRun {
	t.Helper()
	r := serialLibrary()
	if r.err != nil {
		t.Fatalf("replay: %v\nstderr: %s", r.err, r.stderr)
	}
	return r
}

// TestReplayLibraryInProcess is the end-to-end check of the built-in
// library: every step against a fresh in-process mock, nothing failed or
// skipped, and a JUnit file that says the same.
func TestReplayLibraryInProcess(t *testing.T) {
	t.Parallel()
	lib := library(t)
	out, code := lib.out, lib.code
	m := summaryLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary line at the end:\n%s", out)
	}
	passed, _ := strconv.Atoi(m[1])
	if code != 0 || m[2] != "0" || m[3] != "" {
		t.Fatalf("exit %d, %q; want every step to pass:\n%s", code, strings.TrimSpace(m[0]), failures(out))
	}
	if passed < 100 {
		t.Errorf("%d steps passed, the library must have at least 100", passed)
	}
	if n := strings.Count(out, "\n[") + 1; n != passed {
		t.Errorf("%d step lines for %d steps", n, passed)
	}
	raw := lib.junit
	if len(raw) == 0 {
		t.Fatal("no JUnit file written")
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the JUnit file is not XML: %v", err)
	}
	if doc.Tests != passed || doc.Failures != 0 || len(doc.Suites) < 15 {
		t.Errorf("JUnit: %d tests, %d failures, %d suites", doc.Tests, doc.Failures, len(doc.Suites))
	}
}

// failures keeps the failing lines of a replay's output, and their reasons.
func failures(out string) string {
	var b strings.Builder
	keep := false
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "[") {
			keep = strings.Contains(l, "] FAIL ")
		}
		if keep {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func writeScenario(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReplayExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := writeScenario(t, dir, "good.yaml", `name: good
steps:
  - name: create
    request: {method: POST, path: /v1/tenants/t1/integrations, body: {id: crm}}
    expect: {status: 200, body: {id: crm}}
    capture: {integrationId: $.id}
  - name: get
    request: {method: GET, path: '/v1/tenants/t1/integrations/{{integrationId}}'}
    expect: {status: 200, headers: {ETag: present}}
`)
	bad := writeScenario(t, dir, "bad.yaml", `name: bad
steps:
  - request: {method: GET, path: /v1/tenants/t1/integrations}
    expect:
      status: ok
`)
	failing := writeScenario(t, dir, "failing.yaml", `name: failing
steps:
  - name: wrong-status
    request: {method: GET, path: /v1/tenants/t1/integrations/nope}
    expect: {status: 200}
`)
	badStub := writeScenario(t, dir, "badstub.yaml", `name: badstub
stubs:
  - request: {method: POST, path: '/v1/tenants/{tenant}/integrations'}
    problem: {status: 422}
`)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // a substring of the output
	}{
		{"all pass", []string{good}, 0, "2 passed, 0 failed\n"},
		{"a step fails", []string{failing}, 1, "status: want 200, got 404"},
		{"malformed file", []string{bad}, 2, bad + ":5: steps[0].expect.status: must be an integer"},
		{"stub breaks the contract", []string{badStub}, 2, badStub + ":4: stubs[0].problem: its 422 answer breaks the contract"},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, 2, "no such file"},
		{"bad flag", []string{"--nope"}, 2, "unknown flag"},
		{"json report", []string{"--json", good}, 0, `"passed": 2`},
		{"fail fast", []string{"--fail-fast", failing, good}, 1, "0 passed, 1 failed, 2 skipped\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, code := replayCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d:\n%s", code, tt.wantCode, out)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, out)
			}
			if tt.name == "json report" {
				checkJSONReport(t, out)
			}
		})
	}
}

func checkJSONReport(t *testing.T, out string) {
	t.Helper()
	var rep struct {
		Passed    int `json:"passed"`
		Scenarios []struct {
			Steps []struct {
				Outcome string `json:"outcome"`
			} `json:"steps"`
		} `json:"scenarios"`
	}
	err := json.Unmarshal([]byte(out), &rep)
	if err != nil || rep.Passed != 2 || len(rep.Scenarios) != 1 || len(rep.Scenarios[0].Steps) != 2 || rep.Scenarios[0].Steps[1].Outcome != "passed" {
		t.Errorf("--json: %v %+v\n%s", err, rep, out)
	}
}

// TestReplayAgainstTarget replays against a mock that is served apart
// (as a CI service container would be): stub scenarios are skipped
// unless the target lists them, everything else runs.
func TestReplayAgainstTarget(t *testing.T) {
	t.Parallel()
	srv, err := mockserver.New(mockserver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	lib := filepath.Join("..", "..", "scenarios", "library")
	out, code := replayCLI(t, "--target", ts.URL, "--token", "ci", "--tenant", "ci-{{run}}",
		filepath.Join(lib, "integrations-crud.yaml"), filepath.Join(lib, "errors-403.yaml"), filepath.Join(lib, "errors-429.yaml"))
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, "errors-403 › list-in-another-tenant") || !strings.Contains(out, "ok   errors-403") {
		t.Errorf("the mock target should run requires: [mock] scenarios:\n%s", out)
	}
	if !strings.Contains(out, "ok   integrations-crud › not-listed") {
		t.Errorf("integrations-crud did not run through:\n%s", out)
	}
}

func TestScenariosList(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"scenarios", "list"}, &stdout, &stderr); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	golden.Check(t, filepath.Join("testdata", "scenarios-list.golden"), stdout.Bytes(), *update)
	err := run(context.Background(), []string{"scenarios"}, &stdout, &stderr)
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Errorf("scenarios without list: %v, want exit 2", err)
	}
}

// TestReplayAgainst401SuggestsToken: a target that refuses every call
// without credentials gets a hint naming --token, on stderr.
func TestReplayAgainst401SuggestsToken(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer ts.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "pass --token"},
		{[]string{"--token", "stale"}, "refused --token"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"replay", "--target", ts.URL}, tc.args...), &stdout, &stderr)
		var ee exitError
		if !errors.As(err, &ee) || ee.code != 1 {
			t.Fatalf("%v: %v, want exit 1", tc.args, err)
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, stderr.String(), tc.want)
		}
	}
}

// replay against a served mock deletes the session each scenario ran in
// when it ends (58 were left after two runs of the library); with
// --keep-sessions they stay, for a look at their journal.
func TestReplayRemovesItsSessions(t *testing.T) {
	t.Parallel()
	srv, err := mockserver.New(mockserver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	sessions := func() []string {
		resp, err := http.Get(ts.URL + "/_mock/sessions")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var list struct {
			Sessions []struct {
				ID string `json:"id"`
			} `json:"sessions"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range list.Sessions {
			ids = append(ids, s.ID)
		}
		return ids
	}
	scenarioFile := filepath.Join("testdata", "coverage", "list.yaml")
	if out, code := replayCLI(t, "--target", ts.URL, "--token", "t", scenarioFile); code != 0 {
		t.Fatalf("replay: exit %d\n%s", code, out)
	}
	if left := sessions(); len(left) != 0 {
		t.Fatalf("sessions left on the target after replay: %v", left)
	}
	if out, code := replayCLI(t, "--target", ts.URL, "--token", "t", "--keep-sessions", scenarioFile); code != 0 {
		t.Fatalf("replay --keep-sessions: exit %d\n%s", code, out)
	}
	if kept := sessions(); len(kept) != 1 || !strings.HasSuffix(kept[0], "-coverage-list") {
		t.Fatalf("sessions after replay --keep-sessions: %v, want the scenario's", kept)
	}
}

// replay's in-process mock starts as serve does: a scenario can read the
// embedded demo tenant; --no-fixtures starts it empty, --fixtures loads a
// file, and neither applies to a --target.
func TestReplayInProcessLoadsFixtures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "demo.yaml")
	if err := os.WriteFile(file, []byte(`name: reads-demo
steps:
  - name: demo-integration
    request: {method: GET, path: /v1/tenants/demo/integrations/acme-inventory}
    expect: {status: 200}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := replayCLI(t, "--no-durations", file); code != 0 {
		t.Fatalf("with the embedded fixtures: exit %d\n%s", code, out)
	}
	if out, code := replayCLI(t, "--no-durations", "--no-fixtures", file); code != 1 {
		t.Fatalf("--no-fixtures: exit %d, want 1 (the demo tenant is empty)\n%s", code, out)
	}
	if out, code := replayCLI(t, "--target", "http://127.0.0.1:1", "--no-fixtures", file); code != 2 || !strings.Contains(out, "don't apply with --target") {
		t.Fatalf("--no-fixtures with --target: exit %d\n%s", code, out)
	}
}
