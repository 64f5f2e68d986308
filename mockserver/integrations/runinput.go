package integrations

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// CheckRunParameters checks a tool run's parameter values against the
// tool's declared parameters — required, undeclared, type, range, options —
// and returns them in canonical JSON form. A null value counts as absent;
// an absent optional parameter with a defaultValue gets that default
// (converted to the parameter's type when it parses as one). Failures are
// one KindInvalid error with findings keyed "parameters.<name>".
func CheckRunParameters(decl []ParameterMetadata, values map[string]any) (map[string]any, error) {
	const op, prefix = "RunTool", "parameters"
	b := &builder{f: core.Findings{}}
	out := make(map[string]any, len(values))
	for name, v := range values {
		if v == nil {
			continue
		}
		path := core.Join(prefix, name)
		i := slices.IndexFunc(decl, func(p ParameterMetadata) bool { return p.Name == name })
		if i < 0 {
			b.f.Add(path, "is not declared by the tool")
			continue
		}
		nv, err := core.NormalizeJSON(v)
		if err != nil {
			b.f.Add(path, "must be a JSON value")
			continue
		}
		if b.checkValue(path, &decl[i], nv) {
			out[name] = nv
		}
	}
	for i := range decl {
		p := &decl[i]
		if values[p.Name] != nil {
			continue // given (valid or already reported)
		}
		switch {
		case p.Required:
			b.f.Add(core.Join(prefix, p.Name), "is required")
		case p.DefaultValue != nil:
			out[p.Name] = defaultValue(p)
		}
	}
	if err := b.f.Err(op); err != nil {
		return nil, err
	}
	return out, nil
}

// defaultValue is a parameter's defaultValue as a value of its type, or
// the text itself when it does not parse as one.
func defaultValue(p *ParameterMetadata) any {
	text := *p.DefaultValue
	switch p.Type {
	case ParameterTypeInteger, ParameterTypeFloat:
		if _, err := strconv.ParseFloat(text, 64); err == nil && json.Valid([]byte(text)) {
			return json.Number(text)
		}
	case ParameterTypeBoolean:
		if v, err := strconv.ParseBool(text); err == nil {
			return v
		}
	case ParameterTypeJSON:
		var v any
		d := json.NewDecoder(strings.NewReader(text))
		d.UseNumber()
		if d.Decode(&v) == nil {
			return v
		}
	}
	return text
}

// ConfigOwner returns the id of the integration whose config configID is,
// in the tenant, so a caller can tell "no such config" from "a config of
// another integration".
func (s *Store) ConfigOwner(tenantName, configID string) (integrationID string, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.tenants[tenantName]
	if t == nil {
		return "", false
	}
	for _, ir := range t.ordered() {
		if ir.findConfig(configID) != nil {
			return ir.it.ID, true
		}
	}
	return "", false
}
