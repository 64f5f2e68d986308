package integrations

import (
	"strconv"
	"unicode/utf8"
)

// DecodeCreateIntegration decodes a create-integration body without
// reflection. When ok, in is exactly what encoding/json's Decoder makes of
// data (TestDecodeCreateIntegrationMatchesDecoder and
// FuzzDecodeCreateIntegration hold it to that). It answers !ok, and the
// caller decodes with encoding/json, for whatever it doesn't decide alone:
// a key that isn't a field's exact name (encoding/json folds case), a key
// twice, a string with an escape or bytes that aren't UTF-8, a number a
// field's type doesn't take as is, a null where a value would be kept, and
// anything after the body. A create's ≈1 KB of metadata cost a third of
// the mock's CPU per create through reflection.
func DecodeCreateIntegration(data []byte) (in CreateIntegrationInput, ok bool) {
	d := decoder{b: data}
	seen := 0
	ok = d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.strPtr(&in.ID)
		case "displayName":
			return once(&seen, 1) && d.strPtr(&in.DisplayName)
		case "description":
			return once(&seen, 2) && d.strPtr(&in.Description)
		case "configMetadata":
			if !once(&seen, 3) {
				return false
			}
			if d.null() {
				return true
			}
			in.ConfigMetadata = new(ConfigMetadata)
			return d.configMetadata(in.ConfigMetadata)
		}
		return false
	})
	d.ws()
	if !ok || d.i != len(d.b) {
		return CreateIntegrationInput{}, false
	}
	return in, true
}

// decoder reads JSON for DecodeCreateIntegration: every method reports
// whether it could decide, and false ends the decoding.
type decoder struct {
	b []byte
	i int
}

func (d *decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// once marks field bit in seen, false when it was marked (a key twice).
func once(seen *int, bit int) bool {
	if *seen&(1<<bit) != 0 {
		return false
	}
	*seen |= 1 << bit
	return true
}

// lit consumes the literal s (after white space).
func (d *decoder) lit(s string) bool {
	d.ws()
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

func (d *decoder) null() bool { return d.lit("null") }

// object reads {"key": value, …}, calling field for each key with the
// decoder at its value.
func (d *decoder) object(field func(key []byte) bool) bool {
	if !d.lit("{") {
		return false
	}
	if d.lit("}") {
		return true
	}
	for {
		key, ok := d.raw()
		if !ok || !d.lit(":") || !field(key) {
			return false
		}
		if d.lit(",") {
			continue
		}
		return d.lit("}")
	}
}

// array reads [value, …], calling elem for each with the decoder at it.
func (d *decoder) array(elem func() bool) bool {
	if !d.lit("[") {
		return false
	}
	if d.lit("]") {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.lit(",") {
			continue
		}
		return d.lit("]")
	}
}

// str reads a string without escapes whose bytes are UTF-8.
func (d *decoder) str() (string, bool) {
	raw, ok := d.raw()
	return string(raw), ok
}

// raw reads a string without escapes whose bytes are UTF-8, and returns
// its bytes (an object's key: compared, not kept).
func (d *decoder) raw() ([]byte, bool) {
	if !d.lit(`"`) {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			raw := d.b[start:d.i]
			d.i++
			return raw, utf8.Valid(raw)
		case c == '\\' || c < 0x20:
			return nil, false
		}
		d.i++
	}
	return nil, false
}

func (d *decoder) strPtr(p **string) bool {
	if d.null() {
		return true
	}
	s, ok := d.str()
	if ok {
		*p = &s
	}
	return ok
}

// strVal reads a string into a plain string field; null would keep the
// field as it is, which only encoding/json knows across duplicates.
func (d *decoder) strVal(p *string) bool {
	s, ok := d.str()
	*p = s
	return ok
}

func (d *decoder) boolVal(p *bool) bool {
	switch {
	case d.lit("true"):
		*p = true
	case d.lit("false"):
		*p = false
	default:
		return false
	}
	return true
}

// number returns a number token's bytes (JSON's grammar, checked loosely:
// strconv decides).
func (d *decoder) number() []byte {
	d.ws()
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			d.i++
			continue
		}
		break
	}
	return d.b[start:d.i]
}

// intVal reads an integer as encoding/json does into an int64 field: only
// digits (a fraction or exponent is its error), within range.
func (d *decoder) intVal(p *int64) bool {
	tok := d.number()
	if !jsonInteger(tok) {
		return false
	}
	n, err := strconv.ParseInt(string(tok), 10, 64)
	*p = n
	return err == nil
}

