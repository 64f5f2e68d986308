package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios/proxy"
	"github.com/fruxon/fruxon-mock/validator"
)

// proxyConfig is proxy's flags, with their defaults.
type proxyConfig struct {
	target    string
	addr      string
	specFile  string
	strict    bool
	record    string
	maxBody   string
	logFormat string
	logLevel  string
}

// shutdownGrace is how long in-flight exchanges may finish on SIGTERM.
const shutdownGrace = 10 * time.Second

func runProxy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c proxyConfig
	fs := newFlagSet("proxy --target URL [flags]",
		"Forward every request to the target unchanged and check both legs against the spec.\n"+
			"Findings go to the log, to GET /_mock/journal on the proxy, and to a summary printed\n"+
			"on exit; GET /_mock/coverage counts what the traffic exercised.", stdout, true)
	fs.StringVar(&c.target, "target", "", "base URL of the API to forward to (required)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8081", "address to listen on")
	fs.StringVar(&c.specFile, "spec", "", "validate against this OpenAPI 3.1 file instead of the embedded spec")
	fs.BoolVar(&c.strict, "strict", false, "answer a response that breaks the contract with a 502 problem naming the violation (for CI)")
	fs.StringVar(&c.record, "record", "", "write the exchanges into this directory as scenario files that replay runs (one per session)")
	fs.StringVar(&c.maxBody, "max-body", "10MiB", "largest body (either way) buffered for validation; larger ones pass through unchecked")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text | json")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug | info | warn | error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fromEnv, err := applyEnv(fs, os.Getenv)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	target, err := url.Parse(c.target)
	if c.target == "" {
		return usageError("target", "is required (the base URL to forward to)", fromEnv)
	}
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return usageError("target", fmt.Sprintf("%q is not an http(s) URL with a host", c.target), fromEnv)
	}
	maxBody, err := parseSize(c.maxBody)
	if err != nil || maxBody <= 0 {
		return usageError("max-body", fmt.Sprintf("%q is not a size such as 10MiB", c.maxBody), fromEnv)
	}
	logs := newBatchWriter(stderr)
	defer logs.Flush()
	logger, err := newLogger(logs, c.logFormat, c.logLevel)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	var v *validator.Validator
	if c.specFile != "" {
		v, err = LoadSpec(c.specFile)
	} else {
		v, err = validator.Fruxon()
	}
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	cfg := proxy.Config{Target: target, Validator: v, Strict: c.strict, MaxBody: maxBody, Logger: logger}
	if c.record != "" {
		if cfg.Recorder, err = proxy.NewRecorder(c.record, ""); err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
	}
	p, err := proxy.New(cfg)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	logger.Info("proxying", "target", target.String(), "strict", c.strict)
	serveErr := serveUntilDone(ctx, ln, p, logger, shutdownGrace)
	p.Journal().WriteSummary(stdout)
	tot := p.Coverage().Report("").Totals
	fmt.Fprintf(stdout, "coverage: %d of %d declared (operation, status) pairs exercised (%.1f%%), %d answers the spec does not declare\n",
		tot.Covered, tot.Pairs, tot.Percent, tot.MissingInSpec)
	if cfg.Recorder != nil {
		for _, f := range cfg.Recorder.Files() {
			fmt.Fprintln(stdout, "recorded:", f)
		}
		if err := cfg.Recorder.Err(); err != nil {
			return err
		}
	}
	return serveErr
}
