package junit_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios/fuzz"
	"github.com/fruxon/fruxon-mock/scenarios/golden"
	"github.com/fruxon/fruxon-mock/scenarios/har"
	"github.com/fruxon/fruxon-mock/scenarios/junit"
	"github.com/fruxon/fruxon-mock/scenarios/replay"
	"github.com/fruxon/fruxon-mock/validator"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden holds the JUnit file each command writes to its golden file
// under testdata: validate-traffic on testdata/planted.har, fuzz and replay
// on the reports below, which between them use every part of the format.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		report func(*testing.T) junit.Report
	}{
		{"validate-traffic", func(t *testing.T) junit.Report { return harReport(t).JUnit("planted.har") }},
		{"fuzz", func(*testing.T) junit.Report { return fuzzReport().JUnit() }},
		{"replay", func(*testing.T) junit.Report { return replayReport().JUnit() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := junit.Write(&b, tc.report(t)); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tc.name+".golden"), b.Bytes(), *update)
		})
	}
}

// harReport checks testdata/planted.har: entries with request and response
// findings, one not in the spec, one unreadable, one a method the path
// lacks.
func harReport(t *testing.T) *har.Report {
	data, err := os.ReadFile(filepath.Join("testdata", "planted.har"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := har.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	return har.Check(f, v)
}

func fuzzReport() *fuzz.Report {
	return &fuzz.Report{
		Seed: 42, Requests: 120, Passed: 57, Failed: 3, Duration: 1234567 * time.Microsecond,
		Operations: []*fuzz.OpStats{
			{Operation: "listIntegrations", Passed: 40},
			{Operation: "createIntegration", Passed: 17, Failed: 3},
		},
		Failures: []*fuzz.Failure{{
			Operation: "createIntegration", Check: fuzz.CheckInvalidRejected, Case: "invalid: maxLength at displayName",
			Message: "accepted (201) invalid: maxLength at displayName", Status: 201,
			Curl:    `curl -X POST 'http://localhost:8080/v1/tenants/fz/integrations' -H "Authorization: Bearer $FRUXON_TOKEN" -d '{"id":"a","displayName":"xxxxx"}'`,
			Excerpt: `{"id":"a","displayName":"xxxxx"}`, Seed: 42, Count: 2, Shrunk: 3,
		}, {
			Operation: "createIntegration", Check: fuzz.CheckConformance, Case: "valid request",
			Message: `body: must be object, not string; tags: <none> & "quoted"`, Status: 200,
			Curl:    `curl -X POST 'http://localhost:8080/v1/tenants/fz/integrations'`,
			Excerpt: `"not an object"`, Seed: 42, Count: 1,
		}},
	}
}

func replayReport() *replay.Report {
	return &replay.Report{
		Run: "r1", Passed: 2, Failed: 1, Skipped: 2, Duration: 2500 * time.Millisecond,
		Scenarios: []replay.ScenarioReport{{
			Name: "publish-flow", File: "library/publish-flow.yaml", Duration: 900 * time.Millisecond,
			Steps: []replay.StepReport{
				{Name: "create", Outcome: replay.Passed, Duration: 12 * time.Millisecond},
				{Name: "publish", Outcome: replay.Failed, Duration: 30 * time.Millisecond,
					Reason: "status: want 200, got 409\ncontract: the 409 answer to publishConfig breaks the spec: body: title: is required"},
				{Name: "read-back", Outcome: replay.Skipped, Reason: `not run: step "publish" failed`},
			},
		}, {
			Name: "needs-mock",
			Steps: []replay.StepReport{
				{Name: "one", Outcome: replay.Passed},
				{Name: "two", Outcome: replay.Skipped, Reason: "requires mock: the target is not fruxon-mock"},
			},
		}},
	}
}

// TestWriteCounts: the counts of every suite and the totals come from the
// cases, whatever the caller put in them.
func TestWriteCounts(t *testing.T) {
	d := &junit.Detail{Message: "why"}
	r := junit.Report{Counts: junit.Counts{Tests: 99}, Suites: []junit.Suite{
		{Name: "a", Cases: []junit.Case{{Name: "ok"}, {Name: "f", Failure: d}, {Name: "e", Error: d}}},
		{Name: "b", Counts: junit.Counts{Failures: 7}, Cases: []junit.Case{{Name: "s", Skipped: d}, {Name: "f", Failure: d}}},
		{Name: "empty"},
	}}
	var b bytes.Buffer
	if err := junit.Write(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		junit.Counts
		Suites []struct {
			Name string `xml:"name,attr"`
			junit.Counts
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, b.Bytes())
	}
	want := []junit.Counts{{Tests: 3, Failures: 1, Errors: 1}, {Tests: 2, Failures: 1, Skipped: 1}, {}}
	if doc.Counts != (junit.Counts{Tests: 5, Failures: 2, Errors: 1, Skipped: 1}) || len(doc.Suites) != len(want) {
		t.Fatalf("totals %+v, %d suites:\n%s", doc.Counts, len(doc.Suites), b.Bytes())
	}
	for i, s := range doc.Suites {
		if s.Counts != want[i] {
			t.Errorf("suite %s: %+v, want %+v", s.Name, s.Counts, want[i])
		}
	}
	if r.Tests != 99 || r.Suites[1].Failures != 7 {
		t.Errorf("Write changed its argument: %+v", r)
	}
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out", "junit.xml")
	r := junit.Report{Suites: []junit.Suite{{Name: "s", Cases: []junit.Case{{Name: "c", Classname: "k"}}}}}
	if err := junit.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	junit.Write(&want, r)
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("%v:\n%s\nwant:\n%s", err, got, want.Bytes())
	}
	if err := junit.WriteFile(filepath.Join(path, "under-a-file.xml"), r); err == nil {
		t.Error("writing under a file: no error")
	}
}

func TestSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "", time.Millisecond: "0.001", 1500 * time.Millisecond: "1.500", 100 * time.Microsecond: "0.000"} {
		if got := junit.Seconds(d); got != want {
			t.Errorf("Seconds(%s) = %q, want %q", d, got, want)
		}
	}
}
