package fuzz

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
)

// sandboxRoutes is DESIGN §3's routing table for sandbox execution:
// sandboxMode → route of a READ_ONLY tool and of an IRREVERSIBLE one. The
// chain publishes each mode; the route itself is only observable on the
// mock's control plane.
var sandboxRoutes = []struct{ mode, read, write string }{
	{"NONE", "PRODUCTION", "PRODUCTION"},
	{"VENDOR", "VENDOR", "VENDOR"},
	{"SIMULATED", "SIMULATED", "SIMULATED"},
	{"READ_THROUGH", "PRODUCTION", "SIMULATED"},
}

// chain runs one stateful workflow: create an integration with generated
// metadata, a config that satisfies it, replace it (PUT), publish, read
// revisions, create tools, run them in each sandboxMode, and delete it all
// in reverse, checking the state between steps.
func (f *fuzzer) chain(i int) {
	r := f.rng(fmt.Sprintf("chain:%d", i))
	s := &stepper{f: f, stats: f.rep.op("chain"), name: fmt.Sprintf("chain %d", i), ok: true}
	gi := newGenIntegration(r)
	b := f.chainIntegration(s, r, gi, fmt.Sprintf("chain%d", i))
	if b == nil {
		return
	}
	f.chainConfig(s, r, gi, b)
	f.chainPublish(s, b)
	f.chainTools(s, b)
	f.chainRuns(s, b)
	f.chainDelete(s, b)
}

// chainIntegration creates the integration, reads it back and replaces it
// (PUT, full replace).
func (f *fuzzer) chainIntegration(s *stepper, r *rand.Rand, gi genIntegration, name string) binding {
	g := &generator{r: r, mode: modeRandom}
	op := f.byID["createIntegration"]
	if op == nil || op.body == nil {
		return nil
	}
	display := "Fuzz " + g.text(1, 40, -1)
	id := fmt.Sprintf("%s%s-%04x", f.opts.IDPrefix, name, r.IntN(1<<16))
	body := obj{"id": id, "displayName": display, "description": g.text(0, 80, -1), "configMetadata": gi.configMetadata()}
	_, got := s.do("createIntegration", binding{}, body, http.StatusOK, "create integration")
	if got == nil {
		return nil
	}
	b := binding{"integration": id}
	s.expect(got["id"] == id && got["displayName"] == display, "getIntegration", b, "create echoes id and displayName",
		"created %v %q, answered %v %q", id, display, got["id"], got["displayName"])
	_, read := s.do("getIntegration", b, nil, http.StatusOK, "read integration")
	s.expect(read != nil && same(read["configMetadata"], got["configMetadata"]), "getIntegration", b, "GET shows the created metadata",
		"GET's configMetadata differs from the create's answer")
	// updateIntegration is a PUT, a full replace: what the body leaves out
	// becomes null. The chain renames, sends configMetadata back (configs
	// still to come must satisfy it) and leaves description out.
	renamed := "Renamed " + g.text(1, 20, -1)
	put := obj{"displayName": renamed, "configMetadata": got["configMetadata"]}
	_, replaced := s.do("updateIntegration", b, put, http.StatusOK, "put integration (description absent)")
	_, read = s.do("getIntegration", b, nil, http.StatusOK, "read replaced integration")
	if replaced != nil && read != nil {
		s.expect(read["displayName"] == renamed, "getIntegration", b, "GET after PUT shows the change",
			"displayName %q after PUT, want %q", read["displayName"], renamed)
		s.expect(read["description"] == nil, "getIntegration", b, "PUT replaces an absent description by null",
			"description %q after a PUT without it, want null", read["description"])
		s.expect(same(read["configMetadata"], got["configMetadata"]), "getIntegration", b, "PUT keeps the configMetadata it sends back",
			"configMetadata changed after a PUT sending it back")
		s.expect(read["id"] == id, "getIntegration", b, "PUT keeps id", "id %v after PUT, want %v", read["id"], id)
	}
	return b
}

