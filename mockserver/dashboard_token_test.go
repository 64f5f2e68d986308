package mockserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestDashboardAsksForControlToken runs the mock with --control-token:
// the page itself loads without it, then asks for the token on the first
// 401, and sends it on every later call.
func TestDashboardAsksForControlToken(t *testing.T) {
	path := chromiumPath()
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM): the dashboard browser test needs one")
	}
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t), ControlToken: "T0ken"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b := startBrowser(t, path)
	var created struct {
		TargetID string `json:"targetId"`
	}
	b.must(ctx, "", "Target.createTarget", map[string]any{"url": c.m.URL + "/_mock/ui"}, &created)
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
	waitFor("traffic with the token", `document.querySelector('#traffic-rows tr[data-status="200"]') && document.querySelector("#auth").hidden`)
	var stored string
	b.eval(ctx, page, `sessionStorage.getItem("fruxon-mock-control-token")`, &stored)
	if stored != "T0ken" {
		t.Fatalf("sessionStorage holds %q", stored)
	}
}
