package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/validator"
)

// serveConfig is serve's flags, with their defaults.
type serveConfig struct {
	addr              string
	specFile          string
	auth              string
	jwtSecret         string
	jwksFile          string
	validateResponses string
	corsOrigins       []string
	maxBody           string
	secretKey         string
	tenants           string
	logFormat         string
	logLevel          string
	shutdownTimeout   time.Duration
	outboundAllow     []string
	seed              int64
	fixtures          string
	noFixtures        bool
	watch             bool
	journalSize       int
	scenarioNames     []string
	scenarioPaths     []string
	controlToken      string
	allowedHosts      []string
	fixtureAPIKeys    bool
	bodyTimeout       time.Duration
	ingestion         string
}

func (c *serveConfig) flags(fs *pflag.FlagSet) {
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (loopback by default; \":8080\" listens on every interface, as in the container)")
	fs.StringVar(&c.specFile, "spec", "", "serve and validate against this OpenAPI 3.1 file instead of the embedded spec")
	fs.StringVar(&c.auth, "auth", "permissive", "credential check: off | permissive (any bearer or API key; JWT tenant claims bind) | jwt (verify HS256 or RS256)")
	fs.StringVar(&c.jwtSecret, "jwt-secret", "", "HS256 secret for --auth jwt and for tokens minted by the control plane")
	fs.StringVar(&c.jwksFile, "jwks", "", "JWKS file with RS256 public keys for --auth jwt")
	fs.StringVar(&c.validateResponses, "validate-responses", "strict", "on a response that breaks the spec: strict (answer 500 naming it) | warn (send it with X-Fruxon-Mock-Violation) | off")
	fs.StringSliceVar(&c.corsOrigins, "cors-origins", mockserver.DefaultCORSOrigins, "browser origins allowed by CORS (comma-separated; \"http://localhost:*\" allows any port; \"*\" any origin)")
	fs.StringVar(&c.maxBody, "max-body", "1MiB", "largest request body accepted (bytes, or with KiB/MiB suffix); larger gets 413")
	fs.StringVar(&c.secretKey, "secret-key", "", "key that encrypts secrets at rest: 64 hex chars, base64 of 32 bytes, or a passphrase (random per process when empty)")
	fs.StringVar(&c.ingestion, "ingestion", "watch", "pace of asset ingestion operations: watch (1s PENDING, 2s RUNNING) | fast (ended by their first read, for CI) | manual (stay PENDING until the control plane moves them)")
	fs.StringVar(&c.tenants, "tenants", "auto", "auto (a tenant exists once used) | strict (unknown tenants are 404)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text | json")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug | info | warn | error")
	fs.StringSliceVar(&c.outboundAllow, "outbound-allow", nil, "HOST[:PORT] targets tool runs may really reach (comma-separated; default none: every run is answered by a vendor stub or simulated)")
	fs.Int64Var(&c.seed, "seed", 0, "seed for generated SIMULATED tool answers (same seed, same answers)")
	fs.StringVar(&c.fixtures, "fixtures", "", "fixture file or directory (*.yaml, *.yml, *.json) to load at start and on reset (default: the embedded set, tenant \"demo\")")
	fs.StringArrayVar(&c.scenarioNames, "scenario", nil, "activate this scenario for every request (repeatable); without it a request picks scenarios with the X-Fruxon-Mock-Scenario header")
	fs.StringSliceVar(&c.scenarioPaths, "scenarios", nil, "scenario files or directories to load beside the built-in library (see 'fruxon-mock scenarios list')")
	fs.BoolVar(&c.noFixtures, "no-fixtures", false, "start empty: load no fixtures, not even the embedded set")
	fs.BoolVar(&c.watch, "watch", false, "poll the --fixtures and --scenarios files every 500ms and reload what changed: fixtures put the state back to the new fixtures; scenarios are rebuilt, active ones kept active, their states back to the start; a bad file is logged and the old state kept")
	fs.IntVar(&c.journalSize, "journal-size", 1000, "how many recent requests GET /_mock/journal keeps")
	fs.StringVar(&c.controlToken, "control-token", "", "require this token on every /_mock/* call but health and the OAuth consent page (header "+mockserver.ControlTokenHeader+" or Authorization: Bearer); under --auth jwt minting tokens needs it")
	fs.StringSliceVar(&c.allowedHosts, "allowed-hosts", nil, "host names accepted in the Host header beside IP literals, localhost and single-label names (comma-separated; \"*.example.com\" matches subdomains; \"*\" any); others get 403 (DNS rebinding)")
	fs.BoolVar(&c.fixtureAPIKeys, "fixture-api-keys", false, "under --auth jwt, also accept the fixtures' API keys (X-API-KEY); off by default because anyone who can read the fixtures knows them")
	fs.DurationVar(&c.bodyTimeout, "body-timeout", mockserver.DefaultBodyReadTimeout, "how long a client may take to send a request body; past it, 408 and the connection is closed")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long in-flight requests may finish after SIGTERM/SIGINT; requests still running then are cut off, logged, and serve still exits 0")
}