// chainConfig creates a config whose parameters and auth satisfy the
// metadata, then patches it (a change, a null, an absent member).
func (f *fuzzer) chainConfig(s *stepper, r *rand.Rand, gi genIntegration, b binding) {
	params := gi.configParameters(r)
	body := obj{
		"displayName": "config " + fmt.Sprint(r.IntN(1000)), "parameters": params,
		"auth":           gi.auth(f, r, "live"),
		"sandboxVariant": obj{"parameters": params, "auth": gi.auth(f, r, "sandbox")},
		"sandboxMode":    "NONE",
	}
	_, cfg := s.do("createConfig", b, body, http.StatusOK, "create config")
	if cfg == nil {
		return
	}
	id, _ := cfg["id"].(string)
	b["config"] = id
	s.expect(cfg["hasAuth"] == true && cfg["authMethodId"] == "key", "getConfig", b, "the config holds the credential",
		"hasAuth %v authMethodId %v, want true and key", cfg["hasAuth"], cfg["authMethodId"])
	s.expect(same(cfg["parameters"], params), "getConfig", b, "the config holds the parameters",
		"parameters %v, want %v", cfg["parameters"], params)
	name := "renamed " + fmt.Sprint(r.IntN(1000))
	patch := obj{"displayName": name, "parameters": nil} // auth, sandboxMode absent
	s.do("updateConfig", b, patch, http.StatusOK, "patch config (parameters null, auth absent)")
	_, read := s.do("getConfig", b, nil, http.StatusOK, "read patched config")
	if read == nil {
		return
	}
	s.expect(read["displayName"] == name, "getConfig", b, "GET after PATCH shows the change", "displayName %q, want %q", read["displayName"], name)
	for _, k := range []string{"parameters", "hasAuth", "authMethodId", "sandboxMode", "sandboxVariant"} {
		s.expect(same(read[k], cfg[k]), "getConfig", b, "null and absent keep "+k, "%s changed from %v to %v", k, cfg[k], read[k])
	}
	s.do("updateConfig", b, obj{}, http.StatusOK, "empty patch")
	_, again := s.do("getConfig", b, nil, http.StatusOK, "read after empty patch")
	if again != nil {
		for _, k := range []string{"displayName", "parameters", "hasAuth", "authMethodId", "sandboxMode", "sandboxVariant", "publishedRevisionId"} {
			s.expect(same(again[k], read[k]), "getConfig", b, "an empty patch keeps "+k, "%s changed from %v to %v", k, read[k], again[k])
		}
	}
}

// chainPublish publishes, reads the revision back, and checks a later
// PATCH leaves it alone.
func (f *fuzzer) chainPublish(s *stepper, b binding) {
	_, rev := s.do("publishConfig", b, nil, http.StatusOK, "publish")
	if rev == nil {
		return
	}
	b["revision"], _ = rev["id"].(string)
	_, cfg := s.do("getConfig", b, nil, http.StatusOK, "read published config")
	if cfg != nil {
		s.expect(cfg["publishedRevisionId"] == b["revision"], "getConfig", b, "publish sets publishedRevisionId",
			"publishedRevisionId %v, want %v", cfg["publishedRevisionId"], b["revision"])
	}
	_, before := s.do("getRevision", b, nil, http.StatusOK, "read revision")
	_, list := s.do("listRevisions", b, nil, http.StatusOK, "list revisions")
	if list != nil {
		items, _ := list["items"].([]any)
		first, _ := firstItem(items)["id"].(string)
		s.expect(first == b["revision"], "listRevisions", b, "the new revision lists first", "first revision %q, want %q", first, b["revision"])
	}
	s.do("updateConfig", b, obj{"displayName": "after publish"}, http.StatusOK, "patch after publish")
	_, after := s.do("getRevision", b, nil, http.StatusOK, "read revision after patch")
	if before != nil && after != nil {
		s.expect(same(before, after), "getRevision", b, "a published revision does not change", "the revision changed after a PATCH of the draft")
	}
}

