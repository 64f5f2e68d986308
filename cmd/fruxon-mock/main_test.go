package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/validator"
)

// lockedBuffer is an io.Writer safe to read while serve writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	// guards b
	b bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listening = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startServe runs "serve" through run, as main does, and returns its base
// URL, the stop function (a signal, in effect) and serve's result.
func startServe(t *testing.T, args ...string) (string, *lockedBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, logs)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(logs.String()); m != nil {
			stop := sync.OnceValue(func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(20 * time.Second):
					return errors.New("serve did not stop")
				}
			})
			t.Cleanup(func() { stop() })
			return "http://" + m[1], logs, stop
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve never listened:\n%s", logs.String())
	return "", nil, nil
}

func TestServeAndGracefulStop(t *testing.T) {
	base, logs, stop := startServe(t)
	resp, err := http.Get(base + "/_mock/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health: %d", resp.StatusCode)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"healthcheck", "--url", base + "/_mock/health"}, &out, io.Discard); err != nil {
		t.Fatalf("healthcheck: %v", err)
	}
	// An in-flight request finishes when the stop comes in. The body is
	// big and of known length, so the headers and most of it are on the
	// wire (the handler is reading) before the stop.
	started := make(chan struct{})
	finished := make(chan int, 1)
	body := []byte(`{"id":"late"` + strings.Repeat(" ", 200<<10) + `}`)
	go func() {
		req, _ := http.NewRequest("POST", base+"/v1/tenants/acme/integrations", &slowReader{data: body, started: started})
		req.ContentLength = int64(len(body))
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Logf("in-flight request: %v", err)
			finished <- -1
			return
		}
		resp.Body.Close()
		finished <- resp.StatusCode
	}()
	<-started
	// The server marks the (reused keep-alive) connection active only once
	// its goroutine has parsed the headers; until then Shutdown may close
	// it as idle. Give it a beat: the last byte is held back for 300 ms.
	time.Sleep(100 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v, want nil (exit 0)", err)
	}
	if code := <-finished; code != 200 {
		t.Fatalf("in-flight request got %d during shutdown", code)
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Fatalf("no clean stop in the log:\n%s", logs.String())
	}
	if err := run(context.Background(), []string{"healthcheck", "--url", base + "/_mock/health", "--timeout", "500ms"}, io.Discard, io.Discard); err == nil {
		t.Fatal("healthcheck passed against a stopped server")
	}
}

// slowReader sends all but the last byte at once, then signals started
// and pauses before the last byte, so the request is mid-body when the
// server is told to stop.
type slowReader struct {
	data    []byte
	started chan struct{}
	off     int
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.off == len(s.data) {
		return 0, io.EOF
	}
	if s.off == len(s.data)-1 {
		close(s.started)
		time.Sleep(300 * time.Millisecond)
	}
	end := min(len(s.data)-1, s.off+len(p))
	if s.off == len(s.data)-1 {
		end = len(s.data)
	}
	n := copy(p, s.data[s.off:end])
	s.off += n
	return n, nil
}

func TestEnvironmentMirrorsFlags(t *testing.T) {
	t.Setenv("FRUXON_MOCK_TENANTS", "strict")
	base, _, _ := startServe(t)
	req, _ := http.NewRequest("GET", base+"/v1/tenants/nobody/integrations", nil)
	req.Header.Set("Authorization", "Bearer x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("FRUXON_MOCK_TENANTS=strict: %d, want 404", resp.StatusCode)
	}
	t.Setenv("FRUXON_MOCK_MAX_BODY", "lots")
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "FRUXON_MOCK_MAX_BODY") {
		t.Fatalf("bad env value: %v", err)
	}
}

func TestBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--auth", "maybe"},
		{"serve", "--validate-responses", "loud"},
		{"serve", "--max-body", "-1"},
		{"serve", "--nope"},
		{"nope"},
		{},
	} {
		var ee exitError
		if err := run(context.Background(), args, io.Discard, io.Discard); !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("%v: %v, want exit 2", args, err)
		}
	}
}

