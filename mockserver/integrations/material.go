package integrations

import (
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// A config's material (parameters, auth, auth map) as kept in memory. It
// is immutable once stored: a write builds new values, so a revision shares
// its draft's material instead of copying it. Parameter maps are sorted
// slices, which at the sizes parameters have cost a fraction of a Go map;
// that is what keeps 10,000 integrations × 5 configs small.

// param is one parameter value: a clear JSON value, or for a secret the
// sealed JSON text of the value, held in value as a sealedText (one field
// for both keeps the many clear values small). name is the declaring
// metadata's string where there is one, so configs share it.
type param struct {
	name  string
	value any
}

// sealedText is a secret's sealed JSON text, raw (secretbox.SealRaw).
type sealedText string

// sealedParam is a secret parameter with its raw sealed text.
func sealedParam(name, text string) param { return param{name: name, value: sealedText(text)} }

// sealed is the (raw) sealed text of a secret parameter, "" for a clear one.
func (p param) sealed() string {
	s, _ := p.secret()
	return s
}

func isSecret(p param) bool {
	_, ok := p.secret()
	return ok
}

// secret returns the sealed text of a secret parameter, or false for a
// clear one.
func (p param) secret() (string, bool) {
	s, ok := p.value.(sealedText)
	return string(s), ok
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
		if _, secret := p.secret(); !secret {
			out[p.name] = core.CloneJSON(p.value)
		}
	}
	return out
}

// secrets returns the sealed values.
func (ps params) secrets() []param {
	var out []param
	for _, p := range ps {
		if _, secret := p.secret(); secret {
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
	scopes   *[]string // granted by OAuth; nil for a nil list (most auth has none, so it costs a pointer)
}

// grantedScopes returns the scopes OAuth granted, nil when none were
// recorded.
func (a *auth) grantedScopes() []string {
	if a.scopes == nil {
		return nil
	}
	return *a.scopes
}

// scopeList keeps a copy of scopes as auth.scopes does.
func scopeList(scopes []string) *[]string {
	if scopes == nil {
		return nil
	}
	s := slices.Clone(scopes)
	return &s
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
