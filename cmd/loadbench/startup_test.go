package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeServeEnv makes the test binary a stand-in for fruxon-mock: it
// listens after the given delay and answers every request 200, or never
// gets healthy when the delay is "never".
const fakeServeEnv = "LOADBENCH_FAKE_SERVE"

func TestMain(m *testing.M) {
	if delay := os.Getenv(fakeServeEnv); delay != "" {
		fakeServe(delay)
		return
	}
	os.Exit(m.Run())
}

func fakeServe(delay string) {
	addr := ""
	for i, a := range os.Args {
		if a == "--addr" && i+1 < len(os.Args) {
			addr = os.Args[i+1]
		}
	}
	if delay == "never" {
		time.Sleep(time.Hour)
	}
	d, _ := time.ParseDuration(delay)
	time.Sleep(d)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		os.Exit(1)
	}
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) }))
}

// fakeBinary is a script that runs the test binary as a fake serve.
func fakeBinary(t *testing.T, delay string) string {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := t.TempDir() + "/fruxon-mock"
	script := "#!/bin/sh\n" + fakeServeEnv + "=" + delay + " exec " + strconv.Quote(self) + " \"$@\"\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestStartup: a binary that listens 150 ms after exec is measured at no
// less than that, beside one that listens at once; one never healthy is
// an error, not a hang.
func TestStartup(t *testing.T) {
	slow, fast := fakeBinary(t, "150ms"), fakeBinary(t, "0s")
	var out bytes.Buffer
	if err := startup([]string{fast, slow}, 3, 10*time.Second, &out); err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	m := regexp.MustCompile(`(?m)^  (\S+) +median +([\d.]+) ms`).FindAllStringSubmatch(out.String(), -1)
	if len(m) != 2 || m[0][1] != fast || m[1][1] != slow {
		t.Fatalf("output names %v", m)
	}
	if v, _ := strconv.ParseFloat(m[1][2], 64); v < 150 {
		t.Errorf("the slow binary measured %v ms, under its 150 ms delay", v)
	}
	if !strings.Contains(out.String(), slow+" ÷ "+fast+": ") {
		t.Errorf("no ratio in:\n%s", &out)
	}
	err := startup([]string{fakeBinary(t, "never")}, 1, 300*time.Millisecond, &out)
	if err == nil || !strings.Contains(err.Error(), "not healthy after") {
		t.Fatalf("never-healthy binary: %v", err)
	}
}