func TestHelpExplainsEveryFlag(t *testing.T) {
	var stderr bytes.Buffer // named for history: help goes to stdout
	if err := run(context.Background(), []string{"serve", "--help"}, &stderr, io.Discard); err != nil && err.(exitError).code != 0 {
		t.Fatal(err)
	}
	for _, f := range []string{"--addr", "--spec", "--auth", "--jwt-secret", "--jwks", "--validate-responses", "--cors-origins", "--max-body", "--secret-key", "--tenants", "--log-format", "--log-level", "FRUXON_MOCK_"} {
		if !strings.Contains(stderr.String(), f) {
			t.Errorf("serve --help does not mention %s", f)
		}
	}
}

func TestSpecCommand(t *testing.T) {
	t.Parallel() // builds and compiles the whole spec: seconds under -race
	var out bytes.Buffer
	if err := run(context.Background(), []string{"spec", "--format", "json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc["openapi"] != "3.1.0" {
		t.Fatalf("spec --format json: %v %v", err, doc["openapi"])
	}
	if _, err := validator.New(out.Bytes()); err != nil {
		t.Fatalf("the JSON spec does not build: %v", err)
	}
	// Key order is kept: "openapi" comes first as in the YAML.
	if !strings.HasPrefix(strings.TrimSpace(out.String()), "{\n  \"openapi\"") {
		t.Fatalf("JSON does not start with openapi: %.40s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"spec", "--control-plane"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "/_mock/health") {
		t.Fatalf("--control-plane: %v", err)
	}
}

func TestValidateNamesFileAndLine(t *testing.T) {
	t.Parallel() // builds and compiles the whole spec: seconds under -race
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("openapi: 3.1.0\ninfo:\n  title: t\n   version: 1\n"), 0o644)
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, validator.FruxonSpec(), 0o644)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"validate", good, bad}, &stdout, &stderr)
	if err == nil || !strings.Contains(stdout.String(), good+": ok") {
		t.Fatalf("validate: %v %s", err, stdout.String())
	}
	if !strings.HasPrefix(stderr.String(), bad+":4: ") {
		t.Fatalf("want %s:4: reason, got %q", bad, stderr.String())
	}
	// serve --spec refuses the same file the same way, before listening.
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--spec", bad}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), bad+":4:") {
		t.Fatalf("serve --spec bad: %v", err)
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "fruxon-mock ") {
		t.Fatalf("%v %q", err, out.String())
	}
}

// version names the module's version and the VCS revision from the build
// info, and says so when the build had none.
func TestVersionText(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/fruxon/fruxon-mock", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "4ae1b95d"}, {Key: "vcs.time", Value: "2026-12-05T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionText("dev", bi)
	for _, want := range []string{"fruxon-mock v1.2.3\n", "github.com/fruxon/fruxon-mock v1.2.3", "revision: 4ae1b95d (2026-12-05T10:00:00Z), with uncommitted changes", "go1.26.8"} {
		if !strings.Contains(got, want) {
			t.Errorf("version text %q lacks %q", got, want)
		}
	}
	if got := versionText("v9", &debug.BuildInfo{Main: debug.Module{Path: "m", Version: "(devel)"}}); !strings.Contains(got, "fruxon-mock v9\n") || !strings.Contains(got, "revision: unknown: built without VCS information") {
		t.Errorf("an -X version without VCS information: %q", got)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "module:") || !strings.Contains(out.String(), "revision:") {
		t.Errorf("fruxon-mock version: %v %q", err, out.String())
	}
}

// A busy port names the flag and the variable that pick another.
func TestServeBusyPortSaysWhatToDo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = run(context.Background(), []string{"serve", "--addr", ln.Addr().String()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "--addr") || !strings.Contains(err.Error(), "FRUXON_MOCK_ADDR") {
		t.Fatalf("serve on a busy port: %v", err)
	}
}

// spec --provenance prints a row per operation with its source, and every
// operation of the embedded spec has one.
func TestSpecProvenance(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"spec", "--provenance"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(v.Operations())+2 {
		t.Fatalf("%d lines for %d operations (want a header, a row each, a summary):\n%s", len(lines), len(v.Operations()), out.String())
	}
	for _, op := range v.Operations() {
		if !strings.Contains(out.String(), op.ID+" ") {
			t.Errorf("no row for %s", op.ID)
		}
	}
	if !strings.HasSuffix(lines[len(lines)-1], ", 0 without a source") || strings.Contains(out.String(), "unknown (no x-fruxon-source)") {
		t.Errorf("an operation has no x-fruxon-source:\n%s", out.String())
	}
}
