package assets

import (
	"encoding/json"
	"mime"
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// ContentTypeOf is a file's content type: the one it was sent with, unless
// that is absent or generic, then one from its extension.
func ContentTypeOf(sent, fileName string) string {
	mt, _, err := mime.ParseMediaType(sent)
	if err == nil && mt != "" && mt != "application/octet-stream" {
		return mt
	}
	switch strings.ToLower(path.Ext(fileName)) {
	case ".md", ".markdown":
		return "text/markdown"
	case ".json":
		return "application/json"
	case ".txt", ".text", ".log":
		return "text/plain"
	case ".csv":
		return "text/csv"
	case ".html", ".htm":
		return "text/html"
	case ".pdf":
		return "application/pdf"
	}
	return "application/octet-stream"
}

// textual reports whether the mock reads a content type as text.
func textual(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || ctype == "application/json" || strings.HasSuffix(ctype, "+json")
}

// split cuts a file into chunks of about size characters (paragraphs are
// kept whole when they fit), each overlapping the previous one by overlap
// characters. A type the mock can't read as text gives no chunks; text
// that isn't UTF-8, or JSON that doesn't parse, fails with a message.
func split(ctype, fileName string, content []byte, size, overlap int) ([]Chunk, string) {
	if !textual(ctype) {
		return nil, ""
	}
	if !utf8.Valid(content) {
		return nil, fileName + " is not UTF-8 text"
	}
	if (ctype == "application/json" || strings.HasSuffix(ctype, "+json")) && !json.Valid(content) {
		return nil, fileName + " is not valid JSON"
	}
	if size < 1 {
		size = DefaultChunkSize
	}
	if overlap < 0 || overlap >= size {
		overlap = 0
	}
	text := string(content)
	markdown := ctype == "text/markdown"

	// Paragraphs: runs of lines separated by blank lines, with their
	// offsets (in characters) and line numbers (1-based).
	type para struct {
		start, end         int // rune offsets
		startLine, endLine int
		heading            string // the Markdown heading path at its start
	}
	var paras []para
	var headings []string
	runeOff, line := 0, 1
	cur := para{start: -1}
	for _, ln := range strings.SplitAfter(text, "\n") {
		n := utf8.RuneCountInString(ln)
		trimmed := strings.TrimSpace(ln)
		if trimmed == "" {
			if cur.start >= 0 {
				paras = append(paras, cur)
				cur = para{start: -1}
			}
		} else {
			if markdown && strings.HasPrefix(trimmed, "#") {
				level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
				title := strings.TrimSpace(trimmed[level:])
				if level <= len(headings) {
					headings = headings[:level-1]
				}
				for len(headings) < level-1 {
					headings = append(headings, "")
				}
				headings = append(headings, title)
			}
			if cur.start < 0 {
				cur = para{start: runeOff, startLine: line, heading: joinHeadings(headings)}
			}
			cur.end, cur.endLine = runeOff+utf8.RuneCountInString(strings.TrimRight(ln, "\r\n")), line
		}
		runeOff += n
		if strings.HasSuffix(ln, "\n") {
			line++
		}
	}
	if cur.start >= 0 {
		paras = append(paras, cur)
	}

	runes := []rune(text)
	var newlines []int // rune offsets of the '\n's, for lineAt
	for i, r := range runes {
		if r == '\n' {
			newlines = append(newlines, i)
		}
	}
	var chunks []Chunk
	emit := func(start, end, startLine, endLine int, heading string) {
		if len(chunks) > 0 && overlap > 0 {
			start = max(0, start-overlap)
		}
		content := string(runes[start:end])
		c := Chunk{Content: content, StartCharIdx: start, EndCharIdx: end, StartLine: startLine, EndLine: endLine,
			TokenCount: max(1, (utf8.RuneCountInString(content)+3)/4)}
		if heading != "" {
			c.HeadingPath = ptr(heading)
		}
		chunks = append(chunks, c)
	}
	// Greedily pack paragraphs; a paragraph longer than size is cut.
	i := 0
	for i < len(paras) {
		p := paras[i]
		if p.end-p.start > size {
			for off := p.start; off < p.end; off += size {
				end := min(off+size, p.end)
				emit(off, end, lineAt(newlines, off), lineAt(newlines, end-1), p.heading)
			}
			i++
			continue
		}
		j := i
		for j+1 < len(paras) && paras[j+1].end-p.start <= size {
			j++
		}
		emit(p.start, paras[j].end, p.startLine, paras[j].endLine, p.heading)
		i = j + 1
	}
	return chunks, ""
}

func joinHeadings(h []string) string {
	var parts []string
	for _, x := range h {
		if x != "" {
			parts = append(parts, x)
		}
	}
	return strings.Join(parts, " > ")
}

// lineAt is the 1-based line of rune offset off, given the rune offsets
// of the text's newlines (ascending): one more than the newlines before
// off. A search, not a scan from the start: a long paragraph is cut into
// many chunks, and a scan per chunk made a 2 MB file's split quadratic.
func lineAt(newlines []int, off int) int {
	n, _ := slices.BinarySearch(newlines, off)
	return 1 + n
}
