package main

import "io"

func runValidateTraffic(args []string, stdout, stderr io.Writer) error { return exitError{code: 2, msg: "not yet"} }
