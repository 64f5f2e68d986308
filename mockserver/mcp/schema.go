package mcp

import (
	"maps"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// inputSchema is a tool's MCP inputSchema, built from its parameter
// metadata: an object with a property per parameter (its jsonSchema when
// it declares one, else one made from its type, range and options) and
// the required ones listed.
func inputSchema(params []integrations.ParameterMetadata) map[string]any {
	props := make(map[string]any, len(params))
	var required []string
	for _, p := range params {
		props[p.Name] = propertySchema(p)
		if p.Required {
			required = append(required, p.Name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// propertySchema is one parameter's JSON Schema. The type is read case
// blind: the API has spelt it PascalCase (String) and UPPER_SNAKE
// (STRING).
func propertySchema(p integrations.ParameterMetadata) map[string]any {
	if len(p.JSONSchema) > 0 {
		return maps.Clone(p.JSONSchema)
	}
	s := map[string]any{}
	switch strings.ToUpper(string(p.Type)) {
	case "INTEGER":
		s["type"] = "integer"
		if r := p.IntegerRange; r != nil {
			if r.Min != nil {
				s["minimum"] = *r.Min
			}
			if r.Max != nil {
				s["maximum"] = *r.Max
			}
		}
	case "FLOAT":
		s["type"] = "number"
		if r := p.FloatRange; r != nil {
			if r.Min != nil {
				s["minimum"] = *r.Min
			}
			if r.Max != nil {
				s["maximum"] = *r.Max
			}
		}
	case "BOOLEAN":
		s["type"] = "boolean"
	case "JSON":
		// any JSON value
	default: // String, Asset (an asset id) and anything newer
		s["type"] = "string"
	}
	if len(p.Options) > 0 && s["type"] == "string" {
		enum := make([]any, 0, len(p.Options))
		for _, o := range p.Options {
			enum = append(enum, o.Value)
		}
		s["enum"] = enum
	}
	if p.DisplayName != nil {
		s["title"] = *p.DisplayName
	}
	if p.Description != nil {
		s["description"] = *p.Description
	}
	return s
}
