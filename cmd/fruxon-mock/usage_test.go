package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestHelpGoesToStdout: --help is an answer, not an error: stdout, exit 0,
// nothing on stderr, for every subcommand.
func TestHelpGoesToStdout(t *testing.T) {
	for _, cmd := range commands {
		if cmd == "version" || cmd == "help" {
			continue
		}
		for _, flag := range []string{"--help", "-h"} {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{cmd, flag}, &stdout, &stderr)
			var ee exitError
			if err != nil && (!errors.As(err, &ee) || ee.code != 0) {
				t.Errorf("%s %s: %v, want exit 0", cmd, flag, err)
			}
			if !strings.HasPrefix(stdout.String(), "Usage: fruxon-mock "+cmd) || stderr.Len() != 0 {
				t.Errorf("%s %s: stdout %.60q, stderr %.60q", cmd, flag, stdout.String(), stderr.String())
			}
		}
	}
}

// TestReplayHelpIsReplays: replay's help lists replay's flags and their
// variables, none of serve's.
func TestReplayHelpIsReplays(t *testing.T) {
	var out bytes.Buffer
	run(context.Background(), []string{"replay", "--help"}, &out, &out)
	help := out.String()
	for _, want := range []string{"--target", "--token", "FRUXON_MOCK_TARGET", "FRUXON_MOCK_TOKEN", "FRUXON_MOCK_JUNIT"} {
		if !strings.Contains(help, want) {
			t.Errorf("replay --help lacks %s", want)
		}
	}
	for _, serveOnly := range []string{"MAX_BODY", "max-body", "cors-origins", "FRUXON_MOCK_ADDR"} {
		if strings.Contains(help, serveOnly) {
			t.Errorf("replay --help mentions serve's %s", serveOnly)
		}
	}
}

func TestMistypedCommandSuggests(t *testing.T) {
	for typed, want := range map[string]string{
		"serv": "serve", "sevre": "serve", "Serve": "serve", "replya": "replay", "valdiate": "validate",
		"healtcheck": "healthcheck", "scenario": "scenarios", "fuz": "fuzz", "xyzzy": "", "s": "",
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), []string{typed}, &bytes.Buffer{}, &stderr)
		var ee exitError
		if !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("%s: %v, want exit 2", typed, err)
		}
		hint := `did you mean "fruxon-mock ` + want + `"?`
		if want == "" {
			if strings.Contains(stderr.String(), "did you mean") || !strings.Contains(stderr.String(), "Usage:") {
				t.Errorf("%s: %q, want the usage and no guess", typed, stderr.String())
			}
		} else if !strings.Contains(stderr.String(), hint) {
			t.Errorf("%s: %q, want %s", typed, stderr.String(), hint)
		}
	}
}
