package fuzz

import (
	"encoding/json"
	"math"
	"regexp"
	"slices"

	"github.com/fruxon/fruxon-mock/validator"
)

// node is the part of a JSON Schema the generator understands, flattened
// from the libopenapi model once so generation never walks proxies or maps
// (whose order would make a run depend on more than its seed).
type node struct {
	types   []string // JSON types; empty means any value
	format  string
	pattern string
	re      *regexp.Regexp // nil when pattern is empty or not RE2
	enum    []any
	minLen  int // -1 when unset
	maxLen  int // -1 when unset
	min     float64
	max     float64
	hasMin  bool
	hasMax  bool
	props   []prop // in document order
	closed  bool   // additionalProperties: false
	addl    *node  // additionalProperties schema; nil with !closed means any
	items   *node
	minItem int
	maxItem int // -1 when unset
	oneOf   []*node
	// examples are the schema's own example values, the fallback for a
	// pattern the generator can't produce.
	examples []any
}

type prop struct {
	name     string
	n        *node
	required bool
}

// maxDepth bounds the generator's recursion through self-referencing
// schemas, as validator.SchemaDepth bounds the schemas'.
const maxDepth = validator.SchemaDepth

// compile flattens a schema; nil (no schema) is "any value". The
// validator's Schema is already bounded in depth (validator.SchemaDepth).
func compile(s *validator.Schema) *node {
	n := &node{minLen: -1, maxLen: -1, maxItem: -1}
	if s == nil {
		return n
	}
	n.types = slices.Clone(s.Types)
	n.format = s.Format
	if s.Pattern != "" {
		n.pattern = s.Pattern
		n.re, _ = regexp.Compile(s.Pattern)
	}
	n.enum = slices.Clone(s.Enum)
	if s.HasConst {
		n.enum = []any{s.Const}
	}
	if s.MinLength != nil {
		n.minLen = int(*s.MinLength)
	}
	if s.MaxLength != nil {
		n.maxLen = int(*s.MaxLength)
	}
	if s.Minimum != nil {
		n.min, n.hasMin = *s.Minimum, true
	}
	if s.Maximum != nil {
		n.max, n.hasMax = *s.Maximum, true
	}
	if s.ExclusiveMinimum != nil {
		n.min, n.hasMin = *s.ExclusiveMinimum+1, true
	}
	if s.ExclusiveMaximum != nil {
		n.max, n.hasMax = *s.ExclusiveMaximum-1, true
	}
	switch n.format {
	case "int32":
		n.clampRange(math.MinInt32, math.MaxInt32)
	case "int64":
		// JSON numbers above 2^53 lose precision in many clients; stay exact.
		n.clampRange(-(1 << 53), 1<<53)
	}
	if s.MinItems != nil {
		n.minItem = int(*s.MinItems)
	}
	if s.MaxItems != nil {
		n.maxItem = int(*s.MaxItems)
	}
	for _, p := range s.Properties {
		n.props = append(n.props, prop{name: p.Name, n: compile(p.Schema), required: slices.Contains(s.Required, p.Name)})
	}
	n.closed = s.Closed
	if s.AdditionalProperties != nil {
		n.addl = compile(s.AdditionalProperties)
	}
	if s.Items != nil {
		n.items = compile(s.Items)
	}
	for _, o := range s.OneOf {
		n.oneOf = append(n.oneOf, compile(o))
	}
	for _, o := range s.AnyOf {
		n.oneOf = append(n.oneOf, compile(o))
	}
	if len(s.AllOf) == 1 { // a lone allOf is a $ref with siblings
		inner := compile(s.AllOf[0])
		if len(n.types) == 0 && len(n.props) == 0 {
			inner.examples = append(inner.examples, n.examples...)
			return inner
		}
	}
	n.examples = slices.Clone(s.Examples)
	return n
}

func (n *node) clampRange(lo, hi float64) {
	if !n.hasMin || n.min < lo {
		n.min, n.hasMin = lo, true
	}
	if !n.hasMax || n.max > hi {
		n.max, n.hasMax = hi, true
	}
}

// allows reports whether the schema admits the JSON type t.
func (n *node) allows(t string) bool {
	if len(n.types) == 0 && len(n.oneOf) == 0 {
		return true
	}
	if slices.Contains(n.types, t) || (t == "integer" && slices.Contains(n.types, "number")) {
		return true
	}
	for _, o := range n.oneOf {
		if o.allows(t) {
			return true
		}
	}
	return false
}

// nullable reports whether null is a valid value.
func (n *node) nullable() bool {
	if slices.Contains(n.types, "null") {
		return true
	}
	for _, o := range n.oneOf {
		if o.nullable() {
			return true
		}
	}
	return len(n.enum) > 0 && slices.Contains(n.enum, nil)
}

// nonNull is the schema without its null alternative: the branch of a
// nullable oneOf that carries the constraints.
func (n *node) nonNull() *node {
	if len(n.oneOf) == 0 {
		return n
	}
	for _, o := range n.oneOf {
		if !(len(o.types) == 1 && o.types[0] == "null") {
			return o.nonNull()
		}
	}
	return n
}

// prop finds a declared property.
func (n *node) prop(name string) *node {
	for _, p := range n.props {
		if p.name == name {
			return p.n
		}
	}
	return nil
}

// jsonable round-trips through JSON so maps are map[string]any and
// numbers float64, what encoding/json gives a request body back.
func jsonable(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}
