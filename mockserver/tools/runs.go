package tools

import (
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// MaxRunsPerConfig bounds the run history kept per config; older runs are
// dropped first.
const MaxRunsPerConfig = 100

// RecordRun appends a tool run to a config's history and returns it as
// stored: ConfigID set to configID, RunID minted when empty, CreatedAt set
// to now when zero. The run must already have its secrets redacted.
func (s *Store) RecordRun(tenantName, integrationID, configID string, run ToolRun) (ToolRun, error) {
	const op = "RecordRun"
	body, err := core.NormalizeJSON(run.Response.Body)
	if err != nil {
		return ToolRun{}, core.Invalid(op, "response.body", "must be a JSON value")
	}
	run = cloneRun(run)
	run.Response.Body = body
	run.ConfigID = configID

	err = s.integ.WithConfig(op, tenantName, integrationID, configID, func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if run.RunID == "" {
			run.RunID = s.newID()
		}
		if run.CreatedAt == 0 {
			run.CreatedAt = s.nowMillis()
		}
		it := s.ensure(tenantName, integrationID)
		if it.runs == nil {
			it.runs = map[string][]ToolRun{}
		}
		runs := append(it.runs[configID], run)
		if extra := len(runs) - MaxRunsPerConfig; extra > 0 {
			runs = slices.Delete(runs, 0, extra)
		}
		it.runs[configID] = runs
		return nil
	})
	if err != nil {
		return ToolRun{}, err
	}
	return cloneRun(run), nil
}

// ListRuns returns a page of a config's runs, newest first.
func (s *Store) ListRuns(tenantName, integrationID, configID string, pageSize int, pageToken string) (core.Page[ToolRun], error) {
	const op = "ListRuns"
	p, err := core.NewPager(op, pageSize, pageToken, "runs", tenantName, integrationID, configID)
	if err != nil {
		return core.Page[ToolRun]{}, err
	}
	var page core.Page[ToolRun]
	err = s.integ.WithConfig(op, tenantName, integrationID, configID, func() error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		var runs []ToolRun
		if it := s.of(tenantName, integrationID); it != nil {
			runs = it.runs[configID]
		}
		to := len(runs)
		if after, ok := p.After(); ok {
			// Not found means the run was dropped, and so were all older ones.
			to = max(slices.IndexFunc(runs, func(r ToolRun) bool { return r.RunID == after }), 0)
		}
		page = core.Collect(p, core.Descending(runs, to), nil,
			func(r ToolRun) string { return r.RunID },
			func(r ToolRun) ToolRun { return cloneRun(r) })
		return nil
	})
	return page, err
}
