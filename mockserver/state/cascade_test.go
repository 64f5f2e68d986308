package state_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

func TestDeleteIntegration(t *testing.T) {
	st, _ := withAcme(t)
	s, tl := st.Integrations(), st.Tools()
	cfg := mustConfig(t, s, validConfig())
	if _, _, err := tl.CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr("list"), Descriptor: getTool()}); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.DeleteIntegration("t1", "acme", ""), core.KindConflict)
	wantKind(t, s.DeleteIntegration("t1", "acme", `"999999"`), core.KindConflict)
	if err := s.DeleteConfig("t1", "acme", cfg.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteIntegration("t1", "acme", ""); err != nil {
		t.Fatalf("delete without configs (tools go with it): %v", err)
	}
	_, _, err := s.GetIntegration("t1", "acme")
	wantKind(t, err, core.KindNotFound)
	// Re-created with the same id: the old tools are gone, the old ETag stale.
	if _, _, err := s.CreateIntegration("t1", acme()); err != nil {
		t.Fatal(err)
	}
	_, _, err = tl.GetTool("t1", "acme", "list")
	wantKind(t, err, core.KindNotFound)
}

// TestDeleteConfigDropsRuns: a config's runs go with it, and a config
// re-created under the same id (a restore can do that) starts with none.
func TestDeleteConfigDropsRuns(t *testing.T) {
	st, _ := withAcme(t)
	cfg := mustConfig(t, st.Integrations(), validConfig())
	if _, err := st.Tools().RecordRun("t1", "acme", cfg.ID, tools.ToolRun{ToolID: "x", Response: tools.RunResponse{Status: 200}}); err != nil {
		t.Fatal(err)
	}
	baseline := st.Snapshot()
	if err := st.Integrations().DeleteConfig("t1", "acme", cfg.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err := st.Tools().ListRuns("t1", "acme", cfg.ID, 0, "")
	wantKind(t, err, core.KindNotFound)
	if got := st.Snapshot().Tenants["t1"].Tools.Runs; len(got) != 0 {
		t.Fatalf("runs of a deleted config kept: %v", got)
	}
	if err := st.Restore(baseline); err != nil {
		t.Fatal(err)
	}
	if p, err := st.Tools().ListRuns("t1", "acme", cfg.ID, 0, ""); err != nil || len(p.Items) != 1 {
		t.Fatalf("restored runs = %v, %v", p, err)
	}
}

// TestToolCreateRacesIntegrationDelete: a tool created while its
// integration is deleted either fails or goes with it; none survives into
// the integration re-created afterwards. Run it with -race.
func TestToolCreateRacesIntegrationDelete(t *testing.T) {
	st, _ := newStore(t, state.Options{})
	s, tl := st.Integrations(), st.Tools()
	for i := range 200 {
		if _, _, err := s.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: ptr("x")}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			_, _, err := tl.CreateTool("t1", "x", tools.CreateToolInput{ID: ptr(fmt.Sprintf("t%d", i)), Descriptor: getTool()})
			if err != nil && core.KindOf(err) != core.KindNotFound {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if err := s.DeleteIntegration("t1", "x", ""); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		if _, _, err := s.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: ptr("x")}); err != nil {
			t.Fatal(err)
		}
		if p, err := tl.ListTools("t1", "x", tools.ListQuery{}); err != nil || len(p.Items) != 0 {
			t.Fatalf("round %d: the re-created integration has tools %v (%v)", i, p.Items, err)
		}
		if err := s.DeleteIntegration("t1", "x", ""); err != nil {
			t.Fatal(err)
		}
	}
}
