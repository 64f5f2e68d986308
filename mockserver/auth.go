package mockserver

import (
	"errors"
	"fmt"
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

// rejection is why a request's credentials were refused: the status (401
// or 403) and a reason safe to show (never the token or key itself), which
// goes to X-Fruxon-Mock-Reason, the log and the journal.
type rejection struct {
	status int
	reason string
}

// authenticate checks the request's credentials for the tenant in its
// path. It answers nil when the request may go on.
func (s *Server) authenticate(r *http.Request, tenant string) *rejection {
	if s.cfg.Auth == AuthOff {
		return nil
	}
	if key := r.Header.Get("X-API-KEY"); key != "" && r.Header.Get("Authorization") == "" {
		return s.authenticateAPIKey(key, tenant)
	}
	authz := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(authz, "Bearer ")
	token = strings.TrimSpace(token)
	switch {
	case authz == "":
		return &rejection{http.StatusUnauthorized, "no credentials: send Authorization: Bearer <token> or X-API-KEY"}
	case !ok:
		return &rejection{http.StatusUnauthorized, "the Authorization header is not \"Bearer <token>\""}
	case token == "":
		return &rejection{http.StatusUnauthorized, "the bearer token is empty"}
	}
	var c claims
	var err error
	switch s.cfg.Auth {
	case AuthJWT:
		c, err = s.verifyJWT(token)
		if err != nil {
			return &rejection{http.StatusUnauthorized, err.Error()}
		}
	default:
		// Permissive: any bearer passes, but a readable JWT's tenant
		// claims still bind, so a frontend sees the 403 it would get.
		if c, err = decodeClaims(token); errors.Is(err, errBadClaims) {
			// A JWT whose tenant claims can't be read admits no tenant.
			return &rejection{http.StatusForbidden, "the token's tenant, tenants, sub or session claim has the wrong type"}
		}
	}
	if !c.allowsTenant(tenant) {
		return &rejection{http.StatusForbidden, fmt.Sprintf("the token's tenant claims (%s) do not include tenant %q",
			strings.Join(append(optionalList(c.Tenant), c.Tenants...), ", "), tenant)}
	}
	if c.Sub != "" {
		exchangeFrom(r.Context()).note(func(e *exchange) { e.subject = c.Sub })
	}
	return nil
}

func optionalList(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func (s *Server) authenticateAPIKey(key, tenant string) *rejection {
	tenants, known := s.apiKeys.lookup(key)
	if s.cfg.Auth == AuthJWT && !s.cfg.FixtureAPIKeys {
		// The fixtures are readable by anyone with the repository; under
		// jwt their keys open nothing unless --fixture-api-keys says so.
		return &rejection{http.StatusUnauthorized, "API keys are refused under --auth jwt unless --fixture-api-keys is set"}
	}
	if !known {
		if s.cfg.Auth == AuthPermissive {
			return nil
		}
		return &rejection{http.StatusUnauthorized, "unknown API key (--auth jwt accepts only the fixtures' API keys)"}
	}
	if len(tenants) > 0 && !slices.Contains(tenants, tenant) {
		return &rejection{http.StatusForbidden, fmt.Sprintf("the API key is not allowed for tenant %q (allowed: %s)", tenant, strings.Join(tenants, ", "))}
	}
	return nil
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
