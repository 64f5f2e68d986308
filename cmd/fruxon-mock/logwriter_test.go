package main

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countedBuffer counts the writes it takes.
type countedBuffer struct {
	lockedBuffer
	writes atomic.Int64
}

func (c *countedBuffer) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.lockedBuffer.Write(p)
}

func (c *countedBuffer) read() (string, int) { return c.String(), int(c.writes.Load()) }

// TestBatchWriter: the first line after a quiet spell is written at once;
// lines that follow within logBatch wait and go out together, in order;
// Flush writes what waits; concurrent lines arrive whole.
func TestBatchWriter(t *testing.T) {
	out := &countedBuffer{}
	w := newBatchWriter(out)
	fmt.Fprintln(w, "first")
	if got, _ := out.read(); got != "first\n" {
		t.Fatalf("the first line is not written at once: %q", got)
	}
	fmt.Fprintln(w, "second")
	fmt.Fprintln(w, "third")
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, writes := out.read()
		if got == "first\nsecond\nthird\n" {
			if writes != 2 {
				t.Fatalf("%d writes for a line and a batch of two", writes)
			}
			break
		}
		if got != "first\n" || time.Now().After(deadline) {
			t.Fatalf("the batch never came, or came wrong: %q", got)
		}
		time.Sleep(time.Millisecond)
	}

	// Many writers: after Flush, every line is there, whole, each
	// writer's in its order, in far fewer writes than lines.
	out = &countedBuffer{}
	w = newBatchWriter(out)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				fmt.Fprintf(w, "g=%d i=%d %s\n", g, i, strings.Repeat("x", 40))
			}
		}()
	}
	wg.Wait()
	w.Flush()
	got, writes := out.read()
	next := map[int]int{}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	for _, line := range lines {
		var g, i int
		var rest string
		if n, _ := fmt.Sscanf(line, "g=%d i=%d %s", &g, &i, &rest); n != 3 || rest != strings.Repeat("x", 40) || i != next[g] {
			t.Fatalf("line %q: broken, or out of its writer's order (want i=%d)", line, next[g])
		}
		next[g]++
	}
	if len(lines) != 16000 {
		t.Fatalf("%d lines, want 16000", len(lines))
	}
	if writes >= len(lines)/2 {
		t.Errorf("%d writes for %d lines: not batched", writes, len(lines))
	}
}
