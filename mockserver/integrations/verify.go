package integrations

import (
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// VerifyResult answers :verifyAuth and :verifyConfig. OAuthMethod, never
// shown, names the OAUTH2 method whose consent page the handler puts in
// AuthorizationURL: the store starts no OAuth flow.
type VerifyResult struct {
	Success          bool                  `json:"success"`
	Error            *string               `json:"error"`
	AuthorizationURL *string               `json:"authorizationUrl"`
	AuthMapResults   []AuthMapVerifyResult `json:"authMapResults"`
	OAuthMethod      string                `json:"-"`
}

// AuthMapVerifyResult is one auth-map entry's outcome.
type AuthMapVerifyResult struct {
	Parameters       map[string]any `json:"parameters"`
	Success          bool           `json:"success"`
	Error            *string        `json:"error"`
	AuthorizationURL *string        `json:"authorizationUrl"`
	OAuthMethod      string         `json:"-"`
}

// VerifyConfigInput is the :verifyConfig body.
type VerifyConfigInput struct {
	AuthMetadataID   *string        `json:"authMetadataId"`
	AuthConfig       *AuthInput     `json:"authConfig"`
	ConfigParameters map[string]any `json:"configParameters"`
}

// verdict simulates the vendor's check of stored (or given) credentials of
// method methodID: an OAUTH2 method needs the user's consent instead (oauth
// is its id); a method the integration no longer declares, or one that does
// not support config tests, fails; otherwise every required parameter of
// the method must have a value.
func verdict(it *Integration, methodID string, has func(name string) bool) (ok bool, msg, oauth string) {
	m := authMethod(it, methodID)
	switch {
	case m == nil:
		return false, "auth method " + methodID + " is not declared by integration " + it.ID, ""
	case m.Type == AuthTypeOAuth2:
		return false, "", m.ID
	case !m.ConfigTestSupported:
		return false, "auth method " + m.ID + " does not support verification (configTestSupported is false)", ""
	}
	var missing []string
	for _, p := range m.ParametersMetadata {
		if p.Required && !has(p.Name) {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		return false, "the vendor refused the credentials (simulated): missing " + strings.Join(missing, ", "), ""
	}
	return true, "", ""
}

func storedHas(a *auth) func(string) bool {
	return func(name string) bool {
		for _, p := range a.params {
			if p.name == name {
				return p.value != nil && p.value != ""
			}
		}
		return false
	}
}

func errText(msg string) *string {
	if msg == "" {
		return nil
	}
	return &msg
}

// VerifyConfigAuth simulates :verifyAuth on a config's draft: its auth, or
// with an auth map each entry (or only entry *authMapIndex). Neither auth nor auth
// map is KindInvalid, as the reference says; so is an index outside the
// map.
func (s *Store) VerifyConfigAuth(tenantName, integrationID, configID string, authMapIndex *int) (VerifyResult, error) {
	const op = "VerifyConfigAuth"
	s.mu.RLock()
	defer s.mu.RUnlock()
	ir, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return VerifyResult{}, err
	}
	b := &c.draft.bundle
	if b.auth == nil && len(b.authMap) == 0 {
		return VerifyResult{}, core.Errorf(core.KindInvalid, op, "config %s has neither auth nor authMap to verify", configID)
	}
	entries := b.authMap
	first := 0
	if authMapIndex != nil {
		i := *authMapIndex
		if i < 0 || i >= len(b.authMap) {
			return VerifyResult{}, core.Invalid(op, "authMapIndex", "must index the config's auth map (it has %d entries)", len(b.authMap))
		}
		entries, first = b.authMap[i:i+1], i
	}
	res := VerifyResult{Success: true}
	// With an auth map, its entries carry the credentials: the config's
	// auth only names the map's method.
	if b.auth != nil && len(b.authMap) == 0 {
		ok, msg, oauth := verdict(&ir.it, b.auth.methodID, storedHas(b.auth))
		res.Success, res.Error, res.OAuthMethod = ok, errText(msg), oauth
	}
	if len(b.authMap) > 0 {
		res.AuthMapResults = make([]AuthMapVerifyResult, len(entries))
		for i, e := range entries {
			r := AuthMapVerifyResult{Parameters: e.params.clear()}
			if e.auth == nil {
				r.Error = errText("auth-map entry " + strconv.Itoa(first+i) + " has no authConfig")
			} else {
				ok, msg, oauth := verdict(&ir.it, e.auth.methodID, storedHas(e.auth))
				r.Success, r.Error, r.OAuthMethod = ok, errText(msg), oauth
			}
			res.Success = res.Success && r.Success
			res.AuthMapResults[i] = r
		}
	}
	return res, nil
}

// VerifyConfig simulates :verifyConfig: credentials given in the body,
// nothing stored. An auth method the integration does not declare, or one
// without configTestSupported (OAUTH2 aside: it answers a consent page), is
// KindInvalid, as the reference says.
func (s *Store) VerifyConfig(tenantName, integrationID string, in VerifyConfigInput) (VerifyResult, error) {
	const op = "VerifyConfig"
	it, _, err := s.GetIntegration(tenantName, integrationID)
	if err != nil {
		return VerifyResult{}, err
	}
	methodID, path := core.Deref(in.AuthMetadataID), "authMetadataId"
	if methodID == "" && in.AuthConfig != nil {
		methodID, path = in.AuthConfig.IntegrationAuthMetadataID, "authConfig.integrationAuthMetadataId"
	}
	if in.AuthConfig != nil && in.AuthConfig.IntegrationAuthMetadataID != "" && in.AuthConfig.IntegrationAuthMetadataID != methodID {
		return VerifyResult{}, core.Invalid(op, "authConfig.integrationAuthMetadataId", "must name the same auth method as authMetadataId (%s)", methodID)
	}
	m := authMethod(&it, methodID)
	switch {
	case m == nil:
		return VerifyResult{}, core.Invalid(op, path, "is not an auth method of integration %s", it.ID)
	case m.Type != AuthTypeOAuth2 && !m.ConfigTestSupported:
		return VerifyResult{}, core.Invalid(op, path, "auth method %s does not support verification (configTestSupported is false)", m.ID)
	}
	var given map[string]any
	if in.AuthConfig != nil {
		given = in.AuthConfig.Parameters
	}
	ok, msg, oauth := verdict(&it, m.ID, func(name string) bool {
		v, found := given[name]
		return found && v != nil && v != ""
	})
	return VerifyResult{Success: ok, Error: errText(msg), OAuthMethod: oauth}, nil
}
