package integrations

import (
	"maps"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// The sealed types are a config's material in a Snapshot: clear values in
// "parameters", secret ones in "secrets", each the sealed JSON text of the
// value.

// SealedAuth is a stored credential.
type SealedAuth struct {
	IntegrationAuthMetadataID string            `json:"integrationAuthMetadataId"`
	Level                     AuthLevel         `json:"level"`
	Parameters                map[string]any    `json:"parameters,omitempty"`
	Secrets                   map[string]string `json:"secrets,omitempty"`
	GrantedScopes             []string          `json:"grantedScopes,omitempty"`
}

// SealedAuthMapEntry is a stored auth-map entry.
type SealedAuthMapEntry struct {
	Parameters map[string]any    `json:"parameters,omitempty"`
	Secrets    map[string]string `json:"secrets,omitempty"`
	AuthConfig *SealedAuth       `json:"authConfig,omitempty"`
}

// SealedBundle is parameters, auth and auth map: the body of a draft, and
// a sandbox variant.
type SealedBundle struct {
	Parameters map[string]any       `json:"parameters,omitempty"`
	Secrets    map[string]string    `json:"secrets,omitempty"`
	Auth       *SealedAuth          `json:"auth,omitempty"`
	AuthMap    []SealedAuthMapEntry `json:"authMap,omitempty"`
}

// SealedDraft is a config's draft, or a revision's frozen copy of one.
type SealedDraft struct {
	DisplayName    *string       `json:"displayName,omitempty"`
	SealedBundle                 // parameters, secrets, auth, authMap
	SandboxMode    SandboxMode   `json:"sandboxMode"`
	SandboxVariant *SealedBundle `json:"sandboxVariant,omitempty"`
}

// Material → document.

func (ps params) doc() (map[string]any, map[string]string) {
	var clear map[string]any
	var sealed map[string]string
	for _, p := range ps {
		if text, secret := p.secret(); secret {
			if sealed == nil {
				sealed = map[string]string{}
			}
			sealed[p.name] = secretbox.Text(text)
		} else {
			if clear == nil {
				clear = map[string]any{}
			}
			clear[p.name] = core.CloneJSON(p.value)
		}
	}
	return clear, sealed
}

func (a *auth) doc() *SealedAuth {
	if a == nil {
		return nil
	}
	out := &SealedAuth{IntegrationAuthMetadataID: a.methodID, Level: a.level, GrantedScopes: core.CloneSlice(a.grantedScopes())}
	out.Parameters, out.Secrets = a.params.doc()
	return out
}

func (b *bundle) doc() SealedBundle {
	out := SealedBundle{Auth: b.auth.doc()}
	out.Parameters, out.Secrets = b.params.doc()
	for _, e := range b.authMap {
		de := SealedAuthMapEntry{AuthConfig: e.auth.doc()}
		de.Parameters, de.Secrets = e.params.doc()
		out.AuthMap = append(out.AuthMap, de)
	}
	return out
}

func (d *draft) doc() SealedDraft {
	out := SealedDraft{DisplayName: core.ClonePtr(d.displayName), SealedBundle: d.bundle.doc(), SandboxMode: d.sandboxMode}
	if d.variant != nil {
		v := d.variant.doc()
		out.SandboxVariant = &v
	}
	return out
}

// Document → material, checked: findings go to f under the document path.

type restorer struct {
	f   core.Findings
	box *secretbox.Box
}

func (r *restorer) params(path string, clear map[string]any, sealed map[string]string) params {
	out := make([]param, 0, len(clear)+len(sealed))
	for _, name := range slices.Sorted(maps.Keys(clear)) {
		v, err := core.NormalizeJSON(clear[name])
		if err != nil {
			r.f.Add(path+".parameters."+name, "must be a JSON value")
		}
		if _, dup := sealed[name]; dup {
			r.f.Add(path+".parameters."+name, "must not be both clear and secret")
		}
		out = append(out, param{name: name, value: v})
	}
	for name, s := range sealed {
		if _, err := r.box.Open(s); err != nil {
			r.f.Add(path+".secrets."+name, "does not open with this server's secret key")
		}
		raw, _ := secretbox.Raw(s) // it opened, so it has the form
		out = append(out, sealedParam(name, raw))
	}
	return newParams(out)
}

func (r *restorer) auth(path string, a *SealedAuth) *auth {
	if a == nil {
		return nil
	}
	if a.IntegrationAuthMetadataID == "" {
		r.f.Add(path+".integrationAuthMetadataId", "is required")
	}
	return &auth{
		methodID: a.IntegrationAuthMetadataID,
		level:    core.DefaultEnum(r.f, path+".level", a.Level, AuthLevelApplication, authLevels),
		params:   r.params(path, a.Parameters, a.Secrets),
		scopes:   scopeList(a.GrantedScopes),
	}
}

func (r *restorer) bundle(path string, b SealedBundle) bundle {
	out := bundle{params: r.params(path, b.Parameters, b.Secrets), auth: r.auth(core.Join(path, "auth"), b.Auth)}
	for i, e := range b.AuthMap {
		p := core.Index(core.Join(path, "authMap"), i)
		out.authMap = append(out.authMap, mapEntry{params: r.params(p, e.Parameters, e.Secrets), auth: r.auth(p+".authConfig", e.AuthConfig)})
	}
	return out
}

func (r *restorer) draft(path string, d SealedDraft) draft {
	out := draft{
		displayName: core.ClonePtr(d.DisplayName),
		bundle:      r.bundle(path, d.SealedBundle),
		sandboxMode: core.DefaultEnum(r.f, path+".sandboxMode", d.SandboxMode, SandboxModeNone, sandboxModes),
	}
	if d.SandboxVariant != nil {
		v := r.bundle(path+".sandboxVariant", *d.SandboxVariant)
		out.variant = &v
	}
	return out
}
