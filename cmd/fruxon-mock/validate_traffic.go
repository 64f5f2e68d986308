package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/fruxon/fruxon-mock/scenarios/har"
	"github.com/fruxon/fruxon-mock/scenarios/junit"
	"github.com/fruxon/fruxon-mock/validator"
)

func runValidateTraffic(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate-traffic [flags] FILE.har",
		"Validate every exchange of a HAR 1.2 file (browser devtools → Save all as HAR) whose\n"+
			"URL matches the spec: findings per entry with side, JSON path and rule.\n"+
			"Exit status: 0 clean, 1 a violation, 2 an unusable file or entry, or bad flags.", stdout, false)
	junitPath := fs.String("junit", "", "also write a JUnit XML report to this file")
	specFile := fs.String("spec", "", "validate against this OpenAPI 3.1 file instead of the embedded spec")
	verbose := fs.BoolP("verbose", "v", false, "list clean and skipped entries too")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitError{code: 2, msg: "validate-traffic takes one HAR file"}
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	f, err := har.Parse(data)
	if err != nil {
		return exitError{code: 2, msg: path + ": " + err.Error()}
	}
	var v *validator.Validator
	if *specFile != "" {
		v, err = LoadSpec(*specFile)
	} else {
		v, err = validator.Fruxon()
	}
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	rep := har.Check(f, v)
	if err := rep.WriteText(stdout, *verbose); err != nil {
		return err
	}
	if *junitPath != "" {
		if err := junit.WriteFile(*junitPath, rep.JUnit(filepath.Base(path))); err != nil {
			return exitError{code: 2, msg: "--junit: " + err.Error()}
		}
	}
	if code := rep.Verdict(); code != 0 {
		return exitError{code: code}
	}
	return nil
}
