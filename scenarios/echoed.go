package scenarios

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Echoed says where a secret shows up in an answer (a header's name, or
// "body"), or "": replay's check that a step's secrets never come back.
func Echoed(secret string, h http.Header, body []byte) string {
	for name, vals := range h {
		for _, v := range vals {
			if strings.Contains(v, secret) {
				return "header " + name
			}
		}
	}
	if bytes.Contains(body, []byte(secret)) {
		return "body"
	}
	// A JSON encoder may have escaped it ("<" as \u003c, "/" as \/):
	// look at the decoded strings too.
	var doc any
	if json.Unmarshal(body, &doc) == nil && containsString(doc, secret) {
		return "body"
	}
	return ""
}

// containsString reports whether s is part of any string (or member name)
// of a decoded JSON value.
func containsString(v any, s string) bool {
	switch v := v.(type) {
	case string:
		return strings.Contains(v, s)
	case map[string]any:
		for k, e := range v {
			if strings.Contains(k, s) || containsString(e, s) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if containsString(e, s) {
				return true
			}
		}
	}
	return false
}
