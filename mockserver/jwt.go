package mockserver

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWT algorithms the mock accepts, each pinned to one kind of key: HS256
// only with the shared secret, RS256 only with a JWKS key. The parser is
// told both the allowed list and, through the key it gets back, the key
// type, so a token can't pick its own verification (alg none, an HS256
// token "signed" with an RSA public key).
const (
	algHS256 = "HS256"
	algRS256 = "RS256"
)

// claims are the JWT claims the mock reads. Names are exact (JSON member
// names are case-sensitive in a JWT: "Tenant" is not "tenant").
type claims struct {
	Sub     string
	Tenant  string
	Tenants []string
	// Session selects a session (X-Fruxon-Mock-Session) for a browser
	// app that can't add a header to every call.
	Session string
}

// allowsTenant reports whether the claims admit the tenant; tokens without
// tenant claims admit every tenant.
func (c claims) allowsTenant(t string) bool {
	if c.Tenant == "" && len(c.Tenants) == 0 {
		return true
	}
	return c.Tenant == t || slices.Contains(c.Tenants, t)
}

// errBadClaims: the token is a JWT, but a claim the mock reads has the
// wrong type.
var errBadClaims = errors.New("unreadable claims")

// claimsOf reads the mock's claims from a token's claim set.
func claimsOf(m jwt.MapClaims) (claims, error) {
	var c claims
	str := func(name string, into *string) bool {
		v, ok := m[name]
		if !ok {
			return true
		}
		*into, ok = v.(string)
		return ok
	}
	if !str("sub", &c.Sub) || !str("tenant", &c.Tenant) || !str("session", &c.Session) {
		return claims{}, errBadClaims
	}
	if v, ok := m["tenants"]; ok {
		list, ok := v.([]any)
		if !ok {
			return claims{}, errBadClaims
		}
		for _, e := range list {
			t, ok := e.(string)
			if !ok {
				return claims{}, errBadClaims
			}
			c.Tenants = append(c.Tenants, t)
		}
	}
	return c, nil
}

// decodeClaims reads a token's claims without verifying it (permissive
// mode, and the session claim). A token that isn't a JWT is
// errUnauthenticated; one whose claims have the wrong types, errBadClaims.
func decodeClaims(token string) (claims, error) {
	if len(token) > maxMemoToken {
		return decodeClaimsOnce(token)
	}
	claimsMemo.RLock()
	m, ok := claimsMemo.m[token]
	claimsMemo.RUnlock()
	if ok {
		return m.c, m.err
	}
	c, err := decodeClaimsOnce(token)
	claimsMemo.Lock()
	if len(claimsMemo.m) >= maxMemoTokens || claimsMemo.m == nil {
		claimsMemo.m = make(map[string]memoClaims, 64) // crude but bounded
	}
	claimsMemo.m[token] = memoClaims{c, err}
	claimsMemo.Unlock()
	return c, err
}

// claimsMemo remembers decodeClaims' answers, a pure function of the
// token: a client sends the same token with every call, and the session
// lookup and permissive authentication both read it, so parsing it again
// (a twentieth of a GET's cost) is spared. Bounded in count and in token
// size; its claims are only ever read.
var claimsMemo struct {
	sync.RWMutex
	m map[string]memoClaims
}

type memoClaims struct {
	c   claims
	err error
}

const (
	maxMemoTokens = 1024
	maxMemoToken  = 4096
)

func decodeClaimsOnce(token string) (claims, error) {
	// The signature isn't checked here, so it isn't decoded either.
	if i := strings.LastIndexByte(token, '.'); i >= 0 {
		token = token[:i+1]
	}
	m := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, m); err != nil {
		return claims{}, errUnauthenticated
	}
	return claimsOf(m)
}

