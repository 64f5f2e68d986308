package journal_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/journal"
	"github.com/fruxon/fruxon-mock/validator"
)

func entry(i, status int, path string) journal.Entry {
	return journal.Entry{Time: int64(i), Method: "GET", Path: path, Status: status, TraceID: fmt.Sprint(i)}
}

func TestRing(t *testing.T) {
	j := journal.New(3)
	if got := j.List(journal.Filter{}); got == nil || len(got) != 0 {
		t.Fatalf("empty journal lists %v", got)
	}
	for i := range 5 {
		j.Record(entry(i, 200, "/v1/tenants/acme/integrations"))
	}
	got := j.List(journal.Filter{})
	if len(got) != 3 || got[0].Time != 4 || got[2].Time != 2 {
		t.Fatalf("ring of 3 after 5: %+v", got)
	}
	j.Clear()
	if n := len(j.List(journal.Filter{})); n != 0 {
		t.Fatalf("%d after clear", n)
	}
	if journal.New(0).Size() != journal.DefaultSize {
		t.Fatal("default size")
	}
}

func TestFilters(t *testing.T) {
	j := journal.New(10)
	j.Record(entry(1, 200, "/v1/tenants/acme/integrations"))
	j.Record(entry(2, 400, "/v1/tenants/acme/integrations/crm/configs"))
	j.Record(entry(3, 404, "/v1/tenants/globex/integrations"))
	j.Record(entry(4, 400, "/v1/tenants/globex/integrations"))
	for _, tt := range []struct {
		name string
		f    journal.Filter
		want []int64
	}{
		{"all", journal.Filter{}, []int64{4, 3, 2, 1}},
		{"path prefix", journal.Filter{PathPrefix: "/v1/tenants/acme/"}, []int64{2, 1}},
		{"status", journal.Filter{Status: 400}, []int64{4, 2}},
		{"both", journal.Filter{PathPrefix: "/v1/tenants/globex", Status: 400}, []int64{4}},
		{"limit", journal.Filter{Limit: 2}, []int64{4, 3}},
		{"nothing", journal.Filter{Status: 500}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []int64
			for _, e := range j.List(tt.f) {
				got = append(got, e.Time)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	j := journal.New(50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 100 {
				j.Record(entry(g*1000+i, 200, "/x"))
			}
		}()
		go func() {
			defer wg.Done()
			for range 20 {
				j.List(journal.Filter{Status: 200})
			}
		}()
	}
	wg.Wait()
	if n := len(j.List(journal.Filter{})); n != 50 {
		t.Fatalf("%d entries, want 50", n)
	}
}

func TestSinceAndGet(t *testing.T) {
	j := journal.New(3)
	for i := 1; i <= 5; i++ {
		e := entry(i, 200, "/v1/tenants/acme/integrations")
		e.ID = int64(i)
		j.Record(e)
	}
	got := j.List(journal.Filter{Since: 3})
	if len(got) != 2 || got[0].ID != 5 || got[1].ID != 4 {
		t.Fatalf("since 3: %+v", got)
	}
	if got := j.List(journal.Filter{Since: 5}); len(got) != 0 {
		t.Fatalf("since the newest: %+v", got)
	}
	if got := j.List(journal.Filter{Since: 1}); len(got) != 3 {
		t.Fatalf("since an entry the ring dropped: %d entries, want all 3", len(got))
	}
	if e, ok := j.Get(4); !ok || e.ID != 4 || e.TraceID != "4" {
		t.Fatalf("get 4: %+v %v", e, ok)
	}
	for _, id := range []int64{0, 1, 6} {
		if _, ok := j.Get(id); ok {
			t.Errorf("get %d found an entry the ring doesn't hold", id)
		}
	}
}

// TestFindingsOnTheWire holds the control plane's Finding shape: where,
// message, and a field that is null when there is none; an entry without
// findings lists them as [], and a listed entry reads back as it was.
func TestFindingsOnTheWire(t *testing.T) {
	j := journal.New(2)
	j.Record(entry(1, 200, "/clean"))
	e := entry(2, 400, "/broken")
	e.Findings = journal.Findings{
		{Finding: validator.Finding{Side: validator.Request, In: "body", Field: "displayName", Message: "must be at most 100 characters"}, Kind: journal.KindRefusal},
		{Finding: validator.Finding{Side: validator.Response, In: "status", Message: "status 418 is not declared for getIntegration"}, Kind: journal.KindViolation},
	}
	j.Record(e)
	got, err := json.Marshal(j.List(journal.Filter{}))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"id":0,"time":2,"traceId":"2","method":"GET","path":"/broken","status":400,"durationMs":0,"tenant":null,"scenario":null,` +
		`"findings":[{"where":"request","kind":"refusal","message":"must be at most 100 characters","field":"displayName"},` +
		`{"where":"response","kind":"violation","message":"status 418 is not declared for getIntegration","field":null}],` +
		`"violation":false,"session":null,"operationId":null},` +
		`{"id":0,"time":1,"traceId":"1","method":"GET","path":"/clean","status":200,"durationMs":0,"tenant":null,"scenario":null,` +
		`"findings":[],"violation":false,"session":null,"operationId":null}]`
	if string(got) != want {
		t.Fatalf("on the wire:\n%s\nwant:\n%s", got, want)
	}
	var back []journal.Entry
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(back); string(again) != want {
		t.Errorf("read back and written again:\n%s\nwant:\n%s", again, want)
	}
}
