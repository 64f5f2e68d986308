package integrations

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// SnapshotVersion is the version of the Snapshot document format.
const SnapshotVersion = 1

// Snapshot is the whole state as a JSON document, for export and import and
// for resetting to a baseline (take a Snapshot after loading fixtures,
// Restore it to reset). Secrets stay sealed in it: it never holds a secret
// in the clear, and it only restores into a store with the same secret key.
// Versions are kept, so ETags survive a round trip.
type Snapshot struct {
	Version int                       `json:"version"`
	Tenants map[string]TenantSnapshot `json:"tenants"`
}

// TenantSnapshot is one tenant's state.
type TenantSnapshot struct {
	Integrations []IntegrationSnapshot `json:"integrations"`
}

// IntegrationSnapshot is an integration with its configs and tools.
type IntegrationSnapshot struct {
	Integration Integration      `json:"integration"`
	Version     uint64           `json:"version,omitempty"`
	Configs     []ConfigSnapshot `json:"configs"`
	Tools       []ToolSnapshot   `json:"tools"`
}

// ConfigSnapshot is a config: its sealed draft, revisions (oldest first;
// the last is the published one) and runs (oldest first).
type ConfigSnapshot struct {
	ID         string             `json:"id"`
	Draft      SealedDraft        `json:"draft"`
	Revisions  []RevisionSnapshot `json:"revisions"`
	CreatedBy  *string            `json:"createdBy,omitempty"`
	CreatedAt  int64              `json:"createdAt"`
	ModifiedAt int64              `json:"modifiedAt"`
	Version    uint64             `json:"version,omitempty"`
	Runs       []ToolRun          `json:"runs,omitempty"`
}

// RevisionSnapshot is a published revision.
type RevisionSnapshot struct {
	ID        string      `json:"id"`
	Number    int         `json:"number"`
	Draft     SealedDraft `json:"draft"`
	CreatedBy *string     `json:"createdBy,omitempty"`
	CreatedAt int64       `json:"createdAt"`
}

// ToolSnapshot is a tool.
type ToolSnapshot struct {
	Tool    Tool   `json:"tool"`
	Version uint64 `json:"version,omitempty"`
}

// Snapshot exports the whole state as a deep copy.
func (s *Store) Snapshot() Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	doc := Snapshot{Version: SnapshotVersion, Tenants: make(map[string]TenantSnapshot, len(s.tenants))}
	for name, t := range s.tenants {
		ts := TenantSnapshot{Integrations: make([]IntegrationSnapshot, 0, t.len())}
		for _, ir := range t.ordered() {
			is := IntegrationSnapshot{
				Integration: cloneIntegration(ir.it),
				Version:     ir.version,
				Configs:     make([]ConfigSnapshot, 0, len(ir.configOrder)),
				Tools:       make([]ToolSnapshot, 0, len(ir.tools)),
			}
			for _, c := range ir.configOrder {
				cs := ConfigSnapshot{
					ID: c.id, Draft: c.draft.doc(), CreatedBy: core.ClonePtr(c.createdBy),
					CreatedAt: c.createdAt, ModifiedAt: c.modifiedAt, Version: c.version,
					Revisions: make([]RevisionSnapshot, 0, len(c.revs())),
				}
				for _, r := range c.revs() {
					cs.Revisions = append(cs.Revisions, RevisionSnapshot{ID: r.id, Number: r.number, Draft: r.draft.doc(), CreatedBy: core.ClonePtr(r.createdBy), CreatedAt: r.createdAt})
				}
				for _, run := range c.runList() {
					cs.Runs = append(cs.Runs, cloneRun(run))
				}
				is.Configs = append(is.Configs, cs)
			}
			for _, r := range ir.tools {
				is.Tools = append(is.Tools, ToolSnapshot{Tool: cloneTool(r.tool), Version: r.version})
			}
			ts.Integrations = append(ts.Integrations, is)
		}
		doc.Tenants[name] = ts
	}
	return doc
}

