package state

import (
	"github.com/fruxon/fruxon-mock/mockserver/assets"
	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// SnapshotVersion is the version of the Snapshot document format. Version
// 2 gave each room a section of its own per tenant; version 1 kept tools
// inside their integrations and runs inside their configs. The assets
// section came later without a new version: it is optional (absent: the
// tenant has no assets), so every version 2 document written before it
// still imports, and means what it meant (no assets); a server without it
// refuses a document that has one, naming the field, rather than dropping
// the assets silently.
const SnapshotVersion = 2

// Snapshot is the whole state as a JSON document, for export and import and
// for resetting to a baseline (take a Snapshot after loading fixtures,
// Restore it to reset). Secrets stay sealed in it: it never holds a secret
// in the clear, and it only restores into a store with the same secret key.
// Versions are kept, so ETags survive a round trip.
type Snapshot struct {
	Version int                       `json:"version"`
	Tenants map[string]TenantSnapshot `json:"tenants"`
}

// TenantSnapshot is one tenant's state: a section per room.
type TenantSnapshot struct {
	Integrations integrations.Section `json:"integrations"`
	Tools        tools.Section        `json:"tools"`
	// MCP is absent when the tenant has no MCP settings stored.
	MCP *mcp.Section `json:"mcp,omitempty"`
	// Assets is absent when the tenant has no assets (nor OAuth tokens
	// handed out for its asset sources).
	Assets *assets.Section `json:"assets,omitempty"`
}

// CheckVersion refuses a document of another version than SnapshotVersion,
// saying what to do with one of version 1; an importer can check the
// version before it decodes the rest of a document strictly.
func CheckVersion(version int) error {
	f := core.Findings{}
	checkVersion(f, version)
	return f.Err("Restore")
}

func checkVersion(f core.Findings, version int) {
	switch version {
	case SnapshotVersion:
	case 1:
		f.Add("version", "must be %d: a version 1 document keeps tools inside their integrations and runs inside their configs, "+
			"where version %d keeps both in each tenant's \"tools\" section (tools.tools, tools.runs); "+
			"move them there, or export the state again from a server of this version", SnapshotVersion, SnapshotVersion)
	default:
		f.Add("version", "must be %d", SnapshotVersion)
	}
}

// Snapshot exports the whole state as a deep copy, every room read under
// the integrations room's read lock, so the sections agree.
func (s *Store) Snapshot() Snapshot {
	var toolSections map[string]tools.Section
	var mcpSections map[string]mcp.Section
	var assetSections map[string]assets.Section
	sections := s.integrations.Snapshot(func(tenants []string) {
		toolSections, mcpSections = s.tools.Snapshot(tenants), s.mcp.Snapshot(tenants)
		assetSections = s.assets.Snapshot()
	})
	doc := Snapshot{Version: SnapshotVersion, Tenants: make(map[string]TenantSnapshot, len(sections))}
	for name, sec := range sections {
		ts := TenantSnapshot{Integrations: sec, Tools: toolSections[name]}
		if m, ok := mcpSections[name]; ok {
			ts.MCP = &m
		}
		doc.Tenants[name] = ts
	}
	// The assets room keeps tenants of its own (an asset written to a
	// tenant the other rooms never saw): they come with empty sections.
	for name, sec := range assetSections {
		ts := doc.Tenants[name]
		ts.Assets = &sec
		doc.Tenants[name] = ts
	}
	return doc
}

// Restore replaces the whole state with doc, atomically: every room checks
// its sections first (structure, ids, references between rooms, and that
// every sealed value opens with this store's key) and on any error nothing
// changes; then every room commits under the integrations room's write
// lock. Restore keeps no reference into doc.
func (s *Store) Restore(doc Snapshot) error {
	const op = "Restore"
	f := core.Findings{}
	checkVersion(f, doc.Version)
	ip, tp, mp, ap := s.prepare(f, doc.Tenants)
	if err := f.Err(op); err != nil {
		return err
	}
	s.observe(ip, tp)
	s.integrations.Commit(ip, func() { s.tools.Commit(tp); s.mcp.Commit(mp); s.assets.Commit(ap) })
	return nil
}

// AdoptTenant makes tenant name hold ts's content, unless the store knows
// the tenant already; it reports whether it adopted. ts is checked like a
// Restore of it (its sealed values must open with this store's key) and on
// error nothing changes. Versions are kept, so ETags match the store ts
// was taken from, and the version counter moves past them. Sessions adopt
// a tenant from the fixtures this way on their first write to it, so a
// session costs memory in proportion to the tenants it changed. AdoptTenant
// keeps no reference into ts.
func (s *Store) AdoptTenant(name string, ts TenantSnapshot) (bool, error) {
	if s.HasTenant(name) {
		return false, nil
	}
	f := core.Findings{}
	ip, tp, mp, ap := s.prepare(f, map[string]TenantSnapshot{name: ts})
	if err := f.Err("Restore"); err != nil {
		return false, err
	}
	s.observe(ip, tp)
	return s.integrations.Adopt(name, ip, func() { s.tools.Adopt(name, tp); s.mcp.Adopt(name, mp); s.assets.Adopt(name, ap) }), nil
}

// prepare has every room check and build its sections of tenants.
func (s *Store) prepare(f core.Findings, tenants map[string]TenantSnapshot) (*integrations.Prepared, *tools.Prepared, *mcp.Prepared, *assets.Prepared) {
	isec := make(map[string]integrations.Section, len(tenants))
	tsec := make(map[string]tools.Section, len(tenants))
	msec := make(map[string]mcp.Section, len(tenants))
	asec := make(map[string]assets.Section, len(tenants))
	for name, ts := range tenants {
		if name == "" {
			f.Add("tenants", "must not contain an empty tenant name")
		}
		isec[name], tsec[name] = ts.Integrations, ts.Tools
		if ts.MCP != nil {
			msec[name] = *ts.MCP
		}
		if ts.Assets != nil {
			asec[name] = *ts.Assets
		}
	}
	ip := s.integrations.Prepare(f, isec)
	mp := s.mcp.Prepare(f, msec, func(tenant, integration string) bool { return ip.Has(tenant, integration, "") })
	return ip, s.tools.Prepare(f, tsec, ip.Has), mp, s.assets.Prepare(f, asec)
}

// observe moves the version counter past every prepared version, before
// any room fills in the versions a document left out.
func (s *Store) observe(ip *integrations.Prepared, tp *tools.Prepared) {
	s.versions.Observe(ip.MaxVersion())
	s.versions.Observe(tp.MaxVersion())
}
