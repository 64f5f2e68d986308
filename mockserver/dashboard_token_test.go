package mockserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest/chromium"
)

// TestDashboardAsksForControlToken runs the mock with --control-token:
// the page itself loads without it, then asks for the token on the first
// 401, and sends it on every later call.
func TestDashboardAsksForControlToken(t *testing.T) {
	path := chromium.Path()
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM): the dashboard browser test needs one")
	}
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t), ControlToken: "T0ken"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b := chromium.Start(t, path)
	var created struct {
		TargetID string `json:"targetId"`
	}
	b.Must(ctx, "", "Target.createTarget", map[string]any{"url": c.M.URL + "/_mock/ui"}, &created)
	page := b.Attach(ctx, created.TargetID)
	waitFor := func(what, expr string) {
		t.Helper()
		chromium.Poll(ctx, t, what, func() bool { var ok bool; return b.Eval(ctx, page, "!!("+expr+")", &ok) == nil && ok })
	}
	waitFor("the token form", `!document.querySelector("#auth").hidden && document.querySelector("#flash").textContent.includes("401")`)
	c.In(t).Must(200, "GET", demo+"/integrations", "")
	// Every answer now reaches the page 700 ms late, and the token goes in
	// while a poll sent without it is still on its way: its late 401 must
	// not ask for the token again, nor stop the list with the token.
	if err := b.Eval(ctx, page, `window.inFlight = 0; var send = window.fetch;
		window.fetch = function () { window.inFlight++; return send.apply(this, arguments).then(function (r) {
			return new Promise(function (done) { setTimeout(function () { window.inFlight--; done(r); }, 700); }); }); }; true`, nil); err != nil {
		t.Fatal(err)
	}
	waitFor("a poll without the token in flight", `window.inFlight > 0`)
	if err := b.Eval(ctx, page, `document.querySelector("#auth-token").value = "T0ken"; document.querySelector("#auth").requestSubmit(); true`, nil); err != nil {
		t.Fatal(err)
	}
	waitFor("traffic with the token", `document.querySelector('#traffic-rows tr[data-status="200"]') && document.querySelector("#auth").hidden`)
	// One poll at a time: entries that arrive now show once each.
	for i := 0; i < 3; i++ {
		c.In(t).Must(200, "GET", demo+"/integrations", "")
	}
	waitFor("the later traffic", `document.querySelectorAll('#traffic-rows tr[data-status="200"]').length >= 4`)
	time.Sleep(2 * time.Second) // a second loop, if any, lands its copies
	var ids []string
	b.Eval(ctx, page, `Array.from(document.querySelectorAll("#traffic-rows tr")).map(function (r) { return r.dataset.id; })`, &ids)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("entry %s listed twice: %v", id, ids)
		}
		seen[id] = true
	}
	var stored string
	b.Eval(ctx, page, `sessionStorage.getItem("fruxon-mock-control-token")`, &stored)
	if stored != "T0ken" {
		t.Fatalf("sessionStorage holds %q", stored)
	}
}
