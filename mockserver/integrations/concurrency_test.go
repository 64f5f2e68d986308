package integrations_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// TestConcurrentUse runs creates, patches, publishes and reads in parallel;
// run it with -race. It also checks no write was lost.
func TestConcurrentUse(t *testing.T) {
	s, _ := withAcme(t)
	cfg := mustConfig(t, s, validConfig())
	const workers, perWorker = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*4)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				id := fmt.Sprintf("w%d-%d", w, i)
				if _, _, err := s.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: &id, DisplayName: &id}); err != nil {
					errs <- err
				}
				if _, _, err := s.CreateConfig("t1", "acme", validConfig(), id); err != nil {
					errs <- err
				}
				in := integrations.UpdateConfigInput{DisplayName: &id, Auth: &integrations.AuthInput{IntegrationAuthMetadataID: "apiKey", Parameters: map[string]any{"accountId": id}}}
				if _, _, err := s.UpdateConfig("t1", "acme", cfg.ID, in, ""); err != nil {
					errs <- err
				}
				if i%10 == 0 {
					if _, _, err := s.PublishConfig("t1", "acme", cfg.ID, "", id); err != nil {
						errs <- err
					}
				}
				if _, err := s.ListIntegrations("t1", integrations.IntegrationFilter{Search: "w"}); err != nil {
					errs <- err
				}
				if _, err := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction); err != nil && core.KindOf(err) != core.KindConflict {
					errs <- err
				}
				_ = s.Snapshot(nil)
				runtime.Gosched()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, _ := s.ListIntegrations("t1", integrations.IntegrationFilter{Search: "w", Paging: integrations.Paging{Size: 100}})
	n := len(all.Items)
	for all.NextPageToken != nil {
		all, _ = s.ListIntegrations("t1", integrations.IntegrationFilter{Search: "w", Paging: integrations.Paging{Size: 100, Cursor: *all.NextPageToken}})
		n += len(all.Items)
	}
	if n != workers*perWorker {
		t.Errorf("%d integrations, want %d", n, workers*perWorker)
	}
	revs, _ := s.ListRevisions("t1", "acme", cfg.ID, integrations.Paging{Size: 100, Cursor: ""})
	if len(revs.Items) != workers*perWorker/10 || revs.Items[0].Version != workers*perWorker/10 {
		t.Errorf("%d revisions, newest %d", len(revs.Items), revs.Items[0].Version)
	}
	// Concurrent updates with If-Match: exactly one of two racers on the same ETag wins.
	_, tag, _ := s.GetConfig("t1", "acme", cfg.ID)
	var won sync.WaitGroup
	results := make(chan error, 2)
	for range 2 {
		won.Go(func() {
			_, _, err := s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{}, tag)
			results <- err
		})
	}
	won.Wait()
	close(results)
	ok := 0
	for err := range results {
		if err == nil {
			ok++
		} else if core.KindOf(err) != core.KindConflict {
			t.Error(err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of 2 racing If-Match updates succeeded, want 1", ok)
	}
}
