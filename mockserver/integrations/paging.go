package integrations

import (
	"iter"
	"net/http"
	"strconv"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// The room's lists take the paging names the reference documents for the
// tools list (Paging.PageSize, Paging.PageToken.Skip,
// Paging.PageToken.Cursor) and answer {items, nextPageToken, totalCount}.

// Paging is a list request's paging: Size (below 1 the default, above 100
// served as 100: the reference shows no limit to refuse), Skip (matching
// items to pass over, ignored with a Cursor) and Cursor (a nextPageToken).
type Paging struct {
	Size   int
	Skip   int
	Cursor string
}

// PagingOf reads a request's Paging.* query parameters; the validator has
// already refused values that are not integers.
func PagingOf(r *http.Request) Paging {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("Paging.PageSize"))
	skip, _ := strconv.Atoi(q.Get("Paging.PageToken.Skip"))
	return Paging{Size: size, Skip: skip, Cursor: q.Get("Paging.PageToken.Cursor")}
}

// List is one page of a list, with the count of every matching item.
type List[T any] struct {
	Items         []T     `json:"items"`
	NextPageToken *string `json:"nextPageToken"`
	TotalCount    int     `json:"totalCount"`
}

// pager turns Paging into a core.Pager for the query named by parts.
func (pg Paging) pager(op string, parts ...string) (core.Pager, error) {
	size := min(max(pg.Size, 0), core.MaxPageSize)
	p, err := core.NewPager(op, size, pg.Cursor, parts...)
	if err != nil {
		return p, core.Invalid(op, "Paging.PageToken.Cursor", "is not a page token this server issued for this query")
	}
	return p, nil
}

// listPage fills a page from items (already started after the cursor) and
// counts every item of all that keep accepts.
func listPage[R, T any](pg Paging, p core.Pager, all []R, items iter.Seq[R], keep func(R) bool, key func(R) string, view func(R) T) List[T] {
	total := 0
	for _, r := range all {
		if keep == nil || keep(r) {
			total++
		}
	}
	k := keep
	if _, cont := p.After(); !cont && pg.Skip > 0 {
		skipped := 0
		k = func(r R) bool {
			if keep != nil && !keep(r) {
				return false
			}
			if skipped < pg.Skip {
				skipped++
				return false
			}
			return true
		}
	}
	page := core.Collect(p, items, k, key, view)
	return List[T]{Items: page.Items, NextPageToken: page.NextPageToken, TotalCount: total}
}
