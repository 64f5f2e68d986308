package state

import (
	"maps"
	"slices"
)

// Deep copies of the API types, so nothing a caller holds aliases the
// store's memory. Stored records are replaced, never mutated in place, but
// a caller could still mutate what it was given; hence copies both ways.

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// cloneSlice copies a slice of plain values, keeping nil as nil.
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return slices.Clone(s)
}

func cloneIntegration(it Integration) Integration {
	it.DisplayName = clonePtr(it.DisplayName)
	it.Description = clonePtr(it.Description)
	it.ConfigMetadata = cloneConfigMetadata(it.ConfigMetadata)
	it.Tags = cloneSlice(it.Tags)
	return it
}

func cloneConfigMetadata(m ConfigMetadata) ConfigMetadata {
	return ConfigMetadata{
		ParametersMetadata: cloneParams(m.ParametersMetadata),
		AuthMetadata:       cloneAuthMethods(m.AuthMetadata),
	}
}

func cloneParams(ps []ParameterMetadata) []ParameterMetadata {
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
	p.TypeName = clonePtr(p.TypeName)
	if p.IntegerRange != nil {
		p.IntegerRange = &IntegerRange{Min: clonePtr(p.IntegerRange.Min), Max: clonePtr(p.IntegerRange.Max)}
	}
	if p.FloatRange != nil {
		p.FloatRange = &FloatRange{Min: clonePtr(p.FloatRange.Min), Max: clonePtr(p.FloatRange.Max)}
	}
	if p.Options != nil {
		opts := make([]Option, len(p.Options))
		for i, o := range p.Options {
			opts[i] = Option{Value: o.Value, DisplayName: clonePtr(o.DisplayName)}
		}
		p.Options = opts
	}
	if p.Asset != nil {
		p.Asset = &Asset{AssetType: clonePtr(p.Asset.AssetType), AllowedExtensions: cloneSlice(p.Asset.AllowedExtensions)}
	}
	p.DisplayName = clonePtr(p.DisplayName)
	p.Description = clonePtr(p.Description)
	p.DefaultValue = clonePtr(p.DefaultValue)
	p.JSONSchema = cloneJSONMap(p.JSONSchema)
	p.UIHint = clonePtr(p.UIHint)
	if p.Rules != nil {
		rules := make([]Rule, len(p.Rules))
		for i, r := range p.Rules {
			rules[i] = Rule{Kind: r.Kind, Value: clonePtr(r.Value), Message: clonePtr(r.Message)}
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
		m.DisplayName = clonePtr(m.DisplayName)
		m.Description = clonePtr(m.Description)
		m.AuthProviderName = clonePtr(m.AuthProviderName)
		m.SupportedLevels = cloneSlice(m.SupportedLevels)
		m.AuthMap = AuthMapMetadata{
			UseMap:             m.AuthMap.UseMap,
			KeyTemplate:        clonePtr(m.AuthMap.KeyTemplate),
			ParametersMetadata: cloneParams(m.AuthMap.ParametersMetadata),
		}
		m.AuthSettings = AuthSettings{Parameters: maps.Clone(m.AuthSettings.Parameters)}
		m.ParametersMetadata = cloneParams(m.ParametersMetadata)
		m.AvailableScopes = cloneSlice(m.AvailableScopes)
		out[i] = m
	}
	return out
}

func cloneTool(t Tool) Tool {
	t.DisplayName = clonePtr(t.DisplayName)
	t.Description = clonePtr(t.Description)
	t.Descriptor = cloneDescriptor(t.Descriptor)
	t.ParametersMetadata = cloneParams(t.ParametersMetadata)
	return t
}

func cloneDescriptor(d ToolDescriptor) ToolDescriptor {
	a := d.APITool
	a.Headers = maps.Clone(a.Headers)
	a.QueryParameters = maps.Clone(a.QueryParameters)
	a.Body = clonePtr(a.Body)
	return ToolDescriptor{APITool: a}
}

func cloneRun(r ToolRun) ToolRun {
	r.RevisionID = clonePtr(r.RevisionID)
	r.Request.Headers = maps.Clone(r.Request.Headers)
	r.Request.Body = clonePtr(r.Request.Body)
	r.Response.Headers = maps.Clone(r.Response.Headers)
	r.Response.Body = cloneJSON(r.Response.Body)
	return r
}
