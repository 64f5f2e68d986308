package mockserver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestDashboardAsksForControlToken puts the dashboard behind a guard that
// wants "Authorization: Bearer T" on every /_mock call but the page (as a
// --control-token would): the page must ask for the token, then send it
// on every call, and never before it is given.
func TestDashboardAsksForControlToken(t *testing.T) {
	path := chromiumPath()
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM): the dashboard browser test needs one")
	}
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	target, _ := url.Parse(c.m.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	guard := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_mock/") && r.URL.Path != "/_mock/ui" && r.Header.Get("Authorization") != "Bearer T0ken" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(guard.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b := startBrowser(t, path)
	var created struct {
		TargetID string `json:"targetId"`
	}
	b.must(ctx, "", "Target.createTarget", map[string]any{"url": guard.URL + "/_mock/ui"}, &created)
	page := b.attach(ctx, created.TargetID)
	waitFor := func(what, expr string) {
		t.Helper()
		poll(ctx, t, what, func() bool { var ok bool; return b.eval(ctx, page, "!!("+expr+")", &ok) == nil && ok })
	}
	waitFor("the token form", `!document.querySelector("#auth").hidden && document.querySelector("#flash").textContent.includes("401")`)
	c.in(t).must(200, "GET", demo+"/integrations", "")
	if err := b.eval(ctx, page, `document.querySelector("#auth-token").value = "T0ken"; document.querySelector("#auth").requestSubmit(); true`, nil); err != nil {
		t.Fatal(err)
	}
	waitFor("traffic through the guard", `document.querySelector('#traffic-rows tr[data-status="200"]') && document.querySelector("#auth").hidden`)
	var stored string
	b.eval(ctx, page, `sessionStorage.getItem("fruxon-mock-control-token")`, &stored)
	if stored != "T0ken" {
		t.Fatalf("sessionStorage holds %q", stored)
	}
}
