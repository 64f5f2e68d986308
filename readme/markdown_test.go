package readme_test

import (
	"fmt"
	"regexp"
	"strings"
)

// block is one fenced code block of a Markdown file.
type block struct {
	lang    string
	line    int      // line of its first code line (1-based)
	code    []string // its lines, the fence's indentation removed
	heading string   // the nearest heading above it
	// skip is the reason a "<!-- not run: REASON -->" line right above
	// the fence gives; "" runs the block.
	skip string
}

// runnable reports whether the harness runs blocks of lang.
func runnable(lang string) bool {
	switch lang {
	case "sh", "bash", "shell", "go":
		return true
	}
	return false
}

var (
	notRun  = regexp.MustCompile(`^<!--\s*not run\s*(?::\s*(.*?))?\s*-->$`)
	heading = regexp.MustCompile(`^#{1,6}\s+(.*)$`)
)

// parseMarkdown finds the fenced blocks of a Markdown text. Problems are
// a marker without a reason and a fence left open.
func parseMarkdown(file, text string) ([]block, []string) {
	var (
		blocks   []block
		problems []string
		cur      *block
		indent   string
		fence    string
		head     string
		prev     string // the last non-blank line outside a block
	)
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		if cur != nil {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, "`~") == "" {
				blocks = append(blocks, *cur)
				cur = nil
				continue
			}
			cur.code = append(cur.code, strings.TrimPrefix(line, indent))
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = trimmed[:3]
			indent = line[:len(line)-len(strings.TrimLeft(line, " "))]
			lang, _, _ := strings.Cut(strings.TrimSpace(trimmed[3:]), " ")
			cur = &block{lang: lang, line: n + 1, heading: head}
			if m := notRun.FindStringSubmatch(prev); m != nil {
				cur.skip = m[1]
				if cur.skip == "" && runnable(lang) {
					problems = append(problems, fmt.Sprintf("%s:%d: the not-run marker above this block gives no reason (<!-- not run: REASON -->)", file, n))
					cur.skip = "(no reason)"
				}
			}
			continue
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			head = m[1]
		}
		if trimmed != "" {
			prev = trimmed
		}
	}
	if cur != nil {
		problems = append(problems, fmt.Sprintf("%s:%d: a fenced block is never closed", file, cur.line-1))
	}
	return blocks, problems
}

// expectMark starts a stated result: "# → TEXT" on a line of its own, or
// after a command ("curl … # → TEXT").
const expectMark = "# →"

// expectation is a stated result of a script.
type expectation struct {
	text string // its lines joined by \n
	line int    // where it is stated
}

// script is the sh blocks under one heading, in order, as one bash
// program, with a marker printed where each stated result is checked.
type script struct {
	name    string
	file    string
	lines   []string // bash source
	origin  []int    // the Markdown line of each line of lines (0: the harness's)
	expects []expectation
	// ownMock: the script starts "fruxon-mock serve" itself.
	ownMock bool
}

// markerLine prints the marker that closes the output of stated result i.
func markerLine(i int) string { return fmt.Sprintf("__readme_mark %d", i) }

var startsServe = regexp.MustCompile(`(^|[;&|(]\s*|\s)(fruxon-mock|go run \./cmd/fruxon-mock) serve\b`)

// scripts turns the runnable sh blocks into scripts, one per heading.
func scripts(file string, blocks []block) ([]*script, []string) {
	var out []*script
	var problems []string
	byHeading := map[string]*script{}
	for _, b := range blocks {
		if b.lang == "go" || !runnable(b.lang) || b.skip != "" {
			continue
		}
		s := byHeading[b.heading]
		if s == nil {
			s = &script{name: b.heading, file: file}
			byHeading[b.heading] = s
			out = append(out, s)
		}
		problems = append(problems, s.add(b)...)
	}
	return out, problems
}

// add appends a block's lines to the script.
func (s *script) add(b block) []string {
	var problems []string
	var lx lexer
	open := -1 // index in s.expects of the result being stated, -1 none
	for i, line := range b.code {
		n := b.line + i
		trimmed := strings.TrimSpace(line)
		if lx.continued() {
			if strings.HasPrefix(trimmed, expectMark) {
				problems = append(problems, fmt.Sprintf("%s:%d: a stated result (# →) inside a command that goes on: state it after the command", s.file, n))
			}
			lx.scan(line)
			s.emit(line, n)
			continue
		}
		if rest, ok := strings.CutPrefix(trimmed, expectMark); ok {
			text := strings.TrimSpace(rest)
			if open >= 0 {
				s.expects[open].text += "\n" + text
				continue
			}
			open = len(s.expects)
			s.expects = append(s.expects, expectation{text: text, line: n})
			s.emit(markerLine(open), n)
			continue
		}
		open = -1
		if startsServe.MatchString(stripComment(line)) {
			s.ownMock = true
		}
		comment := lx.scan(line)
		if comment >= 0 {
			if rest, ok := strings.CutPrefix(line[comment:], expectMark); ok {
				if lx.continued() {
					problems = append(problems, fmt.Sprintf("%s:%d: a stated result (# →) inside a command that goes on: state it after the command", s.file, n))
				} else {
					s.emit(line, n)
					open = len(s.expects)
					s.expects = append(s.expects, expectation{text: strings.TrimSpace(rest), line: n})
					s.emit(markerLine(open), n)
					continue
				}
			}
		}
		s.emit(line, n)
	}
	if lx.continued() {
		problems = append(problems, fmt.Sprintf("%s:%d: the block ends inside a quote or a continued line", s.file, b.line+len(b.code)-1))
	}
	return problems
}

func (s *script) emit(line string, origin int) {
	s.lines = append(s.lines, line)
	s.origin = append(s.origin, origin)
}

// stripComment drops a line's comment (as the lexer finds it).
func stripComment(line string) string {
	var lx lexer
	if i := lx.scan(line); i >= 0 {
		return line[:i]
	}
	return line
}

// lexer follows just enough of bash's quoting to tell where a comment
// starts and whether a command goes on to the next line.
type lexer struct {
	single, double bool // inside '…' or "…"
	backslash      bool // the last line ended with a continuation
}

func (lx *lexer) continued() bool { return lx.single || lx.double || lx.backslash }

// scan reads one line and returns where its comment starts (-1: none).
func (lx *lexer) scan(line string) int {
	lx.backslash = false
	word := true // at the start of a word, where # starts a comment
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case lx.single:
			lx.single = c != '\''
		case lx.double:
			switch c {
			case '\\':
				i++
			case '"':
				lx.double = false
			}
		case c == '\\':
			if i == len(line)-1 {
				lx.backslash = true
				return -1
			}
			i++
		case c == '\'':
			lx.single = true
		case c == '"':
			lx.double = true
		case c == '#' && word:
			return i
		}
		word = !lx.single && !lx.double && (c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|' || c == '(')
	}
	return -1
}

// matches reports whether output matches a stated result: line by line
// with the surrounding spaces of each line ignored, blank lines at either
// end dropped, and "…" standing for any text (across lines too).
func matches(want, got string) bool {
	parts := strings.Split(normalize(want), "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile(`^(?s:` + strings.Join(parts, `.*?`) + `)$`)
	return err == nil && re.MatchString(normalize(got))
}

func normalize(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
