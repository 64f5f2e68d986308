package fuzz

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios/junit"
)

// Report is the outcome of a run.
type Report struct {
	Seed     uint64        `json:"seed"`
	Target   string        `json:"target"`
	Tenant   string        `json:"tenant"`
	Requests int           `json:"requests"` // every request sent, shrinking included
	Passed   int           `json:"passed"`   // checked answers that passed
	Failed   int           `json:"failed"`   // checked answers that failed
	Duration time.Duration `json:"durationNs"`
	TimedOut bool          `json:"timedOut"`
	// Failures holds one entry per distinct failure (operation, check,
	// case); Count says how often it recurred.
	Failures   []*Failure  `json:"failures"`
	Operations []*OpStats  `json:"operations"`
	Cleanup    CleanupStat `json:"cleanup"`
}

// OpStats counts one operation's (or chain's) checked answers.
type OpStats struct {
	Operation string `json:"operation"`
	Passed    int    `json:"passed"`
	Failed    int    `json:"failed"`
}

// CleanupStat says what the end-of-run deletion did.
type CleanupStat struct {
	Deleted int      `json:"deleted"`
	Gone    int      `json:"alreadyGone"`
	Failed  int      `json:"failed"`
	Left    []string `json:"left,omitempty"`
}

// Failure is one failed check, shrunk, with what a human needs to
// reproduce it.
type Failure struct {
	Operation string `json:"operation"`
	Check     string `json:"check"`
	Case      string `json:"case"`
	Message   string `json:"message"`
	Status    int    `json:"status"`
	// Curl reproduces the (shrunk) request; $FRUXON_TOKEN stands for the
	// credential.
	Curl    string `json:"curl"`
	Excerpt string `json:"excerpt"`
	Seed    uint64 `json:"seed"`
	Count   int    `json:"count"`
	// Shrunk says how many reductions the shrinker kept.
	Shrunk int `json:"shrunk"`
	// Request is the shrunk request itself, to send again. It carries the
	// credentials, so it is left out of JSON.
	Request *Request `json:"-"`
	// first is the message of the first occurrence, the key repeats match.
	first string
	chain bool // a chain step's failure is kept apart: it can't be shrunk
}

func (r *Report) op(id string) *OpStats {
	for _, s := range r.Operations {
		if s.Operation == id {
			return s
		}
	}
	s := &OpStats{Operation: id}
	r.Operations = append(r.Operations, s)
	return s
}

// OK reports whether nothing failed.
func (r *Report) OK() bool { return r.Failed == 0 }

// Summary is the closing line.
func (r *Report) Summary() string {
	rate := 0.0
	if s := r.Duration.Seconds(); s > 0 {
		rate = float64(r.Requests) / s
	}
	line := fmt.Sprintf("%d passed, %d failed (%d distinct); %d requests in %s (%.0f/s), seed %d",
		r.Passed, r.Failed, len(r.Failures), r.Requests, r.Duration.Round(time.Millisecond), rate, r.Seed)
	if r.TimedOut {
		line += "; stopped at --time"
	}
	if c := r.Cleanup; c.Deleted+c.Gone+c.Failed > 0 {
		line += fmt.Sprintf("; cleanup: %d deleted, %d already gone, %d failed", c.Deleted, c.Gone, c.Failed)
	}
	return line
}

// WriteText prints every failure with its reproducer, then the summary.
func (r *Report) WriteText(w io.Writer) error {
	for i, f := range r.Failures {
		fmt.Fprintf(w, "\nFAIL %d: %s — %s\n  case:    %s\n  why:     %s\n", i+1, f.Operation, f.Check, f.Case, f.Message)
		if f.Count > 1 {
			fmt.Fprintf(w, "  seen:    %d times\n", f.Count)
		}
		fmt.Fprintf(w, "  answer:  %d %s\n  repro (seed %d, shrunk %d steps):\n    %s\n", f.Status, f.Excerpt, f.Seed, f.Shrunk, f.Curl)
	}
	for _, l := range r.Cleanup.Left {
		fmt.Fprintf(w, "cleanup left %s\n", l)
	}
	_, err := fmt.Fprintln(w, r.Summary())
	return err
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(r)
}

// JUnit is the report as a JUnit suite: a test case per operation that
// had no failure, and one per distinct failure, with its reproducer.
func (r *Report) JUnit() junit.Report {
	s := junit.Suite{Name: fmt.Sprintf("fruxon-mock fuzz (seed %d)", r.Seed), Time: junit.Seconds(r.Duration)}
	for _, o := range r.Operations {
		if o.Failed == 0 {
			s.Cases = append(s.Cases, junit.Case{Name: fmt.Sprintf("%s (%d checked)", o.Operation, o.Passed), Classname: "fuzz." + o.Operation})
		}
	}
	for _, f := range r.Failures {
		var text strings.Builder
		fmt.Fprintf(&text, "case: %s\nwhy: %s\nanswer: %d %s\nseed: %d\nrepro:\n%s\n", f.Case, f.Message, f.Status, f.Excerpt, f.Seed, f.Curl)
		s.Cases = append(s.Cases, junit.Case{
			Name: f.Check + ": " + f.Case, Classname: "fuzz." + f.Operation,
			Failure: &junit.Detail{Message: f.Message, Type: f.Check, Text: text.String()},
		})
	}
	return junit.Report{Suites: []junit.Suite{s}}
}

// excerpt is the start of a body, on one line.
func excerpt(b []byte) string {
	const max = 300
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
