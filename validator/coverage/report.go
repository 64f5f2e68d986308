package coverage

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
)

// Coverage statuses of a report row, as Specmatic names them.
const (
	StatusCovered      = "covered"
	StatusNotCovered   = "not covered"
	StatusMissingInSpc = "missing in spec"
)

// Report is the coverage of one key, in the shape of GET /_mock/coverage.
type Report struct {
	APICoverage []SpecCoverage `json:"apiCoverage"`
	ToolRuns    []RunCount     `json:"toolRuns"`
	Totals      Totals         `json:"totals"`
}

// SpecCoverage is the coverage of one specification.
type SpecCoverage struct {
	Specification string      `json:"specification"`
	ServiceType   string      `json:"serviceType"`
	Operations    []Operation `json:"operations"`
}

// Operation is one (operation, status) row.
type Operation struct {
	Path           string `json:"path"`
	Method         string `json:"method"`
	OperationID    string `json:"operationId"`
	ResponseCode   int    `json:"responseCode"`
	CoverageStatus string `json:"coverageStatus"`
	// Count is how many answers the client reached.
	Count int64 `json:"count"`
	// Forced is how many answers the mock's scripting forced (Prefer, a
	// scenario stub): not in Count, and never what makes a row covered.
	Forced int64 `json:"forced"`
}

// RunCount is how many tool runs took one routing.
type RunCount struct {
	Run
	Count int64 `json:"count"`
}

// Totals sum a report up: declared pairs, how many were exercised (and
// what percentage, to one decimal), and how many undeclared rows were seen.
type Totals struct {
	Pairs         int     `json:"pairs"`
	Covered       int     `json:"covered"`
	Percent       float64 `json:"percent"`
	MissingInSpec int     `json:"missingInSpec"`
	// ForcedOnly counts the declared pairs only forced answers exercised.
	ForcedOnly int `json:"forcedOnly"`
}

// Report is the coverage of a session (Shared: every exchange). A session
// that has seen nothing reports every pair not covered.
func (s *Set) Report(session string) Report {
	c := s.shared
	if session != Shared {
		if c = s.session(session, false); c == nil {
			c = s.newCounter()
		}
	}
	return c.report()
}

func (c *Counter) report() Report {
	s := c.set
	rep := Report{ToolRuns: []RunCount{}}
	ops := make([]Operation, 0, len(s.pairs))
	for i, p := range s.pairs {
		n, forced := c.counts[i].Load(), c.forced[i].Load()
		row := Operation{Path: p.op.Path, Method: p.op.Method, OperationID: p.op.ID, ResponseCode: p.status,
			CoverageStatus: StatusNotCovered, Count: n, Forced: forced}
		switch {
		case n > 0:
			row.CoverageStatus = StatusCovered
			rep.Totals.Covered++
		case forced > 0:
			rep.Totals.ForcedOnly++
		}
		ops = append(ops, row)
	}
	rep.Totals.Pairs = len(s.pairs)
	for i, run := range s.runs {
		if n := c.runs[i].Load(); n > 0 {
			rep.ToolRuns = append(rep.ToolRuns, RunCount{run, n})
		}
	}
	c.mu.Lock()
	var extra []Operation
	for k, n := range c.extra {
		row := Operation{Path: k.path, Method: k.method, OperationID: k.op, ResponseCode: k.status,
			CoverageStatus: StatusMissingInSpc, Count: n.reached, Forced: n.forced}
		switch {
		case k.declared && n.reached == 0:
			row.CoverageStatus = StatusNotCovered // only forced, by a "4XX" or default response
		case k.declared:
			row.CoverageStatus = StatusCovered // by a "4XX" or default response
		default:
			rep.Totals.MissingInSpec++
		}
		extra = append(extra, row)
	}
	for run, n := range c.extraRuns {
		rep.ToolRuns = append(rep.ToolRuns, RunCount{run, n})
	}
	c.mu.Unlock()
	slices.SortFunc(extra, func(a, b Operation) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method), cmp.Compare(a.ResponseCode, b.ResponseCode))
	})
	if rep.Totals.Pairs > 0 {
		rep.Totals.Percent = math.Round(1000*float64(rep.Totals.Covered)/float64(rep.Totals.Pairs)) / 10
	}
	rep.APICoverage = []SpecCoverage{{Specification: s.spec, ServiceType: "HTTP", Operations: append(ops, extra...)}}
	return rep
}

// RunFromBody reads the routing of a :run answer (executionMode,
// sandboxMode, route); ok is false when the body has none.
func RunFromBody(body []byte) (Run, bool) {
	var r Run
	if err := json.Unmarshal(body, &r); err != nil || r.ExecutionMode == "" || r.Route == "" {
		return Run{}, false
	}
	return r, true
}

// Uncovered lists the declared rows not exercised.
func (r Report) Uncovered() []Operation {
	var out []Operation
	for _, sc := range r.APICoverage {
		for _, op := range sc.Operations {
			if op.CoverageStatus == StatusNotCovered {
				out = append(out, op)
			}
		}
	}
	return out
}
