package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A HAR with one clean exchange (a 404 problem the spec declares) and one
// whose answer breaks the contract.
const trafficHAR = `{"log":{"version":"1.2","entries":[
 {"request":{"method":"GET","url":"http://localhost:8080/v1/tenants/t1/integrations/nope","headers":[]},
  "response":{"status":404,"headers":[{"name":"Content-Type","value":"application/problem+json"}],
   "content":{"size":60,"mimeType":"application/problem+json","text":"{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no\"}"}}},
 {"request":{"method":"GET","url":"http://localhost:8080/v1/tenants/t1/integrations/nope?api_key=SECRET","headers":[]},
  "response":{"status":404,"headers":[{"name":"Content-Type","value":"application/problem+json"}],
   "content":{"size":60,"mimeType":"application/problem+json","text":"{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":\"404\"}"}}}
]}}`

func TestValidateTrafficCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	code := func(err error) int {
		var ee exitError
		if err == nil {
			return 0
		}
		if errors.As(err, &ee) {
			return ee.code
		}
		return -1
	}
	bad := write("bad.har", trafficHAR)
	junit := filepath.Join(dir, "out", "junit.xml")
	var out bytes.Buffer
	err := run(context.Background(), []string{"validate-traffic", "--junit", junit, bad}, &out, io.Discard)
	if code(err) != 1 || !strings.Contains(out.String(), "entry 1: GET http://localhost:8080/v1/tenants/t1/integrations/nope → 404 (getIntegration)") ||
		!strings.Contains(out.String(), "response body $.status") || strings.Contains(out.String(), "SECRET") {
		t.Errorf("want exit 1 and the finding on entry 1 (no query echoed), got %v:\n%s", err, out.String())
	}
	if b, err := os.ReadFile(junit); err != nil || !strings.Contains(string(b), `failures="1"`) {
		t.Errorf("junit: %v %s", err, b)
	}
	clean := write("clean.har", strings.Replace(trafficHAR, `\"status\":\"404\"`, `\"status\":404`, 1))
	if err := run(context.Background(), []string{"validate-traffic", clean}, io.Discard, io.Discard); err != nil {
		t.Errorf("a clean HAR: %v", err)
	}
	broken := write("broken.har", `{"log": [`)
	err = run(context.Background(), []string{"validate-traffic", broken}, io.Discard, io.Discard)
	if code(err) != 2 || !strings.Contains(err.Error(), "broken.har: not JSON") {
		t.Errorf("a malformed HAR: want exit 2 naming the file, got %v", err)
	}
	if err := run(context.Background(), []string{"validate-traffic", filepath.Join(dir, "missing.har")}, io.Discard, io.Discard); code(err) != 2 {
		t.Errorf("a missing file: want exit 2, got %v", err)
	}
}
