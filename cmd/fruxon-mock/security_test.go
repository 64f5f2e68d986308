package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestServeBindsLoopbackByDefault: a laptop's mock is not on the LAN
// unless asked; the container asks.
func TestServeBindsLoopbackByDefault(t *testing.T) {
	var c serveConfig
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	c.flags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:8080" {
		t.Fatalf("default --addr = %q, want 127.0.0.1:8080", c.addr)
	}
	docker, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docker), `CMD ["serve", "--addr", ":8080"]`) {
		t.Fatal(`the Dockerfile's CMD does not pass --addr :8080 (a container must listen beyond loopback)`)
	}
}

// TestControlTokenFromEnvironment: FRUXON_MOCK_CONTROL_TOKEN locks the
// control plane of a served mock; health stays open.
func TestControlTokenFromEnvironment(t *testing.T) {
	t.Setenv("FRUXON_MOCK_CONTROL_TOKEN", "ct-env")
	base, _, _ := startServe(t)
	for _, tt := range []struct {
		path, token string
		want        int
	}{
		{"/_mock/health", "", 200},
		{"/_mock/journal", "", 401},
		{"/_mock/journal", "ct-env", 200},
	} {
		req, _ := http.NewRequest("GET", base+tt.path, nil)
		if tt.token != "" {
			req.Header.Set(mockserver.ControlTokenHeader, tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("GET %s (token %q) = %d, want %d", tt.path, tt.token, resp.StatusCode, tt.want)
		}
	}
}

func TestOpenControlPlaneWarning(t *testing.T) {
	for _, tt := range []struct {
		addr  net.Addr
		token string
		warn  bool
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "", true},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "", true},
		{&net.TCPAddr{IP: net.ParseIP("10.0.0.5"), Port: 8080}, "", true},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "t", false},
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080}, "", false},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "", false},
	} {
		var logs bytes.Buffer
		warnOpenControlPlane(slog.New(slog.NewTextHandler(&logs, nil)), tt.addr, tt.token)
		if got := strings.Contains(logs.String(), "level=WARN") && strings.Contains(logs.String(), "--control-token"); got != tt.warn {
			t.Errorf("%s token %q: warned %v, want %v: %s", tt.addr, tt.token, got, tt.warn, logs.String())
		}
	}
}

// TestShutdownTimeoutExitsZero: when the drain outlasts --shutdown-timeout
// the request still running is cut off, a warning says so, and serve
// returns nil (exit 0), as the README says.
func TestShutdownTimeoutExitsZero(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- serveUntilDone(ctx, ln, h, slog.New(slog.NewTextHandler(&logs, nil)), 10*time.Millisecond)
	}()
	go func() {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v after a timed-out drain, want nil (exit 0)", err)
	}
	if !strings.Contains(logs.String(), "shutdown timeout") {
		t.Fatalf("no warning about the cut-off requests:\n%s", logs.String())
	}
}
