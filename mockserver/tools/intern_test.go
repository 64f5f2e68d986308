package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
)

// parameters is a parameter list as a client sends it, fresh on every call
// (decoded from JSON, as a handler does), so equal lists never share
// memory by accident.
func parameters(t testing.TB, edit func(string) string) []integrations.ParameterMetadata {
	t.Helper()
	text := `[{"name":"region","type":"String","required":true,"displayName":"Region","options":[{"value":"eu","displayName":"Europe"},{"value":"us"}]},
	  {"name":"limit","type":"Integer","integerRange":{"min":1,"max":500},"defaultValue":"100"}]`
	if edit != nil {
		text = edit(text)
	}
	var ps []integrations.ParameterMetadata
	if err := json.Unmarshal([]byte(text), &ps); err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestToolParametersShared: tools with equal parameter lists share one
// (the integrations room's intern table, through NormalizeParameters);
// replacing one tool's list leaves the other's as it was.
func TestToolParametersShared(t *testing.T) {
	integ := integrations.New(integrations.Options{Box: roomtest.Box(t)})
	s := New(Options{Integrations: integ})
	desc := ToolDescriptor{APITool: &APITool{HTTPMethod: "GET", URL: "https://api.example.com/items"}}
	for _, id := range []string{"a", "b"} {
		if _, _, err := integ.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: &id}); err != nil {
			t.Fatal(err)
		}
		list := "list"
		in := CreateToolInput{ID: &list, Descriptor: desc, ParametersMetadata: parameters(t, nil)}
		if _, _, err := s.CreateTool("t1", id, in); err != nil {
			t.Fatal(err)
		}
	}
	toolParams := func(id string) []integrations.ParameterMetadata {
		s.mu.RLock()
		defer s.mu.RUnlock()
		it := s.of("t1", id)
		i, ok := core.SearchSorted(it.tools, toolKey, "list")
		if !ok {
			t.Fatalf("no tool list in %s", id)
		}
		return it.tools[i].tool.ParametersMetadata
	}
	if &toolParams("a")[0] != &toolParams("b")[0] {
		t.Error("equal tool parameter lists are not shared")
	}
	want, _, _ := s.GetTool("t1", "b", "list")
	edited := parameters(t, func(s string) string { return strings.Replace(s, `"Region"`, `"Zone"`, 1) })
	if _, _, err := s.ReplaceTool("t1", "a", "list", ReplaceToolInput{Descriptor: desc, ParametersMetadata: edited}, "", ToolTypeAPI); err != nil {
		t.Fatal(err)
	}
	got, _, _ := s.GetTool("t1", "b", "list")
	if roomtest.MustJSON(t, got) != roomtest.MustJSON(t, want) {
		t.Errorf("replacing a's tool changed b's:\n got %s\nwant %s", roomtest.MustJSON(t, got), roomtest.MustJSON(t, want))
	}
	if a, _, _ := s.GetTool("t1", "a", "list"); !strings.Contains(roomtest.MustJSON(t, a), `"Zone"`) {
		t.Error("the replace of a's tool did not apply")
	}
}
