// Package jsondepth caps the nesting depth of JSON values a client or a
// vendor hands the mock. Stored values are later wrapped in lists, exports
// and run records; encoding/json (and every client) refuses documents more
// than 10,000 levels deep, so an uncapped value could turn a read of the
// whole tenant into an error. Capping what comes in keeps every read far
// from that limit.
package jsondepth

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// Max is the nesting depth allowed for a JSON value: an object or array
// counts one level, so `{"a":[1]}` is 2 deep.
const Max = 64

// Of returns the nesting depth of the JSON text data (0 for a scalar). It
// only counts brackets outside strings, so it is cheap and well defined for
// any bytes; for text that is not JSON its answer means little.
func Of(data []byte) int {
	depth, max := 0, 0
	inString, escaped := false, false
	for _, c := range data {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > max {
				max = depth
			}
		case '}', ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return max
}

// Check reports where the JSON text data first nests deeper than limit: the
// JSON path (`parameters.blob`) of the outermost named value holding the
// too-deep nesting ("" for the document itself), and whether it does. Text
// that is not JSON is not this check's business: it reports false unless
// the part before the syntax error is already too deep.
func Check(data []byte, limit int) (path string, deep bool) {
	if Of(data) <= limit {
		return "", false
	}
	var stack []frame
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	expectKey := func() bool { return len(stack) > 0 && !stack[len(stack)-1].array }
	afterValue := func() {
		if n := len(stack); n > 0 && stack[n-1].array {
			stack[n-1].index++
		}
	}
	keyNext := true
	for {
		tok, err := d.Token()
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, frame{array: t == '['})
				keyNext = t == '{'
				if len(stack) > limit {
					return render(stack[:len(stack)-1]), true
				}
				continue
			default:
				stack = stack[:len(stack)-1]
				afterValue()
				keyNext = expectKey()
				continue
			}
		case string:
			if expectKey() && keyNext {
				stack[len(stack)-1].key = t
				keyNext = false
				continue
			}
		}
		afterValue()
		keyNext = expectKey()
	}
}

// frame is one open container of the document being walked: an array and
// the index of its current element, or an object and its current key.
type frame struct {
	array bool
	index int
	key   string
}

// maxNamed bounds how many path segments render looks at, so the name of a
// field stays short.
const maxNamed = 16

// render spells the path of the frames (each the container a value sits
// in) up to the last object key among the first maxNamed segments.
func render(frames []frame) string {
	var segs []string
	lastKey := -1
	for i, f := range frames {
		if i == maxNamed {
			break
		}
		if f.array {
			segs = append(segs, "["+strconv.Itoa(f.index)+"]")
			continue
		}
		segs = append(segs, f.key)
		lastKey = len(segs)
	}
	if lastKey < 0 {
		return ""
	}
	var b strings.Builder
	for i, s := range segs[:lastKey] {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// Value returns the nesting depth of a decoded JSON value (maps and slices
// as encoding/json produces them), stopping once it passes limit.
func Value(v any, limit int) int {
	return value(v, 0, limit)
}

func value(v any, depth, limit int) int {
	var kids []any
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			kids = append(kids, e)
		}
	case []any:
		kids = x
	default:
		return depth
	}
	depth++
	if depth > limit {
		return depth
	}
	max := depth
	for _, k := range kids {
		if d := value(k, depth, limit); d > max {
			max = d
			if max > limit {
				break
			}
		}
	}
	return max
}

// Restore returns a reader that yields data and then err (nil err: EOF), so
// a body read for a check can be read again by the next layer with the
// same outcome.
func Restore(data []byte, err error) io.Reader {
	if err == nil {
		return bytes.NewReader(data)
	}
	return io.MultiReader(bytes.NewReader(data), errReader{err})
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