// chainTools creates a READ_ONLY and an IRREVERSIBLE tool.
func (f *fuzzer) chainTools(s *stepper, b binding) {
	for _, t := range []struct{ name, action, method string }{{"read", "READ_ONLY", "GET"}, {"write", "IRREVERSIBLE", "POST"}} {
		id := f.opts.IDPrefix + t.name
		body := obj{"id": id, "displayName": "Fuzz " + t.name, "actionType": t.action,
			"descriptor": obj{"apiTool": obj{"httpMethod": t.method, "url": "https://vendor.fuzz.invalid/{{tenant}}/items"}}}
		if _, got := s.do("createTool", b, body, http.StatusOK, "create "+t.action+" tool"); got != nil {
			b["tool_"+t.name] = id
		}
	}
	_, list := s.do("listTools", b, nil, http.StatusOK, "list tools")
	if list != nil {
		items, _ := list["items"].([]any)
		var ids []string
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				id, _ := m["id"].(string)
				ids = append(ids, id)
			}
		}
		s.expect(slices.Contains(ids, b["tool_read"]) && slices.Contains(ids, b["tool_write"]), "listTools", b, "created tools are listed", "tools listed: %v", ids)
	}
}

// chainRuns tests both tools with the config (…/configs/{config}:testTool)
// after publishing each sandboxMode: in production execution (all the API
// lets a client choose) the mode doesn't apply, so every call answers the
// tool's {response}, or 502 when no vendor answers the generated host.
func (f *fuzzer) chainRuns(s *stepper, b binding) {
	for _, m := range sandboxRoutes {
		s.do("updateConfig", b, obj{"sandboxMode": m.mode}, http.StatusOK, "set sandboxMode "+m.mode)
		s.do("publishConfig", b, nil, http.StatusOK, "publish sandboxMode "+m.mode)
		for _, key := range []string{"tool_read", "tool_write"} {
			what := fmt.Sprintf("test %s with a %s config", b[key], m.mode)
			a, got := s.do("testConfigTool", b, obj{"toolId": b[key], "parameters": obj{}}, 0, what)
			if a == nil {
				continue
			}
			switch {
			case a.status == http.StatusOK:
				_, has := got["response"]
				s.expect(has, "testConfigTool", b, what+" answers {response}", "answer %v has no response", got)
			case a.status == http.StatusBadGateway:
				// No vendor answers the generated tool's host: the contract's 502.
			default:
				s.expect(false, "testConfigTool", b, what, "answered %d", a.status)
			}
		}
	}
}

// chainDelete deletes in reverse and checks each deleted thing is 404.
func (f *fuzzer) chainDelete(s *stepper, b binding) {
	for _, key := range []string{"tool_write", "tool_read"} {
		tb := binding{"integration": b["integration"], "tool": b[key]}
		if b[key] == "" {
			continue
		}
		if a, _ := s.do("deleteTool", tb, nil, http.StatusNoContent, "delete tool"); a != nil {
			f.forget("getTool", tb)
		}
		s.do("getTool", tb, nil, http.StatusNotFound, "deleted tool is 404")
	}
	if b["config"] != "" {
		s.do("deleteIntegration", b, nil, http.StatusConflict, "delete integration with a config is 409")
		if a, _ := s.do("deleteConfig", b, nil, http.StatusNoContent, "delete config"); a != nil {
			f.forget("getConfig", b)
		}
		s.do("getConfig", b, nil, http.StatusNotFound, "deleted config is 404")
		if b["revision"] != "" {
			s.do("getRevision", b, nil, http.StatusNotFound, "revision of a deleted config is 404")
		}
	}
	if a, _ := s.do("deleteIntegration", b, nil, http.StatusNoContent, "delete integration"); a != nil {
		f.forget("getIntegration", b)
	}
	s.do("getIntegration", b, nil, http.StatusNotFound, "deleted integration is 404")
}

func firstItem(items []any) map[string]any {
	if len(items) == 0 {
		return nil
	}
	m, _ := items[0].(map[string]any)
	return m
}
