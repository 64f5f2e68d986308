package assets

import (
	"strings"
	"testing"
)

// TestSplitLinesOfCutParagraphs: the chunks a long paragraph is cut into
// carry the lines their first and last characters are on, counted the
// slow way here (the split itself looks them up in a newline index).
func TestSplitLinesOfCutParagraphs(t *testing.T) {
	// One paragraph of 9 lines of 7 characters ("é" is one character,
	// two bytes), then a blank line and a short paragraph.
	text := strings.Repeat("ab\u00e9def\n", 9) + "\nlast\n"
	chunks, fail := split("text/plain", "f.txt", []byte(text), 10, 0)
	if fail != "" {
		t.Fatal(fail)
	}
	runes := []rune(text)
	lineOf := func(off int) int { return 1 + strings.Count(string(runes[:off]), "\n") }
	if len(chunks) < 6 {
		t.Fatalf("%d chunks, want the paragraph cut in several: %+v", len(chunks), chunks)
	}
	for i, c := range chunks {
		if c.StartLine != lineOf(c.StartCharIdx) || c.EndLine != lineOf(c.EndCharIdx-1) {
			t.Errorf("chunk %d [%d,%d) lines %d-%d, want %d-%d", i, c.StartCharIdx, c.EndCharIdx,
				c.StartLine, c.EndLine, lineOf(c.StartCharIdx), lineOf(c.EndCharIdx-1))
		}
	}
	if last := chunks[len(chunks)-1]; last.StartLine != 11 || last.Content != "last" {
		t.Errorf("last chunk = %+v, want \"last\" on line 11", last)
	}
}
