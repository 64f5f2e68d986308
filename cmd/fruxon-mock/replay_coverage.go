package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// coverageFlags are replay's coverage flags.
type coverageFlags struct {
	json, html string
	min        float64
}

// wanted reports whether any coverage flag asks for counting.
func (c coverageFlags) wanted() bool { return c.json != "" || c.html != "" || c.min > 0 }

func (c coverageFlags) check() error {
	if c.min < 0 || c.min > 100 {
		return fmt.Errorf("--min-coverage %g: want a percentage from 0 to 100", c.min)
	}
	return nil
}

// finish writes the coverage report's files, prints its table to w and
// says whether it reaches --min-coverage (an exitError 1 if not).
func (c coverageFlags) finish(rep coverage.Report, w io.Writer) error {
	if c.json != "" {
		err := writeFile("--coverage", c.json, func(f io.Writer) error {
			enc := json.NewEncoder(f)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		})
		if err != nil {
			return err
		}
	}
	if c.html != "" {
		if err := writeFile("--coverage-html", c.html, rep.WriteHTML); err != nil {
			return err
		}
	}
	if err := rep.WriteTable(w); err != nil {
		return err
	}
	if rep.Totals.Percent < c.min {
		return exitError{code: 1, msg: fmt.Sprintf("coverage %.1f%% is below --min-coverage %g%%", rep.Totals.Percent, c.min)}
	}
	return nil
}

// writeFile creates path (and its directory) and writes it with write;
// errors name the flag and the file.
func writeFile(flag, path string, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return exitError{code: 2, msg: fmt.Sprintf("%s: %v", flag, err)}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return exitError{code: 2, msg: fmt.Sprintf("%s: %v", flag, err)}
	}
	if err := errors.Join(write(f), f.Close()); err != nil {
		return exitError{code: 2, msg: fmt.Sprintf("%s %s: %v", flag, path, err)}
	}
	return nil
}
