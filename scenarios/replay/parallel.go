package replay

import (
	"context"
	"sync"

	"github.com/fruxon/fruxon-mock/scenarios"
)

// run runs the scenarios, Options.Parallel at a time, and emits each one's
// report in list order as soon as it and those before it are done, so the
// output of a parallel run is the serial run's. Each scenario already uses
// a session of its own (X-Fruxon-Mock-Session), so concurrent scenarios
// don't see each other's writes on a fruxon-mock.
func (x *replayer) run(ctx context.Context, list []*scenarios.Scenario) {
	n := x.opts.Parallel
	if n <= 1 {
		for _, s := range list {
			x.emit(s, x.scenario(ctx, s))
		}
		return
	}
	done := make([]chan ScenarioReport, len(list))
	for i := range done {
		done[i] = make(chan ScenarioReport, 1)
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, s := range list {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				done[i] <- x.scenario(ctx, s)
			}()
		}
	}()
	for i, s := range list {
		x.emit(s, <-done[i])
	}
	wg.Wait()
}
