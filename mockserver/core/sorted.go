package core

import (
	"slices"
	"strings"
)

// Records kept in slices sorted by a string key: cheaper than a map at the
// sizes a resource's children have, and already in list order.

// SearchSorted finds k in s, sorted by key.
func SearchSorted[R any](s []R, key func(R) string, k string) (int, bool) {
	return slices.BinarySearchFunc(s, k, func(r R, k string) int { return strings.Compare(key(r), k) })
}

// InsertSorted inserts r into s, sorted by key.
func InsertSorted[R any](s []R, r R, key func(R) string) []R {
	i, _ := SearchSorted(s, key, key(r))
	return slices.Insert(s, i, r)
}

// RemoveSorted removes the element with key k from s, sorted by key.
func RemoveSorted[R any](s []R, key func(R) string, k string) []R {
	if i, ok := SearchSorted(s, key, k); ok {
		return slices.Delete(s, i, i+1)
	}
	return s
}
