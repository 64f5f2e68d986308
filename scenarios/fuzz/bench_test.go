package fuzz_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios/fuzz"
)

// BenchmarkFuzzMock measures generated, sent and checked requests per
// second against the in-process mock (client and server share the CPU).
func BenchmarkFuzzMock(b *testing.B) {
	total, secs := 0, 0.0
	for b.Loop() {
		rep := runFuzz(b, newMock(b), fuzz.Options{MaxExamples: 20, Chains: 2, OversizeBytes: -1})
		total += rep.Requests
		secs += rep.Duration.Seconds()
	}
	b.ReportMetric(float64(total)/secs, "req/s")
}
