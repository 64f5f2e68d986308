package core

import (
	"errors"
	"strings"
	"testing"
)

// FuzzPageToken feeds page requests (a size and a token a client made up
// or altered) to the pager: it never panics, a refusal is a 400 naming
// pageSize or pageToken, a token it accepts belongs to the query it is
// used with, and a page read from it holds only items after its position.
func FuzzPageToken(f *testing.F) {
	keys := []string{"", "a", "acme-crm", "cfg-1", "zz", "\x00", "é", "a\x00b"}
	for _, k := range keys {
		p := Pager{fp: fingerprint([]string{"acme", "crm"})}
		f.Add(*p.token(k), 2, k)
		other := Pager{fp: fingerprint([]string{"other"})}
		f.Add(*other.token(k), 0, k)
	}
	for _, tok := range []string{"", "!", "AA", "====", "YQ", "YWJj", strings.Repeat("A", 300)} {
		f.Add(tok, 50, "")
		f.Add(tok, -1, "x")
		f.Add(tok, 101, "y")
	}
	items := []string{"a", "acme-crm", "b", "cfg-1", "cfg-2", "m", "z", "zz"}
	f.Fuzz(func(t *testing.T, token string, size int, key string) {
		query := []string{"acme", "crm"}
		p, err := NewPager("ListThings", size, token, query...)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || se.Kind != KindInvalid {
				t.Fatalf("NewPager(%d, %q) = %v, want a KindInvalid error", size, token, err)
			}
			if se.Fields["pageSize"] == nil && se.Fields["pageToken"] == nil {
				t.Fatalf("NewPager(%d, %q): fields %v name neither pageSize nor pageToken", size, token, se.Fields)
			}
		} else {
			if p.size < 1 || p.size > MaxPageSize {
				t.Fatalf("NewPager(%d, %q): accepted page size %d", size, token, p.size)
			}
			if token != "" && (!p.hasAfter || p.fp != fingerprint(query)) {
				t.Fatalf("NewPager(%q) accepted a token of another query (fp %q)", token, p.fp)
			}
			page := Collect(p, Ascending(items, StartAfter(p, items, id)), nil, id, id)
			if len(page.Items) > p.size {
				t.Fatalf("page of %d items, size %d", len(page.Items), p.size)
			}
			for _, it := range page.Items {
				if p.hasAfter && it <= p.after {
					t.Fatalf("token after %q yielded %q", p.after, it)
				}
			}
			if page.NextPageToken != nil {
				next, err := NewPager("ListThings", size, *page.NextPageToken, query...)
				if err != nil || next.after != page.Items[len(page.Items)-1] {
					t.Fatalf("next token %q: %v, after %q", *page.NextPageToken, err, next.after)
				}
			}
		}
		// Any sort key round-trips through a token of this query, and the
		// token is refused by another query.
		tok := *Pager{fp: fingerprint(query)}.token(key)
		back, err := NewPager("ListThings", 1, tok, query...)
		if err != nil || !back.hasAfter || back.after != key {
			t.Fatalf("token for key %q: %v, after %q", key, err, back.after)
		}
		if _, err := NewPager("ListThings", 1, tok, "other"); err == nil {
			t.Fatalf("token for key %q accepted by another query", key)
		}
	})
}

func id(s string) string { return s }
