package assets_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/assets"
	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

var stateKey = bytes.Repeat([]byte{7}, 32)

// populate gives a mock an asset in every state: an uploaded handbook
// (ingested), a drive with OAuth tokens and a webhook (ingested, no
// documents), a drive whose ingestion is RUNNING, one stalled PENDING,
// and a failed one. It answers the planted secrets.
func populate(t *testing.T, c *apitest.Client, clock interface{ Advance(time.Duration) }) []string {
	t.Helper()
	const token = "ya29.SNAPSHOT-CANARY-91ab"
	if a := upload(t, c, "handbook.md", "text/markdown", strings.NewReader(handbook), vectorize); a.Status != 200 {
		t.Fatalf("upload = %d %s", a.Status, a.Body)
	}
	res := c.Must(200, "POST", api+"/assets", `{"config":{"sourceType":"confluence","parameters":{"space":"ENG"}},"name":"Wiki",
 "auth":{"accessToken":"`+token+`"},"autoUpdate":{"strategy":"WEBHOOK"},"embedding":{"chunkSize":100}}`).JSON(t)
	hook := res["webhook"].(map[string]any)
	parts := strings.Split(str(t, hook, "webhookUrl"), "/")
	clock.Advance(5 * time.Second) // both ingested
	running := createDrive(t, c, "Running")
	clock.Advance(1500 * time.Millisecond)
	failed := createDrive(t, c, "Failed")
	failOp := str(t, items(t, c.Must(200, "GET", api+"/assets/"+failed+"/operations", ""))[0], "id")
	c.Must(200, "POST", "/_mock/tenants/acme/assets/"+failed+"/operations/"+failOp+":control", `{"action":"fail","errorMessage":"source unreachable"}`)
	stalled := createDrive(t, c, "Stalled")
	stallOp := str(t, items(t, c.Must(200, "GET", api+"/assets/"+stalled+"/operations", ""))[0], "id")
	c.Must(200, "POST", "/_mock/tenants/acme/assets/"+stalled+"/operations/"+stallOp+":control", `{"action":"stall"}`)
	if st := items(t, c.Must(200, "GET", api+"/assets/"+running+"/operations", ""))[0]["status"]; st != "RUNNING" {
		t.Fatalf("running asset's operation is %v", st)
	}
	return []string{token, str(t, hook, "signingSecret"), parts[len(parts)-1]}
}

// firstDiff is the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// reads is every read a UI makes of the tenant's assets, as one text.
func reads(t *testing.T, c *apitest.Client) string {
	t.Helper()
	var b strings.Builder
	read := func(path string) *apitest.Answer {
		a := c.Do("GET", path, "")
		body := a.Body
		if a.Status != 200 {
			body = nil // a problem's traceId is the request's own
		}
		fmt.Fprintf(&b, "%s %d etag=%q %s\n", path, a.Status, a.Header.Get("ETag"), body)
		return a
	}
	for _, a := range items(t, read(api+"/assets")) {
		id := str(t, a, "id")
		read(api + "/assets/" + id)
		for _, o := range items(t, read(api+"/assets/"+id+"/operations")) {
			read(api + "/assets/" + id + "/operations/" + str(t, o, "id"))
		}
		if d := read(api + "/assets/" + id + "/documents"); d.Status == 200 {
			for _, doc := range items(t, d) {
				read(api + "/assets/" + id + "/documents/" + str(t, doc, "id"))
				read(api + "/assets/" + id + "/documents/" + str(t, doc, "id") + "/chunks")
			}
		}
	}
	return b.String()
}

// TestStateRoundTripKeepsAssets: export → import into a fresh server →
// the same answers, now and as the clocks move on; no planted secret is
// in the export; redaction still knows them after the import.
func TestStateRoundTripKeepsAssets(t *testing.T) {
	c1, clock1 := start(t, mockserver.Config{SecretKey: stateKey})
	secrets := populate(t, c1, clock1)
	export := c1.Must(200, "GET", "/_mock/state", "").Body
	for _, s := range secrets {
		if bytes.Contains(export, []byte(s)) {
			t.Errorf("the export shows the secret %q", s)
		}
	}
	if !bytes.Contains(export, []byte(`"authSealed":["`+secretbox.Prefix)) || !bytes.Contains(export, []byte(`"secretsSealed":["`+secretbox.Prefix)) {
		t.Errorf("the export has no sealed asset secrets: %.600s", export)
	}
	before := reads(t, c1)
	if !strings.Contains(before, `"status":"RUNNING"`) || !strings.Contains(before, `"status":"FAILED"`) || !strings.Contains(before, "Welcome to Acme") {
		t.Fatalf("the populated state lacks a state: %s", before)
	}

	c2, clock2 := start(t, mockserver.Config{SecretKey: stateKey})
	clock2.Advance(6500 * time.Millisecond) // the same time as clock1
	c2.Must(204, "PUT", "/_mock/state", string(export))
	if got := reads(t, c2); got != before {
		t.Fatalf("after the import the answers differ: %s", firstDiff(got, before))
	}
	clock1.Advance(10 * time.Second)
	clock2.Advance(10 * time.Second)
	after1, after2 := reads(t, c1), reads(t, c2)
	if after1 != after2 {
		t.Fatalf("as the clocks move on the answers differ: %s", firstDiff(after2, after1))
	}
	if strings.Contains(after2, `"status":"RUNNING"`) || !strings.Contains(after2, `"status":"PENDING"`) {
		t.Fatalf("the running operation should have completed and the stalled one stayed: %s", after2)
	}
	if again := c2.Must(200, "GET", "/_mock/state", "").Body; !bytes.Contains(again, []byte("Welcome to Acme")) {
		t.Fatal("the imported state exports no content")
	}
	// Redaction still knows the imported secrets.
	store := c2.M.Server.Store()
	for _, s := range secrets {
		if !slices.Contains(store.AllSecretTexts(), s) {
			t.Errorf("after the import, redaction does not know %q", s)
		}
	}
}