// jsonInteger: -?(0|[1-9][0-9]*)
func jsonInteger(tok []byte) bool {
	if len(tok) > 0 && tok[0] == '-' {
		tok = tok[1:]
	}
	if len(tok) == 0 || (tok[0] == '0' && len(tok) > 1) {
		return false
	}
	for _, c := range tok {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (d *decoder) intPtr(p **int64) bool {
	if d.null() {
		return true
	}
	var n int64
	if !d.intVal(&n) {
		return false
	}
	*p = &n
	return true
}

func (d *decoder) floatPtr(p **float64) bool {
	if d.null() {
		return true
	}
	f, ok := d.float()
	if ok {
		*p = &f
	}
	return ok
}

// float reads a number as encoding/json reads one into a float64 or an
// interface (strconv.ParseFloat; out of range is its error).
func (d *decoder) float() (float64, bool) {
	tok := d.number()
	if !jsonNumber(tok) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	return f, err == nil
}

// jsonNumber: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(tok []byte) bool {
	i := 0
	if i < len(tok) && tok[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(tok) && tok[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(tok) && tok[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(tok) && (tok[i] == 'e' || tok[i] == 'E') {
		i++
		if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(tok)
}

// list reads an array into *p, each element by elem; null leaves *p nil,
// and [] makes it empty, as encoding/json does.
func list[T any](d *decoder, p *[]T, elem func(*T) bool) bool {
	if d.null() {
		return true
	}
	l := []T{}
	ok := d.array(func() bool {
		l = append(l, *new(T))
		return elem(&l[len(l)-1])
	})
	*p = l
	return ok
}

// strings reads a list of strings.
func (d *decoder) strings(p *[]string) bool { return list(d, p, d.strVal) }

// value reads any JSON value as encoding/json decodes into an interface:
// map[string]any, []any, float64, string, bool, nil.
func (d *decoder) value() (any, bool) {
	d.ws()
	if d.i >= len(d.b) {
		return nil, false
	}
	switch c := d.b[d.i]; {
	case c == '{':
		m := map[string]any{}
		ok := d.object(func(key []byte) bool {
			v, ok := d.value()
			m[string(key)] = v
			return ok
		})
		return m, ok
	case c == '[':
		a := []any{}
		ok := d.array(func() bool {
			v, ok := d.value()
			a = append(a, v)
			return ok
		})
		return a, ok
	case c == '"':
		return d.str()
	case c == 't' || c == 'f':
		var b bool
		ok := d.boolVal(&b)
		return b, ok
	case c == 'n':
		return nil, d.null()
	}
	return d.float()
}

func (d *decoder) configMetadata(md *ConfigMetadata) bool {
	seen := 0
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "parametersMetadata":
			return once(&seen, 0) && d.paramsMetadata(&md.ParametersMetadata)
		case "authMetadata":
			return once(&seen, 1) && list(d, &md.AuthMetadata, d.authMetadata)
		}
		return false
	})
}

func (d *decoder) paramsMetadata(p *[]ParameterMetadata) bool {
	return list(d, p, d.paramMetadata)
}

func (d *decoder) paramMetadata(p *ParameterMetadata) bool {
	seen := 0
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "name":
			return once(&seen, 0) && d.strVal(&p.Name)
		case "index":
			var n int64
			ok := once(&seen, 1) && d.intVal(&n)
			p.Index = int(n)
			return ok && int64(p.Index) == n
		case "type":
			var s string
			ok := once(&seen, 2) && d.strVal(&s)
			p.Type = ParameterType(s)
			return ok
		case "typeName":
			return once(&seen, 3) && d.strPtr(&p.TypeName)
		case "integerRange":
			if !once(&seen, 4) {
				return false
			}
			if d.null() {
				return true
			}
			p.IntegerRange = new(IntegerRange)
			var rs int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "min":
					return once(&rs, 0) && d.intPtr(&p.IntegerRange.Min)
				case "max":
					return once(&rs, 1) && d.intPtr(&p.IntegerRange.Max)
				}
				return false
			})
		case "floatRange":
			if !once(&seen, 5) {
				return false
			}
			if d.null() {
				return true
			}
			p.FloatRange = new(FloatRange)
			var rs int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "min":
					return once(&rs, 0) && d.floatPtr(&p.FloatRange.Min)
				case "max":
					return once(&rs, 1) && d.floatPtr(&p.FloatRange.Max)
				}
				return false
			})
		case "options":
			return once(&seen, 6) && list(d, &p.Options, func(o *Option) bool {
				var os int
				return d.object(func(key []byte) bool {
					switch string(key) {
					case "value":
						return once(&os, 0) && d.strVal(&o.Value)
					case "displayName":
						return once(&os, 1) && d.strPtr(&o.DisplayName)
					}
					return false
				})
			})
		case "asset":
			if !once(&seen, 7) {
				return false
			}
			if d.null() {
				return true
			}
			p.Asset = new(Asset)
			var as int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "assetType":
					return once(&as, 0) && d.strPtr(&p.Asset.AssetType)
				case "allowedExtensions":
					return once(&as, 1) && d.strings(&p.Asset.AllowedExtensions)
				}
				return false
			})
		case "displayName":
			return once(&seen, 8) && d.strPtr(&p.DisplayName)
		case "description":
			return once(&seen, 9) && d.strPtr(&p.Description)
		case "required":
			return once(&seen, 10) && d.boolVal(&p.Required)
		case "secret":
			return once(&seen, 11) && d.boolVal(&p.Secret)
		case "defaultValue":
			return once(&seen, 12) && d.strPtr(&p.DefaultValue)
		case "jsonSchema":
			if !once(&seen, 13) {
				return false
			}
			if d.null() {
				return true
			}
			v, ok := d.value()
			m, isMap := v.(map[string]any)
			p.JSONSchema = m
			return ok && isMap
		case "uiHint":
			return once(&seen, 14) && d.strPtr(&p.UIHint)
		case "rules":
			return once(&seen, 15) && list(d, &p.Rules, func(r *Rule) bool {
				var rs int
				return d.object(func(key []byte) bool {
					switch string(key) {
					case "kind":
						return once(&rs, 0) && d.strVal(&r.Kind)
					case "value":
						return once(&rs, 1) && d.strPtr(&r.Value)
					case "message":
						return once(&rs, 2) && d.strPtr(&r.Message)
					}
					return false
				})
			})
		}
		return false
	})
}

