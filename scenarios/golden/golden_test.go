package golden_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios/golden"
)

func TestDiff(t *testing.T) {
	for _, tc := range []struct{ want, got, diff string }{
		{"a\nb\nc\n", "a\nB\nc\nd\n", "  a\n- b\n+ B\n  c\n+ d\n"},
		{"", "x\n", "+ x\n"},
		{"x\ny\n", "y\n", "- x\n  y\n"},
		{"same\n", "same\n", "  same\n"},
	} {
		if got := golden.Diff(tc.want, tc.got); got != tc.diff {
			t.Errorf("Diff(%q, %q):\n%s\nwant:\n%s", tc.want, tc.got, got, tc.diff)
		}
	}
}

// recorder is a testing.TB that keeps what the check reports.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// check runs golden.Check on its own goroutine, which a Fatalf ends.
func check(r *recorder, path string, got []byte, update bool) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		golden.Check(r, path, got, update)
	}()
	<-done
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "out.golden")
	r := &recorder{TB: t}
	check(r, path, []byte("one\ntwo\n"), false)
	if !r.failed || !strings.Contains(r.msg, "-update writes it") {
		t.Errorf("a missing file: failed %v, %q", r.failed, r.msg)
	}
	r = &recorder{TB: t}
	check(r, path, []byte("one\ntwo\n"), true)
	if b, err := os.ReadFile(path); r.failed || err != nil || string(b) != "one\ntwo\n" {
		t.Fatalf("-update: failed %v (%s), file %q %v", r.failed, r.msg, b, err)
	}
	check(r, path, []byte("one\ntwo\n"), false)
	if r.failed {
		t.Errorf("the same bytes: %s", r.msg)
	}
	check(r, path, []byte("one\n2\n"), false)
	if !r.failed || !strings.Contains(r.msg, "  one\n- two\n+ 2\n") {
		t.Errorf("a difference: failed %v, %q", r.failed, r.msg)
	}
}
