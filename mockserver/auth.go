package mockserver

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// AuthMode is how the mock checks credentials on the Integrations API.
type AuthMode string

// Auth modes (DESIGN §6).
const (
	// AuthOff accepts every request.
	AuthOff AuthMode = "off"
	// AuthPermissive accepts any bearer token or API key; a bearer that
	// decodes as a JWT with tenant claims is held to those tenants.
	AuthPermissive AuthMode = "permissive"
	// AuthJWT verifies HS256 (--jwt-secret) or RS256 (--jwks) tokens and exp.
	AuthJWT AuthMode = "jwt"
)

// claims are the JWT claims the mock reads.
type claims struct {
	Sub     string   `json:"sub"`
	Exp     *float64 `json:"exp"`
	Nbf     *float64 `json:"nbf"`
	Tenant  string   `json:"tenant"`
	Tenants []string `json:"tenants"`
	// Session selects a session (X-Fruxon-Mock-Session) for a browser
	// app that can't add a header to every call.
	Session string `json:"session"`
}

// allowsTenant reports whether the claims admit the tenant; tokens without
// tenant claims admit every tenant.
func (c claims) allowsTenant(t string) bool {
	if c.Tenant == "" && len(c.Tenants) == 0 {
		return true
	}
	return c.Tenant == t || slices.Contains(c.Tenants, t)
}

var errUnauthenticated = errors.New("unauthenticated")

// authenticate checks the request's credentials for the tenant in its
// path. It answers 0 when the request may go on, else 401 or 403.
func (s *Server) authenticate(r *http.Request, tenant string) int {
	if s.cfg.Auth == AuthOff {
		return 0
	}
	if key := r.Header.Get("X-API-KEY"); key != "" && r.Header.Get("Authorization") == "" {
		return s.authenticateAPIKey(key, tenant)
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return http.StatusUnauthorized
	}
	var c claims
	var err error
	switch s.cfg.Auth {
	case AuthJWT:
		c, err = s.verifyJWT(token)
		if err != nil {
			return http.StatusUnauthorized
		}
	default:
		// Permissive: any bearer passes, but a readable JWT's tenant
		// claims still bind, so a frontend sees the 403 it would get.
		c, _ = decodeClaims(token)
	}
	if !c.allowsTenant(tenant) {
		return http.StatusForbidden
	}
	if c.Sub != "" {
		exchangeFrom(r.Context()).note(func(e *exchange) { e.subject = c.Sub })
	}
	return 0
}

func (s *Server) authenticateAPIKey(key, tenant string) int {
	tenants, known := s.apiKeys.lookup(key)
	if s.cfg.Auth == AuthJWT && !s.cfg.FixtureAPIKeys {
		// The fixtures are readable by anyone with the repository; under
		// jwt their keys open nothing unless --fixture-api-keys says so.
		return http.StatusUnauthorized
	}
	if !known {
		if s.cfg.Auth == AuthPermissive {
			return 0
		}
		return http.StatusUnauthorized
	}
	if len(tenants) > 0 && !slices.Contains(tenants, tenant) {
		return http.StatusForbidden
	}
	return 0
}

func decodeClaims(token string) (claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims{}, errUnauthenticated
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return claims{}, errUnauthenticated
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return claims{}, errUnauthenticated
	}
	return c, nil
}

// verifyJWT checks signature, alg and time claims.
func (s *Server) verifyJWT(token string) (claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims{}, errUnauthenticated
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return claims{}, errUnauthenticated
	}
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if json.Unmarshal(hb, &header) != nil {
		return claims{}, errUnauthenticated
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return claims{}, errUnauthenticated
	}
	signed := parts[0] + "." + parts[1]
	switch header.Alg {
	case "HS256":
		if len(s.cfg.JWTSecret) == 0 {
			return claims{}, errUnauthenticated
		}
		mac := hmac.New(sha256.New, s.cfg.JWTSecret)
		mac.Write([]byte(signed))
		if !hmac.Equal(mac.Sum(nil), sig) {
			return claims{}, errUnauthenticated
		}
	case "RS256":
		key := s.jwks.key(header.Kid)
		if key == nil {
			return claims{}, errUnauthenticated
		}
		sum := sha256.Sum256([]byte(signed))
		if rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) != nil {
			return claims{}, errUnauthenticated
		}
	default:
		return claims{}, errUnauthenticated
	}
	c, err := decodeClaims(token)
	if err != nil {
		return claims{}, err
	}
	now := float64(s.now().Unix())
	if c.Exp != nil && now >= *c.Exp {
		return claims{}, errUnauthenticated
	}
	if c.Nbf != nil && now < *c.Nbf {
		return claims{}, errUnauthenticated
	}
	return c, nil
}

// SignHS256 mints an HS256 JWT; the control plane's token endpoint and
// tests use it.
func SignHS256(secret []byte, c map[string]any) (string, error) {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signed := header + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}

// jwkSet holds RS256 public keys by kid.
type jwkSet map[string]*rsa.PublicKey

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

// ParseJWKS reads a JSON Web Key Set and keeps its RSA keys.
func ParseJWKS(data []byte) (jwkSet, error) {
	var doc struct {
		Keys []struct {
			Kty string `json:"kty"`
			Kid string `json:"kid"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not a JWKS document: %w", err)
	}
	set := jwkSet{}
	for i, k := range doc.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("keys[%d]: n and e must be base64url", i)
		}
		set[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	if len(set) == 0 {
		return nil, errors.New("the JWKS holds no RSA keys")
	}
	return set, nil
}

// apiKeySet maps API keys (from fixtures) to the tenants they may use.
type apiKeySet struct {
	mu sync.RWMutex
	// guards keys
	keys map[string][]string
}

func (a *apiKeySet) lookup(key string) ([]string, bool) {
	if a == nil {
		return nil, false
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	t, ok := a.keys[key]
	return t, ok
}

// replace swaps in a new key map (a fixture load or reload).
func (a *apiKeySet) replace(keys map[string][]string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.keys = keys
}

// tokenLifetime bounds minted dev tokens.
const maxTokenLifetime = 24 * time.Hour

// subject is the authenticated caller's JWT sub, for createdBy.
func subject(r *http.Request) string {
	ex := exchangeFrom(r.Context())
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.subject
}
