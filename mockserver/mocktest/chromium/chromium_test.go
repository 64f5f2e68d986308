package chromium_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest/chromium"
)

// need returns the Chromium binary, or skips the test saying why.
func need(t *testing.T) string {
	t.Helper()
	path := chromium.Path()
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM)")
	}
	return path
}

// newPage opens a page at u and attaches to it.
func newPage(ctx context.Context, b *chromium.Browser, u string) (targetID, session string) {
	var created struct {
		TargetID string `json:"targetId"`
	}
	b.Must(ctx, "", "Target.createTarget", map[string]any{"url": u}, &created)
	return created.TargetID, b.Attach(ctx, created.TargetID)
}

// TestBrowserEval evaluates expressions in a data: page: a value, a
// promise, the page's own DOM, a user gesture; a thrown exception and a
// rejected promise are errors naming the exception, and so is a method
// the protocol lacks.
func TestBrowserEval(t *testing.T) {
	b := chromium.Start(t, need(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, page := newPage(ctx, b, "data:text/html,"+url.PathEscape(`<title>t</title><p id="x">hello</p>`))
	// The new target shows about:blank first: wait for the data: page
	// itself, or an eval may land in the blank one as it goes away.
	chromium.Poll(ctx, t, "the page", func() bool {
		var ready bool
		return b.Eval(ctx, page, `document.readyState === "complete" && !!document.querySelector("#x")`, &ready) == nil && ready
	})

	var n int
	if err := b.Eval(ctx, page, "1+1", &n); err != nil || n != 2 {
		t.Errorf("1+1 = %d, %v", n, err)
	}
	var s string
	if err := b.Eval(ctx, page, `new Promise(r => setTimeout(() => r("later"), 10))`, &s); err != nil || s != "later" {
		t.Errorf("a promise gave %q, %v; want it awaited", s, err)
	}
	if err := b.Eval(ctx, page, `document.querySelector("#x").textContent`, &s); err != nil || s != "hello" {
		t.Errorf("the page's text: %q, %v", s, err)
	}
	var active bool
	if err := b.Eval(ctx, page, "navigator.userActivation.isActive", &active); err != nil || !active {
		t.Errorf("userActivation.isActive = %v, %v; want the expression run as a user gesture", active, err)
	}
	var untouched = 7
	if err := b.Eval(ctx, page, "undefined", &untouched); err != nil || untouched != 7 {
		t.Errorf("undefined: %v, out became %d", err, untouched)
	}
	for _, tt := range []struct{ expr, want string }{
		{`(function () { throw new Error("boom-17") })()`, "Error: boom-17"},
		{`Promise.reject(new TypeError("late-23"))`, "TypeError: late-23"},
		{`nosuchname`, "ReferenceError: nosuchname is not defined"},
	} {
		err := b.Eval(ctx, page, tt.expr, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.expr) {
			t.Errorf("%s: error %v, want one naming the expression and %q", tt.expr, err, tt.want)
		}
	}
	if err := b.Call(ctx, page, "Nope.nothing", nil, nil); err == nil || !strings.HasPrefix(err.Error(), "Nope.nothing: ") {
		t.Errorf("an unknown method: %v, want an error naming it", err)
	}
	if err := b.Call(ctx, "no-such-session", "Runtime.evaluate", map[string]any{"expression": "1"}, nil); err == nil {
		t.Error("a call to a session that does not exist succeeded")
	}
}

// TestBrowserEventsAndSubtests: a page's events are kept until taken, and a
// subtest drives the same browser through In.
func TestBrowserEventsAndSubtests(t *testing.T) {
	b := chromium.Start(t, need(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, page := newPage(ctx, b, "about:blank")
	b.Must(ctx, page, "Page.enable", nil, nil)
	b.TakeEvents()
	t.Run("navigate", func(t *testing.T) {
		b := b.In(t)
		b.Must(ctx, page, "Page.navigate", map[string]any{"url": "data:text/html,<title>second</title>"}, nil)
		var loaded bool
		chromium.Poll(ctx, t, "Page.loadEventFired", func() bool {
			for _, ev := range b.TakeEvents() {
				if ev.Method == "Page.loadEventFired" && ev.SessionID == page && ev.ID == 0 {
					loaded = true
				}
			}
			return loaded
		})
	})
	if len(b.TakeEvents()) != 0 {
		t.Error("TakeEvents returned events already taken")
	}
}

// TestBrowserStartSkipsWithoutBinary: a binary that is not there skips
// the test instead of failing it; $CHROMIUM wins over $PATH.
func TestBrowserStartSkipsWithoutBinary(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-chromium")
	var inner *testing.T
	ok := t.Run("start", func(t *testing.T) {
		inner = t
		chromium.Start(t, missing)
		t.Error("Start returned with no binary")
	})
	if !ok || !inner.Skipped() {
		t.Fatalf("Start with no binary: passed %v, skipped %v; want a skip", ok, inner.Skipped())
	}
	t.Setenv("CHROMIUM", missing)
	if got := chromium.Path(); got != missing {
		t.Errorf("Path() = %q with CHROMIUM=%q", got, missing)
	}
}

// TestBrowserAgainstTheMock is the package example: the dashboard of a
// mock from mocktest, loaded in the browser, lists a request the test
// makes.
func TestBrowserAgainstTheMock(t *testing.T) {
	path := need(t)
	m := mocktest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := chromium.Start(t, path)
	_, page := newPage(ctx, b, m.URL+"/_mock/ui")
	chromium.Poll(ctx, t, "the traffic list", func() bool {
		var ok bool
		return b.Eval(ctx, page, `!!document.querySelector("#traffic-rows")`, &ok) == nil && ok
	})
	req, _ := http.NewRequest("GET", m.URL+"/v1/tenants/acme/integrations", nil)
	req.Header.Set("Authorization", "Bearer dev")
	resp, err := m.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	chromium.Poll(ctx, t, "the request in the list", func() bool {
		var ok bool
		return b.Eval(ctx, page, `[...document.querySelectorAll('#traffic-rows tr[data-status="200"]')].some(r => r.textContent.includes("/v1/tenants/acme/integrations"))`, &ok) == nil && ok
	})
}