// applyEnv sets every flag not given on the command line from its
// environment variable (--max-body ← FRUXON_MOCK_MAX_BODY) and returns the
// flags it set, so later errors can name the variable.
func applyEnv(fs *pflag.FlagSet, getenv func(string) string) (map[string]string, error) {
	var err error
	fromEnv := map[string]string{}
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := envName(f.Name)
		if v := getenv(name); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
			fromEnv[f.Name] = name
		}
	})
	return fromEnv, err
}

// usageError is exit 2 with a message naming the flag, and the environment
// variable when the value came from there.
func usageError(field, reason string, fromEnv map[string]string) error {
	where := "--" + field
	if env, ok := fromEnv[field]; ok {
		where = env
	}
	return exitError{code: 2, msg: where + ": " + reason}
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c serveConfig
	fs := newFlagSet("serve [flags]", "Run the mock of the Fruxon Integrations API.", stdout, true)
	c.flags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fromEnv, err := applyEnv(fs, os.Getenv)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	logs := newBatchWriter(stderr)
	defer logs.Flush()
	logger, err := newLogger(logs, c.logFormat, c.logLevel)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	// The validators of the embedded documents are built while the
	// fixtures and scenarios load, on the machine's other cores.
	// mockserver.New gets the same (shared) validators, or their error.
	if c.specFile == "" {
		go validator.Fruxon()
	}
	go validator.ControlPlane()
	restoreGC := pauseGC()
	defer restoreGC()
	cfg, err := c.mockConfig(logger)
	if err != nil {
		var fe *flagError
		if errors.As(err, &fe) {
			return usageError(fe.flag, fe.reason, fromEnv)
		}
		return exitError{code: 2, msg: err.Error()}
	}
	srv, err := mockserver.New(cfg)
	restoreGC()
	var ce *mockserver.ConfigError
	if errors.As(err, &ce) {
		return usageError(ce.Field, ce.Reason, fromEnv)
	}
	if err != nil {
		return err
	}
	if c.watch {
		go watch(ctx, watchInterval, logger, c.watchedSources(srv)...)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return listenError(c.addr, err)
	}
	warnOpenControlPlane(logger, ln.Addr(), c.controlToken)
	// Compile what the first requests haven't yet, beside them; building
	// the validators and loading fixtures leaves start-up garbage (parsed
	// YAML, rendered schemas) as large as what stays: hand its pages back
	// to the OS once that is done.
	go func() {
		srv.WarmUp()
		debug.FreeOSMemory()
	}()
	return serveUntilDone(ctx, ln, srv, logger, c.shutdownTimeout)
}

// listenError says what to do when the address can't be had: a busy port
// (another mock still running, or something else) takes another --addr.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s is already in use (another fruxon-mock still running?): stop it, or listen elsewhere with --addr 127.0.0.1:8081 or FRUXON_MOCK_ADDR=127.0.0.1:8081 (%v)", addr, err)
	}
	return fmt.Errorf("cannot listen on %s (--addr, FRUXON_MOCK_ADDR): %w", addr, err)
}

// startMemoryLimit bounds the heap while pauseGC holds the collector off.
const startMemoryLimit = 256 << 20

// gcPause counts the starts under way (tests run several serves in one
// process): the first saves the settings, the last puts them back.
var gcPause struct {
	sync.Mutex
	n       int
	percent int
	limit   int64
}

// pauseGC turns the garbage collector off while a server is built, up to
// a heap of startMemoryLimit (the collector runs again past it, so large
// fixtures still load), and returns what puts the settings (GOGC,
// GOMEMLIMIT) back; calling it more than once is harmless. A start
// allocates ≈ 30 MB it mostly drops; collecting it as it goes, in five
// cycles from a 4 MB heap, was a quarter of the time to healthy. The first
// cycle after the start collects it.
func pauseGC() (restore func()) {
	gcPause.Lock()
	if gcPause.n == 0 {
		gcPause.limit = debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(gcPause.limit, startMemoryLimit))
		gcPause.percent = debug.SetGCPercent(-1)
	}
	gcPause.n++
	gcPause.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			gcPause.Lock()
			defer gcPause.Unlock()
			if gcPause.n--; gcPause.n == 0 {
				debug.SetGCPercent(gcPause.percent)
				debug.SetMemoryLimit(gcPause.limit)
			}
		})
	}
}

