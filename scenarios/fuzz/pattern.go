package fuzz

import (
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"unicode"
)

// patternString generates a string matching a simple regular expression:
// literals, classes, repetition, alternation, groups and anchors. want is a
// length the unbounded repetitions aim for (-1: short and random). ok is
// false for what it can't produce (word boundaries, …); the caller then
// falls back to the spec's examples.
func patternString(r *rand.Rand, pattern string, want int) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	g := patternGen{r: r, want: want}
	if !g.walk(&b, re.Simplify()) {
		return "", false
	}
	return b.String(), true
}

type patternGen struct {
	r    *rand.Rand
	want int
}

func (g patternGen) walk(b *strings.Builder, re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return true
	case syntax.OpLiteral:
		for _, c := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && g.r.IntN(2) == 0 {
				c = unicode.SimpleFold(c)
			}
			b.WriteRune(c)
		}
		return true
	case syntax.OpCharClass:
		b.WriteRune(classRune(g.r, re.Rune))
		return true
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		b.WriteRune(rune('a' + g.r.IntN(26)))
		return true
	case syntax.OpCapture:
		return g.walk(b, re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !g.walk(b, s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		return g.walk(b, re.Sub[g.r.IntN(len(re.Sub))])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := repeatBounds(re)
		n := g.count(lo, hi)
		for range n {
			if !g.walk(b, re.Sub[0]) {
				return false
			}
		}
		return true
	}
	return false // word boundaries, no-match: not worth generating
}

func repeatBounds(re *syntax.Regexp) (int, int) {
	switch re.Op {
	case syntax.OpStar:
		return 0, -1
	case syntax.OpPlus:
		return 1, -1
	case syntax.OpQuest:
		return 0, 1
	}
	return re.Min, re.Max
}

// count picks a repetition count: the wanted length when one is set,
// else a short random one.
func (g patternGen) count(lo, hi int) int {
	n := lo + g.r.IntN(8)
	if g.want >= 0 {
		n = max(g.want, lo)
	}
	if hi >= 0 && n > hi {
		n = hi
	}
	return n
}

// classRune picks a rune from a class given as [lo, hi] pairs, preferring
// printable ASCII so reproducers stay readable.
func classRune(r *rand.Rand, ranges []rune) rune {
	if len(ranges) == 0 {
		return 'a'
	}
	var ascii [][2]rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], min(ranges[i+1], 0x7e)
		if lo < 0x20 {
			lo = 0x20
		}
		if lo <= hi {
			ascii = append(ascii, [2]rune{lo, hi})
		}
	}
	if len(ascii) > 0 {
		p := ascii[r.IntN(len(ascii))]
		return p[0] + rune(r.IntN(int(p[1]-p[0]+1)))
	}
	i := r.IntN(len(ranges)/2) * 2
	lo, hi := ranges[i], ranges[i+1]
	if hi-lo > 0xffff {
		hi = lo + 0xffff
	}
	return lo + rune(r.IntN(int(hi-lo+1)))
}
