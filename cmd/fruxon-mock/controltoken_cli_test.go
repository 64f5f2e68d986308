package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/validator"
)

// tokenTarget serves a mock started with a control token and notes, per
// /_mock/* call, whether it carried the token.
type tokenTarget struct {
	*httptest.Server
	mu      sync.Mutex
	control map[string]int // "path with|without" → calls
}

func newTokenTarget(t *testing.T, token string) *tokenTarget {
	t.Helper()
	lib, err := scenarios.Library()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mockserver.New(mockserver.Config{ControlToken: token, Scenarios: lib})
	if err != nil {
		t.Fatal(err)
	}
	tt := &tokenTarget{control: map[string]int{}}
	tt.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_mock/") {
			with := "without"
			if r.Header.Get(mockserver.ControlTokenHeader) == token {
				with = "with"
			}
			tt.mu.Lock()
			tt.control[r.URL.Path+" "+with]++
			tt.mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(tt.Close)
	return tt
}

func (tt *tokenTarget) calls(key string) int {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return tt.control[key]
}

// TestReplayControlToken: against a mock started with --control-token,
// replay asks GET /_mock/scenarios which stub scenarios the target runs;
// without the token that call is a 401 and the stub scenario is skipped,
// with --control-token (or FRUXON_MOCK_CONTROL_TOKEN) it runs and passes.
func TestReplayControlToken(t *testing.T) {
	const token = "ct-7f3a9c"
	lib := filepath.Join("..", "..", "scenarios", "library", "errors-429.yaml")

	tt := newTokenTarget(t, token)
	out, code := replayCLI(t, "--target", tt.URL, "--token", "ci", lib)
	if code != 0 || !strings.Contains(out, "0 passed, 0 failed, ") {
		t.Fatalf("without the token: exit %d, want the stub scenario skipped:\n%s", code, out)
	}
	if tt.calls("/_mock/scenarios without") == 0 {
		t.Fatalf("replay did not ask /_mock/scenarios: %v", tt.control)
	}

	for _, how := range []string{"flag", "env"} {
		t.Run(how, func(t *testing.T) {
			tt := newTokenTarget(t, token)
			args := []string{"--target", tt.URL, "--token", "ci", lib}
			if how == "flag" {
				args = append([]string{"--control-token", token}, args...)
			} else {
				t.Setenv("FRUXON_MOCK_CONTROL_TOKEN", token)
			}
			out, code := replayCLI(t, args...)
			if code != 0 || !strings.Contains(out, "ok   errors-429") || strings.Contains(out, "skipped") {
				t.Fatalf("with the token (%s): exit %d, want errors-429 to run and pass:\n%s", how, code, out)
			}
			if tt.calls("/_mock/scenarios with") == 0 || tt.calls("/_mock/scenarios without") != 0 {
				t.Fatalf("with the token (%s): control calls %v", how, tt.control)
			}
			if strings.Contains(out, token) {
				t.Fatalf("the control token is printed:\n%s", out)
			}
		})
	}
}

// TestFuzzControlToken: fuzzing a --control-token mock's control plane
// (--spec control-plane.yaml) sends the token on every /_mock/* request,
// the run is clean, and no reproducer or report prints it.
func TestFuzzControlToken(t *testing.T) {
	t.Parallel()
	const token = "ct-2b8e41"
	spec := filepath.Join(t.TempDir(), "control-plane.yaml")
	if err := os.WriteFile(spec, validator.ControlPlaneSpec(), 0o644); err != nil {
		t.Fatal(err)
	}
	fuzz := func(args ...string) (string, int) {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"fuzz"}, args...), &stdout, &stderr)
		var ee exitError
		switch {
		case err == nil:
			return stdout.String(), 0
		case errors.As(err, &ee):
			return stdout.String() + ee.msg, ee.code
		}
		t.Fatalf("fuzz: %v\n%s", err, stderr.String())
		return "", 0
	}
	tt := newTokenTarget(t, token)
	out, code := fuzz("--target", tt.URL, "--spec", spec, "--control-token", token, "--read-only",
		"--operations", "listJournal,getCoverage,listScenarios", "--max-examples", "3", "--negatives", "1", "--time", "30s")
	if code != 0 {
		t.Fatalf("fuzz with the control token: exit %d:\n%s", code, out)
	}
	for _, p := range []string{"/_mock/journal", "/_mock/coverage", "/_mock/scenarios"} {
		if tt.calls(p+" with") == 0 {
			t.Errorf("no %s request carried the token: %v", p, tt.control)
		}
	}
	if strings.Contains(out, token) {
		t.Fatalf("the control token is printed:\n%s", out)
	}
}
