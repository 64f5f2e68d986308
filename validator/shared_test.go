package validator

import (
	"sync"
	"testing"
)

// eagerValidators holds one validator per embedded spec, built once per
// test process by New (every check, every schema compiled up front) with
// no response cache, so each comparison runs the whole verification. The
// differential tests, the fuzz seeds and the lazy-versus-eager checks read
// it; none of them changes it. New is most of these tests' cost (seconds
// per spec under -race), and each used to build its own.
//
// The heavy tests (the differential ones, the concurrent first use, the
// compile checks) call t.Parallel: validator's is the last test binary a
// go test ./... runs, alone at the end, and one test at a time it left a
// core of two idle. They share the validators read-only.
var eagerValidators sync.Map // spec name → func() (*Validator, error)

// eagerValidator returns the shared validator of embeddedSpecs[name].
func eagerValidator(t testing.TB, name string) *Validator {
	t.Helper()
	spec, ok := embeddedSpecs[name]
	if !ok {
		t.Fatalf("no embedded spec %q", name)
	}
	f, _ := eagerValidators.LoadOrStore(name, sync.OnceValues(func() (*Validator, error) {
		return New(spec, WithResponseCache(0))
	}))
	v, err := f.(func() (*Validator, error))()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}
