package coverage_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// newSet builds a Set over the embedded spec; the validator is built once.
func newSet(t testing.TB) (*coverage.Set, *validator.Validator) {
	t.Helper()
	specV, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	return coverage.New("fruxon.yaml", specV), specV
}

func row(t *testing.T, rep coverage.Report, op string, status int) coverage.Operation {
	t.Helper()
	for _, r := range rep.APICoverage[0].Operations {
		if r.OperationID == op && r.ResponseCode == status {
			return r
		}
	}
	t.Fatalf("no row %s %d", op, status)
	return coverage.Operation{}
}

func TestRecordCountsDeclaredPairs(t *testing.T) {
	set, v := newSet(t)
	op := v.Operation("listIntegrations")
	for range 3 {
		set.Record("", coverage.Exchange{OperationID: op.ID, Method: op.Method, Path: op.Path, Status: 200, Declared: true})
	}
	rep := set.Report(coverage.Shared)
	got := row(t, rep, "listIntegrations", 200)
	if got.Count != 3 || got.CoverageStatus != coverage.StatusCovered || got.Path != "/v1/tenants/{tenant}/integrations" || got.Method != "GET" {
		t.Errorf("row = %+v", got)
	}
	if r := row(t, rep, "listIntegrations", 400); r.CoverageStatus != coverage.StatusNotCovered || r.Count != 0 {
		t.Errorf("400 row = %+v", r)
	}
	pairs := 0
	for _, o := range v.Operations() {
		pairs += len(o.DeclaredStatuses())
	}
	if rep.Totals.Pairs != pairs || rep.Totals.Covered != 1 || rep.Totals.MissingInSpec != 0 {
		t.Errorf("totals = %+v, want %d pairs, 1 covered", rep.Totals, pairs)
	}
	if rep.Totals.Percent <= 0 || rep.Totals.Percent > 5 {
		t.Errorf("percent = %v", rep.Totals.Percent)
	}
	if rep.APICoverage[0].Specification != "fruxon.yaml" || rep.APICoverage[0].ServiceType != "HTTP" {
		t.Errorf("spec = %+v", rep.APICoverage[0])
	}
}

func TestMissingInSpec(t *testing.T) {
	tests := []struct {
		name    string
		ex      coverage.Exchange
		missing int
	}{
		{"undeclared status", coverage.Exchange{OperationID: "listIntegrations", Method: "GET", Path: "/v1/tenants/{tenant}/integrations", Status: 418}, 1},
		{"unmatched path answered 200", coverage.Exchange{OperationID: coverage.Unmatched, Method: "GET", Path: "/v2/other", Status: 200}, 1},
		{"unmatched path answered 404", coverage.Exchange{OperationID: coverage.Unmatched, Method: "GET", Path: "/nope", Status: 404}, 0},
		{"unmatched method answered 405", coverage.Exchange{OperationID: coverage.Unmatched, Method: "PUT", Path: "/v1/tenants/a/integrations", Status: 405}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, _ := newSet(t)
			set.Record("", tt.ex)
			set.Record("", tt.ex)
			rep := set.Report("")
			if rep.Totals.MissingInSpec != tt.missing || rep.Totals.Covered != 0 {
				t.Fatalf("totals = %+v", rep.Totals)
			}
			if tt.missing == 0 {
				return
			}
			ops := rep.APICoverage[0].Operations
			last := ops[len(ops)-1]
			if last.CoverageStatus != coverage.StatusMissingInSpc || last.Count != 2 || last.ResponseCode != tt.ex.Status || last.Path != tt.ex.Path {
				t.Errorf("last row = %+v", last)
			}
		})
	}
}

func TestSessionsAreKeyed(t *testing.T) {
	set, _ := newSet(t)
	ex := coverage.Exchange{OperationID: "getIntegration", Method: "GET", Path: "/v1/tenants/{tenant}/integrations/{integration}", Status: 404, Declared: true}
	set.Record("a", ex)
	set.Record("a", ex)
	set.Record("b", ex)
	set.RecordRun("a", coverage.Run{ExecutionMode: "SANDBOX", SandboxMode: "SIMULATED", Route: "SIMULATED"})
	if n := row(t, set.Report(coverage.Shared), "getIntegration", 404).Count; n != 3 {
		t.Errorf("shared count = %d, want 3 (every session counts in the shared view)", n)
	}
	if n := row(t, set.Report("a"), "getIntegration", 404).Count; n != 2 {
		t.Errorf("session a count = %d, want 2", n)
	}
	if runs := set.Report("b").ToolRuns; len(runs) != 0 {
		t.Errorf("session b runs = %+v", runs)
	}
	if runs := set.Report("a").ToolRuns; len(runs) != 1 || runs[0].Count != 1 || runs[0].Route != "SIMULATED" {
		t.Errorf("session a runs = %+v", runs)
	}
	if rep := set.Report("never-seen"); rep.Totals.Covered != 0 || rep.Totals.Pairs == 0 {
		t.Errorf("unknown session totals = %+v", rep.Totals)
	}
	set.Forget("a")
	if n := row(t, set.Report("a"), "getIntegration", 404).Count; n != 0 {
		t.Errorf("forgotten session count = %d", n)
	}
	set.Reset(coverage.Shared)
	if rep := set.Report(coverage.Shared); rep.Totals.Covered != 0 || len(rep.ToolRuns) != 0 {
		t.Errorf("after reset: %+v", rep.Totals)
	}
}

