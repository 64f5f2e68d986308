package validator

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/bits"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// A jnode is a JSON Schema compiled for walkJSON: a check of a JSON
// document's bytes in one pass, with no decoding to `any`, no allocation
// for a valid document and no copy. It covers the keywords the embedded
// specs use (type, properties, required, additionalProperties, items, string
// enums, pattern, uuid/int32/int64 formats, lengths, minimum/maximum, $ref,
// allOf/anyOf/oneOf); a schema with any other keyword is not compiled and
// its documents go the library's way. Like the other fast paths, it only
// ever decides "valid": a document it finds invalid or cannot judge is
// decoded and validated by the JSON Schema engine, whose findings are
// reported.
type jnode struct {
	types    uint8 // jt* bits; 0 = any type
	props    map[string]jprop
	required []string
	reqOnly  map[string]int // required names that aren't properties → their index
	// reqMask has the bit of each required name's first index: an object
	// holding them all has seen == reqMask.
	reqMask   uint64
	addl      *jnode // additionalProperties as a schema
	addlFalse bool
	items     *jnode
	enum      []string // string enum (types must be string only)
	hasEnum   bool
	pattern   *regexp.Regexp
	class     *charRun // pattern, when it is one character class repeated
	// plist and byLen index props by name length (names shorter than
	// len(byLen)): a walk finds a key in a few byte comparisons.
	plist      []namedProp
	byLen      [][]int32
	format     byte
	minLen     int64 // -1: none
	maxLen     int64
	min, max   *float64
	allOf      []*jnode
	anyOf      []*jnode
	oneOf      []*jnode
	compileErr bool
}

type namedProp struct {
	name string
	p    jprop
}

// maxIndexedName bounds the name lengths byLen indexes; longer names are
// found in props.
const maxIndexedName = 64

func (n *jnode) indexProps() {
	longest := 0
	for name := range n.props {
		if len(name) < maxIndexedName {
			longest = max(longest, len(name))
		}
	}
	n.byLen = make([][]int32, longest+1)
	n.plist = n.plist[:0]
	for name, p := range n.props {
		if len(name) < len(n.byLen) {
			n.byLen[len(name)] = append(n.byLen[len(name)], int32(len(n.plist)))
			n.plist = append(n.plist, namedProp{name, p})
		}
	}
}

// prop is props[key], without hashing key.
func (n *jnode) prop(key []byte) (jprop, bool) {
	if l := len(key); l < len(n.byLen) {
		for _, i := range n.byLen[l] {
			if n.plist[i].name == string(key) {
				return n.plist[i].p, true
			}
		}
		return jprop{}, false
	}
	p, ok := n.props[string(key)]
	return p, ok
}

// charRun is a pattern of the form ^[class]{min,max}$ (or + or *) over an
// ASCII class: what the spec's identifier patterns are, checked without
// the regexp machine.
type charRun struct {
	in       [128]bool
	min, max int // max < 0: unbounded
}

// simplePattern parses pattern (Go's regexp syntax, as the engine reads
// it) into a charRun; nil when it is anything else.
func simplePattern(pattern string) *charRun {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) != 3 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[2].Op != syntax.OpEndText {
		return nil
	}
	run := &charRun{}
	rep := re.Sub[1]
	switch rep.Op {
	case syntax.OpPlus:
		run.min, run.max = 1, -1
	case syntax.OpStar:
		run.min, run.max = 0, -1
	case syntax.OpRepeat:
		run.min, run.max = rep.Min, rep.Max
	default:
		return nil
	}
	if len(rep.Sub) != 1 || rep.Sub[0].Op != syntax.OpCharClass || rep.Flags&syntax.NonGreedy != 0 {
		return nil
	}
	r := rep.Sub[0].Rune
	for i := 0; i+1 < len(r); i += 2 {
		if r[i] > r[i+1] || r[i+1] > 0x7f {
			return nil
		}
		for c := r[i]; c <= r[i+1]; c++ {
			run.in[c] = true
		}
	}
	return run
}

// charRunMatch reports whether every byte of s is in the class and their count
// within bounds (a byte outside ASCII is in no ASCII class).
func charRunMatch[T string | []byte](run *charRun, s T) bool {
	if len(s) < run.min || run.max >= 0 && len(s) > run.max {
		return false
	}
	for i := range len(s) {
		if c := s[i]; c >= 0x80 || !run.in[c] {
			return false
		}
	}
	return true
}

// jprop is a declared property: its schema and its index in required
// (-1 when optional).
type jprop struct {
	node *jnode
	req  int
}

