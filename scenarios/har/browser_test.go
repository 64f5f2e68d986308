package har_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/mocktest/chromium"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/har"
	"github.com/fruxon/fruxon-mock/validator"
)

// brokenStub answers a contract-breaking integration (id a number, most
// required members missing) to the requests that name it.
const brokenStub = `name: har-broken
description: An answer that breaks the contract, for the HAR test.
stubs:
  - name: broken
    request: {method: GET, path: '/v1/tenants/*/integrations/broken'}
    response: {status: 200, headers: {ETag: '"1"'}, body: {id: 42, displayName: Broken}}
    allowViolation: true
`

// appScript is what the page runs: real fetch() calls to the mock, the
// way a frontend makes them. The fourth is a request the mock rejects (a
// displayName over 100 characters), the fifth gets the broken stub.
const appScript = `(async () => {
  const statuses = [];
  async function call(method, path, body, extra) {
    const headers = Object.assign({"Authorization": "Bearer dev", "Accept": "application/json"}, extra || {});
    const init = {method, headers};
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const resp = await fetch(path, init);
    await resp.text();
    statuses.push(resp.status);
  }
  await call("POST", "/v1/tenants/web/integrations", {id: "crm", displayName: "Acme CRM"});
  await call("GET", "/v1/tenants/web/integrations/crm");
  await call("GET", "/v1/tenants/web/integrations?pageSize=10");
  await call("POST", "/v1/tenants/web/integrations", {id: "long", displayName: "x".repeat(101)});
  await call("GET", "/v1/tenants/web/integrations/broken", undefined, {"X-Fruxon-Mock-Scenario": "har-broken"});
  return statuses;
})()`

