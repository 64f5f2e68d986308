package ui_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/ui"
)

// TestWrite checks the page's headers and that every script and style
// carries this response's nonce, which differs per response.
func TestWrite(t *testing.T) {
	nonces := map[string]bool{}
	for i := 0; i < 2; i++ {
		rec := httptest.NewRecorder()
		ui.Write(rec)
		res := rec.Result()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Fatalf("content type %q", ct)
		}
		csp := res.Header.Get("Content-Security-Policy")
		m := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]{22})'`).FindStringSubmatch(csp)
		if m == nil {
			t.Fatalf("CSP has no script nonce: %q", csp)
		}
		nonce := m[1]
		nonces[nonce] = true
		for _, want := range []string{"default-src 'none'", "style-src 'nonce-" + nonce + "'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
			t.Errorf("CSP %q allows more than the page's own code", csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("headers %v", res.Header)
		}
		body := rec.Body.String()
		tags := regexp.MustCompile(`<(script|style)[^>]*>`).FindAllString(body, -1)
		if len(tags) != 2 {
			t.Fatalf("want one script and one style tag, got %q", tags)
		}
		for _, tag := range tags {
			if !strings.Contains(tag, `nonce="`+nonce+`"`) {
				t.Errorf("%s lacks the response's nonce %s", tag, nonce)
			}
		}
		if strings.Contains(body, "{{") || regexp.MustCompile(`(?i)(src|href)="https?:`).MatchString(body) {
			t.Errorf("page has an unfilled mark or loads from elsewhere")
		}
		if regexp.MustCompile(`\son[a-z]+="`).MatchString(body) {
			t.Errorf("page has an inline event handler, which the CSP would block")
		}
	}
	if len(nonces) != 2 {
		t.Fatal("two responses shared a nonce")
	}
}
