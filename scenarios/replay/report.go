package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios/junit"
)

// Outcome is how a step ended.
type Outcome string

// Step outcomes.
const (
	Passed  Outcome = "passed"
	Failed  Outcome = "failed"
	Skipped Outcome = "skipped"
)

func (o Outcome) label() string {
	switch o {
	case Passed:
		return "ok"
	case Failed:
		return "FAIL"
	}
	return "skip"
}

// Report is the outcome of a replay.
type Report struct {
	Run string `json:"run"`
	// Target and Compare are the two targets of a parity replay.
	Target    string           `json:"target,omitempty"`
	Compare   string           `json:"compare,omitempty"`
	Passed    int              `json:"passed"`
	Failed    int              `json:"failed"`
	Skipped   int              `json:"skipped"`
	Duration  time.Duration    `json:"-"`
	Scenarios []ScenarioReport `json:"scenarios"`
}

// ScenarioReport is the outcome of one scenario's steps.
type ScenarioReport struct {
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	File        string        `json:"file,omitempty"`
	Skipped     string        `json:"skipped,omitempty"` // why the whole scenario was skipped
	Duration    time.Duration `json:"-"`
	Steps       []StepReport  `json:"steps"`
}

// StepReport is the outcome of one step.
type StepReport struct {
	Name    string  `json:"name"`
	Outcome Outcome `json:"outcome"`
	// Reason says why the step failed (one line per problem) or was skipped.
	Reason   string        `json:"reason,omitempty"`
	Method   string        `json:"method,omitempty"`
	Path     string        `json:"path,omitempty"`
	Status   int           `json:"status,omitempty"`
	Duration time.Duration `json:"-"`
	// Divergences are how the compare target's answer differs (parity
	// mode); they are in Reason too.
	Divergences []Divergence `json:"divergences,omitempty"`
}

// Diverged counts the steps whose two answers differ (parity mode).
func (r *Report) Diverged() (steps, divergences int) {
	for _, sc := range r.Scenarios {
		for _, st := range sc.Steps {
			if len(st.Divergences) > 0 {
				steps++
				divergences += len(st.Divergences)
			}
		}
	}
	return steps, divergences
}

func (r *Report) count(s StepReport) {
	switch s.Outcome {
	case Passed:
		r.Passed++
	case Failed:
		r.Failed++
	default:
		r.Skipped++
	}
}

// OK reports whether no step failed.
func (r *Report) OK() bool { return r.Failed == 0 }

// Summary is the final line: "N passed, M failed" and ", K skipped" when
// any were.
func (r *Report) Summary() string {
	s := fmt.Sprintf("%d passed, %d failed", r.Passed, r.Failed)
	if r.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", r.Skipped)
	}
	return s
}

// WriteJSON writes the report as indented JSON; durations are in
// milliseconds and left out when zero.
func (r *Report) WriteJSON(w io.Writer) error {
	type step struct {
		StepReport
		DurationMS int64 `json:"durationMs,omitempty"`
	}
	type scenario struct {
		ScenarioReport
		Steps      []step `json:"steps"`
		DurationMS int64  `json:"durationMs,omitempty"`
	}
	out := struct {
		*Report
		Scenarios  []scenario `json:"scenarios"`
		DurationMS int64      `json:"durationMs,omitempty"`
	}{Report: r, DurationMS: r.Duration.Milliseconds(), Scenarios: []scenario{}}
	for _, s := range r.Scenarios {
		sc := scenario{ScenarioReport: s, DurationMS: s.Duration.Milliseconds(), Steps: []step{}}
		for _, st := range s.Steps {
			sc.Steps = append(sc.Steps, step{StepReport: st, DurationMS: st.Duration.Milliseconds()})
		}
		out.Scenarios = append(out.Scenarios, sc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// JUnit is the report as JUnit: a suite per scenario, a test case per
// step, failures with their reasons.
func (r *Report) JUnit() junit.Report {
	doc := junit.Report{Name: "fruxon-mock replay", Time: junit.Seconds(r.Duration)}
	for _, s := range r.Scenarios {
		suite := junit.Suite{Name: s.Name, Time: junit.Seconds(s.Duration), File: s.File}
		for _, st := range s.Steps {
			c := junit.Case{Name: st.Name, Classname: s.Name, Time: junit.Seconds(st.Duration)}
			first, _, _ := strings.Cut(st.Reason, "\n")
			switch st.Outcome {
			case Failed:
				c.Failure = &junit.Detail{Message: first, Text: st.Reason}
			case Skipped:
				c.Skipped = &junit.Detail{Message: first}
			}
			suite.Cases = append(suite.Cases, c)
		}
		doc.Suites = append(doc.Suites, suite)
	}
	return doc
}
