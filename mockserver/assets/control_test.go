package assets_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
)

const control = "/_mock/tenants/acme/assets/"

// uploadOp uploads the handbook and answers its asset id and the path of
// its operation (under api) and of the operation's control.
func uploadOp(t *testing.T, c *apitest.Client, headers ...string) (id, opPath, ctl string) {
	t.Helper()
	a := upload(t, c, "handbook.md", "text/markdown", strings.NewReader(handbook), vectorize)
	if a.Status != 200 {
		t.Fatalf("upload = %d %s", a.Status, a.Body)
	}
	id = str(t, a.JSON(t)["asset"].(map[string]any), "id")
	ops := items(t, c.Must(200, "GET", api+"/assets/"+id+"/operations", "", headers...))
	opID := str(t, ops[0], "id")
	return id, api + "/assets/" + id + "/operations/" + opID, control + id + "/operations/" + opID + ":control"
}

func TestIngestionPace(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	if p := c.Must(200, "GET", "/_mock/assets/ingestion", "").JSON(t); p["mode"] != "watch" || num(p, "pendingMs") != 1000 || num(p, "runningMs") != 2000 {
		t.Fatalf("default pace = %v", p)
	}
	for _, tt := range []struct{ body, field string }{
		{`{}`, "mode"},
		{`{"mode":"slow"}`, "mode"},
		{`{"mode":"fast","pendingMs":5}`, "mode"},
		{`{"mode":"custom","pendingMs":5}`, "runningMs"},
		{`{"mode":"custom","pendingMs":-1,"runningMs":5}`, "pendingMs"},
	} {
		p := c.Problem(400, "PUT", "/_mock/assets/ingestion", tt.body)
		if _, ok := p["errors"].(map[string]any)[tt.field]; !ok {
			t.Errorf("%s: 400 does not name %s: %v", tt.body, tt.field, p)
		}
	}

	// fast: an upload's ingestion has ended by its first read, documents and all.
	c.Must(200, "PUT", "/_mock/assets/ingestion", `{"mode":"fast"}`)
	id, opPath, _ := uploadOp(t, c)
	if op := c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "COMPLETED" || num(op, "itemsProcessed") != 1 {
		t.Fatalf("fast: %v", op)
	}
	if docs := items(t, c.Must(200, "GET", api+"/assets/"+id+"/documents", "")); len(docs) != 1 {
		t.Fatalf("fast: documents = %v", docs)
	}
	// custom, and the pace survives a reset (a setting, not state).
	c.Must(200, "PUT", "/_mock/assets/ingestion", `{"mode":"custom","pendingMs":10,"runningMs":20}`)
	c.Must(204, "POST", "/_mock/reset", "")
	if p := c.Must(200, "GET", "/_mock/assets/ingestion", "").JSON(t); p["mode"] != "custom" || num(p, "runningMs") != 20 {
		t.Fatalf("after reset = %v", p)
	}
	// A session has its own pace, starting at the server's.
	s := []string{"X-Fruxon-Mock-Session", "pace-test"}
	if p := c.Must(200, "GET", "/_mock/assets/ingestion", "", s...).JSON(t); p["mode"] != "watch" {
		t.Fatalf("session pace = %v", p)
	}
	c2, _ := start(t, mockserver.Config{IngestionPace: "manual"})
	if p := c2.Must(200, "GET", "/_mock/assets/ingestion", "", s...).JSON(t); p["mode"] != "manual" {
		t.Fatalf("--ingestion manual, session pace = %v", p)
	}
	if _, err := mockserver.New(mockserver.Config{IngestionPace: "slow"}); err == nil || !strings.Contains(err.Error(), "ingestion") {
		t.Errorf("IngestionPace slow: %v", err)
	}
}

