package sandboxroute_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// FuzzRender renders tool templates with values a client chose: it never
// panics, a refusal is a KindInvalid error, and a rendered request has a
// URL without userinfo, header values without CR, LF, NUL or DEL, and a
// value placed in a path segment or a query value that reads back as
// itself (it can't add a segment or a parameter).
func FuzzRender(f *testing.F) {
	for _, s := range []struct{ base, path, header, query, value string }{
		{"https://api.example.com/v2", "/items/{{v}}", "Bearer {{v}}", "{{v}}", "a/b c"},
		{"https://api.example.com", "/{{v}}/x", "{{ v }}", "x{{v}}y", "x&y=z#frag"},
		{"{{v}}", "/a", "", "", "https://user:pw@x.test"},
		{"https://x.test", "/{{nope}}", "{{v}}", "{{v}}", "a\r\nX-Injected: 1"},
		{"https://x.test", "/a?b={{v}}", "{{v}}", "", "\x00\x7f"},
		{"https://x.test", "/{{v}}", "{{v}}", "{{v}}", "%2F..%2F?"},
		{"https://x.test", "/{{v}}", "{{v}}", "{{v}}", "{{v}}"},
		{"http://[::1]:80", "/{{tenant}}/{{config}}", "{{integration}}", "{{unset}}", "é\xff"},
	} {
		f.Add(s.base, s.path, s.header, s.query, s.value)
	}
	f.Fuzz(func(t *testing.T, base, path, header, query, value string) {
		values := sandboxroute.Values{
			Run:      map[string]any{"v": value},
			Config:   map[string]any{"base": "https://api.example.com"},
			Builtins: map[string]string{"tenant": "acme", "integration": "crm", "config": "c1"},
			Declared: map[string]bool{"unset": true},
		}
		tool := sandboxroute.Template{HTTPMethod: "POST", URL: base + path,
			Headers: map[string]string{"X-V": header}, QueryParameters: map[string]string{"q": query}, Body: &value}
		got, err := sandboxroute.Render(tool, values)
		if err != nil {
			var se *core.Error
			if !errors.As(err, &se) || se.Kind != core.KindInvalid || len(se.Fields) == 0 {
				t.Fatalf("Render = %v, want a KindInvalid error naming fields", err)
			}
		} else {
			if u, err := url.Parse(got.URL); err == nil && u.User != nil {
				t.Fatalf("rendered URL %q carries userinfo", got.URL)
			}
			for k, h := range got.Headers {
				if strings.ContainsAny(h, "\r\n\x00\x7f") {
					t.Fatalf("header %s = %q", k, h)
				}
			}
		}

		// A value in a path segment and in a query value stays one value.
		fixed := sandboxroute.Template{HTTPMethod: "GET", URL: "https://x.test/a/{{v}}/b?q={{v}}"}
		got, err = sandboxroute.Render(fixed, values)
		if err != nil {
			t.Fatalf("Render(fixed): %v", err)
		}
		u, err := url.Parse(got.URL)
		if err != nil {
			t.Fatalf("rendered URL %q: %v", got.URL, err)
		}
		segs := strings.Split(u.EscapedPath(), "/")
		if len(segs) != 4 || segs[1] != "a" || segs[3] != "b" {
			t.Fatalf("value %q: rendered path %q", value, u.EscapedPath())
		}
		if seg, err := url.PathUnescape(segs[2]); err != nil || seg != value {
			t.Fatalf("value %q: path segment %q reads back %q (%v)", value, segs[2], seg, err)
		}
		if q := u.Query(); len(q) != 1 || len(q["q"]) != 1 || q.Get("q") != value {
			t.Fatalf("value %q: query %q reads back %v", value, u.RawQuery, q)
		}
	})
}
