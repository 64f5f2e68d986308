package proxy_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/proxy"
	"github.com/fruxon/fruxon-mock/scenarios/replay"
)

// TestRecordThenReplay records a session through the proxy in front of a
// mock, then replays the file against a fresh mock: it must pass, capture
// the minted config id and ETags, and hold no secret.
func TestRecordThenReplay(t *testing.T) {
	dir := t.TempDir()
	rec, err := proxy.NewRecorder(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t)
	_, base := start(t, m.URL, proxy.Config{Recorder: rec})
	sess := map[string]string{"X-Fruxon-Mock-Session": "s1"}
	must := func(a answer, status int) answer {
		t.Helper()
		if a.status != status {
			t.Fatalf("want %d, got %d %s", status, a.status, a.body)
		}
		return a
	}
	must(send(t, "POST", base+api, `{"id":"rec","displayName":"Rec {{x}}","configMetadata":{"parametersMetadata":[{"name":"baseUrl","type":"String","required":true}],"authMetadata":[{"id":"api_key","type":"API_KEY","sensitivity":"SECRET","supportedLevels":["APPLICATION"],"parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`, sess), 200)
	cfg := must(send(t, "POST", base+api+"/rec/configs", `{"displayName":"~prod","parameters":{"baseUrl":"https://api.example.com"},"auth":{"integrationAuthMetadataId":"api_key","parameters":{"apiKey":"ck_live_REC0RDED"}}}`, sess), 200)
	id := between(cfg.body, `"id":"`, `"`)
	must(send(t, "GET", base+api+"/rec/configs/"+id, "", sess), 200)
	etag := must(send(t, "GET", base+api+"/rec", "", sess), 200).header.Get("ETag")
	patched := map[string]string{"If-Match": etag, "X-Fruxon-Mock-Session": "s1"}
	must(send(t, "PUT", base+api+"/rec", `{"displayName":"present"}`, patched), 200)
	must(send(t, "PUT", base+api+"/rec", `{"displayName":"stale"}`, patched), 409)
	must(send(t, "POST", base+api+"/rec/configs/"+id+":publish", "", sess), 200)
	must(send(t, "GET", base+api+"/rec/configs/"+id+"/revisions", "", sess), 200)
	must(send(t, "GET", base+api+"/rec/configs/"+id, "", sess), 200)
	must(send(t, "DELETE", base+api+"/rec/configs/"+id, "", sess), 204)
	must(send(t, "GET", base+api+"/rec/configs/"+id, "", sess), 404)
	if err := rec.Err(); err != nil {
		t.Fatal(err)
	}
	files := rec.Files()
	if len(files) != 1 || filepath.Base(files[0]) != "recorded-s1.yaml" {
		t.Fatalf("files: %v", files)
	}
	src, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, s := range []string{"ck_live_REC0RDED", "tok-S3CRET-bearer", id} {
		if strings.Contains(text, s) {
			t.Errorf("the recording holds %q:\n%s", s, text)
		}
	}
	for _, s := range []string{"{{id_2}}", "If-Match: '{{etag_", ":publish", "createdAt"} {
		if !strings.Contains(text, s) {
			t.Errorf("the recording lacks %q:\n%s", s, text)
		}
	}
	sc, err := scenarios.Parse(files[0], src)
	if err != nil {
		t.Fatalf("the recording does not load: %v\n%s", err, text)
	}
	fresh := mocktest.Start(t)
	isMock := true
	rep, err := replay.Replay(context.Background(), []*scenarios.Scenario{sc}, replay.Options{
		Target: fresh.URL, Validator: spec(t), Token: "any", Mock: &isMock, NoDurations: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Passed != 11 {
		var b strings.Builder
		rep.WriteJSON(&b)
		t.Fatalf("replay of the recording: %s\n%s\n%s", rep.Summary(), b.String(), text)
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}
