package fuzz

import (
	"path"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
	"github.com/pb33f/jsonschema/v6"
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
	// The validator's own, compiled once for all runs.
	if o.compiled = o.op.RequestSchema("application/json"); o.compiled == nil {
		o.compileFailed = true
	}
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
	out := &operation{op: o, id: o.ID, method: o.Method, template: o.Path, declares401: o.Declares(401),
		keyOnly: o.OwnKeyOnly(), jsonrpc: o.JSONRPC()}
	for _, p := range o.Parameters() {
		out.params = append(out.params, param{name: p.Name, in: p.In, required: p.Required, schema: compile(p.Schema), explode: p.Explode})
	}
	if required, media, declared := o.RequestBody(); declared {
		if s, ok := media["application/json"]; ok {
			out.body = compile(s)
			out.bodyRequired = required
		} else if required {
			out.opaqueBody = true
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
