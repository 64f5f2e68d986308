package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios/fuzz"
	"github.com/fruxon/fruxon-mock/scenarios/junit"
)

// fuzzConfig is fuzz's flags, with their defaults.
type fuzzConfig struct {
	target      string
	token       string
	apiKey      string
	control     string
	tenant      string
	seed        uint64
	maxExamples int
	negatives   int
	chains      int
	budget      time.Duration
	operations  []string
	junit       string
	json        bool
	readOnly    bool
	specFile    string
	trace       bool
}

// inProcessFuzzToken is the bearer token fuzz sends its in-process mock.
const inProcessFuzzToken = "fruxon-mock-fuzz-token"

func runFuzz(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c fuzzConfig
	fs := newFlagSet("fuzz [flags]",
		"Generate requests from the spec (valid ones, boundaries first, and variants that break one\n"+
			"rule each), run stateful chains through the workflow, check every answer against the\n"+
			"contract, and print each failure shrunk to a curl reproducer. Without --target, an\n"+
			"in-process mock is fuzzed. Exit status: 0 clean, 1 a check failed, 2 bad flags.", stdout, true)
	fs.StringVar(&c.target, "target", "", "base URL of the API to fuzz (default: an in-process mock)")
	fs.StringVar(&c.token, "token", "", "bearer token for every request (reproducers print $FRUXON_TOKEN instead)")
	fs.StringVar(&c.apiKey, "api-key", "", "also authenticate some requests with this X-API-KEY")
	fs.StringVar(&c.control, "control-token", "", "the --control-token of a --target mock started with one: sent ("+mockserver.ControlTokenHeader+") on requests to /_mock/* (fuzzing its control plane with --spec)")
	fs.StringVar(&c.tenant, "tenant", "", `tenant every request names; writes stay in it (default "fuzz-SEED")`)
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the run: the same seed against the same state sends the same requests")
	fs.IntVar(&c.maxExamples, "max-examples", 50, "valid examples per operation")
	fs.IntVar(&c.negatives, "negatives", 3, "one-rule-broken variants after each valid example (the first example gets all)")
	fs.IntVar(&c.chains, "chains", 2, "stateful workflow chains (create → config → patch → publish → tools → runs → delete)")
	fs.DurationVar(&c.budget, "time", 0, "stop after this long (default: when every operation had its examples)")
	fs.StringSliceVar(&c.operations, "operations", nil, "only operations whose operationId matches one of these globs (comma-separated)")
	fs.StringVar(&c.junit, "junit", "", "also write a JUnit XML report to this file")
	fs.BoolVar(&c.json, "json", false, "print a JSON report instead of text")
	fs.BoolVar(&c.readOnly, "read-only", false, "send only safe (GET) requests: no writes, no chains")
	fs.BoolVar(&c.trace, "trace", false, "print a line per request (method, URL, status, body excerpt) to stderr")
	fs.StringVar(&c.specFile, "spec", "", "generate from and check against this OpenAPI 3.1 file instead of the embedded spec")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := applyEnv(fs, os.Getenv); err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return exitError{code: 2, msg: fmt.Sprintf("fuzz takes no arguments (got %q)", fs.Args())}
	}
	v, spec, err := replaySpec(c.specFile)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	opts := fuzz.Options{
		Target: c.target, Validator: v, Token: c.token, APIKey: c.apiKey, ControlToken: c.control, Tenant: c.tenant,
		Seed: c.seed, MaxExamples: c.maxExamples, Negatives: c.negatives, Chains: c.chains,
		Time: c.budget, Operations: c.operations, ReadOnly: c.readOnly, Progress: stderr,
	}
	if c.trace {
		opts.Trace = stderr
	}
	if c.target == "" {
		srv, err := mockserver.New(mockserver.Config{
			Spec: spec, Auth: mockserver.AuthPermissive, ValidateResponses: mockserver.ValidateStrict,
		})
		if err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		opts.Target = ts.URL
		opts.Client = &http.Client{Timeout: 30 * time.Second}
		if opts.Token == "" {
			opts.Token = inProcessFuzzToken
		}
		if opts.APIKey == "" {
			opts.APIKey = inProcessFuzzToken + "-key"
		}
	}
	rep, err := fuzz.Run(ctx, opts)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if c.junit != "" {
		if err := junit.WriteFile(c.junit, rep.JUnit()); err != nil {
			return fmt.Errorf("--junit: %w", err)
		}
	}
	if c.json {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return err
	}
	if !rep.OK() {
		return exitError{code: 1}
	}
	return nil
}