func TestToolRunsUnknownValues(t *testing.T) {
	set, _ := newSet(t)
	set.RecordRun("", coverage.Run{ExecutionMode: "SANDBOX", SandboxMode: "READ_THROUGH", Route: "PRODUCTION"})
	set.RecordRun("", coverage.Run{ExecutionMode: "SANDBOX", SandboxMode: "FUTURE_MODE", Route: "SIMULATED"})
	runs := set.Report("").ToolRuns
	if len(runs) != 2 {
		t.Fatalf("runs = %+v", runs)
	}
	if runs[1].SandboxMode != "FUTURE_MODE" || runs[1].Count != 1 {
		t.Errorf("unknown mode row = %+v", runs[1])
	}
}

func TestRunFromBody(t *testing.T) {
	run, ok := coverage.RunFromBody([]byte(`{"runId":"x","executionMode":"SANDBOX","sandboxMode":"VENDOR","route":"VENDOR"}`))
	if !ok || run != (coverage.Run{ExecutionMode: "SANDBOX", SandboxMode: "VENDOR", Route: "VENDOR"}) {
		t.Errorf("run = %+v, %v", run, ok)
	}
	for _, body := range []string{``, `not json`, `{"items":[]}`} {
		if _, ok := coverage.RunFromBody([]byte(body)); ok {
			t.Errorf("%q read as a run", body)
		}
	}
}

func TestConcurrentRecord(t *testing.T) {
	set, _ := newSet(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				set.Record([]string{"", "s1", "s2"}[g%3], coverage.Exchange{OperationID: "listTools", Status: 200, Declared: true})
				if i%50 == 0 {
					set.Record("", coverage.Exchange{OperationID: "listTools", Method: "GET", Path: "/x", Status: 299})
					_ = set.Report("s1")
				}
			}
		}()
	}
	wg.Wait()
	rep := set.Report("")
	if n := row(t, rep, "listTools", 200).Count; n != 4000 {
		t.Errorf("count = %d, want 4000", n)
	}
	if rep.Totals.MissingInSpec != 1 {
		t.Errorf("missing = %d", rep.Totals.MissingInSpec)
	}
}

func TestWriteTableAndHTML(t *testing.T) {
	set, _ := newSet(t)
	set.Record("", coverage.Exchange{OperationID: "listIntegrations", Status: 200, Declared: true})
	set.Record("", coverage.Exchange{OperationID: "listIntegrations", Method: "GET", Path: "/v1/tenants/{tenant}/integrations", Status: 418})
	var buf bytes.Buffer
	if err := set.Report("").WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"listIntegrations", "+200", "-400", "missing in spec: GET /v1/tenants/{tenant}/integrations → 418", "coverage: 1 of "} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := set.Report("").WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<tr class="covered"><td>listIntegrations</td>`) || !strings.Contains(buf.String(), "missing in spec") {
		t.Errorf("html lacks rows:\n%s", buf.String()[:600])
	}
}

// BenchmarkRecord is the hot path: a known pair, shared key.
func BenchmarkRecord(b *testing.B) {
	set, _ := newSet(b)
	ex := coverage.Exchange{OperationID: "getConfig", Method: "GET", Path: "/p", Status: 200, Declared: true}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			set.Record("", ex)
		}
	})
}

// A forced answer (Prefer, a stub) is counted apart: it never makes a pair
// covered, shows in forced and in the totals' forcedOnly, and the table
// marks it ~.
func TestForcedAnswersCountApart(t *testing.T) {
	set, v := newSet(t)
	get := v.Operation("getIntegration")
	set.RecordForced("s1", get, 200)
	set.RecordForced("s1", get, 404)
	set.RecordOp("s1", get, 404)
	set.RecordForced("s1", get, 418) // a stub's undeclared status
	for _, key := range []string{coverage.Shared, "s1"} {
		rep := set.Report(key)
		if r := row(t, rep, "getIntegration", 200); r.CoverageStatus != coverage.StatusNotCovered || r.Count != 0 || r.Forced != 1 {
			t.Errorf("%q: forced-only 200 = %+v, want not covered, count 0, forced 1", key, r)
		}
		if r := row(t, rep, "getIntegration", 404); r.CoverageStatus != coverage.StatusCovered || r.Count != 1 || r.Forced != 1 {
			t.Errorf("%q: 404 = %+v, want covered by the reached one, forced 1", key, r)
		}
		if r := row(t, rep, "getIntegration", 418); r.CoverageStatus != coverage.StatusMissingInSpc || r.Count != 0 || r.Forced != 1 {
			t.Errorf("%q: 418 = %+v", key, r)
		}
		if rep.Totals.Covered != 1 || rep.Totals.ForcedOnly != 1 || rep.Totals.MissingInSpec != 1 {
			t.Errorf("%q: totals = %+v", key, rep.Totals)
		}
		var table bytes.Buffer
		if err := rep.WriteTable(&table); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(table.String(), "~200") || !strings.Contains(table.String(), "+404") || !strings.Contains(table.String(), "1 more only forced") {
			t.Errorf("%q: table:\n%s", key, table.String())
		}
	}
	set.Reset("s1")
	if r := row(t, set.Report("s1"), "getIntegration", 200); r.Forced != 0 {
		t.Errorf("after reset: %+v", r)
	}
}
