package main

import (
	"fmt"
	"io"
	"os"

	"github.com/fruxon/fruxon-mock/validator"
)

func runSpec(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("spec [--format yaml|json] [--control-plane]", "Print the embedded OpenAPI 3.1 document.", stdout, false)
	format := fs.String("format", "yaml", "output format: yaml or json")
	controlPlane := fs.Bool("control-plane", false, "print the control plane's spec (/_mock/…) instead of the Integrations API's")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	src := validator.FruxonSpec()
	if *controlPlane {
		src = validator.ControlPlaneSpec()
	}
	switch *format {
	case "yaml":
		_, err := stdout.Write(src)
		return err
	case "json":
		out, err := validator.YAMLToJSON(src)
		if err != nil {
			return err
		}
		_, err = stdout.Write(out)
		return err
	}
	return exitError{code: 2, msg: fmt.Sprintf("--format: %q is not yaml or json", *format)}
}

func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate FILE…", "Check OpenAPI 3.1 documents the way serve --spec loads them: a bad one is reported with file, line and reason.", stdout, false)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return exitError{code: 2, msg: "validate: name at least one spec file"}
	}
	failed := 0
	for _, path := range fs.Args() {
		if _, err := LoadSpec(path); err != nil {
			fmt.Fprintln(stderr, err)
			failed++
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", path)
	}
	if failed > 0 {
		return exitError{code: 1}
	}
	return nil
}

// LoadSpec reads and builds a spec file; errors read "FILE:LINE: reason".
func LoadSpec(path string) (*validator.Validator, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := validator.New(src)
	if err != nil {
		return nil, fileLineError(path, err)
	}
	return v, nil
}