func TestControlManualAdvanceFinish(t *testing.T) {
	c, clock := start(t, mockserver.Config{IngestionPace: "manual"})
	id, opPath, ctl := uploadOp(t, c)
	clock.Advance(time.Minute)
	if op := c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "PENDING" || op["startedAt"] != nil {
		t.Fatalf("manual, a minute later: %v", op)
	}
	// advance without byMs: to the next state, now.
	op := c.Must(200, "POST", ctl, `{"action":"advance"}`).JSON(t)
	if op["status"] != "RUNNING" || num(op, "startedAt") != int(clock.Now().UnixMilli()) {
		t.Fatalf("advance: %v (now %d)", op, clock.Now().UnixMilli())
	}
	c.Problem(404, "GET", api+"/assets/"+id+"/documents", "")
	clock.Advance(time.Minute) // still stalled: a manual operation moves only when told
	if op = c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "RUNNING" {
		t.Fatalf("stalled: %v", op)
	}
	op = c.Must(200, "POST", ctl, `{"action":"finish"}`).JSON(t)
	if op["status"] != "COMPLETED" || op["done"] != true || num(op, "completedAt") != int(clock.Now().UnixMilli()) || num(op, "chunkCount") < 2 {
		t.Fatalf("finish: %v", op)
	}
	docs := items(t, c.Must(200, "GET", api+"/assets/"+id+"/documents", ""))
	if len(docs) != 1 || num(docs[0], "chunkCount") != num(op, "chunkCount") {
		t.Fatalf("documents after finish = %v (op %v)", docs, op)
	}
	// An ended operation's outcome is final.
	p := c.Problem(409, "POST", ctl, `{"action":"fail"}`)
	if !strings.Contains(fmt.Sprint(p["detail"]), "COMPLETED") {
		t.Errorf("409 = %v", p)
	}
	// The rules of the body, and unknown ids.
	for _, tt := range []struct{ body, field string }{
		{`{}`, "action"},
		{`{"action":"jump"}`, "action"},
		{`{"action":"stall","byMs":5}`, "byMs"},
		{`{"action":"advance","errorMessage":"x"}`, "errorMessage"},
		{`{"action":"advance","byMs":-5}`, "byMs"},
	} {
		p := c.Problem(400, "POST", ctl, tt.body)
		if _, ok := p["errors"].(map[string]any)[tt.field]; !ok {
			t.Errorf("%s: 400 does not name %s: %v", tt.body, tt.field, p)
		}
	}
	c.Problem(404, "POST", control+id+"/operations/00000000-0000-4000-8000-000000000000:control", `{"action":"finish"}`)
	c.Problem(404, "POST", control+"00000000-0000-4000-8000-000000000000/operations/x:control", `{"action":"finish"}`)
}

func TestControlStallResumeAndFailAtAPoint(t *testing.T) {
	c, clock := start(t, mockserver.Config{})
	_, opPath, ctl := uploadOp(t, c)
	clock.Advance(1500 * time.Millisecond) // RUNNING, halfway
	c.Must(200, "POST", ctl, `{"action":"stall"}`)
	clock.Advance(time.Hour)
	if op := c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "RUNNING" {
		t.Fatalf("stalled an hour: %v", op)
	}
	c.Must(200, "POST", ctl, `{"action":"resume"}`)
	clock.Advance(1499 * time.Millisecond)
	if op := c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "RUNNING" {
		t.Fatalf("resumed, 1499ms: %v", op)
	}
	clock.Advance(time.Millisecond)
	if op := c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "COMPLETED" {
		t.Fatalf("resumed, 1500ms: %v", op)
	}

	// A failure armed 500ms into the run: it fails there, with its message,
	// and applies no documents (the asset was never ingested).
	id, opPath, ctl := uploadOp(t, c)
	clock.Advance(1200 * time.Millisecond)
	op := c.Must(200, "POST", ctl, `{"action":"fail","afterMs":300,"errorMessage":"source unreachable"}`).JSON(t)
	if op["status"] != "RUNNING" {
		t.Fatalf("armed: %v", op)
	}
	clock.Advance(299 * time.Millisecond)
	if op = c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "RUNNING" {
		t.Fatalf("before the failure point: %v", op)
	}
	clock.Advance(time.Millisecond)
	op = c.Must(200, "GET", opPath, "").JSON(t)
	if op["status"] != "FAILED" || op["errorMessage"] != "source unreachable" || op["done"] != true || num(op, "chunkCount") != 0 ||
		num(op, "completedAt") != int(clock.Now().UnixMilli()) {
		t.Fatalf("failed: %v", op)
	}
	c.Problem(404, "GET", api+"/assets/"+id+"/documents", "")
	a := c.Must(200, "GET", api+"/assets/"+id, "").JSON(t)
	if b := a["budget"].(map[string]any); num(b, "totalTokenCount") != 0 {
		t.Fatalf("a failed ingestion counted tokens: %v", b)
	}
	// A cancel signalled first wins over a later control action.
	_, opPath, ctl = uploadOp(t, c)
	c.Must(200, "POST", opPath+":cancel", "")
	c.Problem(409, "POST", ctl, `{"action":"finish"}`)
	clock.Advance(time.Millisecond)
	if op := c.Must(200, "GET", opPath, "").JSON(t); op["status"] != "CANCELLED" {
		t.Fatalf("cancelled: %v", op)
	}
}

