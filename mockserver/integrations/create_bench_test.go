package integrations_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// BenchmarkCreateIntegration creates integrations (the ≈1 KB acme() input,
// distinct ids) in a tenant already holding 100 or 100,000: the cost must
// not depend on the store's size (issue 12: within 1.2× of each other).
// Ids are interleaved with the existing ones, so a sorted insert would
// move half the store each time. Compare with
//
//	go test -run X -bench CreateIntegration -benchtime 20000x ./mockserver/integrations
func BenchmarkCreateIntegration(b *testing.B) {
	for _, size := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("in-%d", size), func(b *testing.B) {
			s, _ := newStore(b, integrations.Options{})
			for i := range size {
				if _, _, err := s.CreateIntegration("acme", integrations.CreateIntegrationInput{ID: ptr(fmt.Sprintf("it-%07d", i*10))}); err != nil {
					b.Fatal(err)
				}
			}
			// A list orders what the fill added, as one would in use.
			if _, err := s.ListIntegrations("acme", integrations.IntegrationFilter{Paging: integrations.Paging{Size: 1}}); err != nil {
				b.Fatal(err)
			}
			in := acme()
			i := 0
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				in.ID = ptr(fmt.Sprintf("it-%07d-%d", (i%size)*10, i))
				i++
				if _, _, err := s.CreateIntegration("acme", in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user+system CPU time: on a shared, loaded
// machine a steadier measure of work than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
