package core

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"iter"
	"strings"
)

// Page is one page of a list. NextPageToken is nil on the last page.
type Page[T any] struct {
	Items         []T     `json:"items"`
	NextPageToken *string `json:"nextPageToken"`
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 100
)

// Pager is a decoded page request. A page token is the base64 of a
// fingerprint of the query it belongs to and the sort key of the last item
// returned, so it survives inserts and deletes between pages and cannot be
// replayed against another query.
type Pager struct {
	size     int
	fp       string
	after    string // sort key of the previous page's last item
	hasAfter bool
}

// NewPager validates pageSize and pageToken for a query identified by
// fingerprint parts.
func NewPager(op string, pageSize int, pageToken string, query ...string) (Pager, error) {
	p := Pager{size: pageSize, fp: fingerprint(query)}
	switch {
	case pageSize == 0:
		p.size = DefaultPageSize
	case pageSize < 0:
		return p, Invalid(op, "pageSize", "must be at least 1")
	case pageSize > MaxPageSize:
		return p, Invalid(op, "pageSize", "must be at most %d", MaxPageSize)
	}
	if pageToken == "" {
		return p, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(pageToken)
	fp, after, ok := strings.Cut(string(raw), "\x00")
	if err != nil || !ok {
		return p, Invalid(op, "pageToken", "is not a valid page token")
	}
	if fp != p.fp {
		return p, Invalid(op, "pageToken", "was issued for a different query")
	}
	p.after, p.hasAfter = after, true
	return p, nil
}

// After is the sort key of the previous page's last item, and whether the
// request continues a previous page at all.
func (p Pager) After() (string, bool) { return p.after, p.hasAfter }

func fingerprint(query []string) string {
	sum := sha256.Sum256([]byte(strings.Join(query, "\x00")))
	return hex.EncodeToString(sum[:6])
}

func (p Pager) token(lastKey string) *string {
	t := base64.RawURLEncoding.EncodeToString([]byte(p.fp + "\x00" + lastKey))
	return &t
}

// Collect fills a page from items, which yields records in list order
// starting after the token's position, keeping those that pass keep (nil:
// all).
func Collect[R, T any](p Pager, items iter.Seq[R], keep func(R) bool, key func(R) string, view func(R) T) Page[T] {
	page := Page[T]{Items: []T{}}
	var last R
	for r := range items {
		if keep != nil && !keep(r) {
			continue
		}
		if len(page.Items) == p.size {
			page.NextPageToken = p.token(key(last))
			break
		}
		page.Items = append(page.Items, view(r))
		last = r
	}
	return page
}

// Ascending yields s[from:] in order.
func Ascending[R any](s []R, from int) iter.Seq[R] {
	return func(yield func(R) bool) {
		for i := from; i < len(s); i++ {
			if !yield(s[i]) {
				return
			}
		}
	}
}

// Descending yields s[:to] from the end.
func Descending[R any](s []R, to int) iter.Seq[R] {
	return func(yield func(R) bool) {
		for i := min(to, len(s)) - 1; i >= 0; i-- {
			if !yield(s[i]) {
				return
			}
		}
	}
}

// StartAfter is where an ascending page starts in s, sorted by key.
func StartAfter[R any](p Pager, s []R, key func(R) string) int {
	if !p.hasAfter {
		return 0
	}
	i, found := SearchSorted(s, key, p.after)
	if found {
		i++
	}
	return i
}
