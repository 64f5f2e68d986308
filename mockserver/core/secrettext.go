package core

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// minLeaf is the shortest leaf of a structured secret that is redacted on
// its own: shorter texts ("1", "eu") can't be told from ordinary output.
const minLeaf = 4

// MinRedactable is the length from which a secret's text is searched for
// and redacted wherever it shows (journal, dashboard); a shorter one would
// smear ordinary text.
const MinRedactable = 8

// minDistinct is the length from which a secret made only of letters or
// only of digits is told from the words and numbers ordinary output holds
// ("Bearer", "password", "Production", a timestamp).
const minDistinct = 16

// WeakSecret says why a secret's text can't be searched for and redacted
// wherever it shows without destroying the text around it — it is
// shorter than MinRedactable, or a plain word or number shorter than 16 —
// or "" when it can. A weak secret is still hidden where the API carries
// secrets (auth parameters, credential headers), and flagged when stored.
func WeakSecret(text string) string {
	if len(text) < MinRedactable {
		return fmt.Sprintf("shorter than %d characters", MinRedactable)
	}
	if len(text) < minDistinct && (onlyOf(text, isLetter) || onlyOf(text, isDigit)) {
		return fmt.Sprintf("a plain word or number shorter than %d characters", minDistinct)
	}
	return ""
}

func onlyOf(s string, class func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !class(s[i]) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

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
