package tools

import (
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// ListTools returns a page of an integration's tools, ordered by id.
func (s *Store) ListTools(tenantName, integrationID string, pageSize int, pageToken string) (core.Page[Tool], error) {
	const op = "ListTools"
	p, err := core.NewPager(op, pageSize, pageToken, "tools", tenantName, integrationID)
	if err != nil {
		return core.Page[Tool]{}, err
	}
	var page core.Page[Tool]
	err = s.integ.WithIntegration(op, tenantName, integrationID, func() error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		var all []*toolRec
		if it := s.of(tenantName, integrationID); it != nil {
			all = it.tools
		}
		page = core.Collect(p, core.Ascending(all, core.StartAfter(p, all, toolKey)), nil, toolKey,
			func(r *toolRec) Tool { return cloneTool(r.tool) })
		return nil
	})
	return page, err
}

// CreateTool adds a tool to an integration. Its id comes from the body, or
// is derived like an integration's (slug of displayName, else
// tool-<8 characters>); an explicit id that exists in the integration is a
// KindConflict. actionType defaults to READ_ONLY, resultType to JSON.
func (s *Store) CreateTool(tenantName, integrationID string, in CreateToolInput) (Tool, string, error) {
	const op = "CreateTool"
	f := core.Findings{}
	id := core.Deref(in.ID)
	if id != "" {
		core.CheckID(f, "id", id)
	}
	t := checkTool(f, "", Tool{
		DisplayName:        in.DisplayName,
		Description:        in.Description,
		ActionType:         core.Deref(in.ActionType),
		Descriptor:         in.Descriptor,
		ParametersMetadata: in.ParametersMetadata,
	})
	if in.ActionType != nil && *in.ActionType == "" {
		f.Add("actionType", "%s", core.OneOf(actionTypes...))
	}
	if err := f.Err(op); err != nil {
		return Tool{}, "", err
	}

	var r *toolRec
	err := s.integ.WithIntegration(op, tenantName, integrationID, func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		it := s.ensure(tenantName, integrationID)
		taken := func(id string) bool { _, ok := core.SearchSorted(it.tools, toolKey, id); return ok }
		if id == "" {
			id = core.DeriveID(in.DisplayName, "tool", s.newID, taken)
		} else if taken(id) {
			return core.Errorf(core.KindConflict, op, "tool %q already exists in integration %q", id, integrationID)
		}
		now := s.nowMillis()
		t.ID, t.IntegrationID, t.CreatedAt, t.ModifiedAt = id, integrationID, now, now
		r = &toolRec{tool: t, version: s.versions.Next()}
		it.tools = core.InsertSorted(it.tools, r, toolKey)
		return nil
	})
	if err != nil {
		return Tool{}, "", err
	}
	return cloneTool(r.tool), core.ETag(r.version), nil
}

// GetTool returns a tool and its ETag.
func (s *Store) GetTool(tenantName, integrationID, id string) (Tool, string, error) {
	var t Tool
	var etag string
	err := s.withTool("GetTool", tenantName, integrationID, id, false, func(_ *integrationTools, r *toolRec) error {
		t, etag = cloneTool(r.tool), core.ETag(r.version)
		return nil
	})
	return t, etag, err
}

// UpdateTool applies a partial update: nil fields keep their value; a given
// descriptor or parametersMetadata replaces the old one whole.
func (s *Store) UpdateTool(tenantName, integrationID, id string, in UpdateToolInput, ifMatch string) (Tool, string, error) {
	const op = "UpdateTool"
	f := core.Findings{}
	core.CheckText(f, "", in.DisplayName, in.Description)
	var d ToolDescriptor
	if in.Descriptor != nil {
		d = checkDescriptor(f, "", *in.Descriptor)
	}
	var params []integrations.ParameterMetadata
	if in.ParametersMetadata != nil {
		params = integrations.NormalizeParameters(f, "parametersMetadata", in.ParametersMetadata)
	}
	if in.ActionType != nil && !slices.Contains(actionTypes, *in.ActionType) {
		f.Add("actionType", "%s", core.OneOf(actionTypes...))
	}
	if err := f.Err(op); err != nil {
		return Tool{}, "", err
	}

	var t Tool
	var etag string
	err := s.withTool(op, tenantName, integrationID, id, true, func(_ *integrationTools, r *toolRec) error {
		if err := core.CheckIfMatch(op, ifMatch, core.ETag(r.version)); err != nil {
			return err
		}
		next := r.tool // fields are replaced below, never mutated
		if in.DisplayName != nil {
			next.DisplayName = core.ClonePtr(in.DisplayName)
		}
		if in.Description != nil {
			next.Description = core.ClonePtr(in.Description)
		}
		if in.ActionType != nil {
			next.ActionType = *in.ActionType
		}
		if in.Descriptor != nil {
			next.Descriptor = d
		}
		if params != nil {
			next.ParametersMetadata = params
		}
		next.ModifiedAt = s.nowMillis()
		r.tool, r.version = next, s.versions.Next()
		t, etag = cloneTool(r.tool), core.ETag(r.version)
		return nil
	})
	return t, etag, err
}

// DeleteTool deletes a tool. Runs already recorded keep its id.
func (s *Store) DeleteTool(tenantName, integrationID, id, ifMatch string) error {
	const op = "DeleteTool"
	return s.withTool(op, tenantName, integrationID, id, true, func(it *integrationTools, r *toolRec) error {
		if err := core.CheckIfMatch(op, ifMatch, core.ETag(r.version)); err != nil {
			return err
		}
		it.tools = core.RemoveSorted(it.tools, toolKey, id)
		return nil
	})
}

// withTool runs fn on a tool of an integration with mu held (for writing
// when write), or returns the KindNotFound error naming what is missing.
func (s *Store) withTool(op, tenantName, integrationID, id string, write bool, fn func(*integrationTools, *toolRec) error) error {
	return s.integ.WithIntegration(op, tenantName, integrationID, func() error {
		if write {
			s.mu.Lock()
			defer s.mu.Unlock()
		} else {
			s.mu.RLock()
			defer s.mu.RUnlock()
		}
		if it := s.of(tenantName, integrationID); it != nil {
			if i, ok := core.SearchSorted(it.tools, toolKey, id); ok {
				return fn(it, it.tools[i])
			}
		}
		return core.Errorf(core.KindNotFound, op, "tool %q of integration %q not found", id, integrationID)
	})
}
