package validator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	yaml "github.com/pb33f/go-yaml"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// readDeclarations reads from the model what the operation declares
// beyond its schemas: security, provenance, upload limit, JSON-RPC, its
// request media types. The methods below answer from the copies.
func readDeclarations(o *Operation, op *v3.Operation) {
	o.anonymous = op.Security != nil && len(op.Security) == 0
	o.ownKeyOnly = ownKeyOnly(op)
	if op.RequestBody != nil && op.RequestBody.Content != nil {
		for mt := range op.RequestBody.Content.FromOldest() {
			o.requestTypes = append(o.requestTypes, mt)
		}
	}
	if op.Extensions == nil {
		return
	}
	if n, found := op.Extensions.Get("x-fruxon-source"); found && n != nil && n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k, v := n.Content[0], n.Content[1]
		if (k.Value == "documented" || k.Value == "inferred") && v.Kind == yaml.ScalarNode && v.Value != "" {
			o.sourceKind, o.sourceDetail = k.Value, v.Value
		}
	}
	if n, found := op.Extensions.Get("x-fruxon-max-upload"); found && n != nil && n.Kind == yaml.ScalarNode {
		if v, err := strconv.ParseInt(n.Value, 10, 64); err == nil && v >= 0 {
			o.maxUpload = v
		}
	}
	n, found := op.Extensions.Get("x-fruxon-jsonrpc")
	o.jsonrpc = found && n != nil && n.Kind == yaml.ScalarNode && n.Value == "true"
}

// Anonymous says the operation declares `security: []`: it takes no
// credentials (GET assets:oauthCredentials, for one).
func (o *Operation) Anonymous() bool { return o.anonymous }

// Source is where the operation comes from, from its x-fruxon-source
// extension: kind "documented" with the documentation page's URL, or
// "inferred" with why the operation is believed to exist. ok is false when
// the operation says neither.
func (o *Operation) Source() (kind, detail string, ok bool) {
	return o.sourceKind, o.sourceDetail, o.sourceKind != ""
}

// SourceLine is Source as one line for a table: "documented <url>".
func (o *Operation) SourceLine() string {
	kind, detail, ok := o.Source()
	if !ok {
		return "unknown (no x-fruxon-source)"
	}
	return fmt.Sprintf("%s %s", kind, detail)
}

// MaxUpload is the upload limit, in bytes, the operation's documentation
// states (x-fruxon-max-upload: assets:file's 50 MB), 0 when it states none.
// A server lets such an operation's body run that much past its usual cap.
func (o *Operation) MaxUpload() int64 { return o.maxUpload }

// JSONRPC says the operation's body is a JSON-RPC message
// (x-fruxon-jsonrpc: true, on mcp:call and mcp:test): it answers a body it
// can't parse, or an envelope that isn't one, with a JSON-RPC error, as an
// MCP client expects, not with a problem.
func (o *Operation) JSONRPC() bool { return o.jsonrpc }

// RequestMediaTypes lists the media types the operation's request body
// declares, in the spec's order; none when it takes no body.
func (o *Operation) RequestMediaTypes() []string { return slices.Clone(o.requestTypes) }

// EnvelopeRefusal says whether body is how a JSON-RPC operation refuses a
// message it can't take: a JSON-RPC 2.0 error with a null id and code
// -32700 (not JSON) or -32600 (not a request). Checkers (the fuzzer, the
// independent validators) count it as a refusal, not an acceptance.
func EnvelopeRefusal(body []byte) bool {
	var m struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	return json.Unmarshal(body, &m) == nil && m.JSONRPC == "2.0" && string(m.ID) == "null" &&
		m.Error != nil && (m.Error.Code == -32700 || m.Error.Code == -32600)
}

// OwnKeyOnly says the operation's only security requirement is the
// X-API-KEY scheme (apiKeyAuth), as on mcp:call and mcp:test, whose key is
// the integration's own MCP key: the operation checks it itself, since no
// tenant-wide credential check can know it.
func (o *Operation) OwnKeyOnly() bool { return o.ownKeyOnly }

func ownKeyOnly(op *v3.Operation) bool {
	if len(op.Security) != 1 {
		return false
	}
	req := op.Security[0]
	if req == nil || req.Requirements == nil || req.Requirements.Len() != 1 || req.ContainsEmptyRequirement {
		return false
	}
	_, ok := req.Requirements.Get("apiKeyAuth")
	return ok
}
