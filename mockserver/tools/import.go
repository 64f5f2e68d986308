package tools

import (
	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// CheckImported checks tools an import is about to write (their ids and
// fields, as createTool checks them; findings under tools[i]) and returns
// their normalised copies. Call it before anything is written, so an
// import that would fail writes nothing.
func CheckImported(op string, in []Tool) ([]Tool, error) {
	f := core.Findings{}
	out := make([]Tool, len(in))
	seen := map[string]bool{}
	for i, t := range in {
		at := core.Index("tools", i)
		core.CheckID(f, at+".id", t.ID)
		if seen[t.ID] {
			f.Add(at+".id", "must be unique in the import (%q appears twice)", t.ID)
		}
		seen[t.ID] = true
		n := checkTool(f, at, t)
		n.ID = t.ID
		out[i] = n
	}
	if err := f.Err(op); err != nil {
		return nil, err
	}
	return out, nil
}

// ImportTools writes checked tools (CheckImported) into an integration in
// one step: a tool whose id is new is created; one that exists is replaced
// whole when override (whatever its kind; createdAt kept), else left as
// it is and its id listed in skipped. written are the tools as stored now,
// in the order given.
func (s *Store) ImportTools(tenantName, integrationID string, in []Tool, override bool) (written []Tool, skipped []string, err error) {
	const op = "ImportMcp"
	err = s.integ.WithIntegration(op, tenantName, integrationID, func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		it := s.ensure(tenantName, integrationID)
		now := s.nowMillis()
		for _, t := range in {
			t = cloneTool(t)
			t.IntegrationID, t.ModifiedAt, t.IsModifiable = integrationID, now, true
			if i, taken := core.SearchSorted(it.tools, toolKey, t.ID); taken {
				if !override {
					skipped = append(skipped, t.ID)
					continue
				}
				r := it.tools[i]
				t.CreatedAt = r.tool.CreatedAt
				r.tool, r.version = t, s.versions.Next()
				written = append(written, cloneTool(r.tool))
				continue
			}
			t.CreatedAt = now
			r := &toolRec{tool: t, version: s.versions.Next()}
			it.tools = core.InsertSorted(it.tools, r, toolKey)
			written = append(written, cloneTool(r.tool))
		}
		return nil
	})
	return written, skipped, err
}
