package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/junit"
	"github.com/fruxon/fruxon-mock/scenarios/replay"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// replayConfig is replay's flags, with their defaults.
type replayConfig struct {
	target      string
	token       string
	control     string
	tenant      string
	junit       string
	json        bool
	failFast    bool
	specFile    string
	noDurations bool
	cov         coverageFlags
	parallel    int
	// keepSessions leaves the target's sessions in place
	keepSessions bool
	// parity mode
	compare      string
	compareToken string
	ignore       []string
	// the in-process mock's fixtures, as serve loads them
	fixtures   string
	noFixtures bool
}

// inProcessToken is the bearer token replay sends to its in-process mock
// (permissive auth accepts any).
const inProcessToken = "fruxon-mock-replay"

func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c replayConfig
	fs := newFlagSet("replay [flags] [PATH…]",
		"Replay scenario steps against a target and check every answer against the spec.\n"+
			"PATH is a scenario file or a directory of them; none means the built-in library.\n"+
			"Without --target, an in-process mock is started. Exit status: 0 all passed,\n"+
			"1 a step failed, 2 a malformed scenario file or bad flags.\n"+
			"With --compare URL, every step also runs against a second target and every way\n"+
			"its answers differ from --target's is reported (parity); volatile values (ids,\n"+
			"times, ETags, trace ids, tokens) are masked. Exit 1 on a divergence, 2 if a\n"+
			"target is unreachable.", stdout, true)
	fs.StringVar(&c.target, "target", "", "base URL of the API to replay against (default: an in-process mock)")
	fs.StringVar(&c.token, "token", "", "bearer token for every step that doesn't say auth: none (default against the in-process mock: any)")
	fs.StringVar(&c.control, "control-token", "", "the --control-token of a --target mock started with one: sent ("+mockserver.ControlTokenHeader+") on every /_mock/* call")
	fs.StringVar(&c.tenant, "tenant", "", `the {{tenant}} of every step (default "replay-{{run}}", unique per run)`)
	fs.StringVar(&c.junit, "junit", "", "also write a JUnit XML report to this file")
	fs.BoolVar(&c.json, "json", false, "print a JSON report instead of a line per step")
	fs.BoolVar(&c.failFast, "fail-fast", false, "stop at the first failing step")
	fs.StringVar(&c.specFile, "spec", "", "validate answers against this OpenAPI 3.1 file instead of the embedded spec")
	fs.BoolVar(&c.noDurations, "no-durations", false, "leave timings out of the output (for diffable output)")
	fs.IntVar(&c.parallel, "parallel", 1, "run up to N scenarios at once, each in its own session (output stays in serial order)")
	fs.StringVar(&c.cov.json, "coverage", "", "write the API coverage report (JSON, the shape of GET /_mock/coverage) to this file")
	fs.StringVar(&c.cov.html, "coverage-html", "", "write the API coverage report as HTML to this file")
	fs.Float64Var(&c.cov.min, "min-coverage", 0, "exit 1 when less than this percentage of declared (operation, status) pairs is covered")
	fs.StringVar(&c.compare, "compare", "", "parity: also run every step against this base URL and report how its answers differ from --target's")
	fs.StringVar(&c.compareToken, "compare-token", "", "bearer token for --compare (default: --token's)")
	fs.BoolVar(&c.keepSessions, "keep-sessions", false, "leave on a fruxon-mock target the session each scenario ran in (default: deleted when the scenario ends)")
	fs.StringArrayVar(&c.ignore, "ignore", nil, "parity: don't report divergences at this body JSONPath or inside it (repeatable), e.g. '$.items[*].description'")
	fs.StringVar(&c.fixtures, "fixtures", "", "the in-process mock's fixture file or directory (default: the embedded set, tenant \"demo\", as serve loads it)")
	fs.BoolVar(&c.noFixtures, "no-fixtures", false, "start the in-process mock empty: no fixtures, not even the embedded set")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := applyEnv(fs, os.Getenv); err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	var ignore []*scenarios.JSONPath
	for _, src := range c.ignore {
		p, err := scenarios.CompileJSONPath(src)
		if err != nil {
			return exitError{code: 2, msg: "--ignore " + err.Error()}
		}
		ignore = append(ignore, p)
	}
	if len(ignore) > 0 && c.compare == "" {
		return exitError{code: 2, msg: "--ignore needs --compare"}
	}
	if c.compareToken != "" && c.compare == "" {
		return exitError{code: 2, msg: "--compare-token needs --compare"}
	}
	if c.parallel < 1 {
		return exitError{code: 2, msg: fmt.Sprintf("--parallel %d: want at least 1", c.parallel)}
	}
	if err := c.cov.check(); err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	list, err := loadScenarios(fs.Args())
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	v, spec, err := replaySpec(c.specFile)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	opts := replay.Options{
		Target: c.target, Validator: v, Token: c.token, ControlToken: c.control, Tenant: c.tenant,
		FailFast: c.failFast, NoDurations: c.noDurations, Parallel: c.parallel,
		Compare: c.compare, CompareToken: c.compareToken, Ignore: ignore, KeepSessions: c.keepSessions,
	}
	if !c.json {
		opts.Progress = stdout
	}
	if c.cov.wanted() {
		opts.Coverage = coverage.New(specName(c.specFile), v)
	}
	if c.target != "" && (c.fixtures != "" || c.noFixtures) {
		return exitError{code: 2, msg: "--fixtures and --no-fixtures set up the in-process mock: they don't apply with --target"}
	}
	if c.target == "" {
		set, err := fixtureSet(c.fixtures, c.noFixtures)
		if err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
		stop, err := startInProcess(list, set, spec, &opts)
		if err != nil {
			return err
		}
		defer stop()
		if opts.CompareToken == "" {
			opts.CompareToken = c.token // not the in-process mock's
		}
	}
	rep, err := replay.Replay(ctx, list, opts)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if c.junit != "" {
		if err := junit.WriteFile(c.junit, rep.JUnit()); err != nil {
			return fmt.Errorf("--junit: %w", err)
		}
	}
	var covErr error
	if opts.Coverage != nil {
		table := stdout // the table goes before the summary line; beside a JSON report, to stderr
		if c.json {
			table = stderr
		}
		covErr = c.cov.finish(opts.Coverage.Report(coverage.Shared), table)
		if ee, ok := covErr.(exitError); !ok || ee.code != 1 {
			if covErr != nil {
				return covErr
			}
		}
	}
	if c.json {
		if err := rep.WriteJSON(stdout); err != nil {
			return err
		}
	} else {
		if c.compare != "" {
			fmt.Fprintln(stdout, paritySummary(rep))
		}
		fmt.Fprintln(stdout, rep.Summary())
	}
	if hint := authHint(rep, c.token != ""); hint != "" && c.target != "" {
		fmt.Fprintln(stderr, hint)
	}
	if !rep.OK() {
		return exitError{code: 1}
	}
	return covErr
}