// flagError is a bad flag value found while building the server's config.
type flagError struct{ flag, reason string }

func (e *flagError) Error() string { return "--" + e.flag + ": " + e.reason }

func (c *serveConfig) mockConfig(logger *slog.Logger) (mockserver.Config, error) {
	cfg := mockserver.Config{
		Auth:              mockserver.AuthMode(c.auth),
		ValidateResponses: mockserver.ResponseValidation(c.validateResponses),
		CORSOrigins:       c.corsOrigins,
		Logger:            logger,
		OutboundAllow:     c.outboundAllow,
		Seed:              c.seed,
		JournalSize:       c.journalSize,
		ControlToken:      c.controlToken,
		AllowedHosts:      c.allowedHosts,
		FixtureAPIKeys:    c.fixtureAPIKeys,
		BodyReadTimeout:   c.bodyTimeout,
		IngestionPace:     c.ingestion,
	}
	if c.bodyTimeout <= 0 {
		return cfg, &flagError{"body-timeout", "must be positive"}
	}
	if c.jwtSecret != "" {
		cfg.JWTSecret = []byte(c.jwtSecret)
	}
	var err error
	if cfg.MaxBody, err = parseSize(c.maxBody); err != nil {
		return cfg, &flagError{"max-body", err.Error()}
	}
	switch c.tenants {
	case "auto":
	case "strict":
		cfg.StrictTenants = true
	default:
		return cfg, &flagError{"tenants", fmt.Sprintf("%q is not auto or strict", c.tenants)}
	}
	if c.secretKey != "" {
		if cfg.SecretKey, err = secretbox.KeyFromString(c.secretKey); err != nil {
			return cfg, &flagError{"secret-key", err.Error()}
		}
	}
	if c.specFile != "" {
		if _, err := LoadSpec(c.specFile); err != nil {
			return cfg, err
		}
		cfg.Spec, _ = os.ReadFile(c.specFile)
	}
	if cfg.Fixtures, err = c.loadFixtures(); err != nil {
		return cfg, err
	}
	if cfg.Scenarios, err = serveScenarios(c.scenarioPaths); err != nil {
		return cfg, err
	}
	cfg.ActiveScenarios = c.scenarioNames
	if c.jwksFile != "" {
		if cfg.JWKS, err = os.ReadFile(c.jwksFile); err != nil {
			return cfg, fmt.Errorf("--jwks: %w", err)
		}
	}
	return cfg, nil
}

// serveScenarios is the built-in library plus the user's scenarios; a
// malformed file stops start-up with its file, line and field.
func serveScenarios(paths []string) ([]*scenarios.Scenario, error) {
	list, err := scenarios.Library()
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return list, nil
	}
	mine, err := scenarios.LoadPaths(paths...)
	if err != nil {
		return nil, err
	}
	return append(list, mine...), nil
}

// serveUntilDone serves until ctx ends, then stops accepting and lets
// in-flight requests finish within the timeout.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, timeout time.Duration) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	base := browseURL(ln.Addr())
	logger.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("url", base),
		slog.String("dashboard", base+"/_mock/ui"), slog.String("spec", base+"/openapi.yaml"))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", slog.Duration("timeout", timeout))
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		// The drain outlasted the timeout: what is still running is cut
		// off. Stopping on a signal is still a clean stop (exit 0), as
		// the README says; the log line says what was cut.
		hs.Close()
		logger.Warn("shutdown timeout: in-flight requests were cut off", slog.Duration("timeout", timeout), slog.String("error", err.Error()))
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", format)
}

// parseSize reads "1048576", "512KiB", "1MiB" (also KB/MB as powers of 2).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"K", 1 << 10}, {"M", 1 << 20}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("%q is not a positive size", s)
	}
	return n * mult, nil
}

// browseURL is the clickable address of a listener: loopback when it
// listens on every interface (":8080" → http://127.0.0.1:8080).
func browseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// warnOpenControlPlane logs, loudly, that a server bound beyond loopback
// without --control-token lets anyone who reaches it reset the state, read
// every tenant and mint tokens. It warns rather than refuses: a container
// in CI binds every interface on purpose.
func warnOpenControlPlane(logger *slog.Logger, addr net.Addr, token string) {
	tcp, ok := addr.(*net.TCPAddr)
	if token != "" || !ok || tcp.IP.IsLoopback() {
		return
	}
	logger.Warn("WARNING: the control plane (/_mock/*) is open to anyone who can reach "+addr.String()+
		": they can read every tenant, reset or replace the state and mint tokens; set --control-token (FRUXON_MOCK_CONTROL_TOKEN) or listen on 127.0.0.1",
		slog.String("addr", addr.String()))
}
