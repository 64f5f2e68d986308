package state

import (
	"errors"
)

// OAuthRedeemer consumes the single-use keys of the application-level OAuth
// flow. The store calls it during a config create or PATCH that carries
// oAuthCredentialKey, after the rest of the body passed validation and with
// the store's lock held: it must not call back into the Store.
type OAuthRedeemer interface {
	RedeemOAuthKey(tenant, integration, key string) (OAuthCredential, error)
}

// OAuthCredential is what a redeemed key yields; the store keeps it as the
// config's auth, every token sealed and the details in the clear.
type OAuthCredential struct {
	AuthMethodID string
	Level        AuthLevel // empty means APPLICATION
	// Tokens are the secrets (accessToken, refreshToken).
	Tokens map[string]string
	// Details describe them and are not secret (tokenType "Bearer",
	// expiresAt): sealed, they would be redacted wherever they show.
	Details       map[string]string
	GrantedScopes []string
}

// redeem turns an oAuthCredentialKey into sealed auth. A plain error from
// the redeemer becomes a finding on oAuthCredentialKey with its text; a
// *Error passes through.
func (s *Store) redeem(op, tenantName string, it *Integration, key string) (*auth, error) {
	const path = "oAuthCredentialKey"
	if s.oauth == nil {
		return nil, invalid(op, path, "cannot be redeemed: OAuth is not enabled on this server")
	}
	cred, err := s.oauth.RedeemOAuthKey(tenantName, it.ID, key)
	if err != nil {
		if e := (*Error)(nil); errors.As(err, &e) {
			return nil, err
		}
		return nil, invalid(op, path, "%s", err.Error())
	}
	if authMethod(it, cred.AuthMethodID) == nil {
		return nil, invalid(op, path, "was issued for auth method %q, which integration %s does not declare", cred.AuthMethodID, it.ID)
	}
	b := &builder{f: findings{}, box: s.box}
	a := &auth{methodID: cred.AuthMethodID, level: cred.Level, scopes: scopeList(cred.GrantedScopes)}
	if a.level == "" {
		a.level = AuthLevelApplication
	}
	ps := make([]param, 0, len(cred.Tokens)+len(cred.Details))
	for name, token := range cred.Tokens {
		ps = append(ps, sealedParam(name, b.seal(token)))
	}
	for name, detail := range cred.Details {
		if _, secret := cred.Tokens[name]; !secret {
			ps = append(ps, param{name: name, value: detail})
		}
	}
	a.params = newParams(ps)
	if b.err != nil {
		return nil, internal(op, b.err)
	}
	return a, nil
}
