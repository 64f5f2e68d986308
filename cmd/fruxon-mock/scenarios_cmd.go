package main

import (
	"fmt"
	"io"
	"strings"
)

func runScenarios(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("scenarios list [PATH…]",
		"List scenarios, one a line with its description: the built-in library, or the\n"+
			"scenario files and directories named.", stdout, false)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 || fs.Arg(0) != "list" {
		return misuse(fs, stderr)
	}
	list, err := loadScenarios(fs.Args()[1:])
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	width := 0
	for _, s := range list {
		width = max(width, len(s.Name))
	}
	for _, s := range list {
		desc, _, _ := strings.Cut(strings.TrimSpace(s.Description), "\n")
		line := fmt.Sprintf("%-*s  %s", width, s.Name, desc)
		fmt.Fprintln(stdout, strings.TrimRight(line, " "))
	}
	return nil
}
