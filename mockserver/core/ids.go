package core

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// idPattern is the rule for ids a client may choose (integrations, tools).
var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// maxSlugLen bounds ids derived from display names.
const maxSlugLen = 64

// NewUUID returns a random (version 4) UUID in its canonical form.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// CheckID enforces the id pattern, reporting at path.
func CheckID(f Findings, path, id string) {
	if id == "" {
		f.Add(path, "is required")
	} else if !idPattern.MatchString(id) {
		f.Add(path, "must contain only letters, digits, underscores and hyphens")
	}
}

// slugify lowercases s, turns each run of characters outside [a-z0-9] into
// one "-", trims dashes at both ends and cuts the result to max bytes.
func slugify(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > max {
		out = strings.TrimRight(out[:max], "-")
	}
	return out
}

// DeriveID picks an id for a resource created without one: the slug of its
// display name, suffixed -2, -3, … until taken reports it free; or, when the
// name has no slug, prefix-<8 characters of a fresh id>.
func DeriveID(displayName *string, prefix string, newID func() string, taken func(string) bool) string {
	if displayName != nil {
		if base := slugify(*displayName, maxSlugLen); base != "" {
			id := base
			for n := 2; taken(id); n++ {
				suffix := fmt.Sprintf("-%d", n)
				cut := min(len(base), maxSlugLen-len(suffix))
				id = strings.TrimRight(base[:cut], "-") + suffix
			}
			return id
		}
	}
	for attempt := 0; ; attempt++ {
		src := newID()
		if attempt >= 3 { // a deterministic NewID must not loop forever
			src = NewUUID()
		}
		if id := prefix + "-" + shortID(src); !taken(id) {
			return id
		}
	}
}

// shortID keeps the first 8 lowercase alphanumerics of id.
func shortID(id string) string {
	s := slugify(strings.ReplaceAll(id, "-", ""), 8)
	if s == "" {
		s = strings.ReplaceAll(NewUUID(), "-", "")[:8]
	}
	return s
}