func (d *decoder) authMetadata(a *AuthMetadata) bool {
	seen := 0
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.strVal(&a.ID)
		case "displayName":
			return once(&seen, 1) && d.strPtr(&a.DisplayName)
		case "description":
			return once(&seen, 2) && d.strPtr(&a.Description)
		case "type":
			var s string
			ok := once(&seen, 3) && d.strVal(&s)
			a.Type = AuthType(s)
			return ok
		case "sensitivity":
			var s string
			ok := once(&seen, 4) && d.strVal(&s)
			a.Sensitivity = Sensitivity(s)
			return ok
		case "authProviderName":
			return once(&seen, 5) && d.strPtr(&a.AuthProviderName)
		case "configTestSupported":
			return once(&seen, 6) && d.boolVal(&a.ConfigTestSupported)
		case "supportedLevels":
			return once(&seen, 7) && list(d, &a.SupportedLevels, func(l *AuthLevel) bool {
				s, ok := d.str()
				*l = AuthLevel(s)
				return ok
			})
		case "authMap":
			if !once(&seen, 8) {
				return false
			}
			var ms int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "useMap":
					return once(&ms, 0) && d.boolVal(&a.AuthMap.UseMap)
				case "keyTemplate":
					return once(&ms, 1) && d.strPtr(&a.AuthMap.KeyTemplate)
				case "parametersMetadata":
					return once(&ms, 2) && d.paramsMetadata(&a.AuthMap.ParametersMetadata)
				}
				return false
			})
		case "authSettings":
			if !once(&seen, 9) {
				return false
			}
			var ss int
			return d.object(func(key []byte) bool {
				if string(key) != "parameters" || !once(&ss, 0) {
					return false
				}
				if d.null() {
					return true
				}
				m := map[string]string{}
				a.AuthSettings.Parameters = m
				return d.object(func(key []byte) bool {
					if _, dup := m[string(key)]; dup {
						return false
					}
					s, ok := d.str()
					m[string(key)] = s
					return ok
				})
			})
		case "parametersMetadata":
			return once(&seen, 10) && d.paramsMetadata(&a.ParametersMetadata)
		case "availableScopes":
			return once(&seen, 11) && d.strings(&a.AvailableScopes)
		}
		return false
	})
}
