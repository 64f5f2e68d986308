// Package mockserver serves the Fruxon Integrations API from in-memory
// state, validating every request and response against the OpenAPI spec.
// It is an http.Handler: cmd/fruxon-mock serves it, Go tests mount it on
// httptest (see package mocktest).
package mockserver

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/validator"
)

// Config is everything a Server is built from. The zero value is usable:
// embedded spec, permissive auth, strict response validation, 1 MiB bodies.
type Config struct {
	// Spec replaces the embedded Integrations API document when set.
	Spec []byte
	// Auth is the credential check on /v1 (default permissive).
	Auth AuthMode
	// JWTSecret verifies HS256 tokens in jwt mode and signs minted tokens.
	JWTSecret []byte
	// JWKS holds RS256 public keys (a JWKS document) for jwt mode.
	JWKS []byte
	// ValidateResponses is strict (default), warn or off.
	ValidateResponses ResponseValidation
	// CORSOrigins lists allowed browser origins; "http://localhost:*"
	// allows any port. Default: DefaultCORSOrigins.
	CORSOrigins []string
	// MaxBody caps request bodies in bytes (default 1 MiB).
	MaxBody int64
	// SecretKey encrypts secrets at rest (32 bytes); random when empty.
	SecretKey []byte
	// StrictTenants makes unknown tenants 404 instead of creating them.
	StrictTenants bool
	// Logger receives the access log and errors (default: discard).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Observe, when set, is told about every finished exchange.
	Observe func(Entry)
}

// DefaultMaxBody is the request body cap when Config.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// Server is the mock: an http.Handler over the store.
type Server struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	api      *validator.Validator
	control  *validator.Validator
	store    *state.Store
	cors     corsPolicy
	jwks     jwkSet
	apiKeys  *apiKeySet
	observe  func(Entry)
	handler  http.Handler
	specYAML []byte
	specJSON []byte
}

// New builds a server. It fails on a bad config or spec, never later.
func New(cfg Config) (*Server, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now, cors: corsPolicy{origins: cfg.CORSOrigins}, observe: cfg.Observe}
	s.specYAML = cfg.Spec
	if s.specYAML == nil {
		s.specYAML = validator.FruxonSpec()
	}
	var err error
	if s.api, err = validator.New(s.specYAML); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	if s.specJSON, err = validator.YAMLToJSON(s.specYAML); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	if s.control, err = validator.New(validator.ControlPlaneSpec()); err != nil {
		return nil, fmt.Errorf("control-plane spec: %w", err)
	}
	if len(cfg.JWKS) > 0 {
		if s.jwks, err = ParseJWKS(cfg.JWKS); err != nil {
			return nil, fmt.Errorf("jwks: %w", err)
		}
	}
	box, err := newBox(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	s.store = state.New(state.Options{Now: cfg.Now, Box: box, StrictTenants: cfg.StrictTenants})
	router, err := s.routes()
	if err != nil {
		return nil, err
	}
	s.handler = s.withRecover(withTrace(s.withAccessLog(s.withBodyLimit(s.withCORS(router)))))
	return s, nil
}

func newBox(key []byte) (*secretbox.Box, error) {
	if len(key) == 0 {
		return secretbox.NewRandom()
	}
	b, err := secretbox.New(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return b, nil
}

func (c *Config) setDefaults() error {
	if c.Auth == "" {
		c.Auth = AuthPermissive
	}
	switch c.Auth {
	case AuthOff, AuthPermissive:
	case AuthJWT:
		if len(c.JWTSecret) == 0 && len(c.JWKS) == 0 {
			return errors.New("auth jwt needs a JWT secret or a JWKS file")
		}
	default:
		return fmt.Errorf("auth: %q is not off, permissive or jwt", c.Auth)
	}
	if c.ValidateResponses == "" {
		c.ValidateResponses = ValidateStrict
	}
	switch c.ValidateResponses {
	case ValidateStrict, ValidateWarn, ValidateOff:
	default:
		return fmt.Errorf("validate-responses: %q is not strict, warn or off", c.ValidateResponses)
	}
	if c.CORSOrigins == nil {
		c.CORSOrigins = DefaultCORSOrigins
	}
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxBody < 0 {
		return errors.New("max-body must be positive")
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// ServeHTTP serves the API, the control plane and the specs.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Reset empties the state (and, with fixtures, reloads them).
func (s *Server) Reset() { s.store.Reset() }

// Store exposes the state for in-process tests and the fixture loader.
func (s *Server) Store() *state.Store { return s.store }

// pathVar is a route variable of the matched route.
func pathVar(r *http.Request, name string) string { return mux.Vars(r)[name] }
