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
	if b, err = appendList(b, c.AuthMapEntries, func(b []byte, e *AuthMapView) ([]byte, error) {
		b, err := appendJSONObject(append(b, `{"parameters":`...), e.Parameters)
		return append(b, '}'), err
	}); err != nil {
		return nil, err
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
	b = appendStrings(b, a.GrantedScopes)
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
	return appendMap(b, m, appendJSONValue)
}

// appendMap writes m with its keys sorted, each value by value.
func appendMap[V any](b []byte, m map[string]V, value func([]byte, V) ([]byte, error)) ([]byte, error) {
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
		if b, err = value(b, m[k]); err != nil {
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
		return appendList(b, v, func(b []byte, e *any) ([]byte, error) { return appendJSONValue(b, *e) })
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

// AppendJSON appends i's JSON to b, byte for byte what json.Marshal(i)
// writes (TestAppendJSONMatchesMarshal), without reflection: an
// integration's metadata is most of what a create or a list answers.
func (it *Integration) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendJSONString(b, it.ID)
	b = append(b, `,"displayName":`...)
	b = appendStringPtr(b, it.DisplayName)
	b = append(b, `,"description":`...)
	b = appendStringPtr(b, it.Description)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(it.Type))
	b = append(b, `,"configMetadata":{"parametersMetadata":`...)
	if b, err = appendParamsMetadata(b, it.ConfigMetadata.ParametersMetadata); err != nil {
		return nil, err
	}
	b = append(b, `,"authMetadata":`...)
	if b, err = appendList(b, it.ConfigMetadata.AuthMetadata, appendAuthMetadata); err != nil {
		return nil, err
	}
	b = append(b, `},"tags":`...)
	b = appendStrings(b, it.Tags)
	b = append(b, `,"isInternal":`...)
	b = strconv.AppendBool(b, it.IsInternal)
	b = append(b, `,"createdAt":`...)
	b = strconv.AppendInt(b, it.CreatedAt, 10)
	b = append(b, `,"modifiedAt":`...)
	b = strconv.AppendInt(b, it.ModifiedAt, 10)
	return append(b, '}'), nil
}

func appendAuthMetadata(b []byte, a *AuthMetadata) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendJSONString(b, a.ID)
	b = append(b, `,"displayName":`...)
	b = appendStringPtr(b, a.DisplayName)
	b = append(b, `,"description":`...)
	b = appendStringPtr(b, a.Description)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(a.Type))
	b = append(b, `,"sensitivity":`...)
	b = appendJSONString(b, string(a.Sensitivity))
	b = append(b, `,"authProviderName":`...)
	b = appendStringPtr(b, a.AuthProviderName)
	b = append(b, `,"configTestSupported":`...)
	b = strconv.AppendBool(b, a.ConfigTestSupported)
	b = append(b, `,"supportedLevels":`...)
	b, _ = appendList(b, a.SupportedLevels, func(b []byte, l *AuthLevel) ([]byte, error) { return appendJSONString(b, string(*l)), nil })
	b = append(b, `,"authMap":{"useMap":`...)
	b = strconv.AppendBool(b, a.AuthMap.UseMap)
	b = append(b, `,"keyTemplate":`...)
	b = appendStringPtr(b, a.AuthMap.KeyTemplate)
	b = append(b, `,"parametersMetadata":`...)
	if b, err = appendParamsMetadata(b, a.AuthMap.ParametersMetadata); err != nil {
		return nil, err
	}
	b = append(b, `},"authSettings":{"parameters":`...)
	if b, err = appendMap(b, a.AuthSettings.Parameters, func(b []byte, s string) ([]byte, error) { return appendJSONString(b, s), nil }); err != nil {
		return nil, err
	}
	b = append(b, `},"parametersMetadata":`...)
	if b, err = appendParamsMetadata(b, a.ParametersMetadata); err != nil {
		return nil, err
	}
	b = append(b, `,"availableScopes":`...)
	b = appendStrings(b, a.AvailableScopes)
	return append(b, '}'), nil
}

func appendParamsMetadata(b []byte, list []ParameterMetadata) ([]byte, error) {
	return appendList(b, list, appendParamMetadata)
}