// paritySummary is the line a parity replay prints before the summary.
func paritySummary(rep *replay.Report) string {
	steps, n := rep.Diverged()
	if steps == 0 {
		return fmt.Sprintf("parity: no divergence between A %s and B %s", rep.Target, rep.Compare)
	}
	return fmt.Sprintf("parity: %d divergences in %d steps between A %s and B %s", n, steps, rep.Target, rep.Compare)
}

// specName is how the coverage report names the spec.
func specName(file string) string {
	if file == "" {
		return "fruxon.yaml"
	}
	return filepath.Base(file)
}

// authHint explains a run whose failures are mostly 401s: the target wants
// credentials replay didn't send (or refused the ones it did).
func authHint(rep *replay.Report, tokenGiven bool) string {
	failed, unauthorized := 0, 0
	for _, sc := range rep.Scenarios {
		for _, st := range sc.Steps {
			if st.Outcome == replay.Failed {
				failed++
				if st.Status == http.StatusUnauthorized {
					unauthorized++
				}
			}
		}
	}
	if unauthorized == 0 || unauthorized*2 < failed {
		return ""
	}
	if tokenGiven {
		return fmt.Sprintf("hint: %d of %d failed steps were answered 401: the target refused --token (expired, wrong secret or tenant?); its X-Fruxon-Mock-Reason header says why", unauthorized, failed)
	}
	return fmt.Sprintf("hint: %d of %d failed steps were answered 401: the target wants credentials; pass --token TOKEN (or set FRUXON_MOCK_TOKEN)", unauthorized, failed)
}

// loadScenarios loads the named files and directories, or the built-in
// library when there are none.
func loadScenarios(paths []string) ([]*scenarios.Scenario, error) {
	if len(paths) == 0 {
		return scenarios.Library()
	}
	return scenarios.LoadPaths(paths...)
}

// replaySpec returns the validator of the document replay and fuzz check
// against, and the document an in-process mock serves: nil for the
// embedded one, so the mock uses the process's shared validator instead of
// building and compiling a second one (seconds, under -race: each test
// that replays in-process paid it).
func replaySpec(file string) (*validator.Validator, []byte, error) {
	if file == "" {
		v, err := validator.Fruxon()
		return v, nil, err
	}
	v, err := LoadSpec(file)
	if err != nil {
		return nil, nil, err
	}
	spec, err := os.ReadFile(file)
	return v, spec, err
}

// startInProcess serves a fresh mock (permissive auth, strict response
// validation) on a local port and points the replay at it.
func startInProcess(list []*scenarios.Scenario, set *fixtures.Set, spec []byte, opts *replay.Options) (stop func(), err error) {
	srv, err := mockserver.New(mockserver.Config{
		Spec:              spec,
		Fixtures:          set, // as serve starts: a scenario can read the demo tenant
		Auth:              mockserver.AuthPermissive,
		ValidateResponses: mockserver.ValidateStrict,
		Scenarios:         list, // the mock runs their stubs, and lists them at /_mock/scenarios
	})
	if err != nil {
		// A stub the mock refuses (it would break the contract) is a
		// malformed scenario: exit 2, like a file that doesn't parse.
		return nil, exitError{code: 2, msg: err.Error()}
	}
	ts := httptest.NewServer(srv)
	isMock := true
	opts.Target, opts.Mock = ts.URL, &isMock
	if opts.Token == "" {
		opts.Token = inProcessToken
	}
	return ts.Close, nil
}
