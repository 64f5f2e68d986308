package state_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/state"
)

// TestMemory10kIntegrations holds 10,000 integrations × 5 configs (with
// sealed secrets, 2 revisions each) in well under the 200 MB budget.
func TestMemory10kIntegrations(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: fills the store")
	}
	s, _ := newStore(t, state.Options{})
	before := heap()
	md := acme().ConfigMetadata
	for i := range 10_000 {
		id := fmt.Sprintf("int-%05d", i)
		if _, _, err := s.CreateIntegration("t1", state.CreateIntegrationInput{ID: &id, DisplayName: &id, ConfigMetadata: md}); err != nil {
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