// appendList writes list as a JSON array (nil: null), each element by elem.
func appendList[T any](b []byte, list []T, elem func([]byte, *T) ([]byte, error)) ([]byte, error) {
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

func appendParamMetadata(b []byte, p *ParameterMetadata) ([]byte, error) {
	var err error
	b = append(b, `{"name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"index":`...)
	b = strconv.AppendInt(b, int64(p.Index), 10)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(p.Type))
	b = append(b, `,"typeName":`...)
	b = appendStringPtr(b, p.TypeName)
	b = append(b, `,"integerRange":`...)
	if r := p.IntegerRange; r == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"min":`...)
		b = appendIntPtr(b, r.Min)
		b = append(b, `,"max":`...)
		b = appendIntPtr(b, r.Max)
		b = append(b, '}')
	}
	b = append(b, `,"floatRange":`...)
	if r := p.FloatRange; r == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"min":`...)
		if b, err = appendFloatPtr(b, r.Min); err != nil {
			return nil, err
		}
		b = append(b, `,"max":`...)
		if b, err = appendFloatPtr(b, r.Max); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	b = append(b, `,"options":`...)
	b, _ = appendList(b, p.Options, func(b []byte, o *Option) ([]byte, error) {
		b = appendJSONString(append(b, `{"value":`...), o.Value)
		b = appendStringPtr(append(b, `,"displayName":`...), o.DisplayName)
		return append(b, '}'), nil
	})
	b = append(b, `,"asset":`...)
	if a := p.Asset; a == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"assetType":`...)
		b = appendStringPtr(b, a.AssetType)
		b = append(b, `,"allowedExtensions":`...)
		b = appendStrings(b, a.AllowedExtensions)
		b = append(b, '}')
	}
	b = append(b, `,"displayName":`...)
	b = appendStringPtr(b, p.DisplayName)
	b = append(b, `,"description":`...)
	b = appendStringPtr(b, p.Description)
	b = append(b, `,"required":`...)
	b = strconv.AppendBool(b, p.Required)
	b = append(b, `,"secret":`...)
	b = strconv.AppendBool(b, p.Secret)
	b = append(b, `,"defaultValue":`...)
	b = appendStringPtr(b, p.DefaultValue)
	b = append(b, `,"jsonSchema":`...)
	if b, err = appendJSONObject(b, p.JSONSchema); err != nil {
		return nil, err
	}
	b = append(b, `,"uiHint":`...)
	b = appendStringPtr(b, p.UIHint)
	b = append(b, `,"rules":`...)
	b, _ = appendList(b, p.Rules, func(b []byte, r *Rule) ([]byte, error) {
		b = appendJSONString(append(b, `{"kind":`...), r.Kind)
		b = appendStringPtr(append(b, `,"value":`...), r.Value)
		b = appendStringPtr(append(b, `,"message":`...), r.Message)
		return append(b, '}'), nil
	})
	return append(b, '}'), nil
}

func appendStrings(b []byte, list []string) []byte {
	b, _ = appendList(b, list, func(b []byte, s *string) ([]byte, error) { return appendJSONString(b, *s), nil })
	return b
}

func appendIntPtr(b []byte, n *int64) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *n, 10)
}

func appendFloatPtr(b []byte, f *float64) ([]byte, error) {
	if f == nil {
		return append(b, "null"...), nil
	}
	return appendJSONValue(b, *f)
}

// AppendJSON appends the page's JSON to b, byte for byte json.Marshal's:
// each item through its own AppendJSON when it has one.
func (p *Page[T]) AppendJSON(b []byte) ([]byte, error) {
	b, err := appendList(append(b, `{"items":`...), p.Items, func(b []byte, item *T) ([]byte, error) {
		if a, ok := any(item).(interface {
			AppendJSON([]byte) ([]byte, error)
		}); ok {
			return a.AppendJSON(b)
		}
		return appendMarshal(b, item)
	})
	if err != nil {
		return nil, err
	}
	b = append(b, `,"nextPageToken":`...)
	b = appendStringPtr(b, p.NextPageToken)
	return append(b, '}'), nil
}
