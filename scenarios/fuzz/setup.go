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
