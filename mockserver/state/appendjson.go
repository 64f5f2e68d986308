package state

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends c's JSON to b, byte for byte what json.Marshal(c)
// writes (TestConfigAppendJSONMatchesMarshal and FuzzAppendJSON hold it to
// that), without reflection: a config is the answer a frontend polls, and
// json.Marshal's reflective walk and map-key sorting were a sixth of the
// mock's CPU per poll. A value of a type it doesn't know goes through
// json.Marshal; an error there (a NaN, say, which no JSON input makes) is
// returned, as json.Marshal would return it.
func (c *Config) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendJSONString(b, c.ID)
	b = append(b, `,"integrationId":`...)
	b = appendJSONString(b, c.IntegrationID)
	b = append(b, `,"displayName":`...)
	b = appendStringPtr(b, c.DisplayName)
	b = append(b, `,"parameters":`...)
	if b, err = appendJSONObject(b, c.Parameters); err != nil {
		return nil, err
	}
	b = append(b, `,"hasAuth":`...)
	b = strconv.AppendBool(b, c.HasAuth)
	b = append(b, `,"hasAuthMap":`...)
	b = strconv.AppendBool(b, c.HasAuthMap)
	b = append(b, `,"authMethodId":`...)
	b = appendStringPtr(b, c.AuthMethodID)
	b = append(b, `,"auth":`...)
	b = c.Auth.appendJSON(b)
	b = append(b, `,"authMapEntries":`...)
	if c.AuthMapEntries == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range c.AuthMapEntries {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"parameters":`...)
			if b, err = appendJSONObject(b, c.AuthMapEntries[i].Parameters); err != nil {
				return nil, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"sandboxMode":`...)
	b = appendJSONString(b, string(c.SandboxMode))
	b = append(b, `,"sandboxVariant":`...)
	if c.SandboxVariant == nil {
		b = append(b, "null"...)
	} else if b, err = appendMarshal(b, c.SandboxVariant); err != nil {
		return nil, err
	}
	b = append(b, `,"publishedRevisionId":`...)
	b = appendStringPtr(b, c.PublishedRevisionID)
	b = append(b, `,"createdBy":`...)
	b = appendStringPtr(b, c.CreatedBy)
	b = append(b, `,"createdAt":`...)
	b = strconv.AppendInt(b, c.CreatedAt, 10)
	b = append(b, `,"modifiedAt":`...)
	b = strconv.AppendInt(b, c.ModifiedAt, 10)
	return append(b, '}'), nil
}

func (a *AuthView) appendJSON(b []byte) []byte {
	if a == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"level":`...)
	b = appendJSONString(b, string(a.Level))
	b = append(b, `,"integrationAuthMetadataId":`...)
	b = appendJSONString(b, a.IntegrationAuthMetadataID)
	b = append(b, `,"grantedScopes":`...)
	if a.GrantedScopes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range a.GrantedScopes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, *s)
}

// appendJSONObject writes m with its keys sorted, as json.Marshal does.
func appendJSONObject(b []byte, m map[string]any) ([]byte, error) {
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
		b = appendJSONString(b, k)
		b = append(b, ':')
		if b, err = appendJSONValue(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONValue writes the values a JSON decoder makes itself; any other
// goes through json.Marshal, which writes a value the same alone as inside
// a struct.
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return appendMarshal(b, v)
		}
		return appendJSONFloat(b, v), nil
	case map[string]any:
		return appendJSONObject(b, v)
	case []any:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		var err error
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSONValue(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	return appendMarshal(b, v)
}

func appendMarshal(b []byte, v any) ([]byte, error) {
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

// appendJSONString is encoding/json's string encoder with HTML escaping:
// the same escapes, \ufffd for a byte that isn't UTF-8, and U+2028 and
// U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
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
