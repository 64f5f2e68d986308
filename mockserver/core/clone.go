package core

import "slices"

// Stores copy what they are given and what they hand out, so nothing a
// caller holds aliases their memory; these are the generic pieces.

// ClonePtr copies *p into a new pointer; nil stays nil.
func ClonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Deref returns *p, or the zero value for nil.
func Deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// CloneSlice copies a slice of plain values, keeping nil as nil.
func CloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return slices.Clone(s)
}
