package proxy

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/fruxon/fruxon-mock/validator"
)

// Entry is one proxied exchange, secrets redacted.
type Entry struct {
	Time        int64   `json:"time"`
	Method      string  `json:"method"`
	Path        string  `json:"path"`
	OperationID *string `json:"operationId"`
	Session     *string `json:"session"`
	// Status is what the client got; TargetStatus what the target
	// answered (0 when it did not answer). They differ under --strict.
	Status       int                 `json:"status"`
	TargetStatus int                 `json:"targetStatus"`
	DurationMs   float64             `json:"durationMs"`
	Findings     []validator.Finding `json:"findings"`
	// Violation says the target's answer broke the contract.
	Violation bool `json:"violation"`
	// Error is why the target gave no usable answer (down, timeout).
	Error string `json:"error,omitempty"`
	// Notes say what was not checked and why (a stream, a body over the
	// cap).
	Notes []string `json:"notes,omitempty"`
}

// Journal keeps the last entries, and counts every exchange for the
// summary.
type Journal struct {
	mu sync.Mutex
	// guards ring, next, full, ops and findings
	ring     []Entry
	next     int
	full     bool
	ops      map[string]*opCount
	findings map[string]int
}

type opCount struct {
	requests, withFindings, requestFindings, responseFindings, targetErrors int
}

func newJournal(size int) *Journal {
	if size <= 0 {
		size = 1000
	}
	return &Journal{ring: make([]Entry, size), ops: map[string]*opCount{}, findings: map[string]int{}}
}

func (j *Journal) record(e Entry) {
	op := "(unmatched)"
	if e.OperationID != nil {
		op = *e.OperationID
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring[j.next] = e
	j.next = (j.next + 1) % len(j.ring)
	if j.next == 0 {
		j.full = true
	}
	c := j.ops[op]
	if c == nil {
		c = &opCount{}
		j.ops[op] = c
	}
	c.requests++
	if len(e.Findings) > 0 {
		c.withFindings++
	}
	if e.Error != "" {
		c.targetErrors++
	}
	for _, f := range e.Findings {
		if f.Side == validator.Request {
			c.requestFindings++
		} else {
			c.responseFindings++
		}
		j.findings[op+" "+f.String()]++
	}
}

// List returns the entries, newest first, at most limit (0: all kept).
func (j *Journal) List(limit int) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.next
	if j.full {
		n = len(j.ring)
	}
	out := make([]Entry, 0, n)
	for i := 1; i <= n; i++ {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, j.ring[(j.next-i+len(j.ring))%len(j.ring)])
	}
	return out
}

// Clear drops the kept entries (the summary's counts stay).
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.ring)
	j.next, j.full = 0, false
}

// Totals are the summary's headline numbers.
type Totals struct {
	Exchanges, WithFindings, TargetErrors int
}

// Totals counts every exchange since the start.
func (j *Journal) Totals() Totals {
	j.mu.Lock()
	defer j.mu.Unlock()
	var t Totals
	for _, c := range j.ops {
		t.Exchanges += c.requests
		t.WithFindings += c.withFindings
		t.TargetErrors += c.targetErrors
	}
	return t
}

// WriteSummary prints the counts per operation and per finding.
func (j *Journal) WriteSummary(w io.Writer) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	var b strings.Builder
	ops := make([]string, 0, len(j.ops))
	total, bad := 0, 0
	for op, c := range j.ops {
		ops = append(ops, op)
		total += c.requests
		bad += c.withFindings
	}
	sort.Strings(ops)
	fmt.Fprintf(&b, "proxy summary: %d exchanges, %d with findings\n", total, bad)
	if total > 0 {
		fmt.Fprintf(&b, "%-34s %8s %9s %10s %11s\n", "operation", "requests", "findings", "req. find.", "resp. find.")
		for _, op := range ops {
			c := j.ops[op]
			fmt.Fprintf(&b, "%-34s %8d %9d %10d %11d\n", op, c.requests, c.withFindings, c.requestFindings, c.responseFindings)
		}
	}
	if len(j.findings) > 0 {
		keys := make([]string, 0, len(j.findings))
		for k := range j.findings {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, c int) bool {
			if j.findings[keys[a]] != j.findings[keys[c]] {
				return j.findings[keys[a]] > j.findings[keys[c]]
			}
			return keys[a] < keys[c]
		})
		b.WriteString("findings:\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "%6d× %s\n", j.findings[k], k)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
