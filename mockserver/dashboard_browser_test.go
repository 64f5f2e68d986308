package mockserver_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest/chromium"
)

// cspWatch runs before the page's own script (DevTools scripts are exempt
// from the page's CSP) and records every violation the page reports.
const cspWatch = `window.__csp = []; document.addEventListener("securitypolicyviolation",
  function (e) { window.__csp.push(e.violatedDirective + " " + e.blockedURI); });`

// TestDashboardInBrowser drives /_mock/ui in headless Chromium: traffic
// made by the test appears with its status, a contract-breaking request
// shows its finding, a scenario activated from the page changes the API's
// answer, and the CSP blocks a script without the nonce. It saves a
// screenshot of each view at 1280×800 (to $FRUXON_MOCK_SCREENSHOTS too,
// when set, which is how docs/dashboard.png is made).
func TestDashboardInBrowser(t *testing.T) {
	path := chromium.Path()
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM): the dashboard browser test needs one")
	}
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t), Scenarios: scenarioList(t, teapotScenario)})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := chromium.Start(t, path)
	var created struct {
		TargetID string `json:"targetId"`
	}
	b.Must(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created)
	page := b.Attach(ctx, created.TargetID)
	b.Must(ctx, page, "Page.enable", nil, nil)
	b.Must(ctx, page, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false}, nil)
	b.Must(ctx, page, "Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": cspWatch}, nil)
	b.Must(ctx, page, "Page.navigate", map[string]any{"url": c.M.URL + "/_mock/ui"}, nil)
	js := func(expr string, out any) bool { return b.Eval(ctx, page, expr, out) == nil }
	waitFor := func(t *testing.T, what, expr string) {
		t.Helper()
		chromium.Poll(ctx, t, what, func() bool { var ok bool; return js("!!("+expr+")", &ok) && ok })
	}
	shots := []string{t.TempDir()}
	if dir := os.Getenv("FRUXON_MOCK_SCREENSHOTS"); dir != "" {
		shots = append(shots, dir)
	}
	screenshot := func(t *testing.T, name string) {
		t.Helper()
		var shot struct {
			Data string `json:"data"`
		}
		b.In(t).Must(ctx, page, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
		png, err := base64.StdEncoding.DecodeString(shot.Data)
		if err != nil || len(png) < 1000 {
			t.Fatalf("screenshot %s: %d bytes, %v", name, len(png), err)
		}
		for _, dir := range shots {
			if err := os.WriteFile(filepath.Join(dir, "dashboard-"+name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	tab := func(t *testing.T, view, ready string) {
		t.Helper()
		clickButton(ctx, t, b, page, "#tab-"+view)
		waitFor(t, view+" view", ready)
		screenshot(t, view)
	}

	// Load time, from navigation start: the first load (cold browser
	// cache, nothing compiled yet) and a reload.
	for _, load := range []string{"first", "reload"} {
		if load == "reload" {
			b.Must(ctx, page, "Page.reload", map[string]any{"ignoreCache": true}, nil)
			waitFor(t, "the reload", `performance.getEntriesByType("navigation")[0].type === "reload"`)
		}
		waitFor(t, "the first traffic render", `window.dashboard && window.dashboard.firstRender > 0 && performance.getEntriesByType("navigation")[0].loadEventEnd > 0`)
		var timing struct{ DOM, Load, First float64 }
		js(`(function () { const n = performance.getEntriesByType("navigation")[0];
  return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd, first: window.dashboard.firstRender}; })()`, &timing)
		t.Logf("dashboard page, %s load: DOMContentLoaded %.0f ms, load %.0f ms, traffic listed %.0f ms after navigation start", load, timing.DOM, timing.Load, timing.First)
	}

	t.Run("traffic", func(t *testing.T) {
		b := b.In(t)
		c.In(t).Must(200, "GET", demo+"/integrations", "")
		waitFor(t, "the 200 in the list", `[...document.querySelectorAll('#traffic-rows tr[data-status="200"]')].some(r => r.textContent.includes("/v1/tenants/demo/integrations") && r.textContent.includes("listIntegrations"))`)
		c.In(t).Problem(400, "POST", demo+"/integrations", `{"displayName":"x","type":"CUSTOM","bogus":1}`)
		waitFor(t, "the 400, marked broken", `document.querySelector('#traffic-rows tr.broken[data-status="400"]')`)
		clickButton(ctx, t, b, page, `#traffic-rows tr[data-status="400"]`)
		waitFor(t, "its finding", `(function () { const f = document.querySelector("#findings"); return f && f.textContent.includes("request") && f.textContent.includes("bogus"); })()`)
		waitFor(t, "its headers and body", `(function () { const b = document.querySelector("#req-body"), h = document.querySelector("#req-headers");
  return b && b.textContent.includes('"bogus": 1') && h && h.textContent.includes("Bearer [redacted]"); })()`)
		var curl string
		js(`document.querySelector("#curl").textContent`, &curl)
		if !strings.Contains(curl, "curl -X POST '"+c.M.URL+demo+"/integrations'") || !strings.Contains(curl, "$FRUXON_TOKEN") ||
			!strings.Contains(curl, `--data-raw '{"displayName":"x","type":"CUSTOM","bogus":1}'`) {
			t.Errorf("copy as curl gives %q", curl)
		}
		screenshot(t, "traffic")
		// Keyboard: ArrowDown from the selected row selects the next one.
		js(`document.querySelector('#traffic-rows tr[aria-selected="true"]').focus()`, nil)
		b.Must(ctx, page, "Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40}, nil)
		waitFor(t, "ArrowDown to select the 200", `document.querySelector('#traffic-rows tr[aria-selected="true"]').dataset.status === "200" && document.activeElement.dataset.status === "200"`)
		// A config written with a secret: the detail and the curl show it
		// redacted.
		const secret = "sk_live_BROWSER_51aa0c"
		c.In(t).Must(200, "POST", demo+"/integrations", vaultIntegration)
		c.In(t).Must(200, "POST", demo+"/integrations/vault/configs", `{"displayName":"cfg","parameters":{"region":"eu","signingKey":"`+secret+`"},
  "auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+secret+`-k"}}}`)
		waitFor(t, "the config write", `document.querySelector('#traffic-rows tr[data-status="200"] td:nth-child(4)') && [...document.querySelectorAll('#traffic-rows tr')].some(r => r.textContent.includes("createConfig"))`)
		var order []string
		js(`[...document.querySelectorAll('#traffic-rows tr td:nth-child(4)')].slice(0, 3).map(td => td.textContent)`, &order)
		if strings.Join(order, " ") != "createConfig createIntegration createIntegration" {
			t.Errorf("the list, top down: %v; want newest first", order)
		}
		js(`document.querySelector('#traffic-rows tr').click(); true`, nil)
		waitFor(t, "its redacted body", `(function () { const b = document.querySelector("#req-body"); return b && b.textContent.includes('"signingKey": "[redacted]"'); })()`)
		var shown string
		js(`document.body.innerText + document.querySelector("#curl").textContent`, &shown)
		if strings.Contains(shown, secret) {
			t.Errorf("the page shows the secret")
		}
		screenshot(t, "detail")
		// Keyboard: Escape in the detail pane goes back to the list.
		js(`document.querySelector("#req-body").focus(); true`, nil)
		b.Must(ctx, page, "Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27}, nil)
		waitFor(t, "Escape to focus the selected row", `document.activeElement.matches('#traffic-rows tr[aria-selected="true"]') && document.activeElement.textContent.includes("createConfig")`)
	})

	// A request refused as the contract declares (a 401 for a missing
	// credential) is neutral, as the journal's finding kind says; a request
	// that fails validation stays red.
	t.Run("refused", func(t *testing.T) {
		b := b.In(t)
		c.In(t).Must(401, "GET", demo+"/integrations/stripe", "", "Authorization", "")
		waitFor(t, "the 401, refused as declared", `(function () { const r = document.querySelector('#traffic-rows tr[data-status="401"]');
  return r && r.dataset.contract === "refused" && !r.classList.contains("broken") && r.textContent.includes("refused as declared") && !r.textContent.includes("✗"); })()`)
		clickButton(ctx, t, b, page, `#traffic-rows tr[data-status="401"]`)
		waitFor(t, "its detail, refused and not broken", `(function () { const d = document.querySelector("#detail");
  return d && d.textContent.includes("401 — refused as the contract says") && !d.textContent.includes("contract broken") &&
    document.querySelector('#findings tr[data-kind="refusal"]') && !document.querySelector("#findings tr.broken"); })()`)
		waitFor(t, "the invalid 400, still broken", `document.querySelector('#traffic-rows tr[data-status="400"]').dataset.contract === "broken"`)
		screenshot(t, "refused")
	})

	t.Run("scenario", func(t *testing.T) {
		tab(t, "scenarios", `document.querySelector('tr[data-scenario="teapot"] button[data-action="activate"]')`)
		clickButton(ctx, t, b, page, `tr[data-scenario="teapot"] button[data-action="activate"]`)
		waitFor(t, "teapot shown active", `document.querySelector('tr.active[data-scenario="teapot"]') && document.querySelector('tr[data-scenario="teapot"]').textContent.includes("● active")`)
		c.In(t).Must(418, "GET", demo+"/integrations", "")
		screenshot(t, "scenarios")
		clickButton(ctx, t, b, page, `tr[data-scenario="teapot"] button[data-action="deactivate"]`)
		waitFor(t, "teapot shown inactive", `document.querySelector('tr[data-scenario="teapot"] button[data-action="activate"]')`)
		c.In(t).Must(200, "GET", demo+"/integrations", "")
	})

	t.Run("views", func(t *testing.T) {
		c.In(t).Must(200, "GET", demo+"/integrations", "", "X-Fruxon-Mock-Session", "dash-1")
		// A published config whose draft then changes: the view marks it.
		list := c.In(t).Must(200, "GET", demo+"/integrations/acme-inventory/configs", "").JSON(t)
		id := list["items"].([]any)[0].(map[string]any)["id"].(string)
		c.In(t).Must(200, "POST", demo+"/integrations/acme-inventory/configs/"+id+":publish", "")
		c.In(t).Must(200, "PATCH", demo+"/integrations/acme-inventory/configs/"+id, `{"sandboxMode":"SIMULATED"}`)
		// A webhook delivery to that config: listed under it, the key
		// only as its prefix.
		hook := c.In(t).Must(200, "POST", demo+"/integrations/acme-inventory/configs/"+id+":generateWebhookUrl", "").JSON(t)["webhookUrl"].(string)
		hookKey := hook[strings.LastIndex(hook, "/")+1:]
		c.In(t).Must(204, "POST", hook[strings.Index(hook, "/v1/"):], `{"update_id":77,"message":{"text":"from the browser test"}}`)
		tab(t, "state", `document.querySelector('[data-tenant="demo"] [data-integration]')`)
		js(`document.querySelectorAll('[data-integration="acme-inventory"], [data-config]').forEach(d => d.open = true); true`, nil)
		waitFor(t, "the draft marked as differing", `(function () { const c = document.querySelector('[data-config="`+id+`"]');
  return c.querySelector("summary").textContent.includes("published r1, draft differs") &&
    [...c.querySelectorAll("tr.changed")].some(r => r.textContent.includes("sandboxMode") && r.textContent.includes("≠")); })()`)
		waitFor(t, "tools under their integration (the tools room's section)", `[...document.querySelectorAll('[data-tenant="demo"] [data-integration] > summary')].some(s => / · [1-9][0-9]* tools$/.test(s.textContent)) &&
  document.querySelector('[data-tenant="demo"] table[aria-label="Tools"]') !== null`)
		waitFor(t, "the config's webhook delivery, loaded as it opened", `(function () { const r = document.querySelector('[data-deliveries="`+id+`"] tr[data-delivery]');
  return r && r.textContent.includes("acme-inventory") && r.textContent.includes('"update_id":77') && r.textContent.includes("`+hookKey[:8]+`…"); })()`)
		screenshot(t, "state")
		var text string
		js(`document.querySelector("#state").textContent`, &text)
		if strings.Contains(text, "enc:") {
			t.Error("the state view shows a sealed secret")
		}
		if strings.Contains(text, hookKey) {
			t.Error("the state view shows a webhook key whole")
		}
		tab(t, "coverage", `[...document.querySelectorAll('tr[data-operation="listIntegrations"] .chip.covered')].some(c => c.textContent.startsWith("200 ✓"))`)
		tab(t, "sessions", `document.querySelector('tr[data-session="dash-1"]')`)
	})

	t.Run("csp", func(t *testing.T) {
		var before []string
		js(`window.__csp`, &before)
		if len(before) != 0 {
			t.Fatalf("the page's own code broke its CSP: %v", before)
		}
		var ran bool
		js(`(function () { const s = document.createElement("script"); s.textContent = "window.__injected = true";
  document.body.append(s); return window.__injected === true; })()`, &ran)
		if ran {
			t.Fatal("a script without the nonce ran")
		}
		var after []string
		chromium.Poll(ctx, t, "the violation report", func() bool { return js(`window.__csp`, &after) && len(after) > 0 })
		if !strings.HasPrefix(after[0], "script-src") {
			t.Fatalf("violations: %v", after)
		}
	})

	// Load: about 500 requests a second (for 1s, or FRUXON_MOCK_UI_LOAD)
	// while the page polls. The newest must show up and the list stays
	// capped; how busy the page got is logged (numbers for the note).
	t.Run("load", func(t *testing.T) {
		b := b.In(t)
		clickButton(ctx, t, b, page, "#tab-traffic")
		// Probes: the longest gap between animation frames (a frame the
		// page could not paint), and between 20 ms timer ticks; read for
		// a second of idle polling first, as the baseline of this machine.
		js(`window.__reset = function () { window.__lag = 0; window.__gap = 0; window.__frames = 0; window.__long = 0; window.__last = performance.now();
    window.dashboard.maxRenderMs = 0; window.dashboard.renders = 0; };
  window.__reset(); window.__long = 0;
  new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { window.__long = Math.max(window.__long, e.duration); }); }).observe({type: "longtask"});
  window.__lagTimer = setInterval(function () { const now = performance.now(); window.__lag = Math.max(window.__lag, now - window.__last - 20); window.__last = now; }, 20);
  (function frame(prev) { requestAnimationFrame(function (now) { if (prev) window.__gap = Math.max(window.__gap, now - prev); window.__frames++; if (!window.__stop) frame(now); }); })(0); true`, nil)
		type probe struct {
			Renders, MaxRenderMs, Lag, Gap, Frames, Rows, Long float64
			Count                                              string
			Busy                                               float64 // share of wall time the page's main thread ran tasks
		}
		b.Must(ctx, page, "Performance.enable", nil, nil)
		taskTime := func() (sec float64, at time.Time) {
			var m struct {
				Metrics []struct {
					Name  string  `json:"name"`
					Value float64 `json:"value"`
				} `json:"metrics"`
			}
			b.Must(ctx, page, "Performance.getMetrics", nil, &m)
			for _, x := range m.Metrics {
				if x.Name == "TaskDuration" {
					sec = x.Value
				}
			}
			return sec, time.Now()
		}
		t0, w0 := taskTime()
		read := func() (p probe) {
			js(`({renders: window.dashboard.renders, maxRenderMs: window.dashboard.maxRenderMs, lag: window.__lag, gap: window.__gap, frames: window.__frames,
  rows: document.querySelectorAll("#traffic-rows tr").length, count: document.querySelector("#count").textContent, long: window.__long})`, &p)
			js(`window.__reset(); true`, nil)
			t1, w1 := taskTime()
			p.Busy = (t1 - t0) / w1.Sub(w0).Seconds()
			t0, w0 = t1, w1
			return p
		}
		time.Sleep(time.Second)
		idle := read()
		// The same load with the page paused: what the machine alone
		// (the load driver, the mock, other work) does to the page.
		clickButton(ctx, t, b, page, "#pause")
		loadTraffic(t, c, 500, uiLoad(t), "paused-last")
		paused := read()
		clickButton(ctx, t, b, page, "#pause")
		sent, started := loadTraffic(t, c, 500, uiLoad(t), "load-last")
		elapsed := time.Since(started)
		waitFor(t, "the last request of the load", `document.querySelector('#traffic-rows tr[data-trace="load-last"]')`)
		live := read()
		js(`window.__stop = true; clearInterval(window.__lagTimer); true`, nil)
		for _, p := range []struct {
			name string
			p    probe
		}{{"idle", idle}, {"load, page paused", paused}} {
			t.Logf("%s: %.0f frames, the longest gap between frames %.0f ms, the longest timer stall %.0f ms, the longest task %.0f ms, main thread busy %.0f%%",
				p.name, p.p.Frames, p.p.Gap, p.p.Lag, p.p.Long, 100*p.p.Busy)
		}
		page := live
		t.Logf("load: %d requests in %v (%.0f/s); the page painted %.0f batches (the slowest %.1f ms), %.0f frames, the longest gap between frames %.0f ms, the longest timer stall %.0f ms, the longest task %.0f ms, main thread busy %.0f%%; %0.f rows listed (%s)",
			sent, elapsed.Round(time.Millisecond), float64(sent)/elapsed.Seconds(), page.Renders, page.MaxRenderMs, page.Frames, page.Gap, page.Lag, page.Long, 100*page.Busy, page.Rows, page.Count)
		if page.Rows > 200 {
			t.Errorf("the list holds %.0f rows; it caps at 200", page.Rows)
		}
	})
}

// uiLoad is how long the load subtest drives traffic: 1s unless
// FRUXON_MOCK_UI_LOAD (a Go duration) says longer.
func uiLoad(t *testing.T) time.Duration {
	v := os.Getenv("FRUXON_MOCK_UI_LOAD")
	if v == "" {
		return time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("FRUXON_MOCK_UI_LOAD=%q: want a duration such as 10s", v)
	}
	return d
}

// loadTraffic sends GETs at rate per second for d from a few workers, the
// last one with trace id last, and returns how many it sent.
func loadTraffic(t *testing.T, c *client, rate int, d time.Duration, last string) (int, time.Time) {
	t.Helper()
	started := time.Now()
	jobs := make(chan string, rate)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				req, _ := http.NewRequest("GET", c.M.URL+demo+"/integrations?limit=1", nil)
				req.Header.Set("Authorization", "Bearer dev")
				req.Header.Set("X-Request-Id", id)
				resp, err := c.M.Client.Do(req)
				if err != nil || resp.StatusCode != http.StatusOK {
					mu.Lock()
					failed++
					mu.Unlock()
				}
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	tick := time.NewTicker(time.Second / time.Duration(rate))
	n := 0
	for time.Since(started) < d {
		<-tick.C
		n++
		jobs <- fmt.Sprintf("load-%d", n)
	}
	tick.Stop()
	close(jobs)
	wg.Wait()
	// The last one alone, after the others, so it is the newest entry.
	req, _ := http.NewRequest("GET", c.M.URL+demo+"/integrations?limit=1", nil)
	req.Header.Set("Authorization", "Bearer dev")
	req.Header.Set("X-Request-Id", last)
	if resp, err := c.M.Client.Do(req); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if failed > 0 {
		t.Errorf("%d of %d load requests failed", failed, n)
	}
	return n + 1, started
}
