package mcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
	"github.com/fruxon/fruxon-mock/validator"
)

// JSON-RPC 2.0 error codes: the standard ones, and the server errors this
// room defines in the -32000…-32099 range JSON-RPC reserves for them.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeInternalError  = -32603
	// CodeDisabled: the integration's MCP settings are disabled.
	CodeDisabled = -32001
	// CodeNoConfig: mcp:call's tools/call with no backing config bound.
	CodeNoConfig = -32002
)

// ProtocolVersions are the MCP revisions the room speaks, newest first.
// initialize echoes the client's when it is one of them, else the newest.
var ProtocolVersions = []string{"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}

// ServerName is initialize's serverInfo.name.
const ServerName = "fruxon-mock"

// maxBody caps a JSON-RPC request body.
const maxBody = 1 << 20

// ReasonHeader carries why a 401 was answered (its body stays empty, as
// the server's other 401s), as the server's own ReasonHeader does.
const ReasonHeader = "X-Fruxon-Mock-Reason"

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

// rpcResponse is a JSON-RPC response: result or error.
type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

var nullID = json.RawMessage("null")

// serveRPC serves mcp:call (sandbox false) and mcp:test (sandbox true):
// one JSON-RPC message per POST, answered with one JSON response (200), or
// 202 with no body for a notification or a client's response, as MCP's
// Streamable HTTP transport has it. The integration must exist (404) and
// X-API-KEY must be its current MCP key (401, empty body); everything
// after that is answered in JSON-RPC, never with a 5xx.
func (h *Handlers) serveRPC(w http.ResponseWriter, r *http.Request, sandbox bool) {
	api := h.d.API
	store, ok := h.d.Store(w, r)
	if !ok {
		return
	}
	tenant, integration := api.PathVar(r, "tenant"), api.PathVar(r, "integration")
	key := r.Header.Get("X-API-KEY")
	ep, err := store.Access(tenant, integration, key)
	if err != nil && !isAccessErr(err) {
		api.WriteError(w, r, err) // no such integration: 404
		return
	}
	if err != nil {
		reason := err.Error()
		if key == "" {
			reason = "no X-API-KEY: send the integration's MCP key"
		}
		w.Header().Set(ReasonHeader, reason)
		api.WriteProblem(w, r, validator.NewProblem(http.StatusUnauthorized, reason))
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		h.writeRPC(w, rpcResponse{ID: nullID, Error: &rpcError{Code: CodeInvalidRequest, Message: fmt.Sprintf("the request body is unreadable or larger than %d bytes", maxBody)}})
		return
	}
	msg, resp := parseMessage(body)
	if resp != nil {
		h.writeRPC(w, *resp)
		return
	}
	if msg == nil { // a notification, or the client's response
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if !ep.Enabled {
		h.writeRPC(w, rpcResponse{ID: msg.ID, Error: &rpcError{Code: CodeDisabled,
			Message: fmt.Sprintf("MCP is disabled for integration %q; enable it with PATCH …/mcp {\"enabled\": true}", integration)}})
		return
	}
	call := rpcCall{h: h, w: w, r: r, store: store, tenant: tenant, integration: integration, ep: ep, sandbox: sandbox}
	result, rerr := call.dispatch(msg)
	out := rpcResponse{ID: msg.ID, Result: result, Error: rerr}
	if rerr == nil && result == nil {
		out.Result = struct{}{}
	}
	h.writeRPC(w, out)
}

func isAccessErr(err error) bool { return errors.Is(err, ErrNoKey) || errors.Is(err, ErrBadKey) }

func (h *Handlers) writeRPC(w http.ResponseWriter, resp rpcResponse) {
	resp.JSONRPC = "2.0"
	if resp.ID == nil {
		resp.ID = nullID
	}
	h.d.API.WriteJSON(w, http.StatusOK, resp)
}

// message is a JSON-RPC request that wants an answer.
type message struct {
	ID     json.RawMessage
	Method string
	Params map[string]any
	// paramsBad: params was given and is not an object.
	paramsBad bool
}

// parseMessage reads one JSON-RPC message. It returns the request to
// answer; or nil and nil for a notification or a client's response (202);
// or the error response for a malformed one.
func parseMessage(body []byte) (*message, *rpcResponse) {
	fail := func(id json.RawMessage, code int, msg string) (*message, *rpcResponse) {
		return nil, &rpcResponse{ID: id, Error: &rpcError{Code: code, Message: msg}}
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return fail(nullID, CodeParseError, "parse error: the body is not JSON")
	}
	if _, err := d.Token(); err != io.EOF {
		return fail(nullID, CodeParseError, "parse error: the body holds more than one JSON value")
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		if _, isArr := v.([]any); isArr {
			return fail(nullID, CodeInvalidRequest, "invalid request: batches are not supported (MCP 2025-06-18 removed them); send one message per POST")
		}
		return fail(nullID, CodeInvalidRequest, "invalid request: a JSON-RPC message is an object")
	}
	rawID, hasID := obj["id"]
	id := nullID
	idOK := false
	switch x := rawID.(type) {
	case string:
		id, idOK = mustJSON(x), true
	case json.Number:
		id, idOK = json.RawMessage(x.String()), true
	}
	if obj["jsonrpc"] != "2.0" {
		return fail(id, CodeInvalidRequest, `invalid request: "jsonrpc" must be "2.0"`)
	}
	method, hasMethod := obj["method"]
	if !hasMethod {
		_, isResult := obj["result"]
		_, isError := obj["error"]
		if (isResult || isError) && hasID {
			return nil, nil // the client's answer to a server request; the room sends none
		}
		return fail(id, CodeInvalidRequest, `invalid request: "method" is required`)
	}
	name, isString := method.(string)
	if !isString || name == "" {
		return fail(id, CodeInvalidRequest, `invalid request: "method" must be a non-empty string`)
	}
	if !hasID {
		if strings.HasPrefix(name, "notifications/") {
			return nil, nil // a notification: no answer
		}
		// MCP's notifications are all "notifications/…"; any other method
		// without an id is a request that lost it, which a silent 202
		// would hide from the client.
		return fail(nullID, CodeInvalidRequest, fmt.Sprintf(`invalid request: "id" is required: %q is a request, and only "notifications/…" methods are sent without an id`, name))
	}
	if !idOK {
		return fail(nullID, CodeInvalidRequest, `invalid request: "id" must be a string or a number`)
	}
	m := &message{ID: id, Method: name}
	if p, given := obj["params"]; given && p != nil {
		m.Params, isObj = p.(map[string]any)
		m.paramsBad = !isObj
	}
	return m, nil
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// rpcCall is one JSON-RPC request being answered.
type rpcCall struct {
	h           *Handlers
	w           http.ResponseWriter
	r           *http.Request
	store       *Store
	tenant      string
	integration string
	ep          Endpoint
	sandbox     bool
}

func invalidParams(format string, args ...any) *rpcError {
	return &rpcError{Code: CodeInvalidParams, Message: fmt.Sprintf(format, args...)}
}

// dispatch answers a request: its result, or its error.
func (c *rpcCall) dispatch(m *message) (any, *rpcError) {
	if m.paramsBad {
		return nil, invalidParams("invalid params: %q takes its params as an object", m.Method)
	}
	switch m.Method {
	case "initialize":
		return c.initialize(m.Params)
	case "ping":
		return struct{}{}, nil
	case "tools/list":
		return c.listTools()
	case "tools/call":
		return c.callTool(m.Params)
	}
	return nil, &rpcError{Code: CodeMethodNotFound, Message: fmt.Sprintf("method not found: %q (the mock's MCP server has tools only: initialize, ping, tools/list, tools/call)", m.Method)}
}

func (c *rpcCall) initialize(params map[string]any) (any, *rpcError) {
	requested, _ := params["protocolVersion"].(string)
	version := ProtocolVersions[0]
	if slices.Contains(ProtocolVersions, requested) {
		version = requested
	}
	name := ServerName + " " + c.integration
	if c.sandbox {
		name += " (sandbox)"
	}
	out := map[string]any{
		"protocolVersion": version,
		"capabilities":    map[string]any{"tools": map[string]any{}},
		"serverInfo":      map[string]any{"name": ServerName, "title": name, "version": "1.0.0"},
	}
	if v, err := c.store.Get(c.tenant, c.integration); err == nil && v.Description != nil && *v.Description != "" {
		out["instructions"] = *v.Description
	}
	return out, nil
}

// exposedTools reads the exposed tools that still exist, in the order the
// settings list them.
func (c *rpcCall) exposedTools() ([]toolView, error) {
	var out []toolView
	for _, id := range c.ep.Exposed {
		t, ok, err := c.store.tool(c.tenant, c.integration, id)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

func (c *rpcCall) listTools() (any, *rpcError) {
	ts, err := c.exposedTools()
	if err != nil {
		return nil, internalError(err)
	}
	list := make([]map[string]any, 0, len(ts))
	for _, t := range ts {
		e := map[string]any{"name": t.ID, "description": core.Deref(t.Description), "inputSchema": inputSchema(t.Params)}
		if t.Title != nil {
			e["title"] = *t.Title
		}
		e["annotations"] = map[string]any{
			"readOnlyHint":    t.ActionType == sandboxroute.ActionTypeReadOnly,
			"destructiveHint": t.ActionType == sandboxroute.ActionTypeIrreversible,
		}
		list = append(list, e)
	}
	return map[string]any{"tools": list}, nil
}

func internalError(err error) *rpcError {
	return &rpcError{Code: CodeInternalError, Message: "internal error: " + core.KindOf(err).String()}
}

func (c *rpcCall) callTool(params map[string]any) (any, *rpcError) {
	name, _ := params["name"].(string)
	if name == "" {
		return nil, invalidParams(`invalid params: "name" (the tool to call) is required and must be a string`)
	}
	var args map[string]any
	switch a := params["arguments"].(type) {
	case nil:
	case map[string]any:
		args = a
	default:
		return nil, invalidParams(`invalid params: "arguments" must be an object`)
	}
	if !slices.Contains(c.ep.Exposed, name) {
		return nil, invalidParams("unknown tool: %q is not exposed by this MCP server", name)
	}
	t, ok, err := c.store.tool(c.tenant, c.integration, name)
	if err != nil {
		return nil, internalError(err)
	}
	if !ok {
		return nil, invalidParams("unknown tool: %q no longer exists", name)
	}
	checked, err := integrations.CheckRunParameters(t.Params, args)
	if err != nil {
		return nil, argumentsError(err)
	}
	stubs := c.h.d.Stubs(c.r)
	var ans answer
	if c.sandbox {
		it, _, ierr := c.store.integ.GetIntegration(c.tenant, c.integration)
		if ierr != nil {
			return nil, internalError(ierr)
		}
		ans, err = simulate(c.r.Context(), c.h.d.Router, it, c.tenant, t, checked, stubs)
	} else {
		if c.ep.ConfigID == "" {
			return nil, &rpcError{Code: CodeNoConfig, Message: fmt.Sprintf(
				"no config backs integration %q's MCP server: set configId (PATCH …/mcp) to a published config", c.integration)}
		}
		ans, err = runPublished(c.r.Context(), c.h.d.Runner, c.store.tools, c.tenant, c.integration, name, c.ep.ConfigID, args, stubs)
	}
	if err != nil {
		// The arguments were checked above: what fails now is the tool
		// (never published, config gone, a placeholder, no stub, vendor).
		return toolError(err), nil
	}
	c.w.Header().Set(tools.AnsweredByHeader, string(ans.By))
	return map[string]any{
		"content": []map[string]any{{"type": "text", "text": ans.text()}},
		"isError": ans.Status >= 400,
	}, nil
}

// argumentsError is the -32602 for arguments the tool's parameters
// refuse, their findings in data.errors (keyed "parameters.<name>", as
// the run operations key them).
func argumentsError(err error) *rpcError {
	e := &rpcError{Code: CodeInvalidParams, Message: "invalid params: the arguments do not fit the tool's parameters"}
	var ce *core.Error
	if errors.As(err, &ce) && len(ce.Fields) > 0 {
		e.Data = map[string]any{"errors": ce.Fields}
	}
	return e
}

// toolError is a tools/call result for a tool that could not answer: the
// config was never published or is gone, no vendor stub and the target
// not allowed, the vendor failed. MCP reports tool failures in the result
// (isError) so the model sees them. The detail was redacted by the router.
func toolError(err error) map[string]any {
	text := "the tool failed"
	var ce *core.Error
	var re *sandboxroute.Error
	switch {
	case errors.As(err, &re):
		text = re.Detail
	case errors.As(err, &ce) && ce.Kind != core.KindInternal:
		text = ce.Detail
	}
	return map[string]any{"content": []map[string]any{{"type": "text", "text": text}}, "isError": true}
}
