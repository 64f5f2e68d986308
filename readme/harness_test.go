package readme_test

import (
	"context"
	"strings"
	"testing"
)

func TestMatches(t *testing.T) {
	for _, tt := range []struct {
		want, got string
		ok        bool
	}{
		{`{"status":"ok"}`, `{"status":"ok"}`, true},
		{`{"status":"ok"}`, "{\"status\":\"ok\"}\n", true},
		{`{"status":"ok"}`, `{"status":"down"}`, false},
		{`0`, `10`, false},
		{`{"id":"acme-crm",…,"type":"CUSTOM",…}`, `{"id":"acme-crm","displayName":"Acme CRM","type":"CUSTOM","x":1}`, true},
		{`{"id":"acme-crm",…}`, `{"id":"acme","x":1}`, false},
		{"HTTP/1.1 200 OK\n…\nEtag: \"…\"\n…", "HTTP/1.1 200 OK\r\nContent-Type: x\r\nEtag: \"abc\"\r\nDate: now\r\n\r\n{}", true},
		{"HTTP/1.1 200 OK\n…", "HTTP/1.1 409 Conflict\r\n\r\n{}", false},
		{`…passed, 0 failed`, "a\nb\n319 passed, 0 failed", true},
		{"  indented  ", "indented", true},
	} {
		if got := matches(tt.want, tt.got); got != tt.ok {
			t.Errorf("matches(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
		}
	}
}

// check runs a Markdown text's sh blocks with no mock and returns the
// problems, all sections together.
func check(t *testing.T, md string) []string {
	t.Helper()
	blocks, problems := parseMarkdown("TEST.md", md)
	list, more := scripts("TEST.md", blocks)
	problems = append(problems, more...)
	for _, s := range list {
		s.ownMock = true
		problems = append(problems, runScript(context.Background(), s, t.TempDir())...)
	}
	return problems
}

// A README change that breaks an example fails the test, naming the line:
// a wrong stated result, a command that fails, a marker with no reason.
func TestHarnessCatchesBrokenExamples(t *testing.T) {
	for _, tt := range []struct {
		name, md, want string
	}{
		{"wrong result", "## A\n\n```sh\necho hello\n# → bye\n```\n", "TEST.md:5: the output differs"},
		{"wrong trailing result", "## A\n\n```sh\necho hello   # → bye\n```\n", "TEST.md:4: the output differs"},
		{"failing command", "## A\n\n```sh\necho one\nfalse\necho two\n```\n", `TEST.md:5: "false" exited with status 1`},
		{"failing command in a function", "## A\n\n```sh\nf() { ls /nonexistent-dir; }\nf\n```\n", `TEST.md:4: "ls /nonexistent-dir" exited with status 2`},
		{"result after the script stopped", "## A\n\n```sh\nexit 3\n# → x\n```\n", "TEST.md:5: the script stopped before this result"},
		{"marker without reason", "## A\n\n<!-- not run -->\n```sh\necho x\n```\n", "TEST.md:4: the not-run marker above this block gives no reason"},
		{"result inside a command", "## A\n\n```sh\necho 'a\n# → a\nb'\n```\n", "TEST.md:5: a stated result (# →) inside a command"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			problems := check(t, tt.md)
			if len(problems) == 0 || !strings.Contains(problems[0], tt.want) {
				t.Fatalf("problems %q, want the first to contain %q", problems, tt.want)
			}
		})
	}
}

// What the conventions allow passes: results stated after a command or on
// lines of their own, several lines with "…", a failing status shown with
// || echo, blocks of one heading sharing variables, a marked block left
// out, other languages ignored.
func TestHarnessPassesGoodExamples(t *testing.T) {
	md := "## A\n\n```sh\nX=hello\necho $X   # → hello\nprintf 'a\\nb\\nc\\n'\n# → a\n# → …\n# → c\n" +
		"grep -c nothing /dev/null || echo \"exit $?\"\n# → 0\n# → exit 1\n```\n\ntext\n\n```sh\necho \"$X again\"\n# → hello again\n```\n\n" +
		"<!-- not run: would fail -->\n```sh\nfalse\n```\n\n```yaml\nnot: run\n```\n\n## B\n\n```bash\necho \"[$X]\"   # → []\n```\n"
	if problems := check(t, md); len(problems) > 0 {
		t.Fatalf("problems: %q", problems)
	}
}
