package scenarios_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
)

// yamlLines counts the lines of a YAML text the way yaml.v3 numbers them:
// LF, CRLF, a bare CR, NEL, LS and PS each end a line.
func yamlLines(data []byte) int {
	n := 1
	for i := 0; i < len(data); i++ {
		switch {
		case data[i] == '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			n++
		case data[i] == '\n':
			n++
		case bytes.HasPrefix(data[i:], []byte("\u0085")), bytes.HasPrefix(data[i:], []byte("\u2028")), bytes.HasPrefix(data[i:], []byte("\u2029")):
			n++
		}
	}
	return n
}

// FuzzParse loads scenario files a user wrote: the loader never panics,
// and a refusal is a *LoadError naming the file and a line inside it.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	files, _ := filepath.Glob("library/*.yaml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"", "---\n---\n", "name: x\r\nsteps: []", "name: x\rsteps:\r  - {}", "a: &a [*a]", "name: [", "\x00", "name: x\nsteps:\n  - request: {method: GET, path: '{{nope}}'}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := scenarios.Parse("s.yaml", data)
		if err == nil {
			return
		}
		var le *scenarios.LoadError
		if !errors.As(err, &le) {
			t.Fatalf("Parse error %v (%T) is not a *LoadError", err, err)
		}
		if lines := yamlLines(data); le.File != "s.yaml" || le.Line < 1 || le.Line > lines || le.Msg == "" {
			t.Fatalf("%v: file %q, line %d (the file has %d lines)", le, le.File, le.Line, lines)
		}
	})
}
