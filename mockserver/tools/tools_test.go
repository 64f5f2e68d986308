package tools_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

func getTool() tools.ToolDescriptor {
	return tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "GET", URL: "https://api.acme.test/{{region}}/customers"}}
}

func codeTool(code string, timeout int) tools.ToolDescriptor {
	return tools.ToolDescriptor{CodeTool: &tools.CodeTool{Code: &code, TimeoutSeconds: timeout}}
}

func TestCreateTool(t *testing.T) {
	s, _ := withAcme(t)
	tests := []struct {
		name string
		in   tools.CreateToolInput
		want map[string]string // nil: valid
		typ  tools.ToolType
	}{
		{"api", tools.CreateToolInput{ID: ptr("list"), DisplayName: ptr("List Customers"), Descriptor: getTool()}, nil, tools.ToolTypeAPI},
		{"explicit action", tools.CreateToolInput{ID: ptr("charge"), ActionType: ptr(sandboxroute.ActionTypeIrreversible), Descriptor: getTool()}, nil, tools.ToolTypeAPI},
		{"unspecified action", tools.CreateToolInput{ID: ptr("unsp"), ActionType: ptr(sandboxroute.ActionTypeUnspecified), Descriptor: getTool()}, nil, tools.ToolTypeAPI},
		{"code", tools.CreateToolInput{ID: ptr("script"), Descriptor: codeTool("print(1)", 30)}, nil, tools.ToolTypePythonScript},
		{"mcp", tools.CreateToolInput{ID: ptr("remote"), Descriptor: tools.ToolDescriptor{MCPTool: &tools.MCPTool{MCPToolName: ptr("x")}}}, nil, tools.ToolTypeMCP},
		{"predefined", tools.CreateToolInput{ID: ptr("builtin"), Descriptor: tools.ToolDescriptor{PredefinedTool: &tools.PredefinedTool{}}}, nil, tools.ToolTypePredefined},
		{"no id", tools.CreateToolInput{Descriptor: getTool()}, map[string]string{"id": "is required"}, ""},
		{"bad id", tools.CreateToolInput{ID: ptr("a/b"), Descriptor: getTool()}, map[string]string{"id": "letters"}, ""},
		{"other integration", tools.CreateToolInput{ID: ptr("y"), IntegrationID: ptr("other"), Descriptor: getTool()}, map[string]string{"integrationId": "route's integration"}, ""},
		{"empty descriptor", tools.CreateToolInput{ID: ptr("y")}, map[string]string{"descriptor": "exactly one"}, ""},
		{"two members", tools.CreateToolInput{ID: ptr("y"), Descriptor: tools.ToolDescriptor{APITool: getTool().APITool, PredefinedTool: &tools.PredefinedTool{}}},
			map[string]string{"descriptor": "exactly one"}, ""},
		{"bad method", tools.CreateToolInput{ID: ptr("y"), Descriptor: tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "get", URL: "u"}}},
			map[string]string{"descriptor.apiTool.httpMethod": "GET, POST, PUT, PATCH, DELETE"}, ""},
		{"missing method and url", tools.CreateToolInput{ID: ptr("y"), Descriptor: tools.ToolDescriptor{APITool: &tools.APITool{}}},
			map[string]string{"descriptor.apiTool.httpMethod": "is required", "descriptor.apiTool.url": "is required"}, ""},
		{"bad enums", tools.CreateToolInput{ID: ptr("y"), ActionType: ptr(sandboxroute.ActionType("MAYBE")), Descriptor: tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "GET", URL: "u", ResultType: "XML"}}},
			map[string]string{"actionType": "READ_ONLY", "descriptor.apiTool.resultType": "JSON"}, ""},
		{"bad code", tools.CreateToolInput{ID: ptr("y"), Descriptor: codeTool(" ", 121)},
			map[string]string{"descriptor.codeTool.code": "is required", "descriptor.codeTool.timeoutSeconds": "between 1 and 120"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tool, tag, err := s.CreateTool("t1", "acme", tt.in)
			if tt.want != nil {
				wantFields(t, err, tt.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tool.ID != *tt.in.ID || tool.IntegrationID != "acme" || tag == "" || tool.ToolType != tt.typ || !tool.IsModifiable || tool.IsInternal {
				t.Errorf("tool = %+v, etag %q", tool, tag)
			}
			if (tt.in.ActionType == nil || *tt.in.ActionType == sandboxroute.ActionTypeUnspecified) && tool.ActionType != sandboxroute.ActionTypeReadOnly {
				t.Errorf("actionType = %s, want READ_ONLY", tool.ActionType)
			}
			got := mustJSON(t, tool)
			if tt.typ == tools.ToolTypeAPI {
				if tool.Descriptor.APITool.ResultType != sandboxroute.ResultTypeJSON || tool.ResultType != sandboxroute.ResultTypeJSON {
					t.Errorf("resultType = %s / %s, want JSON", tool.Descriptor.APITool.ResultType, tool.ResultType)
				}
				if !strings.Contains(got, `"headers":{}`) || !strings.Contains(got, `"formParameters":{}`) {
					t.Errorf("null where the API shows an empty value: %s", got)
				}
			}
			if !strings.Contains(got, `"parametersMetadata":[]`) || !strings.Contains(got, `"pricing":[]`) {
				t.Errorf("null where the API shows an empty value: %s", got)
			}
		})
	}
	_, _, err := s.CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr("charge"), Descriptor: getTool()})
	wantKind(t, err, core.KindConflict)
	_, _, err = s.CreateTool("t1", "nope", tools.CreateToolInput{ID: ptr("z"), Descriptor: getTool()})
	wantKind(t, err, core.KindNotFound)
}