// TestStateImportRefusesBadAssets: a malformed assets section is a 400
// naming the field, and nothing changes; a sealed value of another key
// does not open.
func TestStateImportRefusesBadAssets(t *testing.T) {
	c, clock := start(t, mockserver.Config{SecretKey: stateKey})
	populate(t, c, clock)
	export := string(c.Must(200, "GET", "/_mock/state", "").Body)
	before := reads(t, c)
	for _, tc := range []struct{ name, old, new, field string }{
		{"status", `"status":"RUNNING"`, `"status":"WALKING"`, ".operation.status"},
		{"done", `"status":"COMPLETED","done":true`, `"status":"COMPLETED","done":false`, ".operation.done"},
		{"sealed", `"authSealed":["enc:v1:`, `"authSealed":["enc:v1:AAAA`, ".authSealed[0]"},
		{"chunks", `"chunkCount":`, `"chunkCount":9`, ".document.chunkCount"},
		{"unknown", `"hasAuth":true`, `"hasAuth":true,"oauthToken":"x"`, "body"},
		// A document's id is required (every document's id blanked; the
		// first blank is the finding, the rest repeat it).
		{"document id", `"document":{"id":"`, `"document":{"id":"`, ".document.id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.In(t)
			doc := strings.Replace(export, tc.old, tc.new, 1)
			if tc.name == "document id" {
				doc = regexp.MustCompile(`"document":\{"id":"[^"]+"`).ReplaceAllLiteralString(export, `"document":{"id":""`)
			}
			if doc == export {
				t.Fatalf("%q is not in the export", tc.old)
			}
			p := c.Problem(400, "PUT", "/_mock/state", doc)
			errs, _ := json.Marshal(p["errors"])
			if !strings.Contains(string(errs), tc.field) {
				t.Fatalf("the problem names no %s: %s", tc.field, errs)
			}
			if tc.field != "body" && !strings.Contains(string(errs), "tenants.acme.assets.assets[") {
				t.Fatalf("the problem does not say which asset: %s", errs)
			}
			if got := reads(t, c); got != before {
				t.Fatalf("a refused import changed the state: %s", firstDiff(got, before))
			}
		})
	}
}

// TestStateImportWithoutAssets: a version 2 document without assets (as
// written before the section) imports, and leaves no assets.
func TestStateImportWithoutAssets(t *testing.T) {
	c, clock := start(t, mockserver.Config{SecretKey: stateKey})
	populate(t, c, clock)
	c.Must(204, "PUT", "/_mock/state", `{"version":2,"tenants":{"acme":{"integrations":[],"tools":{}}}}`)
	if n := num(c.Must(200, "GET", api+"/assets", "").JSON(t), "totalCount"); n != 0 {
		t.Fatalf("%d assets after importing a document without any", n)
	}
}

// TestRestoredContentCountsAgainstTheCap: uploaded content a document
// brings counts against the tenant's content cap; past it, a finding
// naming the section.
func TestRestoredContentCountsAgainstTheCap(t *testing.T) {
	box, _ := secretbox.NewRandom()
	s1 := assets.New(assets.Options{Box: box})
	if _, err := s1.Upload("t", assets.FileInput{FileName: "a.txt", ContentType: "text/plain", Content: []byte(strings.Repeat("x", 100))}, ""); err != nil {
		t.Fatal(err)
	}
	doc := s1.Snapshot()
	s2 := assets.New(assets.Options{Box: box, TenantContentCap: 99})
	f := core.Findings{}
	s2.Prepare(f, doc)
	if msgs := f["tenants.t.assets.assets"]; len(msgs) != 1 || !strings.Contains(msgs[0], "cap of 99 bytes") {
		t.Fatalf("findings = %v", f)
	}
	s3 := assets.New(assets.Options{Box: box, TenantContentCap: 100})
	f = core.Findings{}
	p := s3.Prepare(f, doc)
	if len(f) != 0 {
		t.Fatalf("findings at the cap = %v", f)
	}
	s3.Commit(p)
	if n := s3.ContentBytes("t"); n != 100 {
		t.Fatalf("restored content = %d bytes", n)
	}
}
