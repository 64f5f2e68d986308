package tools

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// ListQuery is the tools list's filters and paging (the documented
// Types, Search and Paging.* query parameters).
type ListQuery struct {
	Types    []ToolType
	Search   string
	PageSize int
	// Skip is Paging.PageToken.Skip; Cursor, Paging.PageToken.Cursor, is
	// a previous nextPageToken and wins over Skip when set.
	Skip   int
	Cursor string
}

// ToolPage is one page of the tools list.
type ToolPage struct {
	Items         []Summary `json:"items"`
	NextPageToken *string   `json:"nextPageToken"`
	TotalCount    int       `json:"totalCount"`
}

// ListTools returns a page of an integration's listed tools (isInternal
// ones are hidden), ordered by id. The next page token is the decimal
// number of matches to skip.
func (s *Store) ListTools(tenantName, integrationID string, q ListQuery) (ToolPage, error) {
	const op = "ListTools"
	size, skip := q.PageSize, q.Skip
	f := core.Findings{}
	if size == 0 {
		size = core.DefaultPageSize
	} else if size < 0 {
		f.Add("Paging.PageSize", "must be at least 1")
	}
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 0 {
			f.Add("Paging.PageToken.Cursor", "is not a page token of this list (a nextPageToken it answered)")
		}
		skip = n
	} else if skip < 0 {
		f.Add("Paging.PageToken.Skip", "must be at least 0")
	}
	for i, t := range q.Types {
		if !slices.Contains(toolTypes, t) {
			f.Add(core.Index("Types", i), "%s", core.OneOf(toolTypes...))
		}
	}
	if err := f.Err(op); err != nil {
		return ToolPage{}, err
	}
	search := strings.ToLower(q.Search)
	match := func(t Tool) bool {
		if t.IsInternal || len(q.Types) > 0 && !slices.Contains(q.Types, t.ToolType) {
			return false
		}
		if search == "" {
			return true
		}
		return strings.Contains(strings.ToLower(t.ID), search) ||
			t.DisplayName != nil && strings.Contains(strings.ToLower(*t.DisplayName), search) ||
			t.Description != nil && strings.Contains(strings.ToLower(*t.Description), search)
	}
	page := ToolPage{Items: []Summary{}}
	err := s.integ.WithIntegration(op, tenantName, integrationID, func() error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		var all []*toolRec
		if it := s.of(tenantName, integrationID); it != nil {
			all = it.tools
		}
		for _, r := range all {
			if !match(r.tool) {
				continue
			}
			if page.TotalCount >= skip && len(page.Items) < size {
				page.Items = append(page.Items, summary(r.tool))
			}
			page.TotalCount++
		}
		if next := skip + len(page.Items); next < page.TotalCount && len(page.Items) > 0 {
			tok := strconv.Itoa(next)
			page.NextPageToken = &tok
		}
		return nil
	})
	return page, err
}

// CreateTool adds a tool to an integration. Its id is required; one that
// exists in the integration is a KindConflict. A body integrationId must
// name the route's integration. actionType defaults to READ_ONLY.
func (s *Store) CreateTool(tenantName, integrationID string, in CreateToolInput) (Tool, string, error) {
	const op = "CreateTool"
	f := core.Findings{}
	id := core.Deref(in.ID)
	core.CheckID(f, "id", id)
	if in.IntegrationID != nil && *in.IntegrationID != integrationID {
		f.Add("integrationId", "must be the route's integration %q when given", integrationID)
	}
	t := checkTool(f, "", Tool{
		DisplayName:        in.DisplayName,
		Description:        in.Description,
		ActionType:         core.Deref(in.ActionType),
		Descriptor:         in.Descriptor,
		ParametersMetadata: in.ParametersMetadata,
	})
	if err := f.Err(op); err != nil {
		return Tool{}, "", err
	}

	var r *toolRec
	err := s.integ.WithIntegration(op, tenantName, integrationID, func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		it := s.ensure(tenantName, integrationID)
		if _, taken := core.SearchSorted(it.tools, toolKey, id); taken {
			return core.Errorf(core.KindConflict, op, "tool %q already exists in integration %q", id, integrationID)
		}
		now := s.nowMillis()
		t.ID, t.IntegrationID, t.CreatedAt, t.ModifiedAt, t.IsModifiable = id, integrationID, now, now, true
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

// ReplaceTool replaces a tool whole (PUT): every field the body omits is
// reset. want is the kind of tool the operation replaces: API for PUT
// …/tools/{tool}, PYTHON_SCRIPT for its :python twin; the stored tool and
// the body's descriptor must both be of that kind.
func (s *Store) ReplaceTool(tenantName, integrationID, id string, in ReplaceToolInput, ifMatch string, want ToolType) (Tool, string, error) {
	const op = "ReplaceTool"
	f := core.Findings{}
	if in.ID != nil && *in.ID != id {
		f.Add("id", "must be the route's tool %q when given", id)
	}
	if in.IntegrationID != nil && *in.IntegrationID != integrationID {
		f.Add("integrationId", "must be the route's integration %q when given", integrationID)
	}
	next := checkTool(f, "", Tool{
		DisplayName:        in.DisplayName,
		Description:        in.Description,
		ActionType:         core.Deref(in.ActionType),
		Descriptor:         in.Descriptor,
		ParametersMetadata: in.ParametersMetadata,
		IsInternal:         in.IsInternal,
		AuthSettings:       in.AuthSettings,
	})
	if next.ToolType != ToolTypeUnspecified && next.ToolType != want {
		f.Add("descriptor", "%s", kindRule(want))
	}
	if in.ToolType != nil && *in.ToolType != next.ToolType && next.ToolType != ToolTypeUnspecified {
		f.Add("toolType", "must be %s, the type of the descriptor, when given", next.ToolType)
	}
	if in.ResultType != nil && *in.ResultType != next.ResultType && next.ToolType != ToolTypeUnspecified {
		f.Add("resultType", "must be %s, the descriptor's resultType, when given", next.ResultType)
	}
	if err := f.Err(op); err != nil {
		return Tool{}, "", err
	}

	var t Tool
	var etag string
	err := s.withTool(op, tenantName, integrationID, id, true, func(_ *integrationTools, r *toolRec) error {
		if r.tool.ToolType != want {
			return core.Invalid(op, "descriptor", "tool %q is a %s tool; %s", id, r.tool.ToolType, kindRule(want))
		}
		if err := core.CheckIfMatch(op, ifMatch, core.ETag(r.version)); err != nil {
			return err
		}
		next.ID, next.IntegrationID, next.CreatedAt, next.IsModifiable = r.tool.ID, r.tool.IntegrationID, r.tool.CreatedAt, r.tool.IsModifiable
		next.ModifiedAt = s.nowMillis()
		r.tool, r.version = next, s.versions.Next()
		t, etag = cloneTool(r.tool), core.ETag(r.version)
		return nil
	})
	return t, etag, err
}

// kindRule says which operation replaces which kind of tool.
func kindRule(want ToolType) string {
	if want == ToolTypePythonScript {
		return "PUT …/tools/{tool}:python replaces Python script tools (codeTool) only"
	}
	return "PUT …/tools/{tool} replaces HTTP tools (apiTool) only; script tools use …/tools/{tool}:python"
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
