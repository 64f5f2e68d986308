package fuzz

import (
	"net/http"
)

// setup makes the base binding the operations' path parameters draw from:
// an integration with a published config and a tool, created in the run's
// tenant; under ReadOnly, the first of each the tenant already has.
func (f *fuzzer) setup() {
	s := &stepper{f: f, stats: f.rep.op("setup"), name: "setup", ok: true}
	if f.opts.ReadOnly {
		f.pool = append(f.pool, f.discover(s))
		return
	}
	r := f.rng("setup")
	gi := newGenIntegration(r)
	b := f.chainIntegration(s, r, gi, "base")
	if b == nil {
		f.pool = append(f.pool, binding{})
		return
	}
	f.chainConfig(s, r, gi, b)
	if _, rev := s.do("publishConfig", b, nil, http.StatusOK, "publish"); rev != nil {
		b["revision"], _ = rev["id"].(string)
	}
	body := obj{"id": f.opts.IDPrefix + "base-tool", "actionType": "READ_ONLY",
		"descriptor": obj{"apiTool": obj{"httpMethod": "GET", "url": "https://vendor.fuzz.invalid/items"}}}
	if _, t := s.do("createTool", b, body, http.StatusOK, "create tool"); t != nil {
		b["tool"], _ = t["id"].(string)
	}
	f.mintMCPKey(s, b)
	f.pool = append(pool{b}, f.pool...) // the base first, whatever the steps tracked
}

// discover reads the first integration, config, revision and tool the
// tenant has, for a read-only run.
func (f *fuzzer) discover(s *stepper) binding {
	b := binding{}
	first := func(opID, key, param string) {
		if _, list := s.do(opID, b, nil, http.StatusOK, "list for "+param); list != nil {
			items, _ := list["items"].([]any)
			if id, ok := firstItem(items)[key].(string); ok {
				b[param] = id
			}
		}
	}
	first("listIntegrations", "id", "integration")
	if b["integration"] == "" {
		return b
	}
	first("listConfigs", "id", "config")
	first("listTools", "id", "tool")
	if b["config"] != "" {
		first("listRevisions", "id", "revision")
	}
	return b
}

// mintMCPKey enables the base integration's MCP server (the base tool
// exposed, the published config bound) and keeps its key, so mcp:call and
// mcp:test are fuzzed past their key check, into their 200 paths. A spec
// without MCP settings, or a setup that failed, leaves the key unset.
func (f *fuzzer) mintMCPKey(s *stepper, b binding) {
	if f.byID["updateMcpSettings"] == nil || b["tool"] == "" {
		return
	}
	body := obj{"enabled": true, "exposedToolIds": []any{b["tool"]}}
	if b["config"] != "" {
		body["configId"] = b["config"]
	}
	_, settings := s.do("updateMcpSettings", b, body, http.StatusOK, "enable MCP")
	key, _ := settings["apiKey"].(string)
	if key == "" && settings != nil {
		_, settings = s.do("rotateMcpKey", b, nil, http.StatusOK, "rotate the MCP key")
		key, _ = settings["apiKey"].(string)
	}
	if key != "" {
		f.mcpKey = key
		f.checker.remember(key)
	}
}

// mcpMessages are valid JSON-RPC messages for mcp:call and mcp:test; a
// fuzzed body is replaced by one now and then, so their results (not only
// their envelope errors) are checked against the contract.
func mcpMessages(tool string) []obj {
	return []obj{
		{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": obj{"protocolVersion": "2025-06-18",
			"capabilities": obj{}, "clientInfo": obj{"name": "fuzz", "version": "1"}}},
		{"jsonrpc": "2.0", "method": "notifications/initialized"},
		{"jsonrpc": "2.0", "id": "p", "method": "ping"},
		{"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
		{"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": obj{"name": tool, "arguments": obj{}}},
	}
}
