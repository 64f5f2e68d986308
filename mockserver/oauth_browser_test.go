package mockserver_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest/chromium"
)

// appPage is the frontend under test: it starts the flow through the API
// (a CORS request), opens the popup on a click as a web app does, and
// records what the popup posts back.
const appPage = `<!doctype html><html><head><title>app</title></head><body>
<button id="connect">Connect GitHub</button>
<script>
window.result = null;
window.addEventListener("message", function (e) { window.result = {data: e.data, origin: e.origin}; });
async function connect() {
  const popup = window.open("about:blank", "fruxon-oauth", "popup,width=480,height=640");
  const resp = await fetch(%q + "/v1/tenants/demo/integrations/github:authorize", {
    method: "POST",
    headers: {"Authorization": "Bearer dev", "Content-Type": "application/json"},
    body: JSON.stringify({integrationAuthMetadataId: "oauth"}),
  });
  const body = await resp.json();
  popup.location = body.authorizationUrl;
  return resp.status;
}
</script></body></html>`

// TestOAuthPopupInBrowser runs the popup flow in headless Chromium: the
// app opens the consent page, the test clicks a button in the popup, and
// the app receives the message (then the key works in a config create).
func TestOAuthPopupInBrowser(t *testing.T) {
	path := chromium.Path()
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM): the OAuth popup browser test needs one")
	}
	started := time.Now()
	c, _ := start(t, mockserver.Config{Fixtures: demoFixtures(t)})
	m := c.M
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, appPage, m.URL)
	}))
	t.Cleanup(app.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b := chromium.Start(t, path)

	for _, tt := range []struct {
		button, wantType, wantField string
	}{
		{"approve", "fruxon-oauth-success", "oAuthCredentialKey"},
		{"deny", "fruxon-oauth-error", "error"},
	} {
		t.Run(tt.button, func(t *testing.T) {
			b := b.In(t)
			var created struct {
				TargetID string `json:"targetId"`
			}
			b.Must(ctx, "", "Target.createTarget", map[string]any{"url": app.URL}, &created)
			page := b.Attach(ctx, created.TargetID)
			chromium.Poll(ctx, t, "the app page", func() bool {
				var ready bool
				return b.Eval(ctx, page, `document.readyState === "complete" && typeof connect === "function"`, &ready) == nil && ready
			})
			var status int
			if err := b.Eval(ctx, page, "connect()", &status); err != nil || status != 200 {
				t.Fatalf("connect(): %d %v", status, err)
			}
			var popup target
			chromium.Poll(ctx, t, "the consent popup", func() bool {
				for _, tg := range targets(ctx, b) {
					if tg.Type == "page" && tg.OpenerID == created.TargetID && strings.HasPrefix(tg.URL, m.URL+"/_mock/oauth/authorize?state=") {
						popup = tg
						return true
					}
				}
				return false
			})
			ps := b.Attach(ctx, popup.TargetID)
			clickButton(ctx, t, b, ps, `button[value="`+tt.button+`"]`)

			var got struct {
				Data   map[string]string `json:"data"`
				Origin string            `json:"origin"`
			}
			chromium.Poll(ctx, t, "the popup's message", func() bool {
				return b.Eval(ctx, page, "window.result", &got) == nil && got.Data != nil
			})
			if got.Data["type"] != tt.wantType || got.Data[tt.wantField] == "" || got.Origin != m.URL {
				t.Fatalf("the app received %+v from %s", got.Data, got.Origin)
			}
			chromium.Poll(ctx, t, "the popup to close", func() bool {
				for _, tg := range targets(ctx, b) {
					if tg.TargetID == popup.TargetID {
						return false
					}
				}
				return true
			})
			if tt.button == "deny" {
				if got.Data["error"] != "access_denied" {
					t.Fatalf("deny posted %+v", got.Data)
				}
				return
			}
			cfg := c.In(t).Must(200, "POST", demo+"/integrations/github/configs",
				`{"displayName":"cfg","parameters":{"owner":"acme"},"oAuthCredentialKey":"`+got.Data["oAuthCredentialKey"]+`"}`).JSON(t)
			if cfg["hasAuth"] != true || cfg["authMethodId"] != "oauth" {
				t.Fatalf("config created with the popup's key: %v", cfg)
			}
		})
	}
	t.Logf("browser test took %v", time.Since(started).Round(time.Millisecond))
}

// clickButton clicks an element with real mouse events, once it is there.
func clickButton(ctx context.Context, t *testing.T, b *chromium.Browser, session, selector string) {
	t.Helper()
	b = b.In(t)
	var box struct{ X, Y float64 }
	expr := fmt.Sprintf(`(function () { const e = document.querySelector(%q); if (!e) return null;
  const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()`, selector)
	chromium.Poll(ctx, t, selector, func() bool { return b.Eval(ctx, session, expr, &box) == nil && box.X > 0 })
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		b.Must(ctx, session, "Input.dispatchMouseEvent", map[string]any{"type": typ, "x": box.X, "y": box.Y, "button": "left", "clickCount": 1}, nil)
	}
}

// target is a page, popup or worker, as Target.getTargets lists it.
type target struct {
	TargetID string `json:"targetId"`
	Type     string `json:"type"`
	URL      string `json:"url"`
	OpenerID string `json:"openerId"`
}

// targets lists the browser's targets.
func targets(ctx context.Context, b *chromium.Browser) []target {
	var res struct {
		TargetInfos []target `json:"targetInfos"`
	}
	b.Must(ctx, "", "Target.getTargets", nil, &res)
	return res.TargetInfos
}