func TestReplaceDeleteTool(t *testing.T) {
	s, _ := withAcme(t)
	_, tag, err := s.CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr("x"), DisplayName: ptr("X"), Description: ptr("d"),
		ActionType: ptr(sandboxroute.ActionTypeIrreversible), Descriptor: getTool()})
	if err != nil {
		t.Fatal(err)
	}
	got, tag2, err := s.ReplaceTool("t1", "acme", "x", tools.ReplaceToolInput{Descriptor: getTool(), DisplayName: ptr("Y"), CreatedAt: 5}, tag, tools.ToolTypeAPI)
	if err != nil {
		t.Fatal(err)
	}
	// A full replace: what the body omits is reset.
	if *got.DisplayName != "Y" || got.Description != nil || got.ActionType != sandboxroute.ActionTypeReadOnly || got.CreatedAt != t0 {
		t.Errorf("replace = %+v", got)
	}
	_, _, err = s.ReplaceTool("t1", "acme", "x", tools.ReplaceToolInput{Descriptor: getTool()}, tag, tools.ToolTypeAPI)
	wantKind(t, err, core.KindConflict)
	_, _, err = s.ReplaceTool("t1", "acme", "x", tools.ReplaceToolInput{Descriptor: codeTool("x", 0)}, "", tools.ToolTypeAPI)
	wantFields(t, err, map[string]string{"descriptor": "HTTP tools"})
	_, _, err = s.ReplaceTool("t1", "acme", "x", tools.ReplaceToolInput{Descriptor: getTool(), ID: ptr("other"), ToolType: ptr(tools.ToolTypeMCP)}, "", tools.ToolTypeAPI)
	wantFields(t, err, map[string]string{"id": "route's tool", "toolType": "must be API"})
	// The :python twin refuses an HTTP tool, and PUT refuses a script tool.
	_, _, err = s.ReplaceTool("t1", "acme", "x", tools.ReplaceToolInput{Descriptor: codeTool("x", 0)}, "", tools.ToolTypePythonScript)
	wantFields(t, err, map[string]string{"descriptor": "Python script tools"})
	if _, _, err := s.CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr("py"), Descriptor: codeTool("a", 0)}); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.ReplaceTool("t1", "acme", "py", tools.ReplaceToolInput{Descriptor: getTool()}, "", tools.ToolTypeAPI)
	wantFields(t, err, map[string]string{"descriptor": "HTTP tools"})
	py, _, err := s.ReplaceTool("t1", "acme", "py", tools.ReplaceToolInput{Descriptor: codeTool("b", 10)}, "", tools.ToolTypePythonScript)
	if err != nil || *py.Descriptor.CodeTool.Code != "b" || py.ToolType != tools.ToolTypePythonScript {
		t.Fatalf(":python = %+v, %v", py, err)
	}
	_, _, err = s.ReplaceTool("t1", "acme", "py", tools.ReplaceToolInput{Descriptor: codeTool("", 10)}, "", tools.ToolTypePythonScript)
	wantFields(t, err, map[string]string{"descriptor.codeTool.code": "is required"})
	wantKind(t, s.DeleteTool("t1", "acme", "x", tag), core.KindConflict)
	if err := s.DeleteTool("t1", "acme", "x", tag2); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.GetTool("t1", "acme", "x")
	wantKind(t, err, core.KindNotFound)
}

