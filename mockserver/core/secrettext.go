package core

import (
	"encoding/json"
	"strconv"
)

// minLeaf is the shortest leaf of a structured secret that is redacted on
// its own: shorter texts ("1", "eu") can't be told from ordinary output.
const minLeaf = 4

// SecretTexts lists the texts a secret value may show up as: a string as
// is; anything else as its JSON text plus, leaf by leaf, every string and
// number inside it (a Json secret's fields are often rendered one by one
// into a header or a URL).
func SecretTexts(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	if text, err := json.Marshal(v); err == nil {
		out = append(out, string(text))
	}
	var walk func(any)
	walk = func(v any) {
		var leaf string
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
			return
		case []any:
			for _, e := range x {
				walk(e)
			}
			return
		case string:
			leaf = x
		case json.Number:
			leaf = x.String()
		case float64:
			leaf = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			return
		}
		if len(leaf) >= minLeaf {
			out = append(out, leaf)
		}
	}
	walk(v)
	return out
}
