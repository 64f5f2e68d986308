package main

import (
	"runtime/debug"
	"testing"
)

// gogc reads GOGC (-1: off).
func gogc() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestPauseGC: the collector is off during overlapping starts, bounded by
// the start's memory limit, and only the last start's restore puts GOGC
// and GOMEMLIMIT back; a second call of a restore changes nothing.
func TestPauseGC(t *testing.T) {
	before, limit := gogc(), debug.SetMemoryLimit(-1)
	a := pauseGC()
	b := pauseGC()
	if gogc() != -1 {
		t.Errorf("GOGC %d during a start, want off", gogc())
	}
	if l := debug.SetMemoryLimit(-1); l != min(limit, startMemoryLimit) {
		t.Errorf("memory limit %d during a start", l)
	}
	a()
	a()
	if gogc() != -1 {
		t.Errorf("GOGC %d while another start is under way", gogc())
	}
	b()
	if gogc() != before || debug.SetMemoryLimit(-1) != limit {
		t.Errorf("GOGC %d, limit %d after the starts; want %d, %d", gogc(), debug.SetMemoryLimit(-1), before, limit)
	}
}
