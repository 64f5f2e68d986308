package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
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

// TestValidateRealLines: each problem at the line it is on (the bad $ref,
// the misindented key, the unterminated quote), and nothing of the
// library's own logging on the process's stdout.
func TestValidateRealLines(t *testing.T) {
	head := "openapi: 3.1.0\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  /a:\n    get:\n"
	for name, tc := range map[string]struct {
		src  string
		line int
	}{
		"bad-ref": {head + "      operationId: getA\n      responses:\n        \"200\":\n          description: ok\n" +
			"          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/Missing\"\n", 15},
		"misindented": {head + "      operationId: getA\n     responses: {}\n", 9},
		"open-quote":  {head + "      operationId: \"getA\n      responses: {}\n", 8},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name+".yaml")
			if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			procOut := captureStdout(t, func() {
				run(context.Background(), []string{"validate", path}, &stdout, &stderr)
			})
			want := path + ":" + strconv.Itoa(tc.line) + ": "
			if !strings.HasPrefix(stderr.String(), want) {
				t.Errorf("got %q, want %s…", stderr.String(), want)
			}
			if stdout.Len() != 0 || procOut != "" {
				t.Errorf("stdout holds %q %q", stdout.String(), procOut)
			}
		})
	}
}

// captureStdout returns what f wrote to the process's stdout (where a
// library might log behind run's back).
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	tmp, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = tmp
	defer func() { os.Stdout = saved }()
	f()
	tmp.Close()
	b, _ := os.ReadFile(tmp.Name())
	return string(b)
}
