package assets_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/assets"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
)

const api = apitest.API

// start runs a mock on a clock the test moves.
func start(t *testing.T, cfg mockserver.Config) (*apitest.Client, *roomtest.Clock) {
	t.Helper()
	clock := roomtest.NewClock()
	cfg.Now = clock.Now
	c, _ := apitest.Start(t, cfg)
	return c, clock
}

func str(t *testing.T, m map[string]any, key string) string {
	t.Helper()
	s, ok := m[key].(string)
	if !ok {
		t.Fatalf("%s is %T %v, want a string, in %v", key, m[key], m[key], m)
	}
	return s
}

func num(m map[string]any, key string) int {
	f, _ := m[key].(float64)
	return int(f)
}

func items(t *testing.T, a *apitest.Answer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, it := range a.JSON(t)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

const driveAsset = `{"config":{"sourceType":"google_drive","parameters":{"folderId":"F1"}},"name":%q,
 "embedding":{"provider":"openai","model":"text-embedding-3-small"}}`

func createDrive(t *testing.T, c *apitest.Client, name string) string {
	t.Helper()
	a := c.Must(200, "POST", api+"/assets", fmt.Sprintf(driveAsset, name)).JSON(t)["asset"].(map[string]any)
	return str(t, a, "id")
}

// upload sends an assets:file form (payload "" leaves it out).
func upload(t *testing.T, c *apitest.Client, fileName, ctype string, content io.Reader, payload string) *apitest.Answer {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		var err error
		defer func() { pw.CloseWithError(err) }()
		if payload != "" {
			if err = mw.WriteField("Payload", payload); err != nil {
				return
			}
		}
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="File"; filename=%q`, fileName)}
		h["Content-Type"] = []string{ctype}
		part, err := mw.CreatePart(h)
		if err != nil {
			return
		}
		if _, err = io.Copy(part, content); err != nil {
			return
		}
		err = mw.Close()
	}()
	req, err := http.NewRequest("POST", c.M.URL+api+"/assets:file", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", c.Auth)
	resp, err := c.M.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &apitest.Answer{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

const vectorize = `{"Vectorize":true,"EmbeddingConfig":{"provider":"openai","model":"text-embedding-3-small","chunkSize":40}}`

const handbook = "# Handbook\n\nWelcome to Acme. We make anvils.\n\n## Leave\n\nTwenty days a year, booked in the portal.\n\nAsk your manager first.\n"

func TestCreateListGetPatchDelete(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	ids := []string{createDrive(t, c, "Sales drive"), createDrive(t, c, "Support drive"), createDrive(t, c, "Sales archive")}

	all := c.Must(200, "GET", api+"/assets", "").JSON(t)
	if num(all, "totalCount") != 3 || all["nextPageToken"] != nil {
		t.Fatalf("list = %v", all)
	}
	// Newest first, two per page, then the next page by cursor.
	p1 := c.Must(200, "GET", api+"/assets?PageSize=2", "")
	got := items(t, p1)
	next := p1.JSON(t)["nextPageToken"]
	if len(got) != 2 || got[0]["id"] != ids[2] || got[1]["id"] != ids[1] || next != "2" || num(p1.JSON(t), "totalCount") != 3 {
		t.Fatalf("page 1 = %s", p1.Body)
	}
	p2 := c.Must(200, "GET", api+"/assets?PageSize=2&PageToken.Cursor="+next.(string), "")
	if got := items(t, p2); len(got) != 1 || got[0]["id"] != ids[0] || p2.JSON(t)["nextPageToken"] != nil {
		t.Fatalf("page 2 = %s", p2.Body)
	}
	if got := items(t, c.Must(200, "GET", api+"/assets?PageToken.Skip=1&PageSize=1", "")); len(got) != 1 || got[0]["id"] != ids[1] {
		t.Fatalf("skip 1 = %v", got)
	}
	c.Problem(400, "GET", api+"/assets?PageToken.Cursor=abc", "")
	// search: case-insensitive, on the name; totalCount counts matches.
	s := c.Must(200, "GET", api+"/assets?search=SALES", "").JSON(t)
	if num(s, "totalCount") != 2 {
		t.Fatalf("search = %v", s)
	}

	a := c.Must(200, "GET", api+"/assets/"+ids[0], "").JSON(t)
	if a["displayName"] != "Sales drive" || a["vectorized"] != true || a["type"] != "google_drive" {
		t.Fatalf("get = %v", a)
	}
	p := c.Must(200, "PATCH", api+"/assets/"+ids[0], `{"displayName":"Drive","budget":{"monthlyTokenBudget":1000}}`).JSON(t)["asset"].(map[string]any)
	if p["displayName"] != "Drive" || p["budget"].(map[string]any)["monthlyTokenBudget"] != 1000.0 {
		t.Fatalf("patch = %v", p)
	}
	// null keeps.
	p = c.Must(200, "PATCH", api+"/assets/"+ids[0], `{"displayName":null}`).JSON(t)["asset"].(map[string]any)
	if p["displayName"] != "Drive" {
		t.Fatalf("null displayName changed it: %v", p)
	}

	c.Must(204, "DELETE", api+"/assets/"+ids[0], "")
	c.Problem(404, "DELETE", api+"/assets/"+ids[0], "")
	c.Problem(404, "GET", api+"/assets/"+ids[0], "")
	c.Problem(404, "GET", api+"/assets/"+ids[0]+"/operations", "")
	if n := num(c.Must(200, "GET", api+"/assets", "").JSON(t), "totalCount"); n != 2 {
		t.Fatalf("after delete, totalCount = %d", n)
	}
	// Closed body, documented casing: PATCH's spelling on create is refused.
	c.Problem(400, "POST", api+"/assets", `{"config":{"sourceType":"notion"},"embeddingLlmConfigId":null}`)
	c.Problem(400, "POST", api+"/assets", `{"name":"x"}`)
}

func TestPatchVectorSettingsOfNonVectorizedAsset(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	a := c.Must(200, "POST", api+"/assets", `{"config":{"sourceType":"notion","parameters":{}}}`).JSON(t)["asset"].(map[string]any)
	id := str(t, a, "id")
	if a["vectorized"] != false || a["embedding"] != nil || a["budget"] != nil {
		t.Fatalf("asset without embedding = %v", a)
	}
	for _, body := range []string{`{"embedding":{"chunkSize":500}}`, `{"budget":{"tokenBudget":10}}`, `{"currencyBudget":{"costBudget":1}}`} {
		p := c.Problem(400, "PATCH", api+"/assets/"+id, body)
		if !strings.Contains(fmt.Sprint(p["errors"]), "not vectorized") {
			t.Errorf("%s: %v", body, p)
		}
	}
	c.Must(200, "PATCH", api+"/assets/"+id, `{"displayName":"Wiki"}`)
	// Documents need a vectorized asset.
	c.Problem(404, "GET", api+"/assets/"+id+"/documents", "")
}

// TestUploadIngestAndReadBack uploads a Markdown file and follows its
// ingestion on the mock's clock to its documents and chunks.
func TestUploadIngestAndReadBack(t *testing.T) {
	c, clock := start(t, mockserver.Config{})
	a := upload(t, c, "handbook.md", "text/markdown", strings.NewReader(handbook), vectorize)
	if a.Status != 200 {
		t.Fatalf("upload = %d %s", a.Status, a.Body)
	}
	asset := a.JSON(t)["asset"].(map[string]any)
	id := str(t, asset, "id")
	if asset["type"] != "file" || asset["displayName"] != "handbook.md" {
		t.Fatalf("asset = %v", asset)
	}
	ops := items(t, c.Must(200, "GET", api+"/assets/"+id+"/operations", ""))
	if len(ops) != 1 || ops[0]["status"] != "PENDING" || ops[0]["done"] != false || ops[0]["type"] != "INGEST" {
		t.Fatalf("operations = %v", ops)
	}
	opPath := api + "/assets/" + id + "/operations/" + str(t, ops[0], "id")
	c.Problem(404, "GET", api+"/assets/"+id+"/documents", "") // not ingested yet

	clock.Advance(1500 * time.Millisecond)
	if op := c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "RUNNING" || op["startedAt"] == nil {
		t.Fatalf("after 1.5s: %v", op)
	}
	clock.Advance(2 * time.Second)
	op := c.Must(200, "GET", opPath, "").JSON(t)
	if op["status"] != "COMPLETED" || op["done"] != true || num(op, "chunkCount") < 2 || num(op, "tokenCount") == 0 || op["completedAt"] == nil {
		t.Fatalf("after 3.5s: %v", op)
	}

	docs := c.Must(200, "GET", api+"/assets/"+id+"/documents", "").JSON(t)
	ds := docs["items"].([]any)
	if len(ds) != 1 || num(docs, "totalCount") != 1 {
		t.Fatalf("documents = %v", docs)
	}
	doc := ds[0].(map[string]any)
	if doc["fileName"] != "handbook.md" || doc["contentType"] != "text/markdown" || num(doc, "fileSize") != len(handbook) || doc["status"] != "COMPLETED" {
		t.Fatalf("document = %v", doc)
	}
	docID := str(t, doc, "id")
	c.Must(200, "GET", api+"/assets/"+id+"/documents/"+docID, "")
	if got := items(t, c.Must(200, "GET", api+"/assets/"+id+"/documents?search=HAND", "")); len(got) != 1 {
		t.Fatalf("search = %v", got)
	}
	if got := items(t, c.Must(200, "GET", api+"/assets/"+id+"/documents?search=zzz", "")); len(got) != 0 {
		t.Fatalf("search zzz = %v", got)
	}

	// The chunks put the file back together, in order, with headings.
	var text strings.Builder
	cursor, pages := "", 0
	for {
		q := "?PageSize=1"
		if cursor != "" {
			q += "&PageToken.Cursor=" + cursor
		}
		page := c.Must(200, "GET", api+"/assets/"+id+"/documents/"+docID+"/chunks"+q, "").JSON(t)
		if page["documentId"] != docID || num(page, "totalChunks") != num(doc, "chunkCount") {
			t.Fatalf("chunks page = %v", page)
		}
		for _, ch := range page["chunks"].([]any) {
			m := ch.(map[string]any)
			if num(m, "chunkIndex") != pages {
				t.Fatalf("chunk %d has index %v", pages, m["chunkIndex"])
			}
			if got := handbook[num(m, "startCharIdx"):num(m, "endCharIdx")]; got != m["content"] {
				t.Fatalf("chunk offsets %v..%v = %q, content %q", m["startCharIdx"], m["endCharIdx"], got, m["content"])
			}
			text.WriteString(m["content"].(string) + "|")
			if strings.Contains(m["content"].(string), "Twenty days") && m["headingPath"] != "Handbook > Leave" {
				t.Errorf("headingPath = %v", m["headingPath"])
			}
		}
		pages++
		next, _ := page["nextPageToken"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	for _, want := range []string{"Welcome to Acme", "Twenty days a year", "Ask your manager first."} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("chunks %q lack %q", text.String(), want)
		}
	}
	if pages < 2 {
		t.Errorf("chunkSize 40 gave %d chunks", pages)
	}

	// Deleting the document: gone, twice is 404; a refresh brings it back.
	c.Must(204, "DELETE", api+"/assets/"+id+"/documents/"+docID, "")
	c.Problem(404, "DELETE", api+"/assets/"+id+"/documents/"+docID, "")
	c.Problem(404, "GET", api+"/assets/"+id+"/documents/"+docID+"/chunks", "")
	if n := num(c.Must(200, "GET", api+"/assets/"+id+"/documents", "").JSON(t), "totalCount"); n != 0 {
		t.Fatalf("after delete: %d documents", n)
	}
	c.Must(200, "POST", api+"/assets/"+id+":refresh", "")
	clock.Advance(4 * time.Second)
	if n := num(c.Must(200, "GET", api+"/assets/"+id+"/documents", "").JSON(t), "totalCount"); n != 1 {
		t.Fatalf("after refresh: %d documents", n)
	}

	// Deleting the asset takes its documents with it.
	c.Must(204, "DELETE", api+"/assets/"+id, "")
	c.Problem(404, "GET", api+"/assets/"+id+"/documents", "")
}

func TestUploadJSONAndBadJSON(t *testing.T) {
	c, clock := start(t, mockserver.Config{})
	good := upload(t, c, "data.json", "application/octet-stream", strings.NewReader(`{"a":1,"b":[1,2]}`), vectorize)
	bad := upload(t, c, "bad.json", "application/json", strings.NewReader(`{"a":`), vectorize)
	if good.Status != 200 || bad.Status != 200 {
		t.Fatalf("uploads = %d %s, %d %s", good.Status, good.Body, bad.Status, bad.Body)
	}
	clock.Advance(4 * time.Second)
	gid := str(t, good.JSON(t)["asset"].(map[string]any), "id")
	d := items(t, c.Must(200, "GET", api+"/assets/"+gid+"/documents", ""))[0]
	if d["contentType"] != "application/json" || num(d, "chunkCount") != 1 {
		t.Fatalf("json document = %v", d)
	}
	bid := str(t, bad.JSON(t)["asset"].(map[string]any), "id")
	op := items(t, c.Must(200, "GET", api+"/assets/"+bid+"/operations", ""))[0]
	if op["status"] != "FAILED" || !strings.Contains(fmt.Sprint(op["errorMessage"]), "not valid JSON") {
		t.Fatalf("bad json operation = %v", op)
	}
}

func TestUploadFormRules(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	if a := upload(t, c, "a.txt", "text/plain", strings.NewReader("hi"), ""); a.Status != 400 || !strings.Contains(string(a.Body), "Payload") {
		t.Fatalf("no payload = %d %s", a.Status, a.Body)
	}
	if a := upload(t, c, "a.txt", "text/plain", strings.NewReader("hi"), `{"Vectorize":true}`); a.Status != 400 || !strings.Contains(string(a.Body), "EmbeddingConfig") {
		t.Fatalf("vectorize without embedding = %d %s", a.Status, a.Body)
	}
	if a := upload(t, c, "a.txt", "text/plain", strings.NewReader("hi"), `not json`); a.Status != 400 {
		t.Fatalf("bad payload = %d %s", a.Status, a.Body)
	}
	if a := upload(t, c, "a.txt", "text/plain", strings.NewReader("hi"), `{"Vectorize":false}`); a.Status != 200 {
		t.Fatalf("unvectorized = %d %s", a.Status, a.Body)
	}
}

// countingReader counts what the server took of an upload.
type countingReader struct {
	n     atomic.Int64 // read by the test while the client may still send
	limit int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	n := r.n.Load()
	if n >= r.limit {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), r.limit-n))
	// copy, not a loop over the bytes: under -race every byte written in a
	// loop is checked, and these readers send 50 to 130 MB (≈20% of the
	// CPU of TestUploadOver50MB and TestTenantContentCap under -race).
	for off := 0; off < k; off += copy(p[off:k], filler) {
	}
	r.n.Add(int64(k))
	return k, nil
}

var filler = bytes.Repeat([]byte{'a'}, 64<<10)

// TestUploadOver50MB: a file over the documented 50 MB is refused with 413
// before anything is stored, and the server stops reading early.
func TestUploadOver50MB(t *testing.T) {
	c, _ := start(t, mockserver.Config{}) // the default 1 MiB --max-body: the upload has its own limit
	src := &countingReader{limit: 120 << 20}
	a := upload(t, c, "big.txt", "text/plain", src, `{"Vectorize":false}`)
	if a.Status != 413 || !strings.Contains(string(a.Body), "50 MB") {
		t.Fatalf("big upload = %d %s", a.Status, a.Body)
	}
	if src.n.Load() >= src.limit {
		t.Errorf("the server read the whole %d-byte upload", src.n.Load())
	}
	if n := num(c.Must(200, "GET", api+"/assets", "").JSON(t), "totalCount"); n != 0 {
		t.Fatalf("a refused upload left %d assets", n)
	}
	// A file past --max-body but under 50 MB is taken: the operation's
	// documented limit applies to it, not the server's usual cap...
	if a := upload(t, c, "mid.txt", "text/plain", &countingReader{limit: 2 << 20}, `{"Vectorize":false}`); a.Status != 200 {
		t.Fatalf("2 MB upload under a 1 MiB --max-body = %d %s", a.Status, a.Body)
	}
	// ...while every other operation keeps it.
	big := `{"displayName":"` + strings.Repeat("x", 2<<20) + `"}`
	if a := c.Do("POST", api+"/integrations", big); a.Status != 413 {
		t.Fatalf("2 MB createIntegration = %d, want 413", a.Status)
	}
}

// TestTenantContentCap: uploaded bytes count against the tenant's cap;
// deleting an asset frees them.
func TestTenantContentCap(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	chunk := int64(assets.DefaultTenantContentCap / 3)
	var ids []string
	for i := range 3 {
		a := upload(t, c, fmt.Sprintf("f%d.bin", i), "application/octet-stream", &countingReader{limit: chunk}, `{"Vectorize":false}`)
		if a.Status != 200 {
			t.Fatalf("upload %d = %d %s", i, a.Status, a.Body)
		}
		ids = append(ids, str(t, a.JSON(t)["asset"].(map[string]any), "id"))
	}
	a := upload(t, c, "more.bin", "application/octet-stream", &countingReader{limit: chunk}, `{"Vectorize":false}`)
	if a.Status != 413 || !strings.Contains(string(a.Body), "per tenant") {
		t.Fatalf("over the tenant cap = %d %s", a.Status, a.Body)
	}
	c.Must(204, "DELETE", api+"/assets/"+ids[0], "")
	if a := upload(t, c, "more.bin", "application/octet-stream", &countingReader{limit: chunk}, `{"Vectorize":false}`); a.Status != 200 {
		t.Fatalf("after freeing = %d %s", a.Status, a.Body)
	}
}

func TestOperationsCancelAndRefresh(t *testing.T) {
	c, clock := start(t, mockserver.Config{})
	id := createDrive(t, c, "Drive")
	ops := items(t, c.Must(200, "GET", api+"/assets/"+id+"/operations", ""))
	first := api + "/assets/" + id + "/operations/" + str(t, ops[0], "id")

	// A refresh while the first ingestion runs is rate limited, unless forced.
	p := c.Problem(429, "POST", api+"/assets/"+id+":refresh", `{}`)
	if !strings.Contains(fmt.Sprint(p["detail"]), "force") {
		t.Errorf("429 = %v", p)
	}
	clock.Advance(1500 * time.Millisecond)
	// Cancel: the answer is the post-signal state, then CANCELLED.
	op := c.Must(200, "POST", first+":cancel", "").JSON(t)
	if op["status"] != "RUNNING" || op["done"] != false {
		t.Fatalf("cancel answered %v", op)
	}
	clock.Advance(time.Millisecond)
	op = c.Must(200, "GET", first, "").JSON(t)
	if op["status"] != "CANCELLED" || op["done"] != true {
		t.Fatalf("after cancel: %v", op)
	}
	clock.Advance(10 * time.Second)
	if op = c.Must(200, "GET", first, "").JSON(t); op["status"] != "CANCELLED" {
		t.Fatalf("a cancelled operation moved on: %v", op)
	}
	// Cancelling a finished operation answers it unchanged (idempotent).
	if again := c.Must(200, "POST", first+":cancel", "").JSON(t); again["status"] != "CANCELLED" || again["completedAt"] != op["completedAt"] {
		t.Fatalf("cancel again = %v", again)
	}

	c.Must(200, "POST", api+"/assets/"+id+":refresh", `{"force":false}`)
	ops = items(t, c.Must(200, "GET", api+"/assets/"+id+"/operations", ""))
	if len(ops) != 2 || ops[0]["type"] != "REFRESH" || ops[0]["status"] != "PENDING" {
		t.Fatalf("operations after refresh = %v", ops)
	}
	clock.Advance(4 * time.Second)
	second := api + "/assets/" + id + "/operations/" + str(t, ops[0], "id")
	done := c.Must(200, "GET", second, "").JSON(t)
	if done["status"] != "COMPLETED" {
		t.Fatalf("refresh = %v", done)
	}
	if again := c.Must(200, "POST", second+":cancel", "").JSON(t); again["status"] != "COMPLETED" {
		t.Fatalf("cancelling a completed operation changed it: %v", again)
	}
	// force replaces a running refresh.
	c.Must(200, "POST", api+"/assets/"+id+":refresh", "")
	c.Must(200, "POST", api+"/assets/"+id+":refresh", `{"force":true}`)
	ops = items(t, c.Must(200, "GET", api+"/assets/"+id+"/operations", ""))
	if len(ops) != 4 || ops[1]["status"] != "CANCELLED" || ops[0]["status"] != "PENDING" {
		t.Fatalf("after forced refresh: %v", ops)
	}
	// documentIds must name documents of the asset.
	clock.Advance(4 * time.Second)
	p = c.Problem(400, "POST", api+"/assets/"+id+":refresh", `{"documentIds":["00000000-0000-4000-8000-000000000000"]}`)
	if !strings.Contains(fmt.Sprint(p["errors"]), "documentIds[0]") {
		t.Errorf("400 = %v", p)
	}
	c.Problem(404, "GET", api+"/assets/"+id+"/operations/00000000-0000-4000-8000-000000000000", "")
}

func TestWebhookShownOnceAndRegenerated(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	id := createDrive(t, c, "Drive")
	c.Problem(400, "POST", api+"/assets/"+id+":regenerateWebhook", "")
	res := c.Must(200, "PATCH", api+"/assets/"+id, `{"autoUpdate":{"strategy":"WEBHOOK"}}`).JSON(t)
	hook, _ := res["webhook"].(map[string]any)
	if hook == nil || hook["signingSecret"] == nil || !strings.HasPrefix(str(t, hook, "webhookUrl"), c.M.URL+"/v1/tenants/acme/webhooks/") {
		t.Fatalf("PATCH = %v", res)
	}
	secret := str(t, hook, "signingSecret")
	got := c.Must(200, "GET", api+"/assets/"+id, "")
	if strings.Contains(string(got.Body), secret) || strings.Contains(string(got.Body), "webhookUrl") {
		t.Fatalf("GET shows the webhook: %s", got.Body)
	}
	if list := c.Must(200, "GET", api+"/assets", ""); strings.Contains(string(list.Body), secret) {
		t.Fatal("the list shows the secret")
	}
	again := c.Must(200, "POST", api+"/assets/"+id+":regenerateWebhook", "").JSON(t)
	if again["id"] != hook["id"] || again["signingSecret"] == secret || again["webhookUrl"] == hook["webhookUrl"] {
		t.Fatalf("regenerated = %v, was %v", again, hook)
	}
	c.Must(200, "PATCH", api+"/assets/"+id, `{"disableAutoUpdate":true,"autoUpdate":{"strategy":"WEBHOOK"}}`)
	c.Problem(400, "POST", api+"/assets/"+id+":regenerateWebhook", "")
	if a := c.Must(200, "GET", api+"/assets/"+id, "").JSON(t); a["autoUpdate"] != false || a["autoUpdateConfig"] != nil {
		t.Fatalf("after disable: %v", a)
	}
}

func TestAssetOAuthFlow(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	p := c.Problem(400, "POST", api+"/assets:authorize", `{"sourceType":"file"}`)
	if !strings.Contains(fmt.Sprint(p["errors"]), "sourceType") {
		t.Errorf("400 = %v", p)
	}
	c.Problem(400, "POST", api+"/assets:authorize", `{"sourceType":""}`)
	u := str(t, c.Must(200, "POST", api+"/assets:authorize", `{"sourceType":"google_drive"}`).JSON(t), "authorizationUrl")
	parsed, err := url.Parse(u)
	if err != nil || parsed.Path != "/_mock/oauth/authorize" {
		t.Fatalf("authorizationUrl = %q", u)
	}
	// Approve on the consent page, as CI does (JSON).
	req, _ := http.NewRequest("POST", c.M.URL+"/_mock/oauth/authorize",
		strings.NewReader(url.Values{"state": {parsed.Query().Get("state")}, "decision": {"approve"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.M.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	key := (&apitest.Answer{Status: resp.StatusCode, Body: body}).JSON(t)["oAuthCredentialKey"].(string)

	// Anonymous per the spec (security: []); sent with the client's bearer
	// until the server honours an operation's empty security.
	path := api + "/assets:oauthCredentials?credentialKey=" + url.QueryEscape(key)
	cred := c.Must(200, "GET", path, "").JSON(t)
	if str(t, cred, "accessToken") == "" || cred["tokenType"] != "Bearer" || cred["expiresAt"] == nil {
		t.Fatalf("credentials = %v", cred)
	}
	p = c.Problem(400, "GET", path, "")
	if !strings.Contains(fmt.Sprint(p["errors"]), "already used") {
		t.Errorf("reuse = %v", p)
	}
	c.Problem(400, "GET", api+"/assets:oauthCredentials", "")
	c.Problem(400, "GET", api+"/assets:oauthCredentials?credentialKey=nope", "")
	// The tokens go in as auth on create, and never come back out.
	res := c.Must(200, "POST", api+"/assets", fmt.Sprintf(`{"config":{"sourceType":"google_drive"},"auth":{"accessToken":%q}}`, cred["accessToken"]))
	if strings.Contains(string(res.Body), cred["accessToken"].(string)) {
		t.Fatal("the create answer shows the access token")
	}
}

func TestImport(t *testing.T) {
	c, clock := start(t, mockserver.Config{})
	c.Problem(400, "POST", api+"/assets:import", `{"fileId":"f1"}`) // vectorize defaults to true
	c.Problem(400, "POST", api+"/assets:import", `{"fileId":""}`)
	a := c.Must(200, "POST", api+"/assets:import", `{"fileId":"f1","embeddingConfig":{"model":"m"}}`).JSON(t)["asset"].(map[string]any)
	if a["type"] != "file" || a["vectorized"] != true {
		t.Fatalf("import = %v", a)
	}
	clock.Advance(4 * time.Second)
	id := str(t, a, "id")
	if op := items(t, c.Must(200, "GET", api+"/assets/"+id+"/operations", ""))[0]; op["status"] != "COMPLETED" {
		t.Fatalf("import operation = %v", op)
	}
	if n := num(c.Must(200, "GET", api+"/assets/"+id+"/documents", "").JSON(t), "totalCount"); n != 0 {
		t.Fatalf("import documents = %d", n)
	}
}

// TestSessionsAndReset: a session's assets are its own, and a reset
// empties them.
func TestSessionsAndReset(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	id := createDrive(t, c, "Shared")
	c.Must(404, "GET", api+"/assets/"+id, "", mockserver.SessionHeader, "s1")
	if n := num(c.Must(200, "GET", api+"/assets", "", mockserver.SessionHeader, "s1").JSON(t), "totalCount"); n != 0 {
		t.Fatalf("session sees %d shared assets", n)
	}
	c.M.Server.Reset()
	c.Problem(404, "GET", api+"/assets/"+id, "")
}

func TestStrictTenants(t *testing.T) {
	c, _ := start(t, mockserver.Config{StrictTenants: true})
	c.Problem(404, "GET", "/v1/tenants/nobody/assets", "")
	c.Problem(404, "POST", "/v1/tenants/nobody/assets", `{"config":{"sourceType":"notion"}}`)
}

// TestJournalRedactsAssetSecrets: the OAuth tokens handed out, the auth
// given on create and a minted webhook's key and secret never show in the
// journal's detail view.
func TestJournalRedactsAssetSecrets(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	const token = "ya29.ASSET-CANARY-7d1e5b"
	res := c.Must(200, "POST", api+"/assets", `{"config":{"sourceType":"google_drive"},"auth":{"accessToken":"`+token+`"},
 "autoUpdate":{"strategy":"WEBHOOK"}}`).JSON(t)
	hook := res["webhook"].(map[string]any)
	secrets := []string{token, str(t, hook, "signingSecret")}
	parts := strings.Split(str(t, hook, "webhookUrl"), "/")
	secrets = append(secrets, parts[len(parts)-1])

	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(c.Must(200, "GET", "/_mock/journal", "").Body, &list); err != nil || len(list.Items) == 0 {
		t.Fatalf("journal: %v %+v", err, list)
	}
	for _, e := range list.Items {
		body := string(c.Must(200, "GET", fmt.Sprintf("/_mock/journal/%d", e.ID), "").Body)
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("journal entry %d shows %q: %.300s", e.ID, s, body)
			}
		}
	}
}
