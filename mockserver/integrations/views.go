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
	if n := len(c.revs()); n > 0 {
		id := c.revs()[n-1].id
		v.PublishedRevisionID = &id
	}
	return v
}

func revisionView(c *configRec, r *revisionRec) Revision {
	d := &r.draft
	v := Revision{
		ID:          r.id,
		ConfigID:    c.id,
		Number:      r.number,
		DisplayName: core.ClonePtr(d.displayName),
		SandboxMode: d.sandboxMode,
		CreatedBy:   core.ClonePtr(r.createdBy),
		CreatedAt:   r.createdAt,
	}
	v.Parameters, v.HasAuth, v.HasAuthMap, v.AuthMethodID, v.Auth, v.AuthMapEntries = bundleFace(&d.bundle)
	v.SandboxVariant = variantView(d.variant)
	return v
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
