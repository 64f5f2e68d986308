package integrations

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// IntegrationFilter selects integrations in ListIntegrations.
type IntegrationFilter struct {
	// Query matches a case-insensitive substring of id, displayName or
	// description.
	Query string
	// Type, when set, keeps integrations of that type.
	Type IntegrationType
	// Tags keeps integrations that carry every one of them.
	Tags []string
	// HasConfigs, when set, keeps integrations with (true) or without
	// (false) configs.
	HasConfigs *bool
	// PageSize is 1–100; 0 means 50.
	PageSize int
	// PageToken continues a previous page of the same filter.
	PageToken string
}

// ListIntegrations returns a page of a tenant's integrations, ordered by id.
func (s *Store) ListIntegrations(tenantName string, f IntegrationFilter) (core.Page[Integration], error) {
	const op = "ListIntegrations"
	if f.Type != "" && !slices.Contains(integrationTypes, f.Type) {
		return core.Page[Integration]{}, core.Invalid(op, "type", "%s", core.OneOf(integrationTypes...))
	}
	tags := slices.Sorted(slices.Values(f.Tags))
	has := ""
	if f.HasConfigs != nil {
		has = strconv.FormatBool(*f.HasConfigs)
	}
	query := strings.ToLower(f.Query)
	p, err := core.NewPager(op, f.PageSize, f.PageToken, "integrations", tenantName, query, string(f.Type), strings.Join(tags, "\x01"), has)
	if err != nil {
		return core.Page[Integration]{}, err
	}
	keep := func(r *integrationRec) bool {
		it := &r.it
		if f.Type != "" && it.Type != f.Type {
			return false
		}
		if f.HasConfigs != nil && (len(r.configOrder) > 0) != *f.HasConfigs {
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
		return core.Page[Integration]{}, err
	}
	all := t.ordered()
	return core.Collect(p, core.Ascending(all, core.StartAfter(p, all, integrationKey)), keep, integrationKey,
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

// UpdateIntegration applies a partial update: nil fields keep their value;
// given tags or configMetadata replace the old ones whole. It bumps
// modifiedAt. Existing configs are not re-validated against new metadata.
func (s *Store) UpdateIntegration(tenantName, id string, in UpdateIntegrationInput, ifMatch string) (Integration, string, error) {
	const op = "UpdateIntegration"
	f := core.Findings{}
	core.CheckText(f, "", in.DisplayName, in.Description)
	checkTags(f, "", in.Tags)
	var md ConfigMetadata
	if in.ConfigMetadata != nil {
		md = normalizeMetadata(f, "configMetadata", *in.ConfigMetadata)
	}
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
	if in.DisplayName != nil {
		it.DisplayName = core.ClonePtr(in.DisplayName)
	}
	if in.Description != nil {
		it.Description = core.ClonePtr(in.Description)
	}
	if in.ConfigMetadata != nil {
		it.ConfigMetadata = md
	}
	if in.Tags != nil {
		it.Tags = slices.Clone(in.Tags)
	}
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