func TestListTools(t *testing.T) {
	s, _ := withAcme(t)
	for i := range 7 {
		if _, _, err := s.CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr(fmt.Sprintf("tool-%d", 6-i)), Descriptor: getTool()}); err != nil {
			t.Fatal(err)
		}
	}
	p1, err := s.ListTools("t1", "acme", tools.ListQuery{PageSize: 4})
	if err != nil || len(p1.Items) != 4 || p1.NextPageToken == nil || p1.Items[0].ID != "tool-0" || p1.TotalCount != 7 {
		t.Fatalf("page 1 = %+v, %v", p1, err)
	}
	p2, err := s.ListTools("t1", "acme", tools.ListQuery{PageSize: 4, Cursor: *p1.NextPageToken})
	if err != nil || len(p2.Items) != 3 || p2.NextPageToken != nil || p2.Items[0].ID != "tool-4" || p2.TotalCount != 7 {
		t.Fatalf("page 2 = %+v, %v", p2, err)
	}
	p3, err := s.ListTools("t1", "acme", tools.ListQuery{PageSize: 2, Skip: 5})
	if err != nil || len(p3.Items) != 2 || p3.Items[0].ID != "tool-5" || p3.NextPageToken != nil {
		t.Fatalf("skip 5 = %+v, %v", p3, err)
	}
	_, err = s.ListTools("t1", "acme", tools.ListQuery{Cursor: "abc"})
	wantFields(t, err, map[string]string{"Paging.PageToken.Cursor": "page token"})
	_, err = s.ListTools("t1", "acme", tools.ListQuery{Types: []tools.ToolType{"NOPE"}})
	wantFields(t, err, map[string]string{"Types[0]": "PYTHON_SCRIPT"})
}

func TestListToolsFilters(t *testing.T) {
	s, _ := withAcme(t)
	for _, in := range []tools.CreateToolInput{
		{ID: ptr("list_customers"), Descriptor: getTool()},
		{ID: ptr("charge"), DisplayName: ptr("Charge a CUSTOMER"), Descriptor: getTool()},
		{ID: ptr("score"), Description: ptr("Scores customers"), Descriptor: codeTool("x", 0)},
		{ID: ptr("other"), Descriptor: codeTool("x", 0)},
	} {
		if _, _, err := s.CreateTool("t1", "acme", in); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q tools.ListQuery) string {
		t.Helper()
		p, err := s.ListTools("t1", "acme", q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		if p.TotalCount != len(out) {
			t.Errorf("totalCount %d for %d items", p.TotalCount, len(out))
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		q    tools.ListQuery
		want string
	}{
		{tools.ListQuery{Search: "Customer"}, "charge,list_customers,score"},
		{tools.ListQuery{Search: "customer", Types: []tools.ToolType{tools.ToolTypeAPI}}, "charge,list_customers"},
		{tools.ListQuery{Types: []tools.ToolType{tools.ToolTypePythonScript, tools.ToolTypeMCP}}, "other,score"},
		{tools.ListQuery{Search: "nothing"}, ""},
	} {
		if got := ids(tt.q); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestRuns(t *testing.T) {
	s, integ := withAcme(t)
	cfg := mustConfig(t, integ, validConfig())
	for i := range 130 {
		run := tools.ToolRun{ToolID: "x", Route: sandboxroute.RouteSimulated, Response: tools.RunResponse{Status: 200, Body: map[string]any{"n": i}}}
		got, err := s.RecordRun("t1", "acme", cfg.ID, run)
		if err != nil {
			t.Fatal(err)
		}
		if got.RunID == "" || got.ConfigID != cfg.ID || got.CreatedAt != t0 {
			t.Fatalf("recorded run = %+v", got)
		}
	}
	var bodies []string
	token := ""
	for {
		p, err := s.ListRuns("t1", "acme", cfg.ID, 30, token)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Items {
			bodies = append(bodies, mustJSON(t, r.Response.Body))
		}
		if p.NextPageToken == nil {
			break
		}
		token = *p.NextPageToken
	}
	if len(bodies) != tools.MaxRunsPerConfig {
		t.Fatalf("kept %d runs, want %d", len(bodies), tools.MaxRunsPerConfig)
	}
	if bodies[0] != `{"n":129}` || bodies[99] != `{"n":30}` {
		t.Errorf("runs not newest first / oldest not dropped: first %s, last %s", bodies[0], bodies[99])
	}
	_, err := s.RecordRun("t1", "acme", "nope", tools.ToolRun{})
	wantKind(t, err, core.KindNotFound)
}
