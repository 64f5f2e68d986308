package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHealthURL(t *testing.T) {
	inContainer := func(args ...string) func() []string { return func() []string { return args } }
	notContainer := inContainer("/sbin/init")
	for _, tc := range []struct {
		name, url, addr string
		env             map[string]string
		pid1            func() []string
		want            string
	}{
		{name: "serve's default", pid1: notContainer, want: "http://" + loopback(defaultServeAddr()) + healthPath},
		{name: "env addr without host", env: map[string]string{"FRUXON_MOCK_ADDR": ":9090"}, pid1: notContainer, want: "http://127.0.0.1:9090/_mock/health"},
		{name: "flag addr wins over env", addr: "127.0.0.1:7000", env: map[string]string{"FRUXON_MOCK_ADDR": ":9090"}, pid1: notContainer, want: "http://127.0.0.1:7000/_mock/health"},
		{name: "every interface", addr: "0.0.0.0:8081", pid1: notContainer, want: "http://127.0.0.1:8081/_mock/health"},
		{name: "ipv6 any", addr: "[::]:8082", pid1: notContainer, want: "http://127.0.0.1:8082/_mock/health"},
		{name: "env URL, base only", env: map[string]string{"FRUXON_MOCK_URL": "http://mock:8080/", "FRUXON_MOCK_ADDR": ":1"}, pid1: notContainer, want: "http://mock:8080/_mock/health"},
		{name: "flag URL kept whole", url: "http://h:1/custom", pid1: notContainer, want: "http://h:1/custom"},
		{name: "container: serve --addr :9090", pid1: inContainer("/usr/local/bin/fruxon-mock", "serve", "--addr", ":9090"), want: "http://127.0.0.1:9090/_mock/health"},
		{name: "container: serve --addr=:9091", pid1: inContainer("/usr/local/bin/fruxon-mock", "serve", "--log-format", "json", "--addr=:9091"), want: "http://127.0.0.1:9091/_mock/health"},
		{name: "env beats PID 1", env: map[string]string{"FRUXON_MOCK_ADDR": ":9092"}, pid1: inContainer("/usr/local/bin/fruxon-mock", "serve", "--addr", ":9090"), want: "http://127.0.0.1:9092/_mock/health"},
		{name: "PID 1 another program", pid1: inContainer("/usr/bin/other", "serve", "--addr", ":9090"), want: "http://" + loopback(defaultServeAddr()) + healthPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := healthURL(tc.url, tc.addr, func(k string) string { return tc.env[k] }, tc.pid1)
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := healthURL("", "nonsense", func(string) string { return "" }, notContainer); err == nil {
		t.Fatal("a bad address passed")
	}
}

func loopback(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// TestDockerfileHealthcheckFollowsAddr holds the image's rule without a
// Docker engine: the HEALTHCHECK names no address of its own, and for the
// image's own command line it asks the port serve listens on.
func TestDockerfileHealthcheckFollowsAddr(t *testing.T) {
	src, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	hc := regexp.MustCompile(`(?m)^HEALTHCHECK .*\\\n\s*CMD (\[.*\])`).FindSubmatch(src)
	if hc == nil {
		t.Fatal("no HEALTHCHECK … CMD [...] in the Dockerfile")
	}
	if strings.Contains(string(hc[1]), "--url") || strings.Contains(string(hc[1]), "--addr") || regexp.MustCompile(`:\d+`).Match(hc[1]) {
		t.Fatalf("HEALTHCHECK %s fixes an address; it must follow serve's", hc[1])
	}
	entry := jsonArgs(t, regexp.MustCompile(`(?m)^ENTRYPOINT (\[.*\])`).FindSubmatch(src))
	cmd := jsonArgs(t, regexp.MustCompile(`(?m)^CMD (\[.*\])`).FindSubmatch(src))
	argv := append(entry, cmd...)
	serveAt := serveAddrOf(argv)
	if serveAt == "" {
		serveAt = defaultServeAddr()
	}
	_, port, _ := net.SplitHostPort(serveAt)
	got, err := healthURL("", "", func(string) string { return "" }, func() []string { return argv })
	if err != nil || !strings.Contains(got, ":"+port+"/") {
		t.Fatalf("image runs %v (port %s); healthcheck asks %q (%v)", argv, port, got, err)
	}
	if !regexp.MustCompile(`(?m)^EXPOSE ` + port + `$`).Match(src) {
		t.Errorf("EXPOSE does not name serve's port %s", port)
	}
}

func jsonArgs(t *testing.T, m [][]byte) []string {
	t.Helper()
	if m == nil {
		t.Fatal("Dockerfile line not found")
	}
	var out []string
	for _, a := range regexp.MustCompile(`"([^"]*)"`).FindAllSubmatch(m[1], -1) {
		out = append(out, string(a[1]))
	}
	return out
}

// TestHealthcheckReadsServeEnv: serve and healthcheck, given only
// FRUXON_MOCK_ADDR, meet on the same port (docker run -e FRUXON_MOCK_ADDR).
func TestHealthcheckReadsServeEnv(t *testing.T) {
	port := freePort(t)
	t.Setenv("FRUXON_MOCK_ADDR", "127.0.0.1:"+strconv.Itoa(port))
	t.Setenv("FRUXON_MOCK_URL", "")
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- run(ctx, []string{"serve", "--log-level", "error"}, io.Discard, io.Discard) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var out bytes.Buffer
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		out.Reset()
		// Each try waits up to its --timeout: polling for readiness, not a sleep.
		if err = run(ctx, []string{"healthcheck", "--timeout", "500ms"}, &out, io.Discard); err == nil {
			break
		}
		var ee exitError
		if !errors.As(err, &ee) || ee.code != 1 {
			t.Fatalf("healthcheck: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || !strings.Contains(out.String(), strconv.Itoa(port)) {
		t.Fatalf("healthcheck never found serve on FRUXON_MOCK_ADDR: %v %q", err, out.String())
	}
}