const (
	jtObject uint8 = 1 << iota
	jtArray
	jtString
	jtInteger
	jtNumber
	jtBool
	jtNull
)

const (
	fmtNone byte = iota
	fmtUUID
	fmtInt32
	fmtInt64
)

// compileJSON compiles a schema for walkJSON, or returns nil when it uses
// something walkJSON does not check.
func compileJSON(p *base.SchemaProxy) *jnode {
	c := jcompiler{memo: map[string]*jnode{}}
	n := c.proxy(p)
	if c.failed {
		return nil
	}
	return n
}

type jcompiler struct {
	memo   map[string]*jnode
	failed bool
}

func (c *jcompiler) proxy(p *base.SchemaProxy) *jnode {
	if c.failed || p == nil {
		c.failed = true
		return nil
	}
	ref := ""
	if p.IsReference() {
		ref = p.GetReference()
		if n, ok := c.memo[ref]; ok {
			return n
		}
	}
	s := p.Schema()
	if s == nil {
		c.failed = true
		return nil
	}
	n := &jnode{minLen: -1, maxLen: -1}
	if ref != "" {
		c.memo[ref] = n // before the children: recursive schemas
	}
	c.schema(s, n)
	return n
}

func (c *jcompiler) schema(s *base.Schema, n *jnode) {
	if s.BooleanSchema != nil || s.ExclusiveMaximum != nil || s.ExclusiveMinimum != nil || s.Discriminator != nil ||
		len(s.PrefixItems) > 0 || s.Contains != nil || s.MinContains != nil || s.MaxContains != nil ||
		s.If != nil || s.Then != nil || s.Else != nil || s.DependentSchemas != nil || s.DependentRequired != nil ||
		s.PatternProperties != nil || s.PropertyNames != nil || s.UnevaluatedItems != nil || s.UnevaluatedProperties != nil ||
		s.DynamicRef != "" || s.ContentSchema != nil || s.Not != nil || s.MultipleOf != nil ||
		s.MaxItems != nil || s.MinItems != nil || s.UniqueItems != nil || s.MaxProperties != nil || s.MinProperties != nil ||
		s.Const != nil || s.Nullable != nil || s.ReadOnly != nil || s.WriteOnly != nil ||
		s.ContentEncoding != "" || s.ContentMediaType != "" || s.Id != "" || s.Anchor != "" || s.DynamicAnchor != "" {
		c.failed = true
		return
	}
	for _, t := range s.Type {
		switch t {
		case "object":
			n.types |= jtObject
		case "array":
			n.types |= jtArray
		case "string":
			n.types |= jtString
		case "integer":
			n.types |= jtInteger
		case "number":
			n.types |= jtNumber
		case "boolean":
			n.types |= jtBool
		case "null":
			n.types |= jtNull
		default:
			c.failed = true
			return
		}
	}
	if len(s.Required) > 64 {
		c.failed = true
		return
	}
	if s.Properties != nil {
		n.props = map[string]jprop{}
		for name, p := range s.Properties.FromOldest() {
			n.props[name] = jprop{node: c.proxy(p), req: slices.Index(s.Required, name)}
		}
		n.indexProps()
	}
	n.required = s.Required
	for i, r := range s.Required {
		if slices.Index(s.Required, r) == i {
			n.reqMask |= 1 << i
		}
		if _, ok := n.props[r]; !ok {
			if n.reqOnly == nil {
				n.reqOnly = map[string]int{}
			}
			if _, dup := n.reqOnly[r]; !dup {
				n.reqOnly[r] = i
			}
		}
	}
	if ap := s.AdditionalProperties; ap != nil {
		if ap.IsA() {
			n.addl = c.proxy(ap.A)
		} else if !ap.B {
			n.addlFalse = true
		}
	}
	if it := s.Items; it != nil {
		if !it.IsA() {
			c.failed = true
			return
		}
		n.items = c.proxy(it.A)
	}
	if s.Enum != nil {
		if n.types != jtString {
			c.failed = true
			return
		}
		n.hasEnum = true
		for _, e := range s.Enum {
			var v any
			if e == nil || e.Decode(&v) != nil {
				c.failed = true
				return
			}
			str, ok := v.(string)
			if !ok {
				c.failed = true
				return
			}
			n.enum = append(n.enum, str)
		}
	}
	if s.Pattern != "" {
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			c.failed = true
			return
		}
		n.pattern = re
		n.class = simplePattern(s.Pattern)
	}
	switch s.Format {
	case "":
	case "uuid":
		n.format = fmtUUID
	case "int32":
		n.format = fmtInt32
	case "int64":
		n.format = fmtInt64
	case "double", "float":
		// not a format the engine knows: it asserts nothing
	default:
		c.failed = true
		return
	}
	if s.MinLength != nil {
		n.minLen = *s.MinLength
	}
	if s.MaxLength != nil {
		n.maxLen = *s.MaxLength
	}
	n.min, n.max = s.Minimum, s.Maximum
	for _, p := range s.AllOf {
		n.allOf = append(n.allOf, c.proxy(p))
	}
	for _, p := range s.AnyOf {
		n.anyOf = append(n.anyOf, c.proxy(p))
	}
	for _, p := range s.OneOf {
		n.oneOf = append(n.oneOf, c.proxy(p))
	}
}

