// Package mockserver serves the Fruxon Integrations API from in-memory
// state, validating every request and response against the OpenAPI spec.
// It is an http.Handler: cmd/fruxon-mock serves it, Go tests mount it on
// httptest (see package mocktest).
package mockserver

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/gorilla/mux"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver/assets"
	"github.com/fruxon/fruxon-mock/mockserver/journal"
	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/stubs"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
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
	// IngestionPace is the pace asset ingestion operations start with, in
	// the shared state and in every new session: "watch" (default),
	// "fast" or "manual" (see assets.PaceOf).
	IngestionPace string
	// Logger receives the access log and errors (default: discard).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Observe, when set, is told about every finished exchange.
	Observe func(Entry)
	// OutboundAllow lists the HOST[:PORT] targets tool runs may really
	// reach; empty means nothing is ever sent (stubs answer instead).
	OutboundAllow []string
	// Seed makes generated SIMULATED tool answers reproducible.
	Seed int64
	// VendorStubs answer tool runs that are not sent.
	VendorStubs []sandboxroute.VendorStub
	// OutboundTransport sends allowed tool runs (default: net/http's,
	// proxies off); OutboundTimeout bounds one (default 10s).
	OutboundTransport http.RoundTripper
	OutboundTimeout   time.Duration
	// Fixtures, when set, are loaded at start, and Reset returns to them.
	Fixtures *fixtures.Set
	// JournalSize bounds the request journal (default journal.DefaultSize).
	JournalSize int
	// Scenarios are the scripted behaviours the mock knows (see package
	// scenarios); a request names them in X-Fruxon-Mock-Scenario, or
	// ActiveScenarios (--scenario) turns them on for every request.
	Scenarios       []*scenarios.Scenario
	ActiveScenarios []string
	// MaxSessions bounds the sessions kept (X-Fruxon-Mock-Session); past
	// it the least recently used one is evicted. Default
	// DefaultMaxSessions.
	MaxSessions int
	// SessionTTL evicts a session idle for longer (default
	// DefaultSessionTTL; negative: never).
	SessionTTL time.Duration
	// ControlToken, when set, is needed on every /_mock/* call but
	// health and the OAuth consent page (see ControlTokenHeader); under
	// AuthJWT minting tokens needs it.
	ControlToken string
	// AllowedHosts are host names accepted in Host beside IP literals,
	// localhost and single-label names ("*.example.com" matches
	// subdomains, "*" turns the check off).
	AllowedHosts []string
	// FixtureAPIKeys honours the fixtures' API keys under AuthJWT (off:
	// a key anyone can read in the fixtures would open every tenant).
	FixtureAPIKeys bool
	// BodyReadTimeout bounds reading a request body (default
	// DefaultBodyReadTimeout; negative: none); past it, 408.
	BodyReadTimeout time.Duration
	// SpecName names the spec in coverage reports (default "fruxon.yaml").
	SpecName string
	// NoExchangeCapture keeps no headers or bodies for the journal's
	// detail view (GET /_mock/journal/{id}); for benchmarks.
	NoExchangeCapture bool
	// NoVerdictCache makes every exchange validated in full, even one
	// byte-identical to an exchange already found valid (for benchmarks).
	NoVerdictCache bool
}

// DefaultMaxBody is the request body cap when Config.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// Server is the mock: an http.Handler over the store.
type Server struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	api     *validator.Validator
	control *validator.Validator
	// maxUpload is the largest upload limit an operation documents: a
	// body announced past --max-body plus it fits no operation.
	maxUpload int64
	store     *state.Store
	router    *sandboxroute.Router
	runner    *tools.Runner
	cors      corsPolicy
	jwks      jwkSet
	apiKeys   *apiKeySet
	observe   func(Entry)
	// recMu orders journal IDs with the entries' places in the journals,
	// so the since= cursor never skips one.
	recMu   sync.Mutex
	lastID  int64 // guarded by recMu
	box     *secretbox.Box
	journal *journal.Journal
	oauth   *oauthflow.Flow
	// coverage counts the (operation, status) pairs answered.
	coverage *coverage.Set
	// scenarios runs stubs (nil inside when none are loaded); --watch
	// swaps it whole, so a request sees one engine or the other.
	scenarios atomic.Pointer[stubs.Engine]
	handler   http.Handler

	// sessions are the per-session sandboxes.
	sessions *sessionSet

	fixMu sync.Mutex
	// guards baseline and base
	baseline *state.Snapshot
	base     *baseline
	specYAML []byte
	specJSON func() ([]byte, error)
}

