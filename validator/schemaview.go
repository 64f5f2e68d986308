package validator

import (
	"encoding/json"
	"slices"

	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// Schema is a JSON Schema of the contract as plain values, for the tools
// that generate or compare documents (the fuzzer, replay's parity check)
// without libopenapi's model, which model.go keeps out of the packages that
// import this one. Self-references are expanded to SchemaDepth levels; a
// nil *Schema is "any value" (no schema, or one below that depth).
type Schema struct {
	Types   []string
	Format  string
	Pattern string
	// Enum and Const hold JSON values as encoding/json decodes them
	// (map[string]any, []any, float64, string, bool, nil).
	Enum     []any
	Const    any
	HasConst bool
	// The numeric keywords; ExclusiveMinimum and ExclusiveMaximum only in
	// their numeric (3.1) form.
	MinLength, MaxLength *int64
	MinItems, MaxItems   *int64
	Minimum, Maximum     *float64
	ExclusiveMinimum     *float64
	ExclusiveMaximum     *float64
	Properties           []Property // in document order
	Required             []string
	// AdditionalProperties is its schema form; Closed is its false form.
	AdditionalProperties *Schema
	Closed               bool
	Items                *Schema
	AllOf, AnyOf, OneOf  []*Schema
	// Examples are the schema's examples, then its example.
	Examples []any
}

// Property is a declared property of an object schema.
type Property struct {
	Name   string
	Schema *Schema
}

// Parameter is a declared path, query, header or cookie parameter.
type Parameter struct {
	Name, In string
	Required bool
	// Explode is the form style's explode, true unless declared false.
	Explode bool
	Schema  *Schema
}

// SchemaDepth bounds how deep a Schema expands a self-referencing one.
const SchemaDepth = 12

// Parameters lists the operation's parameters: the path item's, then the
// operation's, an operation's one replacing the path item's of the same
// name and location in place.
func (o *Operation) Parameters() []Parameter {
	m := modelOf(o)
	var out []Parameter
	seen := map[string]int{}
	for _, ps := range [][]*v3.Parameter{m.pathItem.Parameters, m.op.Parameters} {
		for _, p := range ps {
			if p == nil {
				continue
			}
			pp := Parameter{Name: p.Name, In: p.In, Required: p.Required != nil && *p.Required,
				Explode: p.Explode == nil || *p.Explode, Schema: schemaView(p.Schema, 0)}
			key := p.In + "\x00" + p.Name
			if i, ok := seen[key]; ok {
				out[i] = pp
				continue
			}
			seen[key] = len(out)
			out = append(out, pp)
		}
	}
	return out
}

// RequestBody is the declared request body: whether it is required, and
// the schema of each of its media types (nil for a media type without
// one). declared is false when the operation takes no body.
func (o *Operation) RequestBody() (required bool, media map[string]*Schema, declared bool) {
	rb := modelOf(o).op.RequestBody
	if rb == nil {
		return false, nil, false
	}
	media = map[string]*Schema{}
	if rb.Content != nil {
		for mt, m := range rb.Content.FromOldest() {
			if m != nil {
				media[mt] = schemaView(m.Schema, 0)
			} else {
				media[mt] = nil
			}
		}
	}
	return rb.Required != nil && *rb.Required, media, true
}

// Response is the response declared for status (exactly, then by range,
// then the default): its header names as declared, and the schema of its
// media type mediaType (nil when it declares none). ok is false when the
// operation declares no response for status.
func (o *Operation) Response(status int, mediaType string) (headers []string, schema *Schema, ok bool) {
	r := responseOf(o, status)
	if r == nil {
		return nil, nil, false
	}
	if r.Headers != nil {
		for name := range r.Headers.KeysFromOldest() {
			headers = append(headers, name)
		}
	}
	if r.Content != nil {
		if m, found := r.Content.Get(mediaType); found && m != nil {
			schema = schemaView(m.Schema, 0)
		}
	}
	return headers, schema, true
}

func schemaView(sp *base.SchemaProxy, depth int) *Schema {
	if sp == nil || depth > SchemaDepth {
		return nil
	}
	s := sp.Schema()
	if s == nil {
		return nil
	}
	// Copies throughout: a caller may change its Schema, not the model.
	v := &Schema{Types: slices.Clone(s.Type), Format: s.Format, Pattern: s.Pattern, Required: slices.Clone(s.Required),
		MinLength: clonePtr(s.MinLength), MaxLength: clonePtr(s.MaxLength), MinItems: clonePtr(s.MinItems),
		MaxItems: clonePtr(s.MaxItems), Minimum: clonePtr(s.Minimum), Maximum: clonePtr(s.Maximum)}
	for _, e := range s.Enum {
		v.Enum = append(v.Enum, jsonValue(e))
	}
	if s.Const != nil {
		v.Const, v.HasConst = jsonValue(s.Const), true
	}
	if s.ExclusiveMinimum != nil && s.ExclusiveMinimum.IsB() {
		v.ExclusiveMinimum = clonePtr(&s.ExclusiveMinimum.B)
	}
	if s.ExclusiveMaximum != nil && s.ExclusiveMaximum.IsB() {
		v.ExclusiveMaximum = clonePtr(&s.ExclusiveMaximum.B)
	}
	if s.Properties != nil {
		for name, p := range s.Properties.FromOldest() {
			v.Properties = append(v.Properties, Property{Name: name, Schema: schemaView(p, depth+1)})
		}
	}
	if ap := s.AdditionalProperties; ap != nil {
		if ap.IsB() {
			v.Closed = !ap.B
		} else if ap.A != nil {
			v.AdditionalProperties = schemaView(ap.A, depth+1)
		}
	}
	if it := s.Items; it != nil && it.IsA() && it.A != nil {
		v.Items = schemaView(it.A, depth+1)
	}
	for _, group := range []struct {
		in  []*base.SchemaProxy
		out *[]*Schema
	}{{s.AllOf, &v.AllOf}, {s.AnyOf, &v.AnyOf}, {s.OneOf, &v.OneOf}} {
		for _, p := range group.in {
			*group.out = append(*group.out, schemaView(p, depth+1))
		}
	}
	for _, e := range s.Examples {
		v.Examples = append(v.Examples, jsonValue(e))
	}
	if s.Example != nil {
		v.Examples = append(v.Examples, jsonValue(s.Example))
	}
	return v
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// jsonValue decodes a YAML value the way encoding/json decodes the same
// JSON: maps are map[string]any, numbers float64; nil when it has none.
func jsonValue(y *yaml.Node) any {
	var v any
	if err := y.Decode(&v); err != nil {
		return nil
	}
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
