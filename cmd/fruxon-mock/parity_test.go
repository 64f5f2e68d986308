package main

import (
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
)

// parityMock serves a fresh mock that knows list's scenarios and runs the
// active ones for every request. skew moves its clock, so every time it
// mints differs from another mock's.
func parityMock(t *testing.T, list []*scenarios.Scenario, skew time.Duration, seed int64, active ...string) string {
	t.Helper()
	set, err := fixtures.Default() // as replay's in-process mock: the library reads the demo tenant
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mockserver.New(mockserver.Config{
		Scenarios: list, ActiveScenarios: active, Seed: seed, Fixtures: set,
		Now: func() time.Time { return time.Now().Add(skew) },
		// Ingestion moves only when the control plane moves it, so the
		// demo's PENDING asset reads the same on both sides: at the watch pace
		// it moves with the wall clock, and two mocks under load read it
		// at different points (a cold -race run saw COMPLETED | RUNNING).
		IngestionPace: "manual",
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

func parityScenarios(t *testing.T) []*scenarios.Scenario {
	t.Helper()
	list, err := scenarios.LoadPaths(filepath.Join("testdata", "parity"))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestParityIdenticalMocks replays the whole library against two mocks
// that mint different ids, ETags and times (another clock; the same seed,
// since another seed generates other simulated tool answers):
// every step passes on both sides and nothing is reported, because the
// minted values are masked and each side chains its own.
func TestParityIdenticalMocks(t *testing.T) {
	t.Parallel()
	lib, err := scenarios.Library()
	if err != nil {
		t.Fatal(err)
	}
	list := append(lib, parityScenarios(t)...)
	a := parityMock(t, list, 0, 1)
	b := parityMock(t, list, 90*time.Minute, 1)
	out, code := replayCLI(t, "--target", a, "--compare", b, "--token", "t", "--no-durations")
	m := summaryLine.FindStringSubmatch(out)
	if code != 0 || m == nil || m[2] != "0" || m[3] != "" {
		t.Fatalf("exit %d; want every step to pass on both sides:\n%s", code, failures(out))
	}
	if !strings.Contains(out, "parity: no divergence between A "+a+" and B "+b+"\n") {
		t.Errorf("no parity line:\n%s", out)
	}
	if strings.Contains(out, "diverged") {
		t.Errorf("divergences reported between identical mocks:\n%s", out)
	}
}

// TestParityDivergence: B runs a scenario that renames the integration it
// answers and refuses deletes. Both are reported, with their JSON path and
// both values, on stdout, in JUnit and in JSON; the exit status is 1.
func TestParityDivergence(t *testing.T) {
	t.Parallel()
	list := parityScenarios(t)
	a := parityMock(t, list, 0, 1)
	b := parityMock(t, list, time.Hour, 2, "parity-drift")
	crud := filepath.Join("testdata", "parity", "crud.yaml")
	junit := filepath.Join(t.TempDir(), "parity.xml")
	out, code := replayCLI(t, "--target", a, "--compare", b, "--token", "t", "--no-durations", "--junit", junit, crud)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{
		"FAIL parity-crud › get\n",
		`diverged: $.displayName (value): A "Acme CRM" | B "Acme CRM (drifted)"`,
		`diverged: $.id (value): A "parity-`,
		`diverged: $.tags (length): A 0 items [] | B 1 items ["crm"]`,
		"FAIL parity-crud › delete-spare\n",
		"diverged: status: A 204 | B 409 (The integration has configs.)",
		"ok   parity-crud › get-config\n", // the scenario went on after a divergence
		"parity: 4 divergences in 2 steps between A " + a + " and B " + b + "\n",
		"5 passed, 2 failed\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "diverged:"); n != 4 {
		t.Errorf("%d divergences reported, want 4 (nothing minted may show):\n%s", n, out)
	}
	raw, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Text string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Failures != 2 || len(doc.Suites) != 1 {
		t.Fatalf("JUnit: %d failures in %d suites, want 2 in 1:\n%s", doc.Failures, len(doc.Suites), raw)
	}
	for _, c := range doc.Suites[0].Cases {
		if c.Name == "get" && (c.Failure == nil || !strings.Contains(c.Failure.Text, `$.displayName (value): A "Acme CRM" | B "Acme CRM (drifted)"`)) {
			t.Errorf("JUnit case get: %+v", c.Failure)
		}
	}

	out, code = replayCLI(t, "--target", a, "--compare", b, "--token", "t", "--json", crud)
	var rep struct {
		Compare   string `json:"compare"`
		Scenarios []struct {
			Steps []struct {
				Name        string `json:"name"`
				Divergences []struct{ Where, What, A, B string }
			} `json:"steps"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 {
		t.Fatalf("--json: exit %d, %v:\n%s", code, err, out)
	}
	got := map[string]string{}
	for _, st := range rep.Scenarios[0].Steps {
		for _, d := range st.Divergences {
			got[st.Name+" "+d.Where] = d.What + ": " + d.A + " | " + d.B
		}
	}
	if got["get $.displayName"] != `value: "Acme CRM" | "Acme CRM (drifted)"` || got["delete-spare status"] == "" || len(got) != 4 || rep.Compare != b {
		t.Errorf("--json divergences: %q (compare %q)", got, rep.Compare)
	}
}

// TestParityIgnore: --ignore silences the divergences at and under the
// paths it selects, and only those.
func TestParityIgnore(t *testing.T) {
	t.Parallel()
	list := parityScenarios(t)
	a := parityMock(t, list, 0, 1)
	b := parityMock(t, list, 0, 1, "parity-drift")
	crud := filepath.Join("testdata", "parity", "crud.yaml")
	out, code := replayCLI(t, "--target", a, "--compare", b, "--token", "t", "--no-durations",
		"--ignore", "$.displayName", "--ignore", "$['id']", "--ignore", "$.tags", crud)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the status still differs):\n%s", code, out)
	}
	if strings.Contains(out, "$.displayName") || strings.Contains(out, "$.id") || strings.Contains(out, "$.tags") {
		t.Errorf("an ignored divergence is reported:\n%s", out)
	}
	if !strings.Contains(out, "ok   parity-crud › get\n") || !strings.Contains(out, "diverged: status: A 204 | B 409") {
		t.Errorf("want get to pass and the status divergence kept:\n%s", out)
	}
	out, code = replayCLI(t, "--target", a, "--compare", b, "--token", "t", "--ignore", "$[", crud)
	if code != 2 || !strings.Contains(out, "--ignore") {
		t.Errorf("a malformed --ignore: exit %d, want 2 naming the flag:\n%s", code, out)
	}
}

// TestParityTargetDown: a target that doesn't answer stops the replay with
// exit 2 and its URL, before any step runs.
func TestParityTargetDown(t *testing.T) {
	list := parityScenarios(t)
	a := parityMock(t, list, 0, 1)
	gone := httptest.NewServer(nil)
	down := gone.URL
	gone.Close()
	crud := filepath.Join("testdata", "parity", "crud.yaml")
	for _, args := range [][]string{{"--target", a, "--compare", down}, {"--target", down, "--compare", a}} {
		out, code := replayCLI(t, append(args, "--token", "t", crud)...)
		if code != 2 || !strings.Contains(out, down+" is unreachable") || strings.Contains(out, "parity-crud ›") {
			t.Errorf("%v: exit %d, want 2 naming %s before any step:\n%s", args, code, down, out)
		}
	}
}
