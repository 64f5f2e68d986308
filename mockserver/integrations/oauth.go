package integrations

import (
	"errors"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
)

// OAuthRedeemer consumes the single-use keys of the application-level OAuth
// flow. The store calls it during a config create or PATCH that carries
// oAuthCredentialKey, after the rest of the body passed validation and with
// the store's lock held: it must not call back into the Store.
type OAuthRedeemer interface {
	RedeemOAuthKey(tenant, integration, key string) (oauthflow.Credential, error)
}

// redeem turns an oAuthCredentialKey into sealed auth. A plain error from
// the redeemer becomes a finding on oAuthCredentialKey with its text; a
// *Error passes through.
func (s *Store) redeem(op, tenantName string, it *Integration, key string) (*auth, error) {
	return s.redeemAt(op, "oAuthCredentialKey", tenantName, it, key)
}

// redeemAt is redeem with findings on path.
func (s *Store) redeemAt(op, path, tenantName string, it *Integration, key string) (*auth, error) {
	if s.oauth == nil {
		return nil, core.Invalid(op, path, "cannot be redeemed: OAuth is not enabled on this server")
	}
	cred, err := s.oauth.RedeemOAuthKey(tenantName, it.ID, key)
	if err != nil {
		if e := (*core.Error)(nil); errors.As(err, &e) {
			return nil, err
		}
		return nil, core.Invalid(op, path, "%s", err.Error())
	}
	if authMethod(it, cred.AuthMethodID) == nil {
		return nil, core.Invalid(op, path, "was issued for auth method %q, which integration %s does not declare", cred.AuthMethodID, it.ID)
	}
	b := &builder{f: core.Findings{}, box: s.box}
	a := &auth{methodID: cred.AuthMethodID, level: AuthLevel(cred.Level), scopes: scopeList(cred.GrantedScopes)}
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
		return nil, core.Internal(op, b.err)
	}
	return a, nil
}

// ConsumeOAuthCredentials binds the credential of a single-use key to a
// config's draft, exactly as oAuthCredentialKey on a config write does. A
// reused, expired, unknown or foreign key is KindInvalid on credentialKey
// and changes nothing.
func (s *Store) ConsumeOAuthCredentials(tenantName, integrationID, configID, key string) error {
	const op = "ConsumeOAuthCredentials"
	s.mu.Lock()
	defer s.mu.Unlock()
	ir, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return err
	}
	a, err := s.redeemAt(op, "credentialKey", tenantName, &ir.it, key)
	if err != nil {
		return err
	}
	d := c.draft // stored drafts are never mutated
	d.auth = a
	c.draft = d
	c.modifiedAt = s.nowMillis()
	c.version = s.bump()
	return nil
}
