package state

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

// Text limits of the API (the reference page for create integration).
const (
	maxDisplayName = 100
	maxDescription = 500
)

var (
	integrationTypes = []IntegrationType{IntegrationTypeUnspecified, IntegrationTypeSystem, IntegrationTypeCustom}
	parameterTypes   = []ParameterType{ParameterTypeString, ParameterTypeInteger, ParameterTypeFloat, ParameterTypeBoolean, ParameterTypeJSON, ParameterTypeAsset}
	authTypes        = []AuthType{AuthTypeUnspecified, AuthTypeAPIKey, AuthTypeBearerToken, AuthTypeBasic, AuthTypeOAuth2}
	sensitivities    = []Sensitivity{SensitivityUnspecified, SensitivityPublic, SensitivitySensitive, SensitivitySecret}
	authLevels       = []AuthLevel{AuthLevelUnspecified, AuthLevelApplication, AuthLevelUser}
	sandboxModes     = []SandboxMode{SandboxModeUnspecified, SandboxModeNone, SandboxModeVendor, SandboxModeSimulated, SandboxModeReadThrough}
)

// checkText enforces the display name and description limits.
func checkText(f findings, prefix string, displayName, description *string) {
	if displayName != nil && utf8.RuneCountInString(*displayName) > maxDisplayName {
		f.add(join(prefix, "displayName"), "must be at most %d characters", maxDisplayName)
	}
	if description != nil && utf8.RuneCountInString(*description) > maxDescription {
		f.add(join(prefix, "description"), "must be at most %d characters", maxDescription)
	}
}

// checkID enforces the id pattern.
func checkID(f findings, path, id string) {
	if id == "" {
		f.add(path, "is required")
	} else if !idPattern.MatchString(id) {
		f.add(path, "must contain only letters, digits, underscores and hyphens")
	}
}

// checkTags rejects empty tags.
func checkTags(f findings, prefix string, tags []string) {
	for i, tag := range tags {
		if tag == "" {
			f.add(index(join(prefix, "tags"), i), "must not be empty")
		}
	}
}

// normalizeMetadata returns a checked deep copy of m in which every list the
// API shows as an array is non-nil, authSettings.parameters is non-nil and
// empty enums have their UNSPECIFIED (or String) default.
func normalizeMetadata(f findings, prefix string, m ConfigMetadata) ConfigMetadata {
	m = cloneConfigMetadata(m)
	m.ParametersMetadata = normalizeParams(f, join(prefix, "parametersMetadata"), m.ParametersMetadata)
	path := join(prefix, "authMetadata")
	if m.AuthMetadata == nil {
		m.AuthMetadata = []AuthMetadata{}
	}
	seen := map[string]int{}
	for i := range m.AuthMetadata {
		a := &m.AuthMetadata[i]
		p := index(path, i)
		if a.ID == "" {
			f.add(p+".id", "is required")
		} else if j, dup := seen[a.ID]; dup {
			f.add(p+".id", "must be unique (%s has the same id)", index(path, j))
		} else {
			seen[a.ID] = i
		}
		a.Type = defaultEnum(f, p+".type", a.Type, AuthTypeUnspecified, authTypes)
		a.Sensitivity = defaultEnum(f, p+".sensitivity", a.Sensitivity, SensitivityUnspecified, sensitivities)
		if a.SupportedLevels == nil {
			a.SupportedLevels = []AuthLevel{}
		}
		for j, l := range a.SupportedLevels {
			if !slices.Contains(authLevels, l) {
				f.add(index(p+".supportedLevels", j), "%s", oneOf(authLevels...))
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

// normalizeParams checks and normalises a parameter list in place.
func normalizeParams(f findings, path string, ps []ParameterMetadata) []ParameterMetadata {
	if ps == nil {
		return []ParameterMetadata{}
	}
	seen := map[string]int{}
	for i := range ps {
		p := &ps[i]
		at := index(path, i)
		if p.Name == "" {
			f.add(at+".name", "is required")
		} else if j, dup := seen[p.Name]; dup {
			f.add(at+".name", "must be unique (%s has the same name)", index(path, j))
		} else {
			seen[p.Name] = i
		}
		p.Type = defaultEnum(f, at+".type", p.Type, ParameterTypeString, parameterTypes)
		if r := p.IntegerRange; r != nil && r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			f.add(at+".integerRange.min", "must be at most max (%d)", *r.Max)
		}
		if r := p.FloatRange; r != nil && r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			f.add(at+".floatRange.min", "must be at most max (%s)", fmt.Sprint(*r.Max))
		}
		if p.Rules == nil {
			p.Rules = []Rule{}
		}
	}
	return ps
}

// defaultEnum replaces an empty enum value with def and reports a value
// outside allowed.
func defaultEnum[S ~string](f findings, path string, v, def S, allowed []S) S {
	if v == "" {
		return def
	}
	if !slices.Contains(allowed, v) {
		f.add(path, "%s", oneOf(allowed...))
	}
	return v
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