// walkJSON reports whether doc is one JSON value that n accepts. sure is
// false when doc is not well-formed JSON or holds something walkJSON does
// not judge (invalid UTF-8, an out-of-range number).
func walkJSON(n *jnode, doc []byte) (valid, sure bool) {
	w := jwalker{b: doc}
	w.ws()
	valid = w.value(n)
	w.ws()
	if w.bad || w.i != len(w.b) {
		return false, false
	}
	return valid, true
}

type jwalker struct {
	b   []byte
	i   int
	bad bool // not well-formed, or not judged: the verdict is void
}

func (w *jwalker) ws() {
	b, i := w.b, w.i // locals: the loop runs in registers
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	w.i = i
}

// value checks the value at w.i against n (nil: anything) and always
// consumes it whole, valid or not.
func (w *jwalker) value(n *jnode) bool {
	if w.bad || w.i >= len(w.b) {
		w.bad = true
		return false
	}
	if n == nil {
		w.skip()
		return true
	}
	if len(n.allOf) > 0 || len(n.anyOf) > 0 || len(n.oneOf) > 0 {
		return w.combined(n)
	}
	return w.own(n)
}

// combined checks n's own keywords and its allOf/anyOf/oneOf, each over
// the same value.
func (w *jwalker) combined(n *jnode) bool {
	start := w.i
	ok := w.own(n)
	end := w.i
	// A branch whose types exclude the value's fails without a walk: own
	// has just read the value, so nothing about its bytes is left to learn
	// (a nullable object's {type: null} branch no longer reads the object
	// a second time).
	kind := tokenKind(w.b[start])
	fits := func(s *jnode) bool { return s == nil || s.types == 0 || kind == 0 || s.types&kind != 0 }
	for _, s := range n.allOf {
		w.i = start
		if !fits(s) || !w.value(s) {
			ok = false
		}
	}
	if len(n.anyOf) > 0 {
		any := false
		for _, s := range n.anyOf {
			w.i = start
			if fits(s) && w.value(s) {
				any = true
			}
		}
		ok = ok && any
	}
	if len(n.oneOf) > 0 {
		matches := 0
		for _, s := range n.oneOf {
			w.i = start
			if fits(s) && w.value(s) {
				matches++
			}
		}
		ok = ok && matches == 1
	}
	w.i = end
	return ok
}

// tokenKind is the jt* bits a value starting with c can satisfy; 0 when c
// starts no value.
func tokenKind(c byte) uint8 {
	switch {
	case c == '{':
		return jtObject
	case c == '[':
		return jtArray
	case c == '"':
		return jtString
	case c == 't' || c == 'f':
		return jtBool
	case c == 'n':
		return jtNull
	case c == '-' || '0' <= c && c <= '9':
		return jtNumber | jtInteger
	}
	return 0
}

func (w *jwalker) own(n *jnode) bool {
	switch c := w.b[w.i]; {
	case c == '{':
		ok := n.types == 0 || n.types&jtObject != 0
		return w.object(n, ok) && ok
	case c == '[':
		ok := n.types == 0 || n.types&jtArray != 0
		w.i++
		w.ws()
		if w.i < len(w.b) && w.b[w.i] == ']' {
			w.i++
			return ok
		}
		for !w.bad {
			var item *jnode
			if ok {
				item = n.items
			}
			if !w.value(item) {
				ok = false
			}
			w.ws()
			if w.i >= len(w.b) {
				w.bad = true
				return false
			}
			if w.b[w.i] == ',' {
				w.i++
				w.ws()
				continue
			}
			if w.b[w.i] == ']' {
				w.i++
				return ok
			}
			w.bad = true
		}
		return false
	case c == '"':
		raw, escaped, ok := w.str()
		if !ok {
			return false
		}
		if n.types != 0 && n.types&jtString == 0 {
			return false
		}
		if !n.hasEnum && n.minLen < 0 && n.maxLen < 0 && n.format == fmtNone && n.pattern == nil {
			return true
		}
		if escaped {
			s, ok := w.text(raw, escaped)
			return ok && n.stringOK([]byte(s))
		}
		return n.stringOK(raw)
	case c == 't':
		return w.lit("true") && (n.types == 0 || n.types&jtBool != 0)
	case c == 'f':
		return w.lit("false") && (n.types == 0 || n.types&jtBool != 0)
	case c == 'n':
		return w.lit("null") && (n.types == 0 || n.types&jtNull != 0)
	case c == '-' || '0' <= c && c <= '9':
		f, ok := w.num()
		if !ok {
			return false
		}
		return n.numberOK(f)
	}
	w.bad = true
	return false
}