// New builds a server. It fails on a bad config or spec, never later.
func New(cfg Config) (*Server, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now, cors: corsPolicy{origins: cfg.CORSOrigins},
		journal: journal.New(cfg.JournalSize), oauth: oauthflow.New(cfg.Now), apiKeys: &apiKeySet{}}
	s.observe = s.record
	s.sessions = newSessionSet(cfg.MaxSessions, cfg.SessionTTL, cfg.Now, s.newSession, s.forgetSession)
	s.specYAML = cfg.Spec
	if s.specYAML == nil {
		s.specYAML = validator.FruxonSpec()
	}
	var err error
	if s.api, s.specJSON, err = apiValidator(cfg, s.specYAML); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	for _, op := range s.api.Operations() {
		s.maxUpload = max(s.maxUpload, op.MaxUpload())
	}
	s.coverage = coverage.New(cmp.Or(cfg.SpecName, "fruxon.yaml"), s.api)
	if s.control, err = validator.ControlPlane(); err != nil {
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
	s.box = box
	s.store = state.New(state.Options{Now: cfg.Now, Box: box, StrictTenants: cfg.StrictTenants, OAuth: s.oauth, AssetPace: cfg.ingestionPace()})
	s.router, err = sandboxroute.New(sandboxroute.Options{Allow: cfg.OutboundAllow, Stubs: cfg.VendorStubs,
		Seed: cfg.Seed, Transport: cfg.OutboundTransport, Timeout: cfg.OutboundTimeout, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	s.runner = tools.NewRunner(s.router, cfg.Logger)
	if cfg.Fixtures != nil {
		if err := s.LoadFixtures(cfg.Fixtures); err != nil {
			return nil, fmt.Errorf("fixtures: %w", err)
		}
	}
	if err := s.loadScenarios(cfg.Scenarios, cfg.ActiveScenarios); err != nil {
		return nil, err
	}
	router, err := s.routes()
	if err != nil {
		return nil, err
	}
	s.handler = s.withRecover(withTrace(s.withAccessLog(s.withBodyLimit(s.withCORS(s.withGuard(router))))))
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

// WarmUp builds now each operation's fast checks, which the validators
// of the embedded specs otherwise build on the operation's first request
// (they are built without them, for a fast start), so that a first valid
// request doesn't wait for them. The library's own schema compiles, which
// only an invalid request (or a schema the fast checks can't judge)
// needs, are left to first need: compiled for every operation they were
// ≈10 MB of a 120 MB budget, for a one-time wait of ≈30 ms at most on an
// operation's first invalid request. serve runs it once it is listening;
// the server answers correctly before, during and after it.
func (s *Server) WarmUp() {
	s.api.Prepare()
	s.control.Prepare()
}

// ConfigError says which Config field is wrong; the CLI reports it as a
// usage error.
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string { return e.Field + ": " + e.Reason }

func (c *Config) setDefaults() error {
	if c.Auth == "" {
		c.Auth = AuthPermissive
	}
	switch c.Auth {
	case AuthOff, AuthPermissive:
	case AuthJWT:
	default:
		return &ConfigError{"auth", fmt.Sprintf("%q is not off, permissive or jwt", c.Auth)}
	}
	if c.ValidateResponses == "" {
		c.ValidateResponses = ValidateStrict
	}
	switch c.ValidateResponses {
	case ValidateStrict, ValidateWarn, ValidateOff:
	default:
		return &ConfigError{"validate-responses", fmt.Sprintf("%q is not strict, warn or off", c.ValidateResponses)}
	}
	if c.CORSOrigins == nil {
		c.CORSOrigins = DefaultCORSOrigins
	}
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxBody < 0 {
		return &ConfigError{"max-body", "must be positive"}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MaxSessions == 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxSessions < 0 {
		return &ConfigError{"max-sessions", "must be positive"}
	}
	if c.ControlToken != "" && (strings.TrimSpace(c.ControlToken) != c.ControlToken || strings.ContainsFunc(c.ControlToken, unicode.IsControl)) {
		return &ConfigError{"control-token", "must not have surrounding spaces or control characters"}
	}
	if c.BodyReadTimeout == 0 {
		c.BodyReadTimeout = DefaultBodyReadTimeout
	}
	switch c.IngestionPace {
	case "":
		c.IngestionPace = assets.PaceWatch
	case assets.PaceWatch, assets.PaceFast, assets.PaceManual:
	default:
		return &ConfigError{"ingestion", fmt.Sprintf("%q is not watch, fast or manual", c.IngestionPace)}
	}
	if c.SessionTTL == 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if len(c.JWTSecret) == 0 {
		// Minted dev tokens must verify in jwt mode: without a configured
		// secret they are signed, and checked, with a per-process one.
		c.JWTSecret = make([]byte, 32)
		rand.Read(c.JWTSecret)
	}
	return nil
}

// ServeHTTP serves the API, the control plane and the specs.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Reset puts the state back to the fixtures (empty without them).
func (s *Server) Reset() {
	s.resetScenarios()
	s.fixMu.Lock()
	defer s.fixMu.Unlock()
	if s.baseline == nil {
		s.store.Reset()
		return
	}
	if err := s.store.Restore(*s.baseline); err != nil {
		// The baseline was taken from this store, so it always restores.
		s.log.Error("reset to the fixtures failed; the state is empty", "error", err.Error())
		s.store.Reset()
	}
}

// Store exposes the state for in-process tests and the fixture loader.
func (s *Server) Store() *state.Store { return s.store }

// pathVar is a route variable of the matched route: fastRouter's, kept on
// the exchange, or mux's.
func pathVar(r *http.Request, name string) string {
	if ex, ok := r.Context().Value(exchangeKey{}).(*exchange); ok && ex.route != nil {
		return ex.route.value(&ex.routeVals, name)
	}
	return mux.Vars(r)[name]
}

// apiValidator returns the validator of the served document and its JSON
// form. The embedded document's validator is shared by every server of the
// process (its verdicts depend on the document alone), which makes a
// server cheap to start: tests start hundreds. Its JSON form is made on
// the first GET /openapi.json (the conversion is a twentieth of a start);
// a --spec document's is made here, so one that does not convert is
// refused at start.
func apiValidator(cfg Config, specYAML []byte) (*validator.Validator, func() ([]byte, error), error) {
	if cfg.Spec == nil && !cfg.NoVerdictCache {
		v, err := validator.Fruxon()
		if err != nil {
			return nil, nil, err
		}
		return v, embeddedSpecJSON, nil
	}
	if cfg.NoVerdictCache {
		v, err := validator.New(specYAML, validator.WithResponseCache(0))
		if err != nil {
			return nil, nil, err
		}
		j, err := validator.YAMLToJSON(specYAML)
		return v, func() ([]byte, error) { return j, nil }, err
	}
	return lastSpec.validator(specYAML)
}

// lastSpec keeps the validator and JSON form of the last --spec document
// a server of the process started with: a server started on the same
// bytes shares them, as servers of the embedded document share theirs
// (a validator's verdicts depend on its document alone). One entry: a
// process serves one document; tests start several servers on one
// edited document (one per response-validation mode), and building its
// validator is most of a start (seconds under -race).
var lastSpec specCache

type specCache struct {
	mu   sync.Mutex
	spec []byte
	v    *validator.Validator
	json []byte
}

func (c *specCache) validator(specYAML []byte) (*validator.Validator, func() ([]byte, error), error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v == nil || !bytes.Equal(c.spec, specYAML) {
		v, err := validator.New(specYAML)
		if err != nil {
			return nil, nil, err
		}
		j, err := validator.YAMLToJSON(specYAML)
		if err != nil {
			return nil, nil, err
		}
		c.spec, c.v, c.json = bytes.Clone(specYAML), v, j
	}
	j := c.json
	return c.v, func() ([]byte, error) { return j, nil }, nil
}

var embeddedSpecJSON = sync.OnceValues(func() ([]byte, error) { return validator.YAMLToJSON(validator.FruxonSpec()) })

// ingestionPace is the assets room's starting pace (IngestionPace).
func (c *Config) ingestionPace() *assets.Pace {
	p := assets.PaceOf(c.IngestionPace)
	return &p
}
