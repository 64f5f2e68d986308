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