func (n *jnode) numberOK(f float64) bool {
	whole := f == math.Trunc(f)
	if n.types != 0 && n.types&jtNumber == 0 && !(n.types&jtInteger != 0 && whole) {
		return false
	}
	if n.min != nil && f < *n.min || n.max != nil && f > *n.max {
		return false
	}
	switch n.format {
	case fmtInt32:
		return whole && f >= math.MinInt32 && f < math.MaxInt32+1
	case fmtInt64:
		return whole && f >= math.MinInt64 && f < float64(math.MaxInt64)+1
	}
	return true
}

// simple reports whether n is one type's own keywords, without
// combinators: what a parameter check may use directly.
func (n *jnode) simple(t uint8) bool {
	return n != nil && n.types == t && len(n.allOf) == 0 && len(n.anyOf) == 0 && len(n.oneOf) == 0
}

func (n *jnode) stringOK(s []byte) bool {
	if n.class != nil {
		return textOK(n, s) && charRunMatch(n.class, s)
	}
	return textOK(n, s) && (n.pattern == nil || n.pattern.Match(s))
}

// textOK is stringOK for a string (a parameter's value), without copying it.
func (n *jnode) textOK(s string) bool {
	if n.class != nil {
		return textOK(n, s) && charRunMatch(n.class, s)
	}
	return textOK(n, s) && (n.pattern == nil || n.pattern.MatchString(s))
}

