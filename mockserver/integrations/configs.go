package integrations

import (
	"strconv"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// ListConfigs returns a page of an integration's configs, oldest first.
func (s *Store) ListConfigs(tenantName, integrationID string, pg Paging) (List[Config], error) {
	const op = "ListConfigs"
	p, err := pg.pager(op, "configs", tenantName, integrationID)
	if err != nil {
		return List[Config]{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ir, err := s.integration(op, tenantName, integrationID)
	if err != nil {
		return List[Config]{}, err
	}
	all := ir.configOrder
	return listPage(pg, p, all, core.Ascending(all, core.StartAfter(p, all, configKey)), nil, configKey,
		func(c *configRec) Config { return configView(integrationID, c) }), nil
}

// CreateConfig creates a config of an integration with a draft checked
// against the integration's metadata (see buildDraft); sandboxMode defaults
// to NONE. createdBy may be empty.
func (s *Store) CreateConfig(tenantName, integrationID string, in CreateConfigInput, createdBy string) (Config, string, error) {
	const op = "CreateConfig"
	s.mu.Lock()
	defer s.mu.Unlock()
	ir, err := s.integration(op, tenantName, integrationID)
	if err != nil {
		return Config{}, "", err
	}
	d, weak, err := s.buildDraft(op, tenantName, &ir.it, draft{sandboxMode: SandboxModeNone}, UpdateConfigInput{
		DisplayName: in.DisplayName, Parameters: in.Parameters, Auth: in.Auth, AuthMap: in.AuthMap,
		SandboxMode: in.SandboxMode, SandboxVariant: in.SandboxVariant, OAuthCredentialKey: in.OAuthCredentialKey,
	})
	if err != nil {
		return Config{}, "", err
	}
	id := s.newID()
	if ir.findConfig(id) != nil {
		return Config{}, "", core.Errorf(core.KindConflict, op, "config %q already exists", id)
	}
	now := s.nowMillis()
	c := &configRec{id: id, draft: d, createdAt: now, modifiedAt: now, version: s.bump()}
	if createdBy != "" {
		c.createdBy = &createdBy
		// One client usually makes an integration's configs: share the
		// stored (never mutated) string with its newest config.
		if n := len(ir.configOrder); n > 0 {
			if last := ir.configOrder[n-1].createdBy; last != nil && *last == createdBy {
				c.createdBy = last
			}
		}
	}
	ir.addConfig(c)
	view := configView(integrationID, c)
	view.WeakSecrets = weak
	return view, core.ETag(c.version), nil
}

// GetConfig returns a config's public view and its ETag.
func (s *Store) GetConfig(tenantName, integrationID, id string) (Config, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, c, err := s.config("GetConfig", tenantName, integrationID, id)
	if err != nil {
		return Config{}, "", err
	}
	return configView(integrationID, c), core.ETag(c.version), nil
}

// UpdateConfig patches a config's draft (see buildDraft for the rules). It
// is all or nothing: on any error the config is unchanged. Published
// revisions never change.
func (s *Store) UpdateConfig(tenantName, integrationID, id string, in UpdateConfigInput, ifMatch string) (Config, string, error) {
	const op = "UpdateConfig"
	s.mu.Lock()
	defer s.mu.Unlock()
	ir, c, err := s.config(op, tenantName, integrationID, id)
	if err != nil {
		return Config{}, "", err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(c.version)); err != nil {
		return Config{}, "", err
	}
	d, weak, err := s.buildDraft(op, tenantName, &ir.it, c.draft, in)
	if err != nil {
		return Config{}, "", err
	}
	c.draft = d
	c.modifiedAt = s.nowMillis()
	c.version = s.bump()
	view := configView(integrationID, c)
	view.WeakSecrets = weak
	return view, core.ETag(c.version), nil
}

// DeleteConfig deletes a config with its revisions, and through
// Hooks.ConfigDeleted its runs.
func (s *Store) DeleteConfig(tenantName, integrationID, id, ifMatch string) error {
	const op = "DeleteConfig"
	s.mu.Lock()
	defer s.mu.Unlock()
	ir, c, err := s.config(op, tenantName, integrationID, id)
	if err != nil {
		return err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(c.version)); err != nil {
		return err
	}
	ir.removeConfig(c)
	s.retireWebhookKeys(c)
	if s.hooks.ConfigDeleted != nil {
		s.hooks.ConfigDeleted(tenantName, integrationID, id)
	}
	return nil
}

// PublishConfig freezes the draft as a new immutable revision (number =
// previous + 1) that becomes the published one. by may be empty. It
// returns the revision and the revision's ETag; the config's ETag changes
// too (its publishedRevisionId did).
func (s *Store) PublishConfig(tenantName, integrationID, id, ifMatch, by string) (Revision, string, error) {
	const op = "PublishConfig"
	s.mu.Lock()
	defer s.mu.Unlock()
	_, c, err := s.config(op, tenantName, integrationID, id)
	if err != nil {
		return Revision{}, "", err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(c.version)); err != nil {
		return Revision{}, "", err
	}
	now := s.nowMillis()
	// The draft is shared, not copied: stored drafts are never mutated.
	r := &revisionRec{id: s.newID(), number: len(c.revs()) + 1, draft: c.draft, createdAt: now}
	if by != "" {
		r.createdBy = &by
	}
	h := c.history()
	h.revisions = append(h.revisions, r)
	h.published = r
	c.modifiedAt = now
	c.version = s.bump()
	return revisionView(tenantName, c, r), revisionETag(r.id), nil
}

// ListRevisions returns a page of a config's revisions, newest first.
func (s *Store) ListRevisions(tenantName, integrationID, configID string, pg Paging) (List[Revision], error) {
	const op = "ListRevisions"
	p, err := pg.pager(op, "revisions", tenantName, integrationID, configID)
	if err != nil {
		return List[Revision]{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return List[Revision]{}, err
	}
	to := len(c.revs())
	if after, ok := p.After(); ok {
		n, err := strconv.Atoi(after)
		if err != nil {
			return List[Revision]{}, core.Invalid(op, "Paging.PageToken.Cursor", "is not a page token this server issued for this query")
		}
		to = n - 1 // revision n sits at index n-1; older ones before it
	}
	return listPage(pg, p, c.revs(), core.Descending(c.revs(), to), nil,
		func(r *revisionRec) string { return strconv.Itoa(r.number) },
		func(r *revisionRec) Revision { return revisionView(tenantName, c, r) }), nil
}

// GetRevision returns one revision of a config and its ETag.
func (s *Store) GetRevision(tenantName, integrationID, configID, revisionID string) (Revision, string, error) {
	const op = "GetRevision"
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return Revision{}, "", err
	}
	for _, r := range c.revs() {
		if r.id == revisionID {
			return revisionView(tenantName, c, r), revisionETag(r.id), nil
		}
	}
	return Revision{}, "", core.Errorf(core.KindNotFound, op, "revision %q of config %q not found", revisionID, configID)
}

// RollbackConfig repoints the published revision at revisionID, one of the
// config's revisions; it creates no revision and leaves the draft alone.
// A revision outside the config's history (unknown, or another config's)
// is KindInvalid on revisionId: the config exists, the body names
// something it cannot roll back to. It returns the revision now published.
func (s *Store) RollbackConfig(tenantName, integrationID, configID, revisionID, ifMatch string) (Revision, error) {
	const op = "RollbackConfig"
	s.mu.Lock()
	defer s.mu.Unlock()
	_, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return Revision{}, err
	}
	if err := core.CheckIfMatch(op, ifMatch, core.ETag(c.version)); err != nil {
		return Revision{}, err
	}
	for _, r := range c.revs() {
		if r.id == revisionID {
			if c.hist.published != r {
				c.hist.published = r
				c.modifiedAt = s.nowMillis()
				c.version = s.bump()
			}
			return revisionView(tenantName, c, r), nil
		}
	}
	return Revision{}, core.Invalid(op, "revisionId", "is not a revision of config %s; list them with …/configs/%s/revisions", configID, configID)
}
