package readme_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
)

// imports are the packages a snippet may use without importing them: the
// harness adds the ones its code names.
var imports = map[string]string{
	"mocktest":   "github.com/fruxon/fruxon-mock/mockserver/mocktest",
	"mockserver": "github.com/fruxon/fruxon-mock/mockserver",
	"chromium":   "github.com/fruxon/fruxon-mock/mockserver/mocktest/chromium",
	"http":       "net/http",
	"httptest":   "net/http/httptest",
	"url":        "net/url",
	"io":         "io",
	"strings":    "strings",
	"bytes":      "bytes",
	"fmt":        "fmt",
	"context":    "context",
	"time":       "time",
	"json":       "encoding/json",
	"os":         "os",
	"testing":    "testing",
}

var topLevel = regexp.MustCompile(`(?m)^(func|type|var|const) `)

// snippetFile is the Go test file of one snippet: a snippet with
// top-level declarations as it is, a run of statements as the body of a
// test (TestReadmeLineN, with t). Line directives point errors at the
// Markdown file.
func snippetFile(file string, b block) string {
	code := strings.Join(b.code, "\n")
	var body strings.Builder
	if topLevel.MatchString(code) {
		fmt.Fprintf(&body, "//line %s:%d\n%s\n", file, b.line, code)
	} else {
		fmt.Fprintf(&body, "//line %s:%d\nfunc TestReadmeLine%d(t *testing.T) {\n%s\n}\n", file, b.line-1, b.line, code)
	}
	names := usedImports(body.String())
	var src strings.Builder
	src.WriteString("// Code generated from " + file + " by the readme test. DO NOT EDIT.\n\npackage snippets_test\n\nimport (\n")
	for _, name := range names {
		fmt.Fprintf(&src, "\t%q\n", imports[name])
	}
	src.WriteString(")\n\n")
	src.WriteString(body.String())
	return src.String()
}

// usedImports lists the names of imports a piece of code selects from
// (name.X), sorted.
func usedImports(code string) []string {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", fset.Base(), len(code)), []byte(code), nil, 0)
	seen := map[string]bool{}
	prev := ""
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.PERIOD && imports[prev] != "" {
			seen[prev] = true
		}
		prev = ""
		if tok == token.IDENT {
			prev = lit
		}
	}
	var names []string
	for name := range seen {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// runSnippets compiles the Go snippets as one test package (overlaid on
// the module, so they import it as a user's test would) and runs it.
// root is the module's directory; race builds it as the caller was built.
func runSnippets(ctx context.Context, root, file string, blocks []block, race bool) []string {
	dir, err := os.MkdirTemp("", "readme-go-")
	if err != nil {
		return []string{err.Error()}
	}
	defer os.RemoveAll(dir)
	pkg := filepath.Join(root, "readme", "snippets")
	overlay := map[string]string{}
	for _, b := range blocks {
		if b.lang != "go" || b.skip != "" {
			continue
		}
		name := fmt.Sprintf("line%d_test.go", b.line)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(snippetFile(file, b)), 0o600); err != nil {
			return []string{err.Error()}
		}
		overlay[filepath.Join(pkg, name)] = filepath.Join(dir, name)
	}
	if len(overlay) == 0 {
		return nil
	}
	doc, err := json.Marshal(map[string]any{"Replace": overlay})
	if err != nil {
		return []string{err.Error()}
	}
	if err := os.WriteFile(filepath.Join(dir, "overlay.json"), doc, 0o600); err != nil {
		return []string{err.Error()}
	}
	bin := filepath.Join(dir, "snippets.test")
	args := []string{"test", "-c", "-vet=off", "-overlay", filepath.Join(dir, "overlay.json"), "-o", bin}
	if race {
		args = append(args, "-race")
	}
	build := exec.CommandContext(ctx, goTool(), append(args, "./readme/snippets")...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return []string{fmt.Sprintf("the Go snippets of %s do not compile:\n%s", file, indent(string(out)))}
	}
	run := exec.CommandContext(ctx, bin, "-test.v", "-test.timeout=2m")
	run.Dir = dir
	if out, err := run.CombinedOutput(); err != nil {
		return []string{fmt.Sprintf("the Go snippets of %s fail (%v):\n%s", file, err, indent(string(out)))}
	}
	return nil
}

// goTool is the go command on PATH (go test puts its own there), else
// GOROOT's.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}
