package fuzz

import (
	"path"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// operation is what the fuzzer knows of one API operation: its parameters
// and body schema, flattened once.
type operation struct {
	op       *validator.Operation
	id       string
	method   string
	template string
	params   []param
	body     *node // nil when the operation takes no body
	// bodyRequired: the request body must be sent.
	bodyRequired bool
	// declares401: the operation can answer 401 (it is secured).
	declares401 bool
}

type param struct {
	name     string
	in       string // path, query, header
	required bool
	schema   *node
	explode  bool
}

// newOperation flattens a validator operation. Operation-level parameters
// override path-level ones of the same name and location.
func newOperation(o *validator.Operation) *operation {
	item, op := o.V3()
	out := &operation{op: o, id: o.ID, method: o.Method, template: o.Path, declares401: o.Declares(401)}
	seen := map[string]int{}
	add := func(ps []*v3.Parameter) {
		for _, p := range ps {
			if p == nil {
				continue
			}
			pp := param{name: p.Name, in: p.In, required: p.Required != nil && *p.Required, schema: compile(p.Schema), explode: p.Explode == nil || *p.Explode}
			key := p.In + "\x00" + p.Name
			if i, ok := seen[key]; ok {
				out.params[i] = pp
				continue
			}
			seen[key] = len(out.params)
			out.params = append(out.params, pp)
		}
	}
	if item != nil {
		add(item.Parameters)
	}
	if op != nil {
		add(op.Parameters)
		if rb := op.RequestBody; rb != nil && rb.Content != nil {
			if media, ok := rb.Content.Get("application/json"); ok && media != nil {
				out.body = compile(media.Schema)
				out.bodyRequired = rb.Required != nil && *rb.Required
			}
		}
	}
	return out
}

// safe reports whether the operation only reads.
func (o *operation) safe() bool {
	return o.method == "GET" || o.method == "HEAD" || o.method == "OPTIONS"
}

// pathParams lists the names of the path template's parameters, in order.
func (o *operation) pathParams() []string {
	var names []string
	for _, seg := range strings.Split(o.template, "/") {
		if i := strings.IndexByte(seg, '{'); i >= 0 {
			if j := strings.IndexByte(seg, '}'); j > i {
				names = append(names, seg[i+1:j])
			}
		}
	}
	return names
}

// matches reports whether a glob list (comma-separated, path.Match
// syntax against the operationId) selects the operation; empty selects all.
func (o *operation) matches(globs []string) bool {
	if len(globs) == 0 {
		return true
	}
	return slices.ContainsFunc(globs, func(g string) bool { return globMatch(strings.TrimSpace(g), o.id) })
}

func globMatch(glob, id string) bool {
	ok, err := path.Match(glob, id)
	return err == nil && ok
}
