// Command fruxon-mock is a stateful, contract-true fake of the Fruxon
// Integrations API and the toolkit around it for contract tests.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(os.Stderr, "fruxon-mock:", ee.msg)
			}
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "fruxon-mock:", err)
		os.Exit(1)
	}
}

// exitError carries a specific exit code out of run.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.msg) }

// version is set at build time with -ldflags "-X main.version=…" (the
// Dockerfile does); otherwise the module's version from the build info.
var version = "dev"

// versionText is what "fruxon-mock version" prints: the version, the
// module and its version, the VCS revision the binary was built from and
// the Go release, from the binary's build info (bi may be nil).
func versionText(version string, bi *debug.BuildInfo) string {
	if bi == nil {
		return fmt.Sprintf("fruxon-mock %s\n(no build info in this binary)\n", version)
	}
	mod := bi.Main.Version
	if mod == "" {
		mod = "(devel)"
	}
	if version == "dev" && mod != "(devel)" {
		version = mod // go install …@v1.2.3
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	revision := "unknown: built without VCS information (-buildvcs=false, or not in a git clone; go stamps no git worktree)"
	if r := settings["vcs.revision"]; r != "" {
		revision = r
		if t := settings["vcs.time"]; t != "" {
			revision += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			revision += ", with uncommitted changes"
		}
	}
	return fmt.Sprintf("fruxon-mock %s\nmodule:   %s %s\nrevision: %s\ngo:       %s\n", version, bi.Main.Path, mod, revision, bi.GoVersion)
}

const usage = `fruxon-mock: a stateful, contract-true fake of the Fruxon Integrations API

Usage:
  fruxon-mock serve [flags]        run the mock server
  fruxon-mock spec [flags]         print the embedded OpenAPI spec
  fruxon-mock validate FILE…       check OpenAPI spec files (file, line, reason)
  fruxon-mock replay [PATH…]       replay scenarios against a target (default: in-process mock)
  fruxon-mock fuzz [flags]         property-based contract tests generated from the spec
  fruxon-mock proxy --target URL   forward traffic to URL, validate both legs, --record scenarios
  fruxon-mock validate-traffic F   validate the exchanges of a HAR 1.2 file against the spec
  fruxon-mock scenarios list       list the built-in scenarios with their descriptions
  fruxon-mock healthcheck [--url]  exit 0 when the mock answers /_mock/health
  fruxon-mock version              print the version, module and VCS revision

Run "fruxon-mock COMMAND --help" for a command's flags.
`

// run is the whole program; main only supplies the process's context,
// arguments and streams, so tests drive the same code path.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError{code: 2}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "spec":
		return runSpec(rest, stdout, stderr)
	case "validate":
		return runValidate(rest, stdout, stderr)
	case "replay":
		return runReplay(ctx, rest, stdout, stderr)
	case "fuzz":
		return runFuzz(ctx, rest, stdout, stderr)
	case "proxy":
		return runProxy(ctx, rest, stdout, stderr)
	case "validate-traffic":
		return runValidateTraffic(rest, stdout, stderr)
	case "scenarios":
		return runScenarios(rest, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, rest, stdout, stderr)
	case "version", "--version":
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprint(stdout, versionText(version, bi))
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if near := suggest(cmd); near != "" {
		fmt.Fprintf(stderr, "fruxon-mock: unknown command %q: did you mean \"fruxon-mock %s\"?\n", cmd, near)
		return exitError{code: 2}
	}
	fmt.Fprintf(stderr, "fruxon-mock: unknown command %q\n\n%s", cmd, usage)
	return exitError{code: 2}
}
