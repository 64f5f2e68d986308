package integrations

import (
	"maps"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// Deep copies of the API types, so nothing a caller holds aliases the
// store's memory. Stored records are replaced, never mutated in place, but
// a caller could still mutate what it was given; hence copies both ways.

func cloneIntegration(it Integration) Integration {
	it.DisplayName = core.ClonePtr(it.DisplayName)
	it.Description = core.ClonePtr(it.Description)
	it.ConfigMetadata = cloneConfigMetadata(it.ConfigMetadata)
	it.Tags = core.CloneSlice(it.Tags)
	return it
}

func cloneConfigMetadata(m ConfigMetadata) ConfigMetadata {
	return ConfigMetadata{
		ParametersMetadata: CloneParameters(m.ParametersMetadata),
		AuthMetadata:       cloneAuthMethods(m.AuthMetadata),
	}
}

// CloneParameters deep-copies a parameter list; nil stays nil.
func CloneParameters(ps []ParameterMetadata) []ParameterMetadata {
	if ps == nil {
		return nil
	}
	out := make([]ParameterMetadata, len(ps))
	for i, p := range ps {
		out[i] = cloneParam(p)
	}
	return out
}

func cloneParam(p ParameterMetadata) ParameterMetadata {
	p.TypeName = core.ClonePtr(p.TypeName)
	if p.IntegerRange != nil {
		p.IntegerRange = &IntegerRange{Min: core.ClonePtr(p.IntegerRange.Min), Max: core.ClonePtr(p.IntegerRange.Max)}
	}
	if p.FloatRange != nil {
		p.FloatRange = &FloatRange{Min: core.ClonePtr(p.FloatRange.Min), Max: core.ClonePtr(p.FloatRange.Max)}
	}
	if p.Options != nil {
		opts := make([]Option, len(p.Options))
		for i, o := range p.Options {
			opts[i] = Option{Value: o.Value, DisplayName: core.ClonePtr(o.DisplayName)}
		}
		p.Options = opts
	}
	if p.Asset != nil {
		p.Asset = &Asset{AssetType: core.ClonePtr(p.Asset.AssetType), AllowedExtensions: core.CloneSlice(p.Asset.AllowedExtensions)}
	}
	p.DisplayName = core.ClonePtr(p.DisplayName)
	p.Description = core.ClonePtr(p.Description)
	p.DefaultValue = core.ClonePtr(p.DefaultValue)
	p.JSONSchema = core.CloneJSONMap(p.JSONSchema)
	p.UIHint = core.ClonePtr(p.UIHint)
	if p.Rules != nil {
		rules := make([]Rule, len(p.Rules))
		for i, r := range p.Rules {
			rules[i] = Rule{Kind: r.Kind, Value: core.ClonePtr(r.Value), Message: core.ClonePtr(r.Message)}
		}
		p.Rules = rules
	}
	return p
}

func cloneAuthMethods(ms []AuthMetadata) []AuthMetadata {
	if ms == nil {
		return nil
	}
	out := make([]AuthMetadata, len(ms))
	for i, m := range ms {
		m.DisplayName = core.ClonePtr(m.DisplayName)
		m.Description = core.ClonePtr(m.Description)
		m.AuthProviderName = core.ClonePtr(m.AuthProviderName)
		m.SupportedLevels = core.CloneSlice(m.SupportedLevels)
		m.AuthMap = AuthMapMetadata{
			UseMap:             m.AuthMap.UseMap,
			KeyTemplate:        core.ClonePtr(m.AuthMap.KeyTemplate),
			ParametersMetadata: CloneParameters(m.AuthMap.ParametersMetadata),
		}
		m.AuthSettings = AuthSettings{Parameters: maps.Clone(m.AuthSettings.Parameters)}
		m.ParametersMetadata = CloneParameters(m.ParametersMetadata)
		m.AvailableScopes = core.CloneSlice(m.AvailableScopes)
		out[i] = m
	}
	return out
}
