package integrations

import (
	"maps"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

var (
	actionTypes = []ActionType{ActionTypeReadOnly, ActionTypeReversible, ActionTypeIrreversible}
	resultTypes = []ResultType{ResultTypeJSON, ResultTypeString, ResultTypeBoolean, ResultTypeInteger}
	httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
)

// ListTools returns a page of an integration's tools, ordered by id.
func (s *Store) ListTools(tenantName, integrationID string, pageSize int, pageToken string) (core.Page[Tool], error) {
	const op = "ListTools"
	p, err := core.NewPager(op, pageSize, pageToken, "tools", tenantName, integrationID)
	if err != nil {
		return core.Page[Tool]{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ir, err := s.integration(op, tenantName, integrationID)
	if err != nil {
		return core.Page[Tool]{}, err
	}
	return core.Collect(p, core.Ascending(ir.tools, core.StartAfter(p, ir.tools, toolKey)), nil, toolKey,
		func(r *toolRec) Tool { return cloneTool(r.tool) }), nil
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

	s.mu.Lock()
	defer s.mu.Unlock()
	ir, err := s.integration(op, tenantName, integrationID)
	if err != nil {
		return Tool{}, "", err
	}
	taken := func(id string) bool { _, ok := core.SearchSorted(ir.tools, toolKey, id); return ok }
	if id == "" {
		id = core.DeriveID(in.DisplayName, "tool", s.newID, taken)
	} else if taken(id) {
		return Tool{}, "", core.Errorf(core.KindConflict, op, "tool %q already exists in integration %q", id, integrationID)
	}
	now := s.nowMillis()
	t.ID, t.IntegrationID, t.CreatedAt, t.ModifiedAt = id, integrationID, now, now
	r := &toolRec{tool: t, version: s.bump()}
	ir.tools = core.InsertSorted(ir.tools, r, toolKey)
	return cloneTool(r.tool), core.ETag(r.version), nil
}

// checkTool checks a tool's fields (not its id) and returns its normalised
// deep copy: actionType defaults to READ_ONLY; findings go under prefix.
func checkTool(f core.Findings, prefix string, t Tool) Tool {
	core.CheckText(f, prefix, t.DisplayName, t.Description)
	t.DisplayName = core.ClonePtr(t.DisplayName)
	t.Description = core.ClonePtr(t.Description)
	t.ActionType = core.DefaultEnum(f, core.Join(prefix, "actionType"), t.ActionType, ActionTypeReadOnly, actionTypes)
	t.Descriptor = checkDescriptor(f, prefix, t.Descriptor)
	t.ParametersMetadata = paramLists.intern(normalizeParams(f, core.Join(prefix, "parametersMetadata"), cloneParams(t.ParametersMetadata)))
	return t
}

// checkDescriptor checks a tool descriptor and returns its normalised copy:
// resultType defaults to JSON, headers and queryParameters to {}.
func checkDescriptor(f core.Findings, prefix string, d ToolDescriptor) ToolDescriptor {
	d = cloneDescriptor(d)
	a := &d.APITool
	path := core.Join(prefix, "descriptor.apiTool")
	switch {
	case a.HTTPMethod == "":
		f.Add(path+".httpMethod", "is required")
	case !slices.Contains(httpMethods, a.HTTPMethod):
		f.Add(path+".httpMethod", "%s", core.OneOf(httpMethods...))
	}
	if a.URL == "" {
		f.Add(path+".url", "is required")
	}
	a.ResultType = core.DefaultEnum(f, path+".resultType", a.ResultType, ResultTypeJSON, resultTypes)
	if a.Headers == nil {
		a.Headers = map[string]string{}
	}
	for _, name := range slices.Sorted(maps.Keys(a.Headers)) {
		switch {
		case !isToken(name):
			f.Add(path+".headers."+name, "is not a valid HTTP header name (RFC 9110 token: letters, digits and !#$%%&'*+-.^_`|~)")
		case strings.IndexFunc(a.Headers[name], isCTL) >= 0:
			f.Add(path+".headers."+name, "holds a control character (NUL, a line break, DEL …), which no header value may carry")
		}
	}
	if a.QueryParameters == nil {
		a.QueryParameters = map[string]string{}
	}
	return d
}

// GetTool returns a tool and its ETag.
func (s *Store) GetTool(tenantName, integrationID, id string) (Tool, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, r, err := s.tool("GetTool", tenantName, integrationID, id)
	if err != nil {
		return Tool{}, "", err
	}
	return cloneTool(r.tool), core.ETag(r.version), nil
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
	var params []ParameterMetadata
	if in.ParametersMetadata != nil {
		params = paramLists.intern(normalizeParams(f, "parametersMetadata", cloneParams(in.ParametersMetadata)))
	}
	if in.ActionType != nil && !slices.Contains(actionTypes, *in.ActionType) {
		f.Add("actionType", "%s", core.OneOf(actionTypes...))
	}
	if err := f.Err(op); err != nil {
		return Tool{}, "", err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	_, r, err := s.tool(op, tenantName, integrationID, id)
	if err != nil {
		return Tool{}, "", err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(r.version)); err != nil {
		return Tool{}, "", err
	}
	t := r.tool // fields are replaced below, never mutated
	if in.DisplayName != nil {
		t.DisplayName = core.ClonePtr(in.DisplayName)
	}
	if in.Description != nil {
		t.Description = core.ClonePtr(in.Description)
	}
	if in.ActionType != nil {
		t.ActionType = *in.ActionType
	}
	if in.Descriptor != nil {
		t.Descriptor = d
	}
	if params != nil {
		t.ParametersMetadata = params
	}
	t.ModifiedAt = s.nowMillis()
	r.tool = t
	r.version = s.bump()
	return cloneTool(r.tool), core.ETag(r.version), nil
}

// DeleteTool deletes a tool. Runs already recorded keep its id.
func (s *Store) DeleteTool(tenantName, integrationID, id, ifMatch string) error {
	const op = "DeleteTool"
	s.mu.Lock()
	defer s.mu.Unlock()
	ir, r, err := s.tool(op, tenantName, integrationID, id)
	if err != nil {
		return err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(r.version)); err != nil {
		return err
	}
	ir.tools = core.RemoveSorted(ir.tools, toolKey, id)
	return nil
}

// tool finds a tool of an integration. mu must be held.
func (s *Store) tool(op, tenantName, integrationID, id string) (*integrationRec, *toolRec, error) {
	ir, err := s.integration(op, tenantName, integrationID)
	if err != nil {
		return nil, nil, err
	}
	if i, ok := core.SearchSorted(ir.tools, toolKey, id); ok {
		return ir, ir.tools[i], nil
	}
	return nil, nil, core.Errorf(core.KindNotFound, op, "tool %q of integration %q not found", id, integrationID)
}

// isToken reports whether s is an RFC 9110 token (a header field name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// isCTL reports a control character a header value may not hold (a
// horizontal tab is allowed).
func isCTL(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }
