package fuzz

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"
)

// mode is how a value is drawn: the boundaries come first (smallest, then
// largest), then varied values.
type mode int

const (
	modeMin    mode = iota // required members only, shortest strings, smallest numbers
	modeMax                // every member, longest strings, largest numbers
	modeRandom             // a varied mix
)

// modeFor is the mode of the i-th example of an operation.
func modeFor(i int) mode {
	if i < int(modeRandom) {
		return mode(i)
	}
	return modeRandom
}

// generator draws valid values from schemas.
type generator struct {
	r    *rand.Rand
	mode mode
}

// unboundedMax is how long modeMax makes a string without maxLength.
const unboundedMax = 64

// value draws a value the schema accepts.
func (g *generator) value(n *node, depth int) any {
	if len(n.enum) > 0 {
		switch g.mode {
		case modeMin:
			return n.enum[0]
		case modeMax:
			return n.enum[len(n.enum)-1]
		}
		return n.enum[g.r.IntN(len(n.enum))]
	}
	if len(n.oneOf) > 0 {
		return g.value(g.branch(n), depth)
	}
	t := g.pickType(n)
	switch t {
	case "null":
		return nil
	case "boolean":
		return g.mode == modeMax || (g.mode == modeRandom && g.r.IntN(2) == 0)
	case "integer":
		return g.integer(n)
	case "number":
		return g.number(n)
	case "string":
		return g.str(n)
	case "array":
		return g.array(n, depth)
	case "object":
		return g.object(n, depth)
	}
	return g.anyValue()
}

// branch picks a oneOf alternative: the non-null one at the boundaries,
// null now and then.
func (g *generator) branch(n *node) *node {
	if g.mode != modeRandom {
		if g.mode == modeMin && n.nullable() {
			for _, o := range n.oneOf {
				if len(o.types) == 1 && o.types[0] == "null" {
					return o
				}
			}
		}
		return n.nonNull()
	}
	if n.nullable() && g.r.IntN(5) > 0 {
		return n.nonNull()
	}
	return n.oneOf[g.r.IntN(len(n.oneOf))]
}

func (g *generator) pickType(n *node) string {
	if len(n.types) == 0 {
		if len(n.props) > 0 || n.closed || n.addl != nil {
			return "object"
		}
		return ""
	}
	var nonNull []string
	for _, t := range n.types {
		if t != "null" {
			nonNull = append(nonNull, t)
		}
	}
	switch {
	case len(nonNull) == 0:
		return "null"
	case len(nonNull) < len(n.types) && g.mode == modeRandom && g.r.IntN(5) == 0:
		return "null"
	case g.mode == modeRandom:
		return nonNull[g.r.IntN(len(nonNull))]
	}
	return nonNull[0]
}

func (g *generator) integer(n *node) any {
	lo, hi := -1000.0, 1000.0
	if n.hasMin {
		lo = math.Ceil(n.min)
		hi = max(hi, lo)
	}
	if n.hasMax {
		hi = math.Floor(n.max)
		lo = min(lo, hi)
	}
	switch g.mode {
	case modeMin:
		return int64(lo)
	case modeMax:
		return int64(hi)
	}
	if span := hi - lo; span < 1<<62 {
		return int64(lo) + g.r.Int64N(int64(span)+1)
	}
	return int64(lo) + g.r.Int64N(1<<62)
}

func (g *generator) number(n *node) any {
	lo, hi := -1000.0, 1000.0
	if n.hasMin {
		lo = n.min
		hi = max(hi, lo)
	}
	if n.hasMax {
		hi = n.max
		lo = min(lo, hi)
	}
	switch g.mode {
	case modeMin:
		return lo
	case modeMax:
		return hi
	}
	return math.Round((lo+g.r.Float64()*(hi-lo))*1000) / 1000
}

// str draws a string of the schema's format, pattern and length.
func (g *generator) str(n *node) string {
	lo, hi := max(n.minLen, 0), n.maxLen
	want := -1
	switch g.mode {
	case modeMin:
		want = lo
	case modeMax:
		want = unboundedMax
		if hi >= 0 {
			want = hi
		}
	}
	switch n.format {
	case "uuid":
		return g.uuid()
	case "date-time":
		return time.UnixMilli(1767225600000 + g.r.Int64N(1e11)).UTC().Format(time.RFC3339)
	case "date":
		return time.UnixMilli(1767225600000 + g.r.Int64N(1e11)).UTC().Format(time.DateOnly)
	case "email":
		return fmt.Sprintf("user%d@example.test", g.r.IntN(1000))
	case "uri", "url":
		return fmt.Sprintf("https://example.test/p%d", g.r.IntN(1000))
	}
	if n.pattern != "" {
		return g.patterned(n, want)
	}
	return g.text(lo, hi, want)
}

// patterned draws a string matching the pattern within the length limits,
// or falls back to an example of the schema.
func (g *generator) patterned(n *node, want int) string {
	for range 8 {
		s, ok := patternString(g.r, n.pattern, want)
		if !ok {
			break
		}
		l := utf8.RuneCountInString(s)
		if (n.re == nil || n.re.MatchString(s)) && l >= max(n.minLen, 0) && (n.maxLen < 0 || l <= n.maxLen) {
			return s
		}
		want = -1
	}
	for _, e := range n.examples {
		if s, ok := e.(string); ok {
			return s
		}
	}
	return ""
}

// alphabet mixes ASCII with multi-byte runes, so a server that counts bytes
// instead of characters shows up at the length limits.
var alphabet = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/é日本ü€😀")

func (g *generator) text(lo, hi, want int) string {
	n := want
	if n < 0 {
		upper := lo + 20
		if hi >= 0 {
			upper = min(upper, hi)
		}
		n = lo + g.r.IntN(upper-lo+1)
	}
	var b strings.Builder
	for i := range n {
		if g.mode != modeRandom {
			b.WriteByte(byte('a' + i%26))
			continue
		}
		b.WriteRune(alphabet[g.r.IntN(len(alphabet))])
	}
	return b.String()
}

func (g *generator) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (g *generator) array(n *node, depth int) []any {
	count := n.minItem
	switch {
	case g.mode == modeMax:
		count = max(count, 2)
	case g.mode == modeRandom:
		count += g.r.IntN(3)
	}
	if n.maxItem >= 0 {
		count = min(count, n.maxItem)
	}
	if depth > maxDepth {
		count = n.minItem
	}
	out := make([]any, 0, count)
	item := n.items
	if item == nil {
		item = &node{minLen: -1, maxLen: -1, maxItem: -1}
	}
	for range count {
		out = append(out, g.value(item, depth+1))
	}
	return out
}

func (g *generator) object(n *node, depth int) map[string]any {
	out := map[string]any{}
	for _, p := range n.props {
		include := p.required || g.mode == modeMax || (g.mode == modeRandom && g.r.IntN(2) == 0)
		if depth > maxDepth && !p.required {
			include = false
		}
		if include {
			out[p.name] = g.value(p.n, depth+1)
		}
	}
	if !n.closed && len(n.props) == 0 && g.mode == modeRandom {
		item := n.addl
		if item == nil {
			item = &node{minLen: -1, maxLen: -1, maxItem: -1}
		}
		for i := range g.r.IntN(3) {
			out[fmt.Sprintf("k%d", i)] = g.value(item, depth+1)
		}
	}
	return out
}

// anyValue is a scalar for a schema that accepts anything.
func (g *generator) anyValue() any {
	switch g.r.IntN(4) {
	case 0:
		return int64(g.r.IntN(100))
	case 1:
		return g.r.IntN(2) == 0
	case 2:
		return nil
	}
	return g.text(0, 12, -1)
}