// Restore replaces the whole state with doc, atomically: doc is checked
// first (structure, ids, metadata, and that every sealed value opens with
// this store's key) and on any error nothing changes. Configs are not
// re-checked against their integration's metadata, which may have changed
// since they were written. Restore keeps no reference into doc.
func (s *Store) Restore(doc Snapshot) error {
	const op = "Restore"
	f := core.Findings{}
	if doc.Version != SnapshotVersion {
		f.Add("version", "must be %d", SnapshotVersion)
	}
	r := &restorer{f: f, box: s.box}
	tenants := make(map[string]*tenant, len(doc.Tenants))
	for name, ts := range doc.Tenants {
		if name == "" {
			f.Add("tenants", "must not contain an empty tenant name")
		}
		t := &tenant{}
		for i, is := range ts.Integrations {
			ir := s.restoreIntegration(r, fmt.Sprintf("tenants.%s.integrations[%d]", name, i), is)
			if t.find(ir.it.ID) != nil {
				f.Add(fmt.Sprintf("tenants.%s.integrations[%d].integration.id", name, i), "must be unique in the tenant")
				continue
			}
			t.add(ir)
		}
		tenants[name] = t
	}
	if err := f.Err(op); err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range tenants { // keep versions unique: none below the counter
		for _, ir := range t.ordered() {
			s.seq = max(s.seq, ir.version)
			for _, c := range ir.configOrder {
				s.seq = max(s.seq, c.version)
			}
			for _, r := range ir.tools {
				s.seq = max(s.seq, r.version)
			}
		}
	}
	for _, t := range tenants { // hand-written documents may omit versions
		for _, ir := range t.ordered() {
			s.fillVersion(&ir.version)
			for _, c := range ir.configOrder {
				s.fillVersion(&c.version)
			}
			for _, r := range ir.tools {
				s.fillVersion(&r.version)
			}
		}
	}
	s.tenants = tenants
	return nil
}

func (s *Store) fillVersion(v *uint64) {
	if *v == 0 {
		*v = s.bump()
	}
}

// restoreIntegration checks one integration of a document and builds its
// record from deep copies.
func (s *Store) restoreIntegration(r *restorer, p string, is IntegrationSnapshot) *integrationRec {
	f := r.f
	ir := &integrationRec{
		it:      s.prepareIntegration(f, p+".integration", is.Integration),
		version: is.Version,
	}
	for j, cs := range is.Configs {
		cp := core.Index(p+".configs", j)
		c := &configRec{id: cs.ID, draft: r.draft(cp+".draft", cs.Draft), createdBy: core.ClonePtr(cs.CreatedBy),
			createdAt: cs.CreatedAt, modifiedAt: cs.ModifiedAt, version: cs.Version}
		switch {
		case cs.ID == "":
			f.Add(cp+".id", "is required")
		case ir.findConfig(cs.ID) != nil:
			f.Add(cp+".id", "must be unique in the integration")
		}
		for k, rs := range cs.Revisions {
			rp := core.Index(cp+".revisions", k)
			if rs.ID == "" || slices.ContainsFunc(c.revs(), func(r *revisionRec) bool { return r.id == rs.ID }) {
				f.Add(rp+".id", "must be set and unique in the config")
			}
			if rs.Number != k+1 {
				f.Add(rp+".number", "must be %d (revisions are numbered 1, 2, … oldest first)", k+1)
			}
			rev := &revisionRec{id: rs.ID, number: rs.Number, draft: r.draft(rp+".draft", rs.Draft), createdBy: core.ClonePtr(rs.CreatedBy), createdAt: rs.CreatedAt}
			if reflect.DeepEqual(rev.draft, c.draft) {
				rev.draft = c.draft // share, as a publish does
			}
			h := c.history()
			h.revisions = append(h.revisions, rev)
		}
		if len(cs.Runs) > MaxRunsPerConfig {
			f.Add(cp+".runs", "must have at most %d runs", MaxRunsPerConfig)
		}
		for k, run := range cs.Runs {
			body, err := core.NormalizeJSON(run.Response.Body)
			if err != nil {
				f.Add(core.Index(cp+".runs", k)+".response.body", "must be a JSON value")
			}
			run = cloneRun(run)
			run.Response.Body = body
			h := c.history()
			h.runs = append(h.runs, run)
		}
		ir.addConfig(c)
	}
	for j, ts := range is.Tools {
		tp := core.Index(p+".tools", j)
		t := checkTool(f, tp+".tool", ts.Tool)
		t.ID, t.IntegrationID, t.CreatedAt, t.ModifiedAt = ts.Tool.ID, ir.it.ID, ts.Tool.CreatedAt, ts.Tool.ModifiedAt
		core.CheckID(f, tp+".tool.id", t.ID)
		if _, dup := core.SearchSorted(ir.tools, toolKey, t.ID); dup {
			f.Add(tp+".tool.id", "must be unique in the integration")
			continue
		}
		ir.tools = core.InsertSorted(ir.tools, &toolRec{tool: t, version: ts.Version}, toolKey)
	}
	return ir
}
