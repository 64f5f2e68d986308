package core

import (
	"strconv"
	"strings"
	"sync/atomic"
)

// ETags: every integration, config and tool carries a version that takes
// a fresh number from its sandbox's one counter (shared by every room) on
// each change, so an ETag is never reused for different content, not even
// after delete and re-create. ifMatch arguments follow RFC 9110: "" skips
// the check, "*" only requires the resource to exist, otherwise one of the
// listed tags must equal the current one, else the call fails with
// KindConflict.

// Versions is a sandbox's version counter; the zero value starts at 0. It
// is safe for concurrent use.
type Versions struct {
	n atomic.Uint64
}

// Next returns a fresh version number.
func (v *Versions) Next() uint64 { return v.n.Add(1) }

// Observe moves the counter past n, so no later Next returns a version a
// restored record already carries.
func (v *Versions) Observe(n uint64) {
	for {
		cur := v.n.Load()
		if n <= cur || v.n.CompareAndSwap(cur, n) {
			return
		}
	}
}

// Fill gives *version a fresh number when it is 0 (a hand-written document
// may omit versions).
func (v *Versions) Fill(version *uint64) {
	if *version == 0 {
		*version = v.Next()
	}
}

// ETag is the strong ETag of a version, e.g. `"42"`.
func ETag(version uint64) string { return `"` + strconv.FormatUint(version, 10) + `"` }

// CheckIfMatch applies an If-Match header value to a resource that exists
// with ETag current.
func CheckIfMatch(op, ifMatch, current string) error {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" || ifMatch == "*" {
		return nil
	}
	for tag := range strings.SplitSeq(ifMatch, ",") {
		if strings.TrimSpace(tag) == current {
			return nil
		}
	}
	return Errorf(KindConflict, op, "the resource changed since it was read (If-Match %s does not match current ETag %s)", ifMatch, current)
}