// TestCancelRacingCompletion: many clients cancel an operation while a
// driver moves the clock and another finishes it through the control
// plane. Exactly one outcome wins, and every answer and every view of the
// asset agree with it. Run it under -race.
func TestCancelRacingCompletion(t *testing.T) {
	for round := range 12 {
		c, clock := start(t, mockserver.Config{})
		id, opPath, ctl := uploadOp(t, c)
		clock.Advance(time.Duration(900+round*50) * time.Millisecond)
		base := c.M.URL
		type seen struct {
			status      int
			op          map[string]any
			fromControl bool
		}
		var (
			mu  sync.Mutex
			all []seen
			wg  sync.WaitGroup
		)
		send := func(method, path, body string, fromControl bool) {
			req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
			req.Header.Set("Authorization", c.Auth)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := c.M.Client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var op map[string]any
			if resp.StatusCode == 200 {
				if err := json.Unmarshal(b, &op); err != nil {
					t.Error(err)
				}
			}
			mu.Lock()
			all = append(all, seen{resp.StatusCode, op, fromControl})
			mu.Unlock()
		}
		start := make(chan struct{})
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for range 5 {
					send("POST", opPath+":cancel", "", false)
					send("GET", opPath, "", false)
				}
			}()
		}
		wg.Add(2)
		go func() { // the clock driver
			defer wg.Done()
			<-start
			for range 40 {
				clock.Advance(50 * time.Millisecond)
			}
		}()
		go func() {
			defer wg.Done()
			<-start
			send("POST", ctl, `{"action":"finish"}`, true)
		}()
		close(start)
		wg.Wait()
		clock.Advance(10 * time.Second)

		final := c.Must(200, "GET", opPath, "").JSON(t)
		status := final["status"]
		if status != "CANCELLED" && status != "COMPLETED" {
			t.Fatalf("round %d: final = %v", round, final)
		}
		for _, s := range all {
			switch {
			case s.fromControl && s.status == 409:
				// the cancel was first
			case s.status != 200:
				t.Fatalf("round %d: an answer of %d", round, s.status)
			case s.op["done"] == true && (s.op["status"] != status || s.op["completedAt"] != final["completedAt"]):
				t.Fatalf("round %d: an answer said %v at %v, the final state is %v at %v", round, s.op["status"], s.op["completedAt"], status, final["completedAt"])
			case s.fromControl && s.op["status"] != status:
				t.Fatalf("round %d: finish answered %v, final %v", round, s.op["status"], status)
			}
		}
		// Every view agrees with the outcome.
		ops := items(t, c.Must(200, "GET", api+"/assets/"+id+"/operations", ""))
		if len(ops) != 1 || ops[0]["status"] != status || ops[0]["completedAt"] != final["completedAt"] {
			t.Fatalf("round %d: list = %v, final %v", round, ops, final)
		}
		budget := c.Must(200, "GET", api+"/assets/"+id, "").JSON(t)["budget"].(map[string]any)
		if status == "CANCELLED" {
			c.Problem(404, "GET", api+"/assets/"+id+"/documents", "")
			if num(budget, "totalTokenCount") != 0 || num(final, "chunkCount") != 0 {
				t.Fatalf("round %d: cancelled, yet budget %v op %v", round, budget, final)
			}
			continue
		}
		docs := c.Must(200, "GET", api+"/assets/"+id+"/documents", "").JSON(t)
		ds := items(t, &apitest.Answer{Body: mustJSON(t, docs)})
		if num(docs, "totalCount") != 1 || len(ds) != 1 || num(ds[0], "chunkCount") != num(final, "chunkCount") {
			t.Fatalf("round %d: documents %v, op %v", round, docs, final)
		}
		chunks := c.Must(200, "GET", api+"/assets/"+id+"/documents/"+str(t, ds[0], "id")+"/chunks", "").JSON(t)
		if num(chunks, "totalChunks") != num(final, "chunkCount") || num(budget, "totalTokenCount") != num(final, "tokenCount") {
			t.Fatalf("round %d: chunks %v, budget %v, op %v", round, chunks["totalChunks"], budget, final)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
