package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/fruxon/fruxon-mock/validator"
)

func runSpec(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("spec [--format yaml|json] [--control-plane] [--provenance]", "Print the embedded OpenAPI 3.1 document.", stdout, false)
	format := fs.String("format", "yaml", "output format: yaml or json")
	controlPlane := fs.Bool("control-plane", false, "print the control plane's spec (/_mock/…) instead of the Integrations API's")
	provenance := fs.Bool("provenance", false, "print a table of the operations and where each comes from (documented: its page; inferred: why)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	src := validator.FruxonSpec()
	if *controlPlane {
		src = validator.ControlPlaneSpec()
	}
	if *provenance {
		// The embedded documents' shared validators: validator.New would
		// check and compile every schema again just to list operations.
		v, err := validator.Fruxon()
		if *controlPlane {
			v, err = validator.ControlPlane()
		}
		if err != nil {
			return err
		}
		return printProvenance(v, stdout)
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

// printProvenance writes one line per operation of v: its id, method and
// path, and its x-fruxon-source; then the count of each kind.
func printProvenance(v *validator.Validator, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tMETHOD\tPATH\tSOURCE")
	counts := map[string]int{}
	for _, op := range v.Operations() {
		kind, _, ok := op.Source()
		if !ok {
			kind = "unknown"
		}
		counts[kind]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", op.ID, op.Method, op.Path, op.SourceLine())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "%d operations: %d documented, %d inferred, %d without a source\n",
		len(v.Operations()), counts["documented"], counts["inferred"], counts["unknown"])
	return err
}
