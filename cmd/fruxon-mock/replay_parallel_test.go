package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReplayParallelMatchesSerial runs the built-in library serially and
// with --parallel 4 against in-process mocks: stdout and the JUnit file
// must be byte for byte the same (each scenario in its own session keeps
// concurrent scenarios from seeing each other's writes).
func TestReplayParallelMatchesSerial(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, args ...string) (string, []byte) {
		junit := filepath.Join(dir, name+".xml")
		out, code := replayCLI(t, append([]string{"--no-durations", "--junit", junit}, args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d:\n%s", name, code, out)
		}
		b, err := os.ReadFile(junit)
		if err != nil {
			t.Fatal(err)
		}
		return out, b
	}
	serialOut, serialJU := run("serial")
	parOut, parJU := run("parallel", "--parallel", "4")
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