// TestBrowserRecordedHAR drives headless Chromium against an in-process
// mock, records the traffic from the DevTools protocol's Network events
// as a HAR 1.2 file, and validates it as validate-traffic does: the clean
// exchanges pass, the request the mock rejected is a request-side finding
// at $.displayName, the stub's broken answer a response-side one at $.id.
func TestBrowserRecordedHAR(t *testing.T) {
	path := chromium.Path()
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM): the browser HAR test needs one")
	}
	broken, err := scenarios.Parse("har-broken.yaml", []byte(brokenStub))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mockserver.New(mockserver.Config{Scenarios: []*scenarios.Scenario{broken}})
	if err != nil {
		t.Fatal(err)
	}
	// The app's page and the API on one origin, as a frontend served by
	// its dev server with the API proxied beside it.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /app", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html><html><head><title>app</title></head><body>app</body></html>"))
	})
	mux.Handle("/", srv)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := chromium.Start(t, path)
	var created struct {
		TargetID string `json:"targetId"`
	}
	b.Must(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created)
	page := b.Attach(ctx, created.TargetID)
	b.Must(ctx, page, "Network.enable", map[string]any{"maxPostDataSize": 1 << 16}, nil)
	b.Must(ctx, page, "Page.enable", nil, nil)
	b.Must(ctx, page, "Page.navigate", map[string]any{"url": ts.URL + "/app"}, nil)
	for {
		// The app's own document, not the blank one it replaces.
		var ready bool
		if b.Eval(ctx, page, `document.readyState === "complete" && location.href.startsWith(`+strconv.Quote(ts.URL+"/app")+`)`, &ready) == nil && ready {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the app page did not load")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var statuses []int
	if err := b.Eval(ctx, page, appScript, &statuses); err != nil {
		t.Fatal(err)
	}
	if want := []int{200, 200, 200, 400, 200}; !equalInts(statuses, want) {
		t.Fatalf("the page's fetches were answered %v, want %v", statuses, want)
	}

	doc := harFromNetwork(ctx, t, b, page)
	f, err := har.Parse(doc)
	if err != nil {
		t.Fatalf("the recorded HAR does not parse: %v", err)
	}
	rep := har.Check(f, spec(t))
	var text bytes.Buffer
	rep.WriteText(&text, true)
	// The page itself (and the favicon the browser asks for) are no API
	// calls: skipped.
	outside := 0
	for _, r := range rep.Results {
		if !strings.HasPrefix(r.URL, ts.URL+"/v1/") {
			outside++
			if r.Skipped == "" {
				t.Errorf("entry %d (%s) is not in the spec, yet was checked", r.Index, r.URL)
			}
		}
	}
	if rep.Checked != 5 || outside == 0 || rep.Skipped != outside || rep.Unreadable != 0 || rep.Violations != 2 || rep.Verdict() != 1 {
		t.Fatalf("checked %d, skipped %d (%d outside the API), unreadable %d, violations %d, verdict %d; want 5 checked, 2 violations, verdict 1:\n%s",
			rep.Checked, rep.Skipped, outside, rep.Unreadable, rep.Violations, rep.Verdict(), text.String())
	}
	byOp := map[string][]har.Result{}
	for _, r := range rep.Results {
		byOp[r.Method+" "+strings.TrimPrefix(r.URL, ts.URL)] = append(byOp[r.Method+" "+strings.TrimPrefix(r.URL, ts.URL)], r)
	}
	for _, clean := range []string{"GET /v1/tenants/web/integrations/crm", "GET /v1/tenants/web/integrations"} {
		if rs := byOp[clean]; len(rs) != 1 || len(rs[0].Findings) != 0 || rs[0].Status != 200 {
			t.Errorf("%s: %+v, want one clean 200 entry", clean, rs)
		}
	}
	posts := byOp["POST /v1/tenants/web/integrations"]
	if len(posts) != 2 || len(posts[0].Findings) != 0 {
		t.Fatalf("POST entries: %+v, want a clean create then the rejected one", posts)
	}
	if !hasFinding(posts[1].Findings, validator.Request, "$.displayName") || hasSide(posts[1].Findings, validator.Response) {
		t.Errorf("the rejected request: findings %v, want a request-side one at $.displayName and a contract-true 400", posts[1].Findings)
	}
	got := byOp["GET /v1/tenants/web/integrations/broken"]
	if len(got) != 1 || !hasFinding(got[0].Findings, validator.Response, "$.id") || hasSide(got[0].Findings, validator.Request) {
		t.Errorf("the broken answer: %+v, want a response-side finding at $.id", got)
	}
	if !strings.Contains(text.String(), "$.id") || !strings.Contains(text.String(), "$.displayName") {
		t.Errorf("the text report does not name the paths:\n%s", text.String())
	}
}

// harFromNetwork turns the page's Network events into a HAR 1.2 document, as
// devtools' "Save all as HAR" does: each request with its headers and
// body, each response with its status, headers and body.
func harFromNetwork(ctx context.Context, t *testing.T, b *chromium.Browser, page string) []byte {
	t.Helper()
	type entry struct {
		order    int
		started  float64
		req      map[string]any
		resp     map[string]any
		finished bool
	}
	entries := map[string]*entry{}
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, ev := range b.TakeEvents() {
			var p struct {
				RequestID string         `json:"requestId"`
				WallTime  float64        `json:"wallTime"`
				Request   map[string]any `json:"request"`
				Response  map[string]any `json:"response"`
				ErrorText string         `json:"errorText"`
			}
			if ev.SessionID != page || json.Unmarshal(ev.Params, &p) != nil {
				continue
			}
			e := entries[p.RequestID]
			switch ev.Method {
			case "Network.requestWillBeSent":
				entries[p.RequestID] = &entry{order: len(entries), started: p.WallTime, req: p.Request}
			case "Network.responseReceived":
				if e != nil {
					e.resp = p.Response
				}
			case "Network.loadingFinished", "Network.loadingFailed":
				if e != nil {
					e.finished = true
				}
			}
		}
		done := len(entries) >= 6
		for _, e := range entries {
			done = done && e.finished
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Network events of %d requests did not all arrive", len(entries))
		}
		time.Sleep(20 * time.Millisecond)
	}
	ids := make([]string, 0, len(entries))
	for id := range entries {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return entries[ids[i]].order < entries[ids[j]].order })
	var out []map[string]any
	for _, id := range ids {
		e := entries[id]
		method, _ := e.req["method"].(string)
		url, _ := e.req["url"].(string)
		request := map[string]any{"method": method, "url": url, "httpVersion": "HTTP/1.1",
			"headers": pairsOf(e.req["headers"]), "queryString": []any{}, "cookies": []any{}, "headersSize": -1, "bodySize": 0}
		if hasBody, _ := e.req["hasPostData"].(bool); hasBody {
			text, _ := e.req["postData"].(string)
			if text == "" {
				var pd struct {
					PostData string `json:"postData"`
				}
				b.Must(ctx, page, "Network.getRequestPostData", map[string]any{"requestId": id}, &pd)
				text = pd.PostData
			}
			request["postData"] = map[string]any{"mimeType": headerOf(e.req["headers"], "Content-Type"), "text": text}
			request["bodySize"] = len(text)
		}
		response := map[string]any{"status": 0, "statusText": "", "httpVersion": "HTTP/1.1", "headers": []any{}, "cookies": []any{},
			"content": map[string]any{"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": -1}
		if e.resp != nil {
			var body struct {
				Body          string `json:"body"`
				Base64Encoded bool   `json:"base64Encoded"`
			}
			b.Must(ctx, page, "Network.getResponseBody", map[string]any{"requestId": id}, &body)
			content := map[string]any{"size": len(body.Body), "mimeType": e.resp["mimeType"], "text": body.Body}
			if body.Base64Encoded {
				content["encoding"] = "base64"
			}
			response["status"] = e.resp["status"]
			response["statusText"] = e.resp["statusText"]
			response["headers"] = pairsOf(e.resp["headers"])
			response["content"] = content
			response["bodySize"] = len(body.Body)
		}
		out = append(out, map[string]any{
			"startedDateTime": time.UnixMilli(int64(e.started * 1000)).UTC().Format("2006-01-02T15:04:05.000Z"),
			"time":            0, "request": request, "response": response, "cache": map[string]any{},
			"timings": map[string]any{"send": 0, "wait": 0, "receive": 0},
		})
	}
	doc, err := json.MarshalIndent(map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]any{"name": "fruxon-mock har test", "version": "1"}, "entries": out,
	}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// pairsOf turns a DevTools header object into HAR name/value pairs.
func pairsOf(h any) []map[string]string {
	m, _ := h.(map[string]any)
	var out []map[string]string
	for name, v := range m {
		s, _ := v.(string)
		// DevTools joins repeated headers with a newline.
		for _, one := range strings.Split(s, "\n") {
			out = append(out, map[string]string{"name": name, "value": one})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["name"] < out[j]["name"] })
	return out
}

func headerOf(h any, name string) string {
	m, _ := h.(map[string]any)
	for k, v := range m {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

func hasFinding(fs []validator.Finding, side validator.Side, path string) bool {
	for _, f := range fs {
		if f.Side == side && f.Field == path {
			return true
		}
	}
	return false
}

func hasSide(fs []validator.Finding, side validator.Side) bool {
	for _, f := range fs {
		if f.Side == side {
			return true
		}
	}
	return false
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
