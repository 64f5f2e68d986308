package mcp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// This file is integrations:importMcp: list an MCP server's tools and
// write them into an integration as MCP tools (descriptor.mcpTool). The
// server is either one of the mock's own JSON-RPC endpoints (mcp:call or
// mcp:test of an integration, on the host the client reached the mock
// at), resolved in process, or a host on the outbound allow list, reached
// with the router's outbound client. Nothing else is contacted.

// importOp names the operation in problems.
const importOp = "ImportMcp"

// MaxImportedTools bounds the tools one import reads (a server paging
// tools/list forever is refused rather than followed).
const MaxImportedTools = 1000

// ImportInput is the integrations:importMcp body.
type ImportInput struct {
	ServerURL        *string `json:"serverUrl"`
	IntegrationID    *string `json:"integrationId"`
	DisplayName      *string `json:"displayName"`
	BearerToken      *string `json:"bearerToken"`
	OverrideExisting bool    `json:"overrideExisting"`
}

// ImportResult is its answer.
type ImportResult struct {
	Integration integrations.Integration `json:"integration"`
	Tools       []tools.Tool             `json:"tools"`
}

// SkippedHeader lists, on importMcp's answer, the ids of the tools that
// existed and were left as they were (overrideExisting false), comma
// separated; absent when none was skipped. Mock only.
const SkippedHeader = "X-Fruxon-Mock-Skipped-Tools"

// remoteTool is a tool as an MCP server's tools/list shows it.
type remoteTool struct {
	Name         string         `json:"name"`
	Title        *string        `json:"title"`
	Description  *string        `json:"description"`
	InputSchema  map[string]any `json:"inputSchema"`
	OutputSchema map[string]any `json:"outputSchema"`
	Annotations  *struct {
		Title           *string `json:"title"`
		ReadOnlyHint    *bool   `json:"readOnlyHint"`
		DestructiveHint *bool   `json:"destructiveHint"`
	} `json:"annotations"`
}

// ownEndpoint matches the path of the mock's own JSON-RPC endpoints.
var ownEndpoint = regexp.MustCompile(`^/v1/tenants/([^/]+)/integrations/([^/]+)/mcp:(call|test)$`)

// handleImport serves POST /v1/tenants/{tenant}/integrations:importMcp.
func (h *Handlers) handleImport(w http.ResponseWriter, r *http.Request) {
	var in ImportInput
	if err := h.d.API.DecodeJSON(r, &in); err != nil {
		h.d.API.WriteError(w, r, err)
		return
	}
	store, ok := h.d.Store(w, r)
	if !ok {
		return
	}
	tenant := h.d.API.PathVar(r, "tenant")
	token := core.Deref(in.BearerToken)
	u, err := h.checkServer(r, in)
	if err != nil {
		h.d.API.WriteError(w, r, err)
		return
	}
	var listed []remoteTool
	if m := ownEndpoint.FindStringSubmatch(u.Path); m != nil && h.own(r, u) {
		listed, err = listOwn(store, m[1], m[2], m[3] == "test", token)
	} else {
		c := &client{router: h.d.Router, url: u.String(), token: token}
		listed, err = c.listTools(r.Context())
	}
	if err != nil {
		h.d.API.WriteError(w, r, err)
		return
	}
	res, skipped, err := store.Import(tenant, u, in, listed)
	if err != nil {
		h.d.API.WriteError(w, r, err)
		return
	}
	if len(skipped) > 0 {
		w.Header().Set(SkippedHeader, strings.Join(skipped, ","))
	}
	h.d.API.WriteJSON(w, http.StatusOK, res)
}

// own reports whether u is on the host the client reached the mock at.
func (h *Handlers) own(r *http.Request, u *url.URL) bool {
	base, err := url.Parse(h.d.BaseURL(r))
	return err == nil && strings.EqualFold(u.Host, base.Host)
}

// checkServer parses serverUrl and decides, before anything is
// contacted, whether the mock may reach it: one of its own MCP endpoints,
// or a host on the outbound allow list. The problem names the host, never
// the URL (its query may carry a credential).
func (h *Handlers) checkServer(r *http.Request, in ImportInput) (*url.URL, error) {
	raw := strings.TrimSpace(core.Deref(in.ServerURL))
	if raw == "" {
		return nil, core.Invalid(importOp, "serverUrl", "is required: the MCP server's Streamable HTTP endpoint")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, core.Invalid(importOp, "serverUrl", "must be an absolute http or https URL without user info")
	}
	if h.own(r, u) {
		if !ownEndpoint.MatchString(u.Path) {
			return nil, core.Invalid(importOp, "serverUrl",
				"is on the mock's own host, whose MCP servers are /v1/tenants/{tenant}/integrations/{integration}/mcp:call and …/mcp:test (the callUrl and testUrl of GET …/mcp)")
		}
		return u, nil
	}
	if h.d.Router == nil || !h.d.Router.Allows(u) {
		return nil, core.Invalid(importOp, "serverUrl",
			"host %s is neither this mock (its own …/mcp:call or …/mcp:test) nor on the outbound allow list (--outbound-allow); nothing was contacted", u.Host)
	}
	return u, nil
}

