package integrations

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// buildDraft validates a config create or PATCH against the integration and
// returns the new draft, and the weak secrets it was given (see
// builder.weak); old is the current draft (for a create, an empty one with
// its defaults). It changes nothing: the caller stores the result.
//
// PATCH rule, at every level of the body (displayName, parameters, auth,
// authMap, sandboxMode, sandboxVariant and the variant's parameters, auth
// and authMap): null or absent keeps the stored value; a given map or list
// replaces it whole. Because clients never see secrets, a secret that a
// replacement omits keeps its stored value: in parameters always, in auth
// when the auth method is unchanged, in an auth-map entry when an old entry
// has the same clear parameters (and its authConfig the same method).
func (s *Store) buildDraft(op, tenantName string, it *Integration, old draft, in UpdateConfigInput) (draft, []string, error) {
	b := &builder{f: core.Findings{}, box: s.box}
	d := old // fields are replaced below, never mutated
	if in.DisplayName != nil {
		d.displayName = core.ClonePtr(in.DisplayName)
	}
	if in.SandboxMode != nil {
		if !slices.Contains(sandboxModes, *in.SandboxMode) {
			b.f.Add("sandboxMode", "%s", core.OneOf(sandboxModes...))
		}
		d.sandboxMode = *in.SandboxMode
	}
	d.bundle = b.bundle("", it, old.bundle, SandboxVariant{Parameters: in.Parameters, Auth: in.Auth, AuthMap: in.AuthMap})
	if in.SandboxVariant != nil {
		var prev bundle
		if old.variant != nil {
			prev = *old.variant
		}
		v := b.bundle("sandboxVariant", it, prev, *in.SandboxVariant)
		d.variant = &v
	}
	key := core.Deref(in.OAuthCredentialKey)
	if key != "" && in.Auth != nil {
		b.f.Add("oAuthCredentialKey", "cannot be combined with auth")
	}
	if err := b.f.Err(op); err != nil {
		return old, nil, err
	}
	if b.err != nil {
		return old, nil, core.Internal(op, b.err)
	}
	if key != "" {
		a, err := s.redeem(op, tenantName, it, key)
		if err != nil {
			return old, nil, err
		}
		d.auth = a
	}
	return d, b.weak, nil
}

// bundle builds parameters, auth and authMap at prefix ("" or
// "sandboxVariant") from old and the given fields.
func (b *builder) bundle(prefix string, it *Integration, old bundle, in SandboxVariant) bundle {
	out := old
	if in.Parameters != nil {
		out.params = b.params(paramCheck{
			path:       core.Join(prefix, "parameters"),
			decl:       it.ConfigMetadata.ParametersMetadata,
			undeclared: "is not declared by the integration",
			kept:       old.params,
		}, in.Parameters)
	}
	if in.Auth != nil {
		out.auth = b.auth(core.Join(prefix, "auth"), it, old.auth, *in.Auth)
		if out.auth == nil {
			return out // the method is unknown: auth-map findings would only repeat that
		}
	}
	mapPath := core.Join(prefix, "authMap")
	switch {
	case in.AuthMap != nil:
		out.authMap = b.authMap(mapPath, it, out.auth, old.authMap, in.AuthMap)
	case in.Auth != nil && len(out.authMap) > 0:
		b.mapMethod(mapPath, it, out.auth) // the stored map must suit the new method
	}
	return out
}

// auth checks a chosen auth method and its parameters. It returns nil when
// the method is missing or unknown.
func (b *builder) auth(path string, it *Integration, old *auth, in AuthInput) *auth {
	idPath := path + ".integrationAuthMetadataId"
	if in.IntegrationAuthMetadataID == "" {
		b.f.Add(idPath, "is required")
		return nil
	}
	m := authMethod(it, in.IntegrationAuthMetadataID)
	if m == nil {
		b.f.Add(idPath, "is not an auth method of integration %s", it.ID)
		return nil
	}
	out := &auth{methodID: m.ID, level: AuthLevelApplication}
	if len(m.SupportedLevels) > 0 {
		out.level = m.SupportedLevels[0]
	}
	if in.Level != nil {
		out.level = *in.Level
		switch {
		case !slices.Contains(authLevels, out.level):
			b.f.Add(path+".level", "%s", core.OneOf(authLevels...))
		case len(m.SupportedLevels) > 0 && !slices.Contains(m.SupportedLevels, out.level):
			b.f.Add(path+".level", "%s", core.OneOf(m.SupportedLevels...))
		}
	}
	var kept params
	if old != nil && old.methodID == m.ID {
		kept = old.params
		out.scopes = old.scopes
	}
	out.params = b.params(paramCheck{
		path:       path + ".parameters",
		decl:       m.ParametersMetadata,
		method:     m,
		undeclared: "is not declared by auth method " + m.ID,
		kept:       kept,
	}, in.Parameters)
	return out
}

// mapMethod returns the auth method whose auth map an authMap at path
// belongs to, or reports why there is none.
func (b *builder) mapMethod(path string, it *Integration, a *auth) *AuthMetadata {
	if a == nil {
		b.f.Add(path, "requires auth with a method that enables an auth map")
		return nil
	}
	m := authMethod(it, a.methodID)
	if m == nil || !m.AuthMap.UseMap {
		b.f.Add(path, "is not enabled for auth method %s", a.methodID)
		return nil
	}
	return m
}

// authMap checks the entries of an auth map against the map metadata of
// the chosen auth method.
func (b *builder) authMap(path string, it *Integration, a *auth, old []mapEntry, in []AuthMapEntry) []mapEntry {
	if len(in) == 0 {
		return nil
	}
	m := b.mapMethod(path, it, a)
	if m == nil {
		return nil
	}
	decl := m.AuthMap.ParametersMetadata
	out := make([]mapEntry, len(in))
	for i, e := range in {
		at := core.Index(path, i)
		prev := matchEntry(old, decl, e)
		out[i].params = b.params(paramCheck{
			path:       at + ".parameters",
			decl:       decl,
			undeclared: fmt.Sprintf("is not declared by the auth map of auth method %s", m.ID),
			kept:       prev.params,
		}, e.Parameters)
		if e.AuthConfig == nil {
			b.f.Add(at+".authConfig", "is required")
			continue
		}
		out[i].auth = b.auth(at+".authConfig", it, prev.auth, *e.AuthConfig)
	}
	return out
}

// matchEntry finds the stored entry a new one replaces: the first whose
// clear parameters equal the new entry's. It returns a zero entry if none.
func matchEntry(old []mapEntry, decl []ParameterMetadata, e AuthMapEntry) mapEntry {
	clear := map[string]any{}
	for _, p := range decl {
		if v := e.Parameters[p.Name]; v != nil && !p.Secret {
			nv, err := core.NormalizeJSON(v)
			if err != nil {
				return mapEntry{}
			}
			clear[p.Name] = nv
		}
	}
	for _, o := range old {
		if reflect.DeepEqual(o.params.clear(), clear) {
			return o // its auth keeps secrets only if the method is the same
		}
	}
	return mapEntry{}
}