// textOK checks s against the node's string keywords but pattern.
func textOK[T string | []byte](n *jnode, s T) bool {
	if n.hasEnum {
		found := false
		for _, e := range n.enum {
			if e == string(s) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if n.minLen >= 0 || n.maxLen >= 0 {
		var l int64 // code points, an invalid byte counting as one
		for range string(s) {
			l++
		}
		if n.minLen >= 0 && l < n.minLen || n.maxLen >= 0 && l > n.maxLen {
			return false
		}
	}
	if n.format == fmtUUID && !isUUID(s) {
		return false
	}
	return true
}

func (w *jwalker) object(n *jnode, check bool) bool {
	w.i++ // '{'
	ok := true
	var seen uint64
	w.ws()
	if w.i < len(w.b) && w.b[w.i] == '}' {
		w.i++
		return !check || len(n.required) == 0
	}
	for !w.bad {
		if w.i >= len(w.b) || w.b[w.i] != '"' {
			w.bad = true
			return false
		}
		rawKey, escaped, good := w.str()
		if !good {
			return false
		}
		key := rawKey
		if escaped {
			k, good := w.text(rawKey, escaped)
			if !good {
				return false
			}
			key = []byte(k)
		}
		w.ws()
		if w.i >= len(w.b) || w.b[w.i] != ':' {
			w.bad = true
			return false
		}
		w.i++
		w.ws()
		var child *jnode
		if check {
			if p, found := n.prop(key); found {
				child = p.node
				if p.req >= 0 {
					seen |= 1 << p.req
				}
			} else {
				if n.addlFalse {
					ok = false
				} else {
					child = n.addl
				}
				if j, found := n.reqOnly[string(key)]; found {
					seen |= 1 << j
				}
			}
		}
		if !w.value(child) {
			ok = false
		}
		w.ws()
		if w.i >= len(w.b) {
			w.bad = true
			return false
		}
		if w.b[w.i] == ',' {
			w.i++
			w.ws()
			continue
		}
		if w.b[w.i] == '}' {
			w.i++
			if check && seen != n.reqMask {
				ok = false
			}
			return ok
		}
		w.bad = true
	}
	return false
}

// str reads a string token and returns its raw content (between the
// quotes) and whether it holds escapes. Invalid UTF-8 or a control
// character voids the verdict.
func (w *jwalker) str() (raw []byte, escaped, ok bool) {
	start := w.i
	w.i++
	for w.i < len(w.b) {
		// Skip the run of bytes that need no attention first (locals:
		// the loop runs in registers).
		w.i = skipPlain(w.b, w.i)
		if w.i >= len(w.b) {
			break
		}
		c := w.b[w.i]
		switch {
		case c == '"':
			w.i++
			return w.b[start+1 : w.i-1], escaped, true
		case c == '\\':
			escaped = true
			if w.i+1 >= len(w.b) {
				w.bad = true
				return nil, false, false
			}
			switch w.b[w.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				w.i += 2
			case 'u':
				if w.i+6 > len(w.b) || !isHex(w.b[w.i+2:w.i+6]) {
					w.bad = true
					return nil, false, false
				}
				w.i += 6
			default:
				w.bad = true
				return nil, false, false
			}
			continue
		case c < 0x20:
			w.bad = true
			return nil, false, false
		case c >= 0x80:
			r, size := utf8.DecodeRune(w.b[w.i:])
			if r == utf8.RuneError && size <= 1 {
				w.bad = true
				return nil, false, false
			}
			w.i += size
			continue
		}
		w.i++
	}
	w.bad = true
	return nil, false, false
}

// skipPlain returns the index of the first byte from i on that a string
// can't hold as it is (see strPlain), or len(b). It tests eight bytes at a
// time: a word's lowest flagged byte is exact (a false flag comes only
// from a borrow out of a truly flagged byte below it).
func skipPlain(b []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		q, bs := x^(ones*'"'), x^(ones*'\\')
		m := ((q-ones)&^q | (bs-ones)&^bs | (x-ones*0x20)&^x) & highs
		m |= x & highs // not ASCII
		if m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(b) && strPlain[b[i]] {
		i++
	}
	return i
}

// strPlain marks the bytes a JSON string holds as they are: printable
// ASCII but the quote and the backslash.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// text decodes a string token's content read by str.
func (w *jwalker) text(raw []byte, escaped bool) (string, bool) {
	if !escaped {
		return string(raw), true
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
		w.bad = true
		return "", false
	}
	return s, true
}

func (w *jwalker) lit(s string) bool {
	if len(w.b)-w.i < len(s) || string(w.b[w.i:w.i+len(s)]) != s {
		w.bad = true
		return false
	}
	w.i += len(s)
	return true
}

// num reads a number token with JSON's grammar and parses it as float64,
// as encoding/json would for the engine.
func (w *jwalker) num() (float64, bool) {
	start := w.i
	neg := w.b[w.i] == '-'
	if neg {
		w.i++
	}
	intStart := w.i
	digits := func() int {
		n := 0
		for w.i < len(w.b) && '0' <= w.b[w.i] && w.b[w.i] <= '9' {
			w.i++
			n++
		}
		return n
	}
	if w.i < len(w.b) && w.b[w.i] == '0' {
		w.i++
	} else if digits() == 0 {
		w.bad = true
		return 0, false
	}
	// A plain integer of up to 15 digits is exact in a float64: no
	// parsing needed (timestamps, counts).
	if w.i-intStart <= 15 && (w.i >= len(w.b) || w.b[w.i] != '.' && w.b[w.i] != 'e' && w.b[w.i] != 'E') {
		var v int64
		for _, c := range w.b[intStart:w.i] {
			v = v*10 + int64(c-'0')
		}
		f := float64(v)
		if neg {
			f = -f // -0 stays -0, as ParseFloat makes it
		}
		return f, true
	}
	if w.i < len(w.b) && w.b[w.i] == '.' {
		w.i++
		if digits() == 0 {
			w.bad = true
			return 0, false
		}
	}
	if w.i < len(w.b) && (w.b[w.i] == 'e' || w.b[w.i] == 'E') {
		w.i++
		if w.i < len(w.b) && (w.b[w.i] == '+' || w.b[w.i] == '-') {
			w.i++
		}
		if digits() == 0 {
			w.bad = true
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(w.b[start:w.i]), 64)
	if err != nil {
		w.bad = true
		return 0, false
	}
	return f, true
}

// skip consumes one value without checking it against a schema.
func (w *jwalker) skip() {
	switch c := w.b[w.i]; {
	case c == '{':
		w.object(nil, false)
	case c == '[', c == '"', c == 't', c == 'f', c == 'n', c == '-', '0' <= c && c <= '9':
		w.own(anyNode)
	default:
		w.bad = true
	}
}

// anyNode accepts every value.
var anyNode = &jnode{minLen: -1, maxLen: -1}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// isUUID is the engine's uuid format check: 8-4-4-4-12 hex digits.
func isUUID[T string | []byte](s T) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
