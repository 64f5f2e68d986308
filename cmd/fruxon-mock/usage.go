package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// newFlagSet returns a flag set that reports errors to run's caller instead
// of exiting. Its usage goes to out (stdout: --help is an answer, not an
// error); with env it ends with the environment variable of each flag.
func newFlagSet(name, summary string, out io.Writer, env bool) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: fruxon-mock %s\n\n%s\n\nFlags:\n%s", name, summary, fs.FlagUsages())
		if env {
			fmt.Fprint(fs.Output(), envUsage(fs))
		}
	}
	return fs
}

// envUsage lists the environment variable of every flag of fs, and only
// of fs: replay's help names replay's variables, not serve's.
func envUsage(fs *pflag.FlagSet) string {
	var b strings.Builder
	b.WriteString("\nEnvironment (a flag on the command line wins):\n")
	fs.VisitAll(func(f *pflag.Flag) {
		fmt.Fprintf(&b, "  %-34s --%s\n", envName(f.Name), f.Name)
	})
	return b.String()
}

func envName(flag string) string {
	return "FRUXON_MOCK_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// parseFlags parses args; --help is a success (exit 0), a bad flag exit 2.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitError{code: 0}
		}
		return exitError{code: 2, msg: err.Error()}
	}
	return nil
}

// misuse prints fs's usage to stderr and exits 2 (a missing argument).
func misuse(fs *pflag.FlagSet, stderr io.Writer) error {
	fs.SetOutput(stderr)
	fs.Usage()
	return exitError{code: 2}
}

// commands are run's subcommands, for the did-you-mean suggestion.
var commands = []string{"serve", "spec", "validate", "replay", "fuzz", "scenarios", "healthcheck", "version", "help"}

// suggest returns the command nearest to a mistyped one ("serv", "sevre"),
// or "" when none is close enough to be a likely typo.
func suggest(typed string) string {
	best, bestD := "", 3
	for _, c := range commands {
		d := editDistance(strings.ToLower(typed), c)
		if strings.HasPrefix(c, strings.ToLower(typed)) && len(typed) >= 2 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > max(1, len(best)/3) {
		return ""
	}
	return best
}

// editDistance is the Damerau–Levenshtein (optimal string alignment)
// distance: a swap of two neighbours counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
