package core

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The pieces of a hand-written JSON encoder, each writing exactly what
// json.Marshal writes for its value (the rooms' differential tests hold
// their encoders, built from these, to json.Marshal): a room writes its
// hot answers without reflection.

// AppendStringPtr writes *s as a JSON string, nil as null.
func AppendStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return AppendJSONString(b, *s)
}

// AppendJSONObject writes m with its keys sorted, as json.Marshal does.
func AppendJSONObject(b []byte, m map[string]any) ([]byte, error) {
	return AppendMap(b, m, AppendJSONValue)
}

// AppendMap writes m with its keys sorted, each value by value.
func AppendMap[V any](b []byte, m map[string]V, value func([]byte, V) ([]byte, error)) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	var buf [16]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var err error
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, k)
		b = append(b, ':')
		if b, err = value(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// AppendJSONValue writes the values a JSON decoder makes itself; any other
// goes through json.Marshal, which writes a value the same alone as inside
// a struct.
func AppendJSONValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return AppendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return AppendMarshal(b, v)
		}
		return appendJSONFloat(b, v), nil
	case map[string]any:
		return AppendJSONObject(b, v)
	case []any:
		return AppendList(b, v, func(b []byte, e *any) ([]byte, error) { return AppendJSONValue(b, *e) })
	}
	return AppendMarshal(b, v)
}

// AppendMarshal writes v through json.Marshal, for values the hand-written
// encoders don't know.
func AppendMarshal(b []byte, v any) ([]byte, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, out...), nil
}

// appendJSONFloat is encoding/json's float64 encoder: ES6 number
// formatting, with an exponent only below 1e-6 or from 1e21, unpadded.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes encoding/json writes as they are (with
// HTML escaping on, its default): not '"', '\\', '<', '>', '&' nor a
// control byte.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// AppendJSONString is encoding/json's string encoder with HTML escaping:
// the same escapes, \ufffd for a byte that isn't UTF-8, and U+2028 and
// U+2029 escaped.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendList writes list as a JSON array (nil: null), each element by elem.
func AppendList[T any](b []byte, list []T, elem func([]byte, *T) ([]byte, error)) ([]byte, error) {
	if list == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var err error
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = elem(b, &list[i]); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// AppendStrings writes a list of strings (nil: null).
func AppendStrings(b []byte, list []string) []byte {
	b, _ = AppendList(b, list, func(b []byte, s *string) ([]byte, error) { return AppendJSONString(b, *s), nil })
	return b
}

// AppendIntPtr writes *n, nil as null.
func AppendIntPtr(b []byte, n *int64) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *n, 10)
}

// AppendFloatPtr writes *f as json.Marshal writes a float64, nil as null.
func AppendFloatPtr(b []byte, f *float64) ([]byte, error) {
	if f == nil {
		return append(b, "null"...), nil
	}
	return AppendJSONValue(b, *f)
}

// AppendJSON appends the page's JSON to b, byte for byte json.Marshal's:
// each item through its own AppendJSON when it has one.
func (p *Page[T]) AppendJSON(b []byte) ([]byte, error) {
	b, err := AppendList(append(b, `{"items":`...), p.Items, func(b []byte, item *T) ([]byte, error) {
		if a, ok := any(item).(interface {
			AppendJSON([]byte) ([]byte, error)
		}); ok {
			return a.AppendJSON(b)
		}
		return AppendMarshal(b, item)
	})
	if err != nil {
		return nil, err
	}
	b = append(b, `,"nextPageToken":`...)
	b = AppendStringPtr(b, p.NextPageToken)
	return append(b, '}'), nil
}
