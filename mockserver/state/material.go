package state

import (
	"slices"
	"strings"
)

// A config's material (parameters, auth, auth map) as kept in memory. It
// is immutable once stored: a write builds new values, so a revision shares
// its draft's material instead of copying it. Parameter maps are sorted
// slices, which at the sizes parameters have cost a fraction of a Go map;
// that is what keeps 10,000 integrations × 5 configs small.

// param is one parameter value: a clear JSON value, or for a secret the
// sealed JSON text of the value.
type param struct {
	name   string
	value  any
	sealed string
}

// params is a parameter map sorted by name; nil when empty.
type params []param

// newParams sorts ps into a params, nil when empty.
func newParams(ps []param) params {
	if len(ps) == 0 {
		return nil
	}
	slices.SortFunc(ps, func(a, b param) int { return strings.Compare(a.name, b.name) })
	return params(ps)
}

// clear returns a deep copy of the clear values, {} when there are none.
func (ps params) clear() map[string]any {
	out := make(map[string]any, len(ps))
	for _, p := range ps {
		if p.sealed == "" {
			out[p.name] = cloneJSON(p.value)
		}
	}
	return out
}

// secrets returns the sealed values.
func (ps params) secrets() []param {
	var out []param
	for _, p := range ps {
		if p.sealed != "" {
			out = append(out, p)
		}
	}
	return out
}

// auth is a stored credential.
type auth struct {
	methodID string
	level    AuthLevel
	params   params
	scopes   []string // granted by OAuth
}

// mapEntry is one stored auth-map entry.
type mapEntry struct {
	params params
	auth   *auth
}

// bundle is parameters, auth and an auth map: the body of a draft, and a
// sandbox variant.
type bundle struct {
	params  params
	auth    *auth
	authMap []mapEntry
}

// draft is a config's draft, or a revision's frozen copy of one.
type draft struct {
	displayName *string
	bundle
	sandboxMode SandboxMode
	variant     *bundle
}
