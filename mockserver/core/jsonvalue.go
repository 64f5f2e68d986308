package core

import (
	"encoding/json"
	"math"
	"strconv"
)

// Parameter values are JSON values: nil, bool, string, float64 or
// json.Number, []any and map[string]any. Values from Go callers are brought
// to that form on write (NormalizeJSON), so reads can copy them cheaply
// (CloneJSON).

// NormalizeJSON returns a deep copy of v in canonical JSON form. Integers of
// Go integer types become json.Number (no precision lost); anything that is
// not a JSON value is round-tripped through encoding/json.
func NormalizeJSON(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, float64, json.Number:
		return x, nil
	case float32:
		return float64(x), nil
	case int:
		return json.Number(strconv.FormatInt(int64(x), 10)), nil
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), nil
	case int32:
		return json.Number(strconv.FormatInt(int64(x), 10)), nil
	case uint64:
		return json.Number(strconv.FormatUint(x, 10)), nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := NormalizeJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := NormalizeJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return nil, err
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, err
		}
		return out, nil
	}
}

// CloneJSON deep-copies a canonical JSON value.
func CloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return CloneJSONMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = CloneJSON(e)
		}
		return out
	default:
		return x
	}
}

// CloneJSONMap deep-copies a map of JSON values; nil stays nil.
func CloneJSONMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = CloneJSON(v)
	}
	return out
}

// Number reports v as a float64 when it is a JSON number, and whether it is
// integral.
func Number(v any) (f float64, integral, ok bool) {
	switch x := v.(type) {
	case float64:
		f = x
	case json.Number:
		if _, err := x.Int64(); err == nil {
			g, _ := x.Float64()
			return g, true, true
		}
		g, err := x.Float64()
		if err != nil {
			return 0, false, false
		}
		f = g
	default:
		return 0, false, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, false
	}
	return f, f == math.Trunc(f), true
}

// ScalarText is the text of a scalar JSON value, for comparing it with
// option values (which are strings).
func ScalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}
