// Package ui is the browser dashboard served at /_mock/ui: one HTML page
// with its stylesheet and script inlined, all embedded in the binary. The
// page holds no data; its script reads the control plane from the same
// origin.
package ui

import (
	"crypto/rand"
	"embed"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
)

//go:embed assets/index.html assets/app.css assets/app.js
var assets embed.FS

// nonceMark is where each response's nonce goes in the page.
const nonceMark = "{{nonce}}"

// page is index.html with the stylesheet and script inlined, split at the
// nonce marks, so serving it is a few appends.
var page = mustBuild()

func mustBuild() []string {
	read := func(name string) string {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			panic(err) // embedded at build time: cannot fail
		}
		return string(b)
	}
	html := read("index.html")
	html = strings.Replace(html, "{{style}}", read("app.css"), 1)
	html = strings.Replace(html, "{{script}}", read("app.js"), 1)
	return strings.Split(html, nonceMark)
}

// NewNonce returns 128 random bits, base64url (no character that needs
// escaping in an attribute or a header).
func NewNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Page renders the dashboard with nonce on its style and script.
func Page(nonce string) []byte {
	return []byte(strings.Join(page, nonce))
}

// CSP is the page's Content Security Policy: only its own nonced style and
// script run, it may only call its own origin, and nothing may frame it.
func CSP(nonce string) string {
	return "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce +
		"'; connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
}

// Write answers with the page under a fresh nonce.
func Write(w http.ResponseWriter) {
	nonce := NewNonce()
	body := Page(nonce)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Content-Security-Policy", CSP(nonce))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