// verifyJWT checks a token's signature with the key its algorithm is
// pinned to, then exp, nbf and iat (each optional; iat may not lie in the
// future), then reads its claims.
func (s *Server) verifyJWT(token string) (claims, error) {
	methods := []string{algHS256}
	if len(s.jwks) > 0 {
		methods = append(methods, algRS256)
	}
	p := jwt.NewParser(jwt.WithValidMethods(methods), jwt.WithTimeFunc(s.now), jwt.WithIssuedAt())
	m := jwt.MapClaims{}
	if _, err := p.ParseWithClaims(token, m, s.jwtKey); err != nil {
		return claims{}, jwtReason(err, m, methods)
	}
	c, err := claimsOf(m)
	if err != nil {
		return claims{}, errors.New("the token's tenant, tenants, sub or session claim has the wrong type")
	}
	return c, nil
}

// jwtReason says why a token was refused, for X-Fruxon-Mock-Reason and the
// journal: which check failed, never the token itself.
func jwtReason(err error, m jwt.MapClaims, methods []string) error {
	at := func(name string) string {
		if v, ok := m[name].(float64); ok {
			return " at " + time.Unix(int64(v), 0).UTC().Format(time.RFC3339)
		}
		return ""
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return errors.New("the token is not a JWT (header.payload.signature)")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return errors.New("bad signature: the token does not verify with the mock's key (--jwt-secret or --jwks)")
	case errors.Is(err, jwt.ErrTokenExpired):
		return errors.New("token expired" + at("exp"))
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return errors.New("token not valid before" + at("nbf"))
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return errors.New("token issued in the future" + at("iat"))
	case errors.Is(err, errNoKey):
		return err
	case errors.Is(err, jwt.ErrTokenUnverifiable), errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return fmt.Errorf("the token's alg is not accepted (%s)", strings.Join(methods, " or "))
	}
	return errors.New("the token could not be verified")
}

// errNoKey: the mock holds no key for the token's algorithm or kid.
var errNoKey = errors.New("no key for the token: an HS256 token needs --jwt-secret, an RS256 one a --jwks key with its kid")

// jwtKey picks the verification key for a token whose algorithm the
// parser already accepted: the secret for HS256, the JWKS key named by
// kid for RS256.
func (s *Server) jwtKey(t *jwt.Token) (any, error) {
	switch t.Method.Alg() {
	case algHS256:
		if len(s.cfg.JWTSecret) == 0 {
			return nil, errNoKey
		}
		return s.cfg.JWTSecret, nil
	case algRS256:
		kid := ""
		if v, ok := t.Header["kid"]; ok {
			if kid, ok = v.(string); !ok {
				return nil, errUnauthenticated
			}
		}
		if k := s.jwks.key(kid); k != nil {
			return k, nil
		}
		return nil, errNoKey
	}
	return nil, errUnauthenticated
}

// SignHS256 mints an HS256 JWT; the control plane's token endpoint and
// tests use it.
func SignHS256(secret []byte, c map[string]any) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(c)).SignedString(secret)
}

// jwkSet holds RS256 public keys by kid.
type jwkSet map[string]*rsa.PublicKey

// key is the key named kid; a token without kid may use the only key.
func (s jwkSet) key(kid string) *rsa.PublicKey {
	if k, ok := s[kid]; ok {
		return k
	}
	if kid == "" && len(s) == 1 {
		for _, k := range s {
			return k
		}
	}
	return nil
}

// ParseJWKS reads a JSON Web Key Set and keeps its RSA signing keys for
// RS256 (keys for encryption or for another algorithm are left out).
func ParseJWKS(data []byte) (jwkSet, error) {
	var doc struct {
		Keys []struct {
			Kty string `json:"kty"`
			Kid string `json:"kid"`
			Use string `json:"use"`
			Alg string `json:"alg"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not a JWKS document: %w", err)
	}
	set := jwkSet{}
	for i, k := range doc.Keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") || (k.Alg != "" && k.Alg != algRS256) {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil || len(n) == 0 || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("keys[%d]: n and e must be base64url", i)
		}
		if _, dup := set[k.Kid]; dup {
			return nil, fmt.Errorf("keys[%d]: kid %q is used twice", i, k.Kid)
		}
		set[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	if len(set) == 0 {
		return nil, errors.New("the JWKS holds no RSA signing keys for RS256")
	}
	return set, nil
}
