// Package junit writes test results as JUnit XML, the report CI systems
// read. replay, fuzz and validate-traffic each turn their report into a
// Report; Write puts it on the wire, so the three files share one shape.
package junit

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Report is a JUnit document: the suites of one run.
type Report struct {
	XMLName xml.Name `xml:"testsuites"`
	// Name names the run; empty leaves it out.
	Name string `xml:"name,attr,omitempty"`
	Counts
	// Time is how long the run took, in Seconds.
	Time   string  `xml:"time,attr,omitempty"`
	Suites []Suite `xml:"testsuite"`
}

// Counts are the totals of a report or a suite. Write counts them from the
// cases; what a caller sets is overwritten.
type Counts struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
}

// Suite is a named group of test cases.
type Suite struct {
	Name string `xml:"name,attr"`
	Counts
	Time string `xml:"time,attr,omitempty"`
	// File is the file the suite was read from; empty leaves it out.
	File  string `xml:"file,attr,omitempty"`
	Cases []Case `xml:"testcase"`
}

// Case is one test case. It passed when Failure, Error and Skipped are
// all nil; a caller sets at most one.
type Case struct {
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	Time      string `xml:"time,attr,omitempty"`
	// Failure: the check ran and did not hold.
	Failure *Detail `xml:"failure"`
	// Error: the case could not be checked (an unreadable input).
	Error *Detail `xml:"error"`
	// Skipped: the case was not run, and why.
	Skipped *Detail `xml:"skipped"`
}

// Detail says why a case failed, errored or was skipped.
type Detail struct {
	// Message is the one line a CI system shows.
	Message string `xml:"message,attr"`
	// Type is the kind of failure (the check that failed); empty leaves
	// it out.
	Type string `xml:"type,attr,omitempty"`
	// Text is the whole account, for the expanded view.
	Text string `xml:",chardata"`
}

// Seconds is a duration as JUnit's time attributes want it ("1.234"), or
// "" for zero, which leaves the attribute out.
func Seconds(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%.3f", d.Seconds())
}

// Write writes r as indented JUnit XML after the XML header, with every
// suite's counts and the report's totals counted from the cases.
func Write(w io.Writer, r Report) error {
	r.Counts = Counts{}
	r.Suites = slices.Clone(r.Suites)
	for i := range r.Suites {
		s := &r.Suites[i]
		s.Counts = count(s.Cases)
		r.Tests += s.Tests
		r.Failures += s.Failures
		r.Errors += s.Errors
		r.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func count(cases []Case) Counts {
	c := Counts{Tests: len(cases)}
	for _, tc := range cases {
		switch {
		case tc.Failure != nil:
			c.Failures++
		case tc.Error != nil:
			c.Errors++
		case tc.Skipped != nil:
			c.Skipped++
		}
	}
	return c
}

// WriteFile writes r to the file at path, creating its directory.
func WriteFile(path string, r Report) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := Write(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
