package readme_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// prelude runs before a script: a failing command is written down (the
// harness fails on it), "go run ./cmd/fruxon-mock" runs the binary under
// test, and __readme_mark closes the output of a stated result.
const prelude = `set -o pipefail -E
trap 'printf "%s %s %s\n" "$?" "$LINENO" "$BASH_COMMAND" >>"$README_FAILED"' ERR
go() {
  if [ "$1" = run ] && [ "$2" = ./cmd/fruxon-mock ]; then shift 2; fruxon-mock "$@"; else command go "$@"; fi
}
__readme_mark() { printf '\n\036readme-mark %s\036\n' "$1"; }
`

var markerRE = regexp.MustCompile("\n?\x1ereadme-mark (\\d+)\x1e\n")

// scriptTimeout bounds one script, its mock's start included.
const scriptTimeout = 2 * time.Minute

// runScript runs s with bash, against a mock of its own on a free port
// (the script's own "fruxon-mock serve" gets that port through
// FRUXON_MOCK_ADDR) and returns every way it differs from what it states.
// bin is the directory holding the fruxon-mock binary under test.
func runScript(ctx context.Context, s *script, bin string) (problems []string) {
	ctx, cancel := context.WithTimeout(ctx, scriptTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "readme-script-")
	if err != nil {
		return []string{err.Error()}
	}
	defer os.RemoveAll(dir)
	port, err := freePort()
	if err != nil {
		return []string{err.Error()}
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	env := scriptEnv(bin, addr, filepath.Join(dir, "failed"))
	if !s.ownMock {
		stop, err := startMock(ctx, bin, addr, dir, env)
		if err != nil {
			return []string{fmt.Sprintf("%s: the mock for section %q: %v", s.file, s.name, err)}
		}
		defer func() { problems = append(problems, stop()...) }()
	}
	src := prelude + strings.Join(s.lines, "\n") + "\n"
	src = rewritePort(src, port)
	if err := os.WriteFile(filepath.Join(dir, "script.sh"), []byte(src), 0o600); err != nil {
		return []string{err.Error()}
	}
	out, err := os.Create(filepath.Join(dir, "output"))
	if err != nil {
		return []string{err.Error()}
	}
	defer out.Close()
	cmd := exec.Command("bash", "script.sh")
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return []string{fmt.Sprintf("bash: %v", err)}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var runErr error
	select {
	case runErr = <-done:
	case <-ctx.Done():
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		runErr = <-done
		problems = append(problems, fmt.Sprintf("%s: section %q did not finish within %s", s.file, s.name, scriptTimeout))
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what it left running in the background
	output, _ := os.ReadFile(out.Name())
	problems = append(problems, s.check(string(output), rewrite(port))...)
	failed, _ := os.ReadFile(filepath.Join(dir, "failed"))
	problems = append(problems, s.failures(string(failed), string(output))...)
	if len(problems) == 0 && runErr != nil {
		problems = append(problems, fmt.Sprintf("%s: section %q: bash: %v\n%s", s.file, s.name, runErr, output))
	}
	return problems
}

// check compares the output between markers with each stated result.
func (s *script) check(output string, rewrite func(string) string) []string {
	var problems []string
	segments := map[int]string{}
	from := 0
	for _, m := range markerRE.FindAllStringSubmatchIndex(output, -1) {
		i, _ := strconv.Atoi(output[m[2]:m[3]])
		segments[i] = output[from:m[0]]
		from = m[1]
	}
	for i, e := range s.expects {
		got, ok := segments[i]
		want := rewrite(e.text)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s:%d: the script stopped before this result; its output:\n%s", s.file, e.line, indent(markerRE.ReplaceAllString(output, "\n"))))
			return problems
		case !matches(want, got):
			problems = append(problems, fmt.Sprintf("%s:%d: the output differs from the stated result\n  stated:\n%s\n  printed:\n%s", s.file, e.line, indent(want), indent(got)))
		}
	}
	return problems
}

// failures turns the ERR trap's records ("STATUS LINE COMMAND") into
// problems naming the Markdown line.
func (s *script) failures(records, output string) []string {
	var problems []string
	preludeLines := strings.Count(prelude, "\n")
	// The first record in the Markdown's lines explains the rest (a
	// command failing in the prelude's go shim is recorded there first,
	// then where the shim was called).
	for _, rec := range strings.Split(strings.TrimSpace(records), "\n") {
		status, rest, ok := strings.Cut(rec, " ")
		if !ok {
			continue
		}
		lineText, command, _ := strings.Cut(rest, " ")
		line, _ := strconv.Atoi(lineText)
		i := line - preludeLines - 1
		if i < 0 || i >= len(s.origin) || s.origin[i] == 0 {
			continue
		}
		return append(problems, fmt.Sprintf("%s:%d: %q exited with status %s (write \"cmd || echo \\\"exit $?\\\"\" to show a failing status); the output:\n%s",
			s.file, s.origin[i], command, status, indent(markerRE.ReplaceAllString(output, "\n"))))
	}
	if strings.TrimSpace(records) != "" {
		problems = append(problems, fmt.Sprintf("%s: section %q: a command failed: %s", s.file, s.name, strings.TrimSpace(records)))
	}
	return problems
}

// scriptEnv is the environment of a script: the binary under test first on
// PATH, FRUXON_MOCK_ADDR the script's port, no other FRUXON_MOCK_* of the
// caller's.
func scriptEnv(bin, addr, failed string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "FRUXON_MOCK_") || strings.HasPrefix(kv, "PATH=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FRUXON_MOCK_ADDR="+addr, "README_FAILED="+failed)
}

// startMock starts "fruxon-mock serve" on addr and waits until it answers
// its health check; stop ends it and reports a mock that didn't stop well.
func startMock(ctx context.Context, bin, addr, dir string, env []string) (stop func() []string, err error) {
	logPath := filepath.Join(dir, "mock.log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(bin, "fruxon-mock"), "serve", "--addr", addr)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	stop = func() []string {
		cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		log.Close()
		if err != nil {
			text, _ := os.ReadFile(logPath)
			return []string{fmt.Sprintf("the mock exited with %v; its log:\n%s", err, indent(string(text)))}
		}
		return nil
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/_mock/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return stop, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			stop()
			text, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("no answer on %s after 30s; its log:\n%s", addr, indent(string(text)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freePort is a loopback port nothing listens on just now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("not a TCP address")
	}
	return addr.Port, nil
}

// rewrite points the examples' localhost:8080 and 127.0.0.1:8080 at port.
func rewrite(port int) func(string) string {
	return func(s string) string { return rewritePort(s, port) }
}

func rewritePort(s string, port int) string {
	p := ":" + strconv.Itoa(port)
	return strings.NewReplacer("localhost:8080", "localhost"+p, "127.0.0.1:8080", "127.0.0.1"+p).Replace(s)
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
