package integrations

import "github.com/fruxon/fruxon-mock/mockserver/core"

// The public views of stored configs and revisions. They show clear values
// only; sealed ones are skipped, so a view cannot carry a secret. Every
// list and map the API shows is non-nil.

func configView(integrationID string, c *configRec) Config {
	d := &c.draft
	v := Config{
		ID:            c.id,
		IntegrationID: integrationID,
		DisplayName:   core.ClonePtr(d.displayName),
		SandboxMode:   d.sandboxMode,
		CreatedBy:     core.ClonePtr(c.createdBy),
		CreatedAt:     c.createdAt,
		ModifiedAt:    c.modifiedAt,
	}
	v.Parameters, v.HasAuth, v.HasAuthMap, v.AuthMethodID, v.Auth, v.AuthMapEntries = bundleFace(&d.bundle)
	v.SandboxVariant = variantView(d.variant)
	if r := c.published(); r != nil {
		id := r.id
		v.PublishedRevisionID = &id
	}
	return v
}

// revisionView is the documented Revision: the frozen bundle in the
// request shape (auth, authMap), clear values only, like a sandbox variant.
func revisionView(tenantName string, c *configRec, r *revisionRec) Revision {
	d := &r.draft
	b := variantView(&d.bundle)
	return Revision{
		ID:             r.id,
		TenantID:       tenantName,
		ConfigID:       c.id,
		Version:        r.number,
		Parameters:     b.Parameters,
		Auth:           b.Auth,
		AuthMap:        b.AuthMap,
		SandboxMode:    d.sandboxMode,
		SandboxVariant: variantView(d.variant),
		CreatedBy:      core.ClonePtr(r.createdBy),
		CreatedAt:      r.createdAt,
	}
}

// bundleFace is the part of the config and revision views a bundle gives.
func bundleFace(b *bundle) (params map[string]any, hasAuth, hasAuthMap bool, methodID *string, view *AuthView, entries []AuthMapView) {
	entries = make([]AuthMapView, len(b.authMap))
	for i, e := range b.authMap {
		entries[i] = AuthMapView{Parameters: e.params.clear()}
	}
	if a := b.auth; a != nil {
		id := a.methodID
		methodID = &id
		view = &AuthView{Level: a.level, IntegrationAuthMetadataID: id, GrantedScopes: core.CloneSlice(a.grantedScopes())}
		if view.GrantedScopes == nil {
			view.GrantedScopes = []string{}
		}
	}
	return b.params.clear(), b.auth != nil, len(b.authMap) > 0, methodID, view, entries
}

// variantView shows a sandbox variant with its clear values only.
func variantView(b *bundle) *SandboxVariant {
	if b == nil {
		return nil
	}
	v := &SandboxVariant{
		Parameters: b.params.clear(),
		Auth:       authInputView(b.auth),
		AuthMap:    make([]AuthMapEntry, len(b.authMap)),
	}
	for i, e := range b.authMap {
		v.AuthMap[i] = AuthMapEntry{Parameters: e.params.clear(), AuthConfig: authInputView(e.auth)}
	}
	return v
}

func authInputView(a *auth) *AuthInput {
	if a == nil {
		return nil
	}
	level := a.level
	return &AuthInput{IntegrationAuthMetadataID: a.methodID, Level: &level, Parameters: a.params.clear()}
}
