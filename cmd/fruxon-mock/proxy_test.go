package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// startProxy runs "proxy" through run and returns its base URL and a stop
// function that returns what run returned and printed.
func startProxy(t *testing.T, args ...string) (string, func() (error, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs, out := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"proxy", "--addr", "127.0.0.1:0"}, args...), out, logs)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(logs.String()); m != nil {
			stop := sync.OnceValues(func() (error, string) {
				cancel()
				select {
				case err := <-done:
					return err, out.String()
				case <-time.After(20 * time.Second):
					return errors.New("proxy did not stop"), out.String()
				}
			})
			t.Cleanup(func() { stop() })
			return "http://" + m[1], stop
		}
		select {
		case err := <-done:
			t.Fatalf("proxy exited: %v\n%s", err, logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("proxy never listened:\n%s", logs.String())
	return "", nil
}

func TestProxyCommand(t *testing.T) {
	mock, _, _ := startServe(t, "--no-fixtures")
	dir := t.TempDir()
	base, stop := startProxy(t, "--target", mock, "--record", dir)
	post := func(body string) int {
		req, _ := http.NewRequest("POST", base+"/v1/tenants/t1/integrations", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(`{"id":"crm"}`); got != 200 {
		t.Fatalf("create through the proxy: %d", got)
	}
	if got := post(`{"id":"crm2","bogus":true}`); got != 400 {
		t.Fatalf("a bad create through the proxy: %d", got)
	}
	err, out := stop()
	if err != nil {
		t.Fatalf("proxy: %v\n%s", err, out)
	}
	for _, want := range []string{"2 exchanges, 1 with findings", "createIntegration", "request body", "bogus", "coverage: 2 of ", "recorded: " + filepath.Join(dir, "recorded-default.yaml")} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "recorded-default.yaml")); err != nil {
		t.Error(err)
	}
}

func TestProxyBadFlags(t *testing.T) {
	for _, args := range [][]string{{"proxy"}, {"proxy", "--target", "ftp://x"}, {"proxy", "--target", "http://x", "--max-body", "lots"}} {
		var stderr bytes.Buffer
		err := run(context.Background(), args, io.Discard, &stderr)
		var ee exitError
		if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(ee.msg+stderr.String(), "--") {
			t.Errorf("%v: want exit 2 naming the flag, got %v %s", args, err, stderr.String())
		}
	}
}