// listOwn answers tools/list of one of the mock's own MCP endpoints in
// process, with the checks its HTTP endpoint makes: the integration must
// exist, bearerToken must be its current MCP key (the mock's endpoints
// take it as X-API-KEY; here it is the credential the import forwards),
// and MCP must be enabled.
func listOwn(store *Store, tenant, integration string, sandbox bool, token string) ([]remoteTool, error) {
	ep, err := store.Access(tenant, integration, token)
	switch {
	case core.KindOf(err) == core.KindNotFound:
		return nil, core.Invalid(importOp, "serverUrl", "names the mock's MCP endpoint of integration %q in tenant %q, which does not exist", integration, tenant)
	case isAccessErr(err) && token == "":
		return nil, core.Invalid(importOp, "bearerToken", "is required to import from the mock's own MCP endpoint: the integration's MCP key (what its X-API-KEY takes)")
	case isAccessErr(err):
		return nil, core.Invalid(importOp, "bearerToken", "is not the current MCP key of integration %q: the MCP server refused it", integration)
	case err != nil:
		return nil, err
	}
	if !ep.Enabled {
		return nil, core.Invalid(importOp, "serverUrl", "names integration %q's MCP server, which is disabled (PATCH …/mcp {\"enabled\": true})", integration)
	}
	c := rpcCall{store: store, tenant: tenant, integration: integration, ep: ep, sandbox: sandbox}
	res, rerr := c.listTools()
	if rerr != nil {
		return nil, core.Internal(importOp, fmt.Errorf("tools/list: %s", rerr.Message))
	}
	b, err := json.Marshal(res)
	if err != nil {
		return nil, core.Internal(importOp, err)
	}
	var out struct {
		Tools []remoteTool `json:"tools"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, core.Internal(importOp, err)
	}
	return out.Tools, nil
}

// Import writes listed into the integration in.IntegrationID (derived
// from the server's hostname when empty), creating it when it does not
// exist. An existing integration is updated (displayName) and existing
// tools replaced only when in.OverrideExisting; else they are kept as
// they are and skipped lists the tools left alone.
func (s *Store) Import(tenant string, server *url.URL, in ImportInput, listed []remoteTool) (ImportResult, []string, error) {
	host := server.Hostname()
	id := core.Deref(in.IntegrationID)
	if id == "" {
		id = core.DeriveID(&host, "mcp", s.newID, func(string) bool { return false })
	} else {
		f := core.Findings{}
		core.CheckID(f, "integrationId", id)
		if err := f.Err(importOp); err != nil {
			return ImportResult{}, nil, err
		}
	}
	name := in.DisplayName
	if core.Deref(name) == "" {
		name = &host
	}
	ts := make([]tools.Tool, 0, len(listed))
	for _, rt := range listed {
		ts = append(ts, toolOf(server.String(), rt))
	}
	checked, err := tools.CheckImported(importOp, ts)
	if err != nil {
		return ImportResult{}, nil, err
	}

	it, err := s.importIntegration(tenant, id, name, in.OverrideExisting)
	if err != nil {
		return ImportResult{}, nil, err
	}
	written, skipped, err := s.tools.ImportTools(tenant, it.ID, checked, in.OverrideExisting)
	if err != nil {
		return ImportResult{}, nil, err
	}
	if written == nil {
		written = []tools.Tool{}
	}
	return ImportResult{Integration: it, Tools: written}, skipped, nil
}

// importIntegration creates the integration, or returns the existing one
// (with its displayName replaced when override).
func (s *Store) importIntegration(tenant, id string, name *string, override bool) (integrations.Integration, error) {
	for range 3 { // a concurrent create or delete between the read and the write: look again
		it, _, err := s.integ.GetIntegration(tenant, id)
		switch {
		case core.KindOf(err) == core.KindNotFound:
			it, _, err = s.integ.CreateIntegration(tenant, integrations.CreateIntegrationInput{ID: &id, DisplayName: name})
			if core.KindOf(err) == core.KindConflict {
				continue
			}
			return it, err
		case err != nil:
			return it, err
		case !override:
			return it, nil
		}
		md := it.ConfigMetadata
		it, _, err = s.integ.UpdateIntegration(tenant, id, integrations.UpdateIntegrationInput{
			DisplayName: name, Description: it.Description, ConfigMetadata: &md}, "")
		if core.KindOf(err) == core.KindNotFound {
			continue
		}
		return it, err
	}
	return integrations.Integration{}, core.Errorf(core.KindConflict, importOp, "integration %q changed while it was imported into; try again", id)
}

// idChars are the characters a tool id may hold; others become "_".
var idChars = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// toolOf is an MCP server's tool as an MCP tool of the integration: the id
// is the tool's name (characters an id may not hold become "_"; the name
// is kept whole as mcpToolName), the parameters come from its
// inputSchema, the action type from its annotations (MCP's defaults: not
// read-only, destructive).
func toolOf(server string, rt remoteTool) tools.Tool {
	name := rt.Name
	t := tools.Tool{ID: idChars.ReplaceAllString(name, "_"), Description: core.ClonePtr(rt.Description)}
	switch {
	case rt.Title != nil && *rt.Title != "":
		t.DisplayName = core.ClonePtr(rt.Title)
	case rt.Annotations != nil && core.Deref(rt.Annotations.Title) != "":
		t.DisplayName = core.ClonePtr(rt.Annotations.Title)
	default:
		t.DisplayName = &name
	}
	t.ActionType = sandboxroute.ActionTypeIrreversible
	if a := rt.Annotations; a != nil {
		switch {
		case a.ReadOnlyHint != nil && *a.ReadOnlyHint:
			t.ActionType = sandboxroute.ActionTypeReadOnly
		case a.DestructiveHint != nil && !*a.DestructiveHint:
			t.ActionType = sandboxroute.ActionTypeReversible
		}
	}
	result := sandboxroute.ResultTypeString
	if rt.OutputSchema != nil {
		result = sandboxroute.ResultTypeJSON
	}
	t.Descriptor = tools.ToolDescriptor{MCPTool: &tools.MCPTool{ServerURL: &server, MCPToolName: &name, ResultType: result}}
	t.ParametersMetadata = paramsOf(rt.InputSchema)
	return t
}

// paramsOf turns an inputSchema's properties into parameters, by name:
// string (its enum as options), integer and number (minimum and maximum as
// the range), boolean; anything else is a Json parameter that keeps its
// schema. required marks the required ones.
func paramsOf(schema map[string]any) []integrations.ParameterMetadata {
	props, _ := schema["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := schema["required"].([]any); ok {
		for _, n := range req {
			if s, ok := n.(string); ok {
				required[s] = true
			}
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]integrations.ParameterMetadata, 0, len(names))
	for i, n := range names {
		ps, _ := props[n].(map[string]any)
		p := integrations.ParameterMetadata{Name: n, Index: i, Required: required[n]}
		if s, ok := ps["title"].(string); ok {
			p.DisplayName = &s
		}
		if s, ok := ps["description"].(string); ok {
			p.Description = &s
		}
		min, hasMin := ps["minimum"].(float64)
		max, hasMax := ps["maximum"].(float64)
		switch schemaType(ps) {
		case "string":
			p.Type = integrations.ParameterTypeString
			if enum, ok := ps["enum"].([]any); ok {
				for _, e := range enum {
					if s, ok := e.(string); ok {
						p.Options = append(p.Options, integrations.Option{Value: s})
					}
				}
			}
		case "integer":
			p.Type = integrations.ParameterTypeInteger
			if hasMin || hasMax {
				p.IntegerRange = &integrations.IntegerRange{}
				if hasMin {
					p.IntegerRange.Min = new(int64(min))
				}
				if hasMax {
					p.IntegerRange.Max = new(int64(max))
				}
			}
		case "number":
			p.Type = integrations.ParameterTypeFloat
			if hasMin || hasMax {
				p.FloatRange = &integrations.FloatRange{}
				if hasMin {
					p.FloatRange.Min = &min
				}
				if hasMax {
					p.FloatRange.Max = &max
				}
			}
		case "boolean":
			p.Type = integrations.ParameterTypeBoolean
		default:
			p.Type = integrations.ParameterTypeJSON
			p.JSONSchema = ps
		}
		out = append(out, p)
	}
	return out
}

// schemaType is a property's JSON Schema type: its "type", or the first
// non-null member of a type list; "" when it has none.
func schemaType(ps map[string]any) string {
	switch t := ps["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && s != "null" {
				return s
			}
		}
	}
	return ""
}
