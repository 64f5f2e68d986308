package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReplayParallelMatchesSerial runs the built-in library serially (the
// shared run) and with --parallel 4 against in-process mocks: stdout (the
// coverage table included) and the JUnit file must be byte for byte the same (each scenario in its own session keeps
// concurrent scenarios from seeing each other's writes).
func TestReplayParallelMatchesSerial(t *testing.T) {
	t.Parallel()
	serial := library(t) // --no-durations --junit --coverage --min-coverage: the same flags below
	if serial.code != 0 {
		t.Fatalf("serial: exit %d:\n%s", serial.code, serial.out)
	}
	dir := t.TempDir()
	junit, cov := filepath.Join(dir, "parallel.xml"), filepath.Join(dir, "c.json")
	parOut, code := replayCLI(t, "--no-durations", "--junit", junit, "--coverage", cov, "--min-coverage", libraryMinCoverage, "--parallel", "4")
	if code != 0 {
		t.Fatalf("parallel: exit %d:\n%s", code, parOut)
	}
	parJU, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	serialOut, serialJU := serial.out, serial.junit
	if serialOut != parOut {
		t.Errorf("stdout differs:\n--- serial\n%s\n--- parallel\n%s", serialOut, parOut)
	}
	if string(serialJU) != string(parJU) {
		t.Errorf("JUnit differs:\n--- serial\n%s\n--- parallel\n%s", serialJU, parJU)
	}
	if out, code := replayCLI(t, "--parallel", "0"); code != 2 {
		t.Errorf("--parallel 0: exit %d, want 2:\n%s", code, out)
	}
}
