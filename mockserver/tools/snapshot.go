package tools

import (
	"fmt"
	"maps"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// Section is one tenant's tools and runs in a state document (see package
// state). Versions are kept, so ETags survive a round trip.
type Section struct {
	// Tools are ordered by integration, then id.
	Tools []ToolSnapshot `json:"tools"`
	// Runs are ordered by integration, then config.
	Runs []RunLog `json:"runs,omitempty"`
}

// ToolSnapshot is a tool; Tool.IntegrationID names the integration it
// belongs to.
type ToolSnapshot struct {
	Tool    Tool   `json:"tool"`
	Version uint64 `json:"version,omitempty"`
}

// RunLog is the runs of one config, oldest first.
type RunLog struct {
	IntegrationID string    `json:"integrationId"`
	ConfigID      string    `json:"configId"`
	Runs          []ToolRun `json:"runs"`
}

// Snapshot copies the sections of the named tenants (an empty one for a
// tenant without tools).
func (s *Store) Snapshot(tenants []string) map[string]Section {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]Section, len(tenants))
	for _, name := range tenants {
		sec := Section{Tools: []ToolSnapshot{}}
		byID := s.tenants[name]
		for _, id := range slices.Sorted(maps.Keys(byID)) {
			it := byID[id]
			for _, r := range it.tools {
				sec.Tools = append(sec.Tools, ToolSnapshot{Tool: cloneTool(r.tool), Version: r.version})
			}
			for _, config := range slices.Sorted(maps.Keys(it.runs)) {
				log := RunLog{IntegrationID: id, ConfigID: config, Runs: make([]ToolRun, 0, len(it.runs[config]))}
				for _, run := range it.runs[config] {
					log.Runs = append(log.Runs, cloneRun(run))
				}
				sec.Runs = append(sec.Runs, log)
			}
		}
		out[name] = sec
	}
	return out
}

// Prepared is the sections of a state document, checked and built into
// records, ready to Commit or Adopt. It keeps no reference into the
// document.
type Prepared struct {
	tenants    map[string]map[string]*integrationTools
	maxVersion uint64
}

// MaxVersion is the highest version the prepared records carry.
func (p *Prepared) MaxVersion() uint64 { return p.maxVersion }

// Prepare checks the sections of a document, reporting to f at
// "tenants.<name>.tools…", and builds their records. has says whether the
// document's integrations room holds an integration (config "") or a
// config of it, which every tool and run log must name.
func (s *Store) Prepare(f core.Findings, doc map[string]Section, has func(tenant, integration, config string) bool) *Prepared {
	p := &Prepared{tenants: make(map[string]map[string]*integrationTools, len(doc))}
	for name, sec := range doc {
		byID := map[string]*integrationTools{}
		at := func(id string) *integrationTools {
			if byID[id] == nil {
				byID[id] = &integrationTools{}
			}
			return byID[id]
		}
		for j, ts := range sec.Tools {
			tp := core.Index(fmt.Sprintf("tenants.%s.tools.tools", name), j)
			if r, ok := prepareTool(f, tp, ts, has(name, ts.Tool.IntegrationID, "")); ok {
				it := at(r.tool.IntegrationID)
				if _, dup := core.SearchSorted(it.tools, toolKey, r.tool.ID); dup {
					f.Add(tp+".tool.id", "must be unique in the integration")
					continue
				}
				it.tools = core.InsertSorted(it.tools, r, toolKey)
				p.maxVersion = max(p.maxVersion, r.version)
			}
		}
		for j, log := range sec.Runs {
			lp := core.Index(fmt.Sprintf("tenants.%s.tools.runs", name), j)
			if runs, ok := prepareRuns(f, lp, log, has(name, log.IntegrationID, log.ConfigID)); ok {
				it := at(log.IntegrationID)
				if it.runs == nil {
					it.runs = map[string][]ToolRun{}
				}
				if it.runs[log.ConfigID] != nil {
					f.Add(lp+".configId", "must be unique in the integration")
					continue
				}
				it.runs[log.ConfigID] = runs
			}
		}
		p.tenants[name] = byID
	}
	return p
}

// prepareTool checks one tool of a document and builds its record from a
// deep copy; known says whether its integration exists.
func prepareTool(f core.Findings, tp string, ts ToolSnapshot, known bool) (*toolRec, bool) {
	t := checkTool(f, tp+".tool", ts.Tool)
	t.ID, t.IntegrationID, t.CreatedAt, t.ModifiedAt = ts.Tool.ID, ts.Tool.IntegrationID, ts.Tool.CreatedAt, ts.Tool.ModifiedAt
	core.CheckID(f, tp+".tool.id", t.ID)
	if !known {
		f.Add(tp+".tool.integrationId", "must name an integration of the tenant")
		return nil, false
	}
	return &toolRec{tool: t, version: ts.Version}, true
}

// prepareRuns checks one run log of a document and copies its runs; known
// says whether its config exists.
func prepareRuns(f core.Findings, lp string, log RunLog, known bool) ([]ToolRun, bool) {
	if !known {
		f.Add(lp+".configId", "must name a config of integration %q of the tenant", log.IntegrationID)
		return nil, false
	}
	if len(log.Runs) > MaxRunsPerConfig {
		f.Add(lp+".runs", "must have at most %d runs", MaxRunsPerConfig)
	}
	runs := make([]ToolRun, 0, len(log.Runs))
	for k, run := range log.Runs {
		body, err := core.NormalizeJSON(run.Response.Body)
		if err != nil {
			f.Add(core.Index(lp+".runs", k)+".response.body", "must be a JSON value")
		}
		run = cloneRun(run)
		run.Response.Body = body
		runs = append(runs, run)
	}
	return runs, true
}

// Commit replaces the whole state with p, which must not be used again.
// The caller has made the version counter observe p.MaxVersion(); tools a
// hand-written document left without a version get fresh ones.
func (s *Store) Commit(p *Prepared) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, byID := range p.tenants {
		s.fillVersions(byID)
	}
	s.tenants = p.tenants
}

// Adopt makes tenant name hold p's tenant of that name (nothing, when p
// has none); p must not be used again. The integrations room decides
// whether the tenant is adopted and calls it under its lock.
func (s *Store) Adopt(name string, p *Prepared) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byID := p.tenants[name]
	s.fillVersions(byID)
	if len(byID) == 0 {
		delete(s.tenants, name)
		return
	}
	s.tenants[name] = byID
}

// fillVersions gives every tool of byID without a version a fresh one, in
// a stable order. mu must be held for writing.
func (s *Store) fillVersions(byID map[string]*integrationTools) {
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		for _, r := range byID[id].tools {
			s.versions.Fill(&r.version)
		}
	}
}
