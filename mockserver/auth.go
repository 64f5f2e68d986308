package mockserver

import (
	"errors"
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
		if c, err = decodeClaims(token); errors.Is(err, errBadClaims) {
			// A JWT whose tenant claims can't be read admits no tenant.
			return http.StatusForbidden
		}
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
