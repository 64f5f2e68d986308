package har

import (
	"fmt"
	"io"
	"strings"

	"github.com/fruxon/fruxon-mock/scenarios/junit"
)

// Verdict is the exit status of a check: 1 on a violation, else 2 when
// some entry could not be read, else 0.
func (r *Report) Verdict() int {
	switch {
	case r.Violations > 0:
		return 1
	case r.Unreadable > 0:
		return 2
	}
	return 0
}

func (r Result) title() string {
	s := fmt.Sprintf("entry %d: %s %s", r.Index, r.Method, r.URL)
	if r.Status != 0 {
		s += fmt.Sprintf(" → %d", r.Status)
	}
	if r.OperationID != "" {
		s += " (" + r.OperationID + ")"
	}
	return s
}

// WriteText prints a line per entry that was checked with a finding,
// could not be read, or left a note, then a summary line. verbose also
// lists the clean and skipped entries.
func (r *Report) WriteText(w io.Writer, verbose bool) error {
	var b strings.Builder
	for _, res := range r.Results {
		switch {
		case res.Error != "":
			fmt.Fprintf(&b, "%s: unreadable: %s\n", res.title(), res.Error)
		case res.Skipped != "":
			if verbose {
				fmt.Fprintf(&b, "%s: skipped: %s\n", res.title(), res.Skipped)
			}
		case len(res.Findings) > 0:
			fmt.Fprintf(&b, "%s: %d finding(s)\n", res.title(), len(res.Findings))
			for _, f := range res.Findings {
				fmt.Fprintf(&b, "  %s\n", f)
			}
		case verbose || len(res.Notes) > 0:
			fmt.Fprintf(&b, "%s: ok\n", res.title())
		}
		for _, n := range res.Notes {
			fmt.Fprintf(&b, "  note: %s\n", n)
		}
	}
	fmt.Fprintf(&b, "%d entries: %d checked, %d with violations, %d skipped (not in the spec), %d unreadable\n",
		len(r.Results), r.Checked, r.Violations, r.Skipped, r.Unreadable)
	_, err := io.WriteString(w, b.String())
	return err
}

// JUnit is the report as a JUnit suite named name: a test case per entry,
// failed on a finding, an error when unreadable, skipped when not in the
// spec.
func (r *Report) JUnit(name string) junit.Report {
	set := junit.Suite{Name: name}
	for _, res := range r.Results {
		c := junit.Case{Name: res.title(), Classname: "validate-traffic"}
		if res.OperationID != "" {
			c.Classname += "." + res.OperationID
		}
		switch {
		case res.Error != "":
			c.Error = &junit.Detail{Message: res.Error}
		case res.Skipped != "":
			c.Skipped = &junit.Detail{Message: res.Skipped}
		case len(res.Findings) > 0:
			lines := make([]string, len(res.Findings))
			for i, f := range res.Findings {
				lines[i] = f.String()
			}
			c.Failure = &junit.Detail{Message: lines[0], Text: strings.Join(lines, "\n")}
		}
		set.Cases = append(set.Cases, c)
	}
	return junit.Report{Suites: []junit.Suite{set}}
}
