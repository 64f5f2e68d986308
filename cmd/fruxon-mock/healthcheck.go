package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// healthPath is the endpoint healthcheck asks.
const healthPath = "/_mock/health"

func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("healthcheck [--url URL | --addr ADDR]",
		"Exit 0 when the mock answers its health endpoint, 1 otherwise (Docker's HEALTHCHECK).\n"+
			"It asks the address serve listens on, found like serve finds it: --url, else\n"+
			"FRUXON_MOCK_URL, else --addr, else FRUXON_MOCK_ADDR, else the --addr of a\n"+
			"\"fruxon-mock serve\" running as PID 1 (a container), else serve's default.\n"+
			"An address without a host (\":9090\") is asked on 127.0.0.1.", stdout, false)
	url := fs.String("url", "", "health endpoint or base URL to ask (env FRUXON_MOCK_URL)")
	addr := fs.String("addr", "", "address serve listens on (env FRUXON_MOCK_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	target, err := healthURL(*url, *addr, os.Getenv, pid1Args)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return exitError{code: 1, msg: "unhealthy: " + err.Error()}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return exitError{code: 1, msg: fmt.Sprintf("unhealthy: %s answered %d", target, resp.StatusCode)}
	}
	fmt.Fprintln(stdout, "healthy", target)
	return nil
}

// healthURL picks the URL to ask: an explicit URL (flag, then env), else
// an address (flag, then env, then a serve running as PID 1, then serve's
// default) turned into http://HOST:PORT/_mock/health.
func healthURL(url, addr string, getenv func(string) string, pid1 func() []string) (string, error) {
	if url == "" {
		url = getenv("FRUXON_MOCK_URL")
	}
	if url != "" {
		if !strings.Contains(url, "://") {
			return "", fmt.Errorf("--url: %q is not a URL (http://HOST:PORT[/_mock/health])", url)
		}
		if rest := url[strings.Index(url, "://")+3:]; !strings.Contains(strings.TrimSuffix(rest, "/"), "/") {
			url = strings.TrimSuffix(url, "/") + healthPath
		}
		return url, nil
	}
	if addr == "" {
		addr = getenv("FRUXON_MOCK_ADDR")
	}
	if addr == "" {
		addr = serveAddrOf(pid1())
	}
	if addr == "" {
		addr = defaultServeAddr()
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--addr: %q is not HOST:PORT: %v", addr, err)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1" // listening on every interface: loopback is one
	}
	return "http://" + net.JoinHostPort(host, port) + healthPath, nil
}

// defaultServeAddr is serve's --addr default, read from serve's own flags
// so the two can't drift apart.
func defaultServeAddr() string {
	var c serveConfig
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	c.flags(fs)
	return fs.Lookup("addr").DefValue
}

// serveAddrOf returns the --addr of a "fruxon-mock serve …" command line,
// or "" when argv is not one or names no address.
func serveAddrOf(argv []string) string {
	if len(argv) < 2 || filepath.Base(argv[0]) != "fruxon-mock" || argv[1] != "serve" {
		return ""
	}
	var c serveConfig
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.flags(fs)
	if fs.Parse(argv[2:]) != nil || !fs.Changed("addr") {
		return ""
	}
	return c.addr
}

// pid1Args is the command line of PID 1: in a container, the serve whose
// address the HEALTHCHECK must follow (docker run IMAGE serve --addr :9090).
func pid1Args() []string {
	b, err := os.ReadFile("/proc/1/cmdline")
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
}
