package fuzz

import (
	"path"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
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
	// keyOnly: the operation's security names only apiKeyAuth (mcp:call,
	// mcp:test take the integration's MCP key in X-API-KEY), a credential
	// the fuzzer's bearer token is not.
	keyOnly bool
	// jsonrpc: the body is a JSON-RPC message (x-fruxon-jsonrpc: mcp:call,
	// mcp:test): a body that isn't JSON or isn't an envelope is answered
	// with a JSON-RPC error in a 200, not a 400 problem.
	jsonrpc bool
	// opaqueBody: the operation requires a body in a media type the fuzzer
	// can't generate (assets:file's multipart form); it is not fuzzed.
	opaqueBody bool
	// compiled is the JSON body's compiled schema, built on first use;
	// compileFailed remembers that it could not be.
	compiled      *jsonschema.Schema
	compileFailed bool
}

// bodySchema compiles the JSON request body's schema with the engine and
// options the validator uses, once.
func (o *operation) bodySchema() *jsonschema.Schema {
	if o.compiled != nil || o.compileFailed {
		return o.compiled
	}
	// The validator holds the schema it compiled at start: use it rather
	// than compiling again on every run.
	if cs := o.op.RequestSchema("application/json"); cs != nil {
		o.compiled = cs
		return cs
	}
	_, op := validator.V3(o.op)
	if op == nil || op.RequestBody == nil || op.RequestBody.Content == nil {
		o.compileFailed = true
		return nil
	}
	media, ok := op.RequestBody.Content.Get("application/json")
	if !ok || media == nil || media.Schema == nil || media.Schema.Schema() == nil {
		o.compileFailed = true
		return nil
	}
	opts := config.NewValidationOptions(config.WithFormatAssertions())
	cs, err := schema_validation.CompileSchemaForValidation(media.Schema.Schema(), schema_validation.SchemaValidationPurposeRequestBody, opts, 3.1)
	if err != nil || cs == nil || cs.CompiledSchema == nil {
		o.compileFailed = true
		return nil
	}
	o.compiled = cs.CompiledSchema
	return o.compiled
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
	item, op := validator.V3(o)
	out := &operation{op: o, id: o.ID, method: o.Method, template: o.Path, declares401: o.Declares(401)}
	out.keyOnly = op != nil && apiKeyOnly(op.Security)
	out.jsonrpc = o.JSONRPC()
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
			} else if rb.Required != nil && *rb.Required {
				out.opaqueBody = true
			}
		}
	}
	return out
}

// apiKeyOnly reports whether every alternative of a security declaration
// names apiKeyAuth and nothing else: no bearer token satisfies it.
func apiKeyOnly(reqs []*base.SecurityRequirement) bool {
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		if r == nil || r.ContainsEmptyRequirement || r.Requirements == nil || r.Requirements.Len() != 1 {
			return false
		}
		if _, ok := r.Requirements.Get("apiKeyAuth"); !ok {
			return false
		}
	}
	return true
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
