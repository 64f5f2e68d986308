package integrations

import (
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// IntegrationFilter selects integrations in ListIntegrations.
type IntegrationFilter struct {
	// Search matches a case-insensitive substring of id, displayName or
	// description.
	Search string
	// Types, when not empty, keeps integrations of one of those types.
	Types []IntegrationType
	// Tags keeps integrations that carry every one of them.
	Tags []string
	// Paging is the page asked for.
	Paging Paging
}

// ListIntegrations returns a page of a tenant's integrations, ordered by id.
func (s *Store) ListIntegrations(tenantName string, f IntegrationFilter) (List[Integration], error) {
	const op = "ListIntegrations"
	for _, t := range f.Types {
		if !slices.Contains(integrationTypes, t) {
			return List[Integration]{}, core.Invalid(op, "Types", "%s", core.OneOf(integrationTypes...))
		}
	}
	tags := slices.Sorted(slices.Values(f.Tags))
	types := make([]string, len(f.Types))
	for i, t := range f.Types {
		types[i] = string(t)
	}
	slices.Sort(types)
	query := strings.ToLower(f.Search)
	p, err := f.Paging.pager(op, "integrations", tenantName, query, strings.Join(types, "\x01"), strings.Join(tags, "\x01"))
	if err != nil {
		return List[Integration]{}, err
	}
	keep := func(r *integrationRec) bool {
		it := &r.it
		if len(f.Types) > 0 && !slices.Contains(f.Types, it.Type) {
			return false
		}
		for _, tag := range tags {
			if !slices.Contains(it.Tags, tag) {
				return false
			}
		}
		return query == "" || containsFold(it.ID, query) || containsFold(core.Deref(it.DisplayName), query) || containsFold(core.Deref(it.Description), query)
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	t, err := s.lookupTenant(op, tenantName)
	if err != nil {
		return List[Integration]{}, err
	}
	all := t.ordered()
	return listPage(f.Paging, p, all, core.Ascending(all, core.StartAfter(p, all, integrationKey)), keep, integrationKey,
		func(r *integrationRec) Integration { return cloneIntegration(r.it) }), nil
}

// CreateIntegration creates a CUSTOM integration. Without an id, the id is
// the slug of displayName (lowercase, each run of other characters than
// [a-z0-9] one "-", at most 64 characters, -2, -3, … appended on
// collision), or integration-<8 characters> when there is no name to slug.
// An explicit id that exists is a KindConflict.
func (s *Store) CreateIntegration(tenantName string, in CreateIntegrationInput) (Integration, string, error) {
	const op = "CreateIntegration"
	f := core.Findings{}
	id := core.Deref(in.ID)
	if id != "" {
		core.CheckID(f, "id", id)
	}
	core.CheckText(f, "", in.DisplayName, in.Description)
	var md ConfigMetadata
	if in.ConfigMetadata != nil {
		md = *in.ConfigMetadata
	}
	md = normalizeMetadata(f, "configMetadata", md)
	if err := f.Err(op); err != nil {
		return Integration{}, "", err
	}
	md = shareMetadata(md)

	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.ensureTenant(op, tenantName, false)
	if err != nil {
		return Integration{}, "", err
	}
	if id == "" {
		id = core.DeriveID(in.DisplayName, "integration", s.newID, func(id string) bool { return t.find(id) != nil })
	} else if t.find(id) != nil {
		return Integration{}, "", core.Errorf(core.KindConflict, op, "integration %q already exists", id)
	}
	now := s.nowMillis()
	r := &integrationRec{
		it: Integration{
			ID:             id,
			DisplayName:    core.ClonePtr(in.DisplayName),
			Description:    core.ClonePtr(in.Description),
			Type:           IntegrationTypeCustom,
			ConfigMetadata: md,
			Tags:           []string{},
			CreatedAt:      now,
			ModifiedAt:     now,
		},
		version: s.bump(),
	}
	t.add(r)
	return cloneIntegration(r.it), core.ETag(r.version), nil
}

// PutIntegration stores an integration as given, for fixtures: its type
// (default SYSTEM) and times (default now) are kept. An existing id is a
// KindConflict.
func (s *Store) PutIntegration(tenantName string, it Integration) error {
	const op = "PutIntegration"
	f := core.Findings{}
	it = s.prepareIntegration(f, "", it)
	if err := f.Err(op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.ensureTenant(op, tenantName, false)
	if err != nil {
		return err
	}
	if t.find(it.ID) != nil {
		return core.Errorf(core.KindConflict, op, "integration %q already exists", it.ID)
	}
	r := &integrationRec{it: it, version: s.bump()}
	t.add(r)
	return nil
}

// prepareIntegration checks a whole integration (PutIntegration, Restore)
// and returns its normalised deep copy; findings go under prefix.
func (s *Store) prepareIntegration(f core.Findings, prefix string, it Integration) Integration {
	core.CheckID(f, core.Join(prefix, "id"), it.ID)
	core.CheckText(f, prefix, it.DisplayName, it.Description)
	it.Type = core.DefaultEnum(f, core.Join(prefix, "type"), it.Type, IntegrationTypeSystem, integrationTypes)
	checkTags(f, prefix, it.Tags)
	md := normalizeMetadata(f, core.Join(prefix, "configMetadata"), it.ConfigMetadata)
	it = cloneIntegration(it)
	it.ConfigMetadata = shareMetadata(md)
	if it.Tags == nil {
		it.Tags = []string{}
	}
	if it.CreatedAt == 0 {
		it.CreatedAt = s.nowMillis()
	}
	if it.ModifiedAt == 0 {
		it.ModifiedAt = it.CreatedAt
	}
	return it
}

// GetIntegration returns an integration and its ETag.
func (s *Store) GetIntegration(tenantName, id string) (Integration, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.integration("GetIntegration", tenantName, id)
	if err != nil {
		return Integration{}, "", err
	}
	return cloneIntegration(r.it), core.ETag(r.version), nil
}

// UpdateIntegration is the PUT: a full replace of displayName, description
// and configMetadata, where nil clears a field (configMetadata to an empty
// one). id, type, tags, isInternal and createdAt are kept. It bumps
// modifiedAt. Existing configs are not re-validated against new metadata.
func (s *Store) UpdateIntegration(tenantName, id string, in UpdateIntegrationInput, ifMatch string) (Integration, string, error) {
	const op = "UpdateIntegration"
	f := core.Findings{}
	core.CheckText(f, "", in.DisplayName, in.Description)
	var md ConfigMetadata
	if in.ConfigMetadata != nil {
		md = *in.ConfigMetadata
	}
	md = normalizeMetadata(f, "configMetadata", md)
	if err := f.Err(op); err != nil {
		return Integration{}, "", err
	}
	md = shareMetadata(md)

	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.integration(op, tenantName, id)
	if err != nil {
		return Integration{}, "", err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(r.version)); err != nil {
		return Integration{}, "", err
	}
	it := r.it // fields are replaced below, never mutated
	it.DisplayName = core.ClonePtr(in.DisplayName)
	it.Description = core.ClonePtr(in.Description)
	it.ConfigMetadata = md
	it.ModifiedAt = s.nowMillis()
	r.it = it
	r.version = s.bump()
	return cloneIntegration(r.it), core.ETag(r.version), nil
}

// DeleteIntegration deletes an integration, and through
// Hooks.IntegrationDeleted its tools. While it has configs it is a
// KindConflict: configs hold a tenant's credentials and must be deleted one
// by one, while tools are part of the integration's definition and go with
// it.
func (s *Store) DeleteIntegration(tenantName, id, ifMatch string) error {
	const op = "DeleteIntegration"
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.integration(op, tenantName, id)
	if err != nil {
		return err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(r.version)); err != nil {
		return err
	}
	if r.it.Type == IntegrationTypeSystem {
		// The reference: system integrations answer 404 on delete.
		return core.Errorf(core.KindNotFound, op, "integration %q is a SYSTEM integration; only custom integrations can be deleted", id)
	}
	if n := len(r.configOrder); n > 0 {
		return core.Errorf(core.KindConflict, op, "integration %q still has %d config(s); delete them first", id, n)
	}
	t := s.tenants[tenantName]
	t.remove(id)
	if s.hooks.IntegrationDeleted != nil {
		s.hooks.IntegrationDeleted(tenantName, id)
	}
	return nil
}

// containsFold reports whether s contains lowerSub, ignoring case.
func containsFold(s, lowerSub string) bool {
	return strings.Contains(strings.ToLower(s), lowerSub)
}
