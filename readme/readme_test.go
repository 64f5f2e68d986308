package readme_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	// What cmd/fruxon-mock and the snippets import: this test is built
	// only once they are compiled, so its own builds of the binary and
	// the snippets find them in the build cache instead of compiling
	// them again beside the rest of "go test ./...".
	_ "github.com/fruxon/fruxon-mock/mockserver/mocktest"
	_ "github.com/fruxon/fruxon-mock/scenarios/fuzz"
	_ "github.com/fruxon/fruxon-mock/scenarios/har"
	_ "github.com/fruxon/fruxon-mock/scenarios/proxy"
	_ "github.com/fruxon/fruxon-mock/scenarios/replay"
	_ "github.com/spf13/pflag"
)

// root is the module's directory (the test runs in root/readme).
const root = ".."

// TestReadme runs README.md's examples: each heading's sh blocks as one
// bash script against a fresh mock, checking every stated result
// ("# → …"); the Go snippets compiled as a test package and run.
func TestReadme(t *testing.T) {
	checkMarkdown(t, "README.md")
}

func checkMarkdown(t *testing.T, file string) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the README's examples need %s on PATH: %v", tool, err)
		}
	}
	text, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	blocks, problems := parseMarkdown(file, string(text))
	list, more := scripts(file, blocks)
	for _, p := range append(problems, more...) {
		t.Error(p)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Run("go", func(t *testing.T) {
		t.Parallel()
		for _, p := range runSnippets(ctx, abs, file, blocks, raceEnabled) {
			t.Error(p)
		}
	})
	for _, s := range list {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			bin, err := binary(abs)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range runScript(ctx, s, bin) {
				t.Error(p)
			}
		})
	}
}

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// binary builds cmd/fruxon-mock once per test process, with -race when
// this test has it (the build cache then holds every package it needs),
// and returns the directory it is in.
func binary(root string) (string, error) {
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "readme-bin-")
		if binErr != nil {
			return
		}
		args := []string{"build", "-o", filepath.Join(binDir, "fruxon-mock")}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command(goTool(), append(args, "./cmd/fruxon-mock")...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = &buildError{out: strings.TrimSpace(string(out)), err: err}
		}
	})
	return binDir, binErr
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string {
	return "go build ./cmd/fruxon-mock: " + e.err.Error() + "\n" + e.out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}
