package integrations

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// builder validates a config write and builds its sealed form. It collects
// every finding instead of stopping at the first; the result is only used
// when there are none.
type builder struct {
	f   core.Findings
	box *secretbox.Box
	err error // first sealing failure: an internal error, not a finding
	// weak lists the secrets given whose text can't be redacted wherever
	// it shows (see WeakSecret), as "path: why".
	weak []string
}

// paramCheck says how to check one parameter map.
type paramCheck struct {
	path       string              // JSON path of the map, e.g. "auth.parameters"
	decl       []ParameterMetadata // declared parameters
	method     *AuthMetadata       // for auth parameters: its sensitivity can make all secret
	undeclared string              // rule text for a name decl lacks
	kept       params              // stored values whose secrets are kept when omitted (PATCH)
}

// params checks values against c.decl and returns them with secret ones
// sealed. A null value counts as absent. A secret that is omitted but
// stored in c.kept keeps its sealed value.
func (b *builder) params(c paramCheck, values map[string]any) params {
	out := make([]param, 0, len(values))
	for name, v := range values {
		if v == nil {
			continue
		}
		path := core.Join(c.path, name)
		i := slices.IndexFunc(c.decl, func(p ParameterMetadata) bool { return p.Name == name })
		if i < 0 {
			b.f.Add(path, "%s", c.undeclared)
			continue
		}
		p := &c.decl[i]
		nv, err := core.NormalizeJSON(v)
		if err != nil {
			b.f.Add(path, "must be a JSON value")
			continue
		}
		if !b.checkValue(path, p, nv) {
			continue
		}
		if secretParam(p, c.method) {
			b.noteWeak(path, nv)
			out = append(out, sealedParam(p.Name, b.seal(nv)))
		} else {
			out = append(out, param{name: p.Name, value: nv})
		}
	}
	for i := range c.decl {
		p := &c.decl[i]
		if values[p.Name] != nil {
			continue // given (valid or already reported)
		}
		if j := slices.IndexFunc(c.kept, func(k param) bool { return k.name == p.Name }); j >= 0 && isSecret(c.kept[j]) && secretParam(p, c.method) {
			out = append(out, c.kept[j])
			continue
		}
		if p.Required {
			b.f.Add(core.Join(c.path, p.Name), "is required")
		}
	}
	return newParams(out)
}

// checkValue checks a value against its parameter's type, range and
// options, reporting at path.
func (b *builder) checkValue(path string, p *ParameterMetadata, v any) bool {
	num, integral, isNum := core.Number(v)
	var rule string
	switch p.Type {
	case ParameterTypeInteger:
		if !isNum || !integral {
			rule = "must be an integer"
		}
	case ParameterTypeFloat:
		if !isNum {
			rule = "must be a number"
		}
	case ParameterTypeBoolean:
		if _, ok := v.(bool); !ok {
			rule = "must be a boolean"
		}
	case ParameterTypeString, ParameterTypeAsset:
		if _, ok := v.(string); !ok {
			rule = "must be a string"
		}
	}
	if rule != "" {
		b.f.Add(path, "%s", rule)
		return false
	}
	ok := true
	if isNum && p.IntegerRange != nil {
		ok = b.bounds(path, num, toFloat(p.IntegerRange.Min), toFloat(p.IntegerRange.Max))
	}
	if isNum && p.FloatRange != nil {
		ok = b.bounds(path, num, p.FloatRange.Min, p.FloatRange.Max) && ok
	}
	if len(p.Options) > 0 {
		text := core.ScalarText(v)
		if !slices.ContainsFunc(p.Options, func(o Option) bool { return o.Value == text }) {
			vals := make([]string, len(p.Options))
			for i, o := range p.Options {
				vals[i] = o.Value
			}
			b.f.Add(path, "%s", core.OneOf(vals...))
			ok = false
		}
	}
	return ok
}

// bounds checks an inclusive range; nil ends are open.
func (b *builder) bounds(path string, v float64, lo, hi *float64) bool {
	if lo != nil && v < *lo {
		b.f.Add(path, "must be at least %s", fmt.Sprint(*lo))
		return false
	}
	if hi != nil && v > *hi {
		b.f.Add(path, "must be at most %s", fmt.Sprint(*hi))
		return false
	}
	return true
}

func toFloat(p *int64) *float64 {
	if p == nil {
		return nil
	}
	f := float64(*p)
	return &f
}

// noteWeak notes a secret value at path whose text, or a part of it, is
// too short or too common to be redacted wherever it shows.
func (b *builder) noteWeak(path string, v any) {
	texts := core.SecretTexts(v)
	for i, t := range texts {
		if why := core.WeakSecret(t); why != "" {
			if i > 0 {
				why = "a part of it is " + why
			} else {
				why = "it is " + why
			}
			b.weak = append(b.weak, path+": "+why)
			return
		}
	}
}

// seal seals the JSON text of a value, in the raw form (secretbox.SealRaw)
// that is kept in memory; snapshots show it as text (secretbox.Text).
func (b *builder) seal(v any) string {
	text, err := json.Marshal(v)
	if err == nil {
		return b.box.SealRaw(string(text))
	}
	if b.err == nil {
		b.err = err
	}
	return ""
}

// openValue opens a value sealed by builder.seal.
func openValue(box *secretbox.Box, sealed string) (any, error) {
	text, err := box.OpenRaw(sealed)
	if err != nil {
		return nil, err
	}
	var v any
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
