package integrations

import (
	"fmt"
	"maps"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

var (
	integrationTypes = []IntegrationType{IntegrationTypeUnspecified, IntegrationTypeSystem, IntegrationTypeCustom}
	parameterTypes   = []ParameterType{ParameterTypeString, ParameterTypeInteger, ParameterTypeFloat, ParameterTypeBoolean, ParameterTypeJSON, ParameterTypeAsset}
	authTypes        = []AuthType{AuthTypeUnspecified, AuthTypeAPIKey, AuthTypeBearerToken, AuthTypeBasic, AuthTypeOAuth2}
	sensitivities    = []Sensitivity{SensitivityUnspecified, SensitivityPublic, SensitivitySensitive, SensitivitySecret}
	authLevels       = []AuthLevel{AuthLevelUnspecified, AuthLevelApplication, AuthLevelUser}
	sandboxModes     = []SandboxMode{SandboxModeUnspecified, SandboxModeNone, SandboxModeVendor, SandboxModeSimulated, SandboxModeReadThrough}
)

// checkTags rejects empty tags.
func checkTags(f core.Findings, prefix string, tags []string) {
	for i, tag := range tags {
		if tag == "" {
			f.Add(core.Index(core.Join(prefix, "tags"), i), "must not be empty")
		}
	}
}

// normalizeMetadata returns a checked deep copy of m in which every list the
// API shows as an array is non-nil, authSettings.parameters is non-nil and
// empty enums have their UNSPECIFIED (or String) default.
func normalizeMetadata(f core.Findings, prefix string, m ConfigMetadata) ConfigMetadata {
	m = cloneConfigMetadata(m)
	m.ParametersMetadata = normalizeParams(f, core.Join(prefix, "parametersMetadata"), m.ParametersMetadata)
	path := core.Join(prefix, "authMetadata")
	if m.AuthMetadata == nil {
		m.AuthMetadata = []AuthMetadata{}
	}
	seen := map[string]int{}
	for i := range m.AuthMetadata {
		a := &m.AuthMetadata[i]
		p := core.Index(path, i)
		if a.ID == "" {
			f.Add(p+".id", "is required")
		} else if j, dup := seen[a.ID]; dup {
			f.Add(p+".id", "must be unique (%s has the same id)", core.Index(path, j))
		} else {
			seen[a.ID] = i
		}
		a.Type = core.DefaultEnum(f, p+".type", a.Type, AuthTypeUnspecified, authTypes)
		a.Sensitivity = core.DefaultEnum(f, p+".sensitivity", a.Sensitivity, SensitivityUnspecified, sensitivities)
		if a.SupportedLevels == nil {
			a.SupportedLevels = []AuthLevel{}
		}
		for j, l := range a.SupportedLevels {
			if !slices.Contains(authLevels, l) {
				f.Add(core.Index(p+".supportedLevels", j), "%s", core.OneOf(authLevels...))
			}
		}
		a.AuthMap.ParametersMetadata = normalizeParams(f, p+".authMap.parametersMetadata", a.AuthMap.ParametersMetadata)
		if a.AuthSettings.Parameters == nil {
			a.AuthSettings.Parameters = map[string]string{}
		}
		a.ParametersMetadata = normalizeParams(f, p+".parametersMetadata", a.ParametersMetadata)
		if a.AvailableScopes == nil {
			a.AvailableScopes = []string{}
		}
	}
	return m
}

// NormalizeParameters checks a parameter list the way an integration's are
// checked (findings under path) and returns its normalised deep copy,
// shared with every equal list stored (see intern.go): the form a store
// keeps, e.g. a tool's parametersMetadata.
func NormalizeParameters(f core.Findings, path string, ps []ParameterMetadata) []ParameterMetadata {
	return paramLists.intern(normalizeParams(f, path, CloneParameters(ps)))
}

// normalizeParams checks and normalises a parameter list in place.
func normalizeParams(f core.Findings, path string, ps []ParameterMetadata) []ParameterMetadata {
	if ps == nil {
		return []ParameterMetadata{}
	}
	seen := map[string]int{}
	for i := range ps {
		p := &ps[i]
		at := core.Index(path, i)
		if p.Name == "" {
			f.Add(at+".name", "is required")
		} else if j, dup := seen[p.Name]; dup {
			f.Add(at+".name", "must be unique (%s has the same name)", core.Index(path, j))
		} else {
			seen[p.Name] = i
		}
		p.Type = core.DefaultEnum(f, at+".type", p.Type, ParameterTypeString, parameterTypes)
		if r := p.IntegerRange; r != nil && r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			f.Add(at+".integerRange.min", "must be at most max (%d)", *r.Max)
		}
		if r := p.FloatRange; r != nil && r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			f.Add(at+".floatRange.min", "must be at most max (%s)", fmt.Sprint(*r.Max))
		}
		if p.Rules == nil {
			p.Rules = []Rule{}
		}
	}
	return ps
}

// authMethod finds an auth method of an integration.
func authMethod(it *Integration, id string) *AuthMetadata {
	for i := range it.ConfigMetadata.AuthMetadata {
		if it.ConfigMetadata.AuthMetadata[i].ID == id {
			return &it.ConfigMetadata.AuthMetadata[i]
		}
	}
	return nil
}

// secretParam reports whether parameter p of method m (nil for config
// parameters) is secret: flagged so, or any parameter of a method whose
// sensitivity is SENSITIVE or SECRET.
func secretParam(p *ParameterMetadata, m *AuthMetadata) bool {
	if p != nil && p.Secret {
		return true
	}
	return m != nil && (m.Sensitivity == SensitivitySensitive || m.Sensitivity == SensitivitySecret)
}

// stringMapOrEmpty copies m, giving {} for nil.
func stringMapOrEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}
