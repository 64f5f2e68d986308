package core

import (
	"slices"
	"unicode/utf8"
)

// Text limits of the API (the reference page for create integration),
// which every resource with a display name and a description shares.
const (
	maxDisplayName = 100
	maxDescription = 500
)

// CheckText enforces the display name and description limits; findings go
// under prefix.
func CheckText(f Findings, prefix string, displayName, description *string) {
	if displayName != nil && utf8.RuneCountInString(*displayName) > maxDisplayName {
		f.Add(Join(prefix, "displayName"), "must be at most %d characters", maxDisplayName)
	}
	if description != nil && utf8.RuneCountInString(*description) > maxDescription {
		f.Add(Join(prefix, "description"), "must be at most %d characters", maxDescription)
	}
}

// DefaultEnum replaces an empty enum value with def and reports a value
// outside allowed.
func DefaultEnum[S ~string](f Findings, path string, v, def S, allowed []S) S {
	if v == "" {
		return def
	}
	if !slices.Contains(allowed, v) {
		f.Add(path, "%s", OneOf(allowed...))
	}
	return v
}
