package integrations_test

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// TestMemory10kIntegrations holds 10,000 integrations × 5 configs (with
// sealed secrets, 2 revisions each) in well under the 200 MB budget.
func TestMemory10kIntegrations(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: fills the store")
	}
	s, _ := newStore(t, integrations.Options{})
	before := heap()
	md := acme().ConfigMetadata
	for i := range 10_000 {
		id := fmt.Sprintf("int-%05d", i)
		if _, _, err := s.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: &id, DisplayName: &id, ConfigMetadata: md}); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			in := validConfig()
			in.Auth = apiKeyAuth(fmt.Sprintf("sk-%d", i))
			c, _, err := s.CreateConfig("t1", id, in, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.PublishConfig("t1", id, c.ID, "", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	used := heap() - before
	t.Logf("10,000 integrations × 5 configs: %.1f MB of heap", float64(used)/(1<<20))
	if used > 100<<20 {
		t.Errorf("heap grew by %d MB, want < 100 MB (budget: 200 MB RSS)", used>>20)
	}
	runtime.KeepAlive(s)
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkStoreMemory fills a store with 10,000 integrations × 5 configs
// the way the API does (bodies decoded by encoding/json: loadbench's
// ≈1 KB create body, and config bodies with a sealed API key) and reports
// the live heap it holds per integration (its 5 configs included) and the
// number of heap objects, which the GC scans and which pin heap spans.
// "same" gives every integration the same metadata, as integrations made
// from one template have; "distinct" varies a parameter's description, so
// no two integrations' metadata are equal. Run with
//
//	go test -run X -bench StoreMemory -benchtime 1x ./mockserver/integrations
//
// With STATE_HEAPPROFILE=file (and -memprofilerate 1) it writes a heap
// profile of the filled store to file: the live objects, by allocation site.
func BenchmarkStoreMemory(b *testing.B) {
	const n, m = 10_000, 5
	for _, distinct := range []bool{false, true} {
		name := "same"
		if distinct {
			name = "distinct"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s, _ := newStore(b, integrations.Options{})
				before := memStats()
				for i := range n {
					body := strings.Replace(integrations.LoadCreateBody, `"id":"acme-crm"`, `"id":"int-`+strconv.Itoa(i)+`"`, 1)
					if distinct {
						body = strings.Replace(body, "Data residency region", "Data residency region (shard "+strconv.Itoa(i)+")", 1)
					}
					var in integrations.CreateIntegrationInput
					if err := json.Unmarshal([]byte(body), &in); err != nil {
						b.Fatal(err)
					}
					it, _, err := s.CreateIntegration("t1", in)
					if err != nil {
						b.Fatal(err)
					}
					for j := range m {
						var c integrations.CreateConfigInput
						body := fmt.Sprintf(`{"displayName":"Config %d","parameters":{"region":"eu","limit":%d},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_%d_%d"}}}`, j, j+1, i, j)
						if err := json.Unmarshal([]byte(body), &c); err != nil {
							b.Fatal(err)
						}
						if _, _, err := s.CreateConfig("t1", it.ID, c, ""); err != nil {
							b.Fatal(err)
						}
					}
				}
				after := memStats()
				if p := os.Getenv("STATE_HEAPPROFILE"); p != "" {
					writeHeapProfile(b, p)
				}
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "live-B/integration")
				b.ReportMetric(float64(after.HeapObjects-before.HeapObjects)/n, "objects/integration")
				runtime.KeepAlive(s)
			}
		})
	}
}

func memStats() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}
