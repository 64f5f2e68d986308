package har

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
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

type junitSuites struct {
	XMLName xml.Name   `xml:"testsuites"`
	Suites  []junitSet `xml:"testsuite"`
}

type junitSet struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string     `xml:"name,attr"`
	Classname string     `xml:"classname,attr"`
	Failure   *junitText `xml:"failure"`
	Error     *junitText `xml:"error"`
	Skipped   *junitText `xml:"skipped"`
}

type junitText struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes a JUnit XML report: a test case per entry (failed on
// a finding, an error when unreadable, skipped when not in the spec).
func (r *Report) WriteJUnit(w io.Writer, name string) error {
	set := junitSet{Name: name, Tests: len(r.Results), Failures: r.Violations, Errors: r.Unreadable, Skipped: r.Skipped}
	for _, res := range r.Results {
		c := junitCase{Name: res.title(), Classname: "validate-traffic"}
		if res.OperationID != "" {
			c.Classname += "." + res.OperationID
		}
		switch {
		case res.Error != "":
			c.Error = &junitText{Message: res.Error}
		case res.Skipped != "":
			c.Skipped = &junitText{Message: res.Skipped}
		case len(res.Findings) > 0:
			lines := make([]string, len(res.Findings))
			for i, f := range res.Findings {
				lines[i] = f.String()
			}
			c.Failure = &junitText{Message: lines[0], Body: strings.Join(lines, "\n")}
		}
		set.Cases = append(set.Cases, c)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSet{set}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
