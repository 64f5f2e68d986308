package mockserver_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// TestDefaultFixturesRunOffline runs every tool of the default set with
// every published config of its integration, in both execution modes:
// each answers from a stub or a simulation, and nothing is sent.
func TestDefaultFixturesRunOffline(t *testing.T) {
	set := demoFixtures(t)
	c, _ := start(t, mockserver.Config{Fixtures: set})
	runs := 0
	for _, it := range set.Tenants[0].Integrations {
		for _, cfg := range set.Tenants[0].Configs {
			if cfg.IntegrationID != it.Integration.ID || !cfg.Published {
				continue
			}
			for _, tool := range it.Tools {
				params, _ := json.Marshal(runParams(tool.ParametersMetadata))
				for _, mode := range []string{"PRODUCTION", "SANDBOX"} {
					path := fmt.Sprintf("%s/integrations/%s/tools/%s:run", "/_mock/tenants/demo", it.Integration.ID, *tool.ID)
					a := c.Do("POST", path, fmt.Sprintf(`{"configId":%q,"executionMode":%q,"parameters":%s}`, cfg.ID, mode, params))
					if a.Status != 200 {
						t.Errorf("%s %s with %q: %d %s", path, mode, *cfg.Create.DisplayName, a.Status, a.Body)
						continue
					}
					if run := a.JSON(t); run["outbound"] != false {
						t.Errorf("%s %s went out: %v", path, mode, run)
					}
					runs++
				}
			}
		}
	}
	if runs < 20 {
		t.Fatalf("only %d runs", runs)
	}
}

// runParams fills a tool's required parameters with values they accept.
func runParams(decl []integrations.ParameterMetadata) map[string]any {
	out := map[string]any{}
	for _, p := range decl {
		if !p.Required {
			continue
		}
		switch {
		case len(p.Options) > 0:
			out[p.Name] = p.Options[0].Value
		case p.Type == integrations.ParameterTypeInteger:
			out[p.Name] = 1
		default:
			out[p.Name] = "x"
		}
	}
	return out
}
