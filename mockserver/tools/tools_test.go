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
	return tools.ToolDescriptor{APITool: tools.APITool{HTTPMethod: "GET", URL: "https://api.acme.test/{{region}}/customers"}}
}

func TestCreateTool(t *testing.T) {
	s, _ := withAcme(t)
	tests := []struct {
		name string
		in   tools.CreateToolInput
		want map[string]string // nil: valid
		id   string
	}{
		{"defaults", tools.CreateToolInput{DisplayName: ptr("List Customers"), Descriptor: getTool()}, nil, "list-customers"},
		{"slug collision", tools.CreateToolInput{DisplayName: ptr("list customers"), Descriptor: getTool()}, nil, "list-customers-2"},
		{"explicit", tools.CreateToolInput{ID: ptr("charge"), ActionType: ptr(sandboxroute.ActionTypeIrreversible), Descriptor: getTool()}, nil, "charge"},
		{"bad method", tools.CreateToolInput{Descriptor: tools.ToolDescriptor{APITool: tools.APITool{HTTPMethod: "get", URL: "u"}}},
			map[string]string{"descriptor.apiTool.httpMethod": "GET, POST, PUT, PATCH, DELETE"}, ""},
		{"missing method and url", tools.CreateToolInput{}, map[string]string{"descriptor.apiTool.httpMethod": "is required", "descriptor.apiTool.url": "is required"}, ""},
		{"bad enums", tools.CreateToolInput{ActionType: ptr(sandboxroute.ActionType("MAYBE")), Descriptor: tools.ToolDescriptor{APITool: tools.APITool{HTTPMethod: "GET", URL: "u", ResultType: "XML"}}},
			map[string]string{"actionType": "READ_ONLY", "descriptor.apiTool.resultType": "JSON"}, ""},
		{"bad id", tools.CreateToolInput{ID: ptr("a/b"), Descriptor: getTool()}, map[string]string{"id": "letters"}, ""},
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
			if tool.ID != tt.id || tool.IntegrationID != "acme" || tag == "" {
				t.Errorf("tool = %+v, etag %q", tool, tag)
			}
			if tt.in.ActionType == nil && tool.ActionType != sandboxroute.ActionTypeReadOnly {
				t.Errorf("actionType = %s, want READ_ONLY", tool.ActionType)
			}
			if tool.Descriptor.APITool.ResultType != sandboxroute.ResultTypeJSON {
				t.Errorf("resultType = %s, want JSON", tool.Descriptor.APITool.ResultType)
			}
			if got := mustJSON(t, tool); !strings.Contains(got, `"headers":{}`) || !strings.Contains(got, `"parametersMetadata":[]`) {
				t.Errorf("null where the API shows an empty value: %s", got)
			}
		})
	}
	_, _, err := s.CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr("charge"), Descriptor: getTool()})
	wantKind(t, err, core.KindConflict)
	_, _, err = s.CreateTool("t1", "nope", tools.CreateToolInput{Descriptor: getTool()})
	wantKind(t, err, core.KindNotFound)
}

func TestUpdateDeleteTool(t *testing.T) {
	s, _ := withAcme(t)
	_, tag, err := s.CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr("x"), DisplayName: ptr("X"), Descriptor: getTool()})
	if err != nil {
		t.Fatal(err)
	}
	got, tag2, err := s.UpdateTool("t1", "acme", "x", tools.UpdateToolInput{ActionType: ptr(sandboxroute.ActionTypeReversible)}, tag)
	if err != nil {
		t.Fatal(err)
	}
	if *got.DisplayName != "X" || got.ActionType != sandboxroute.ActionTypeReversible || got.Descriptor.APITool.URL != getTool().APITool.URL {
		t.Errorf("update = %+v", got)
	}
	_, _, err = s.UpdateTool("t1", "acme", "x", tools.UpdateToolInput{DisplayName: ptr("Y")}, tag)
	wantKind(t, err, core.KindConflict)
	_, _, err = s.UpdateTool("t1", "acme", "x", tools.UpdateToolInput{Descriptor: &tools.ToolDescriptor{}}, "")
	wantFields(t, err, map[string]string{"descriptor.apiTool.httpMethod": "is required", "descriptor.apiTool.url": "is required"})
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
	p1, err := s.ListTools("t1", "acme", 4, "")
	if err != nil || len(p1.Items) != 4 || p1.NextPageToken == nil || p1.Items[0].ID != "tool-0" {
		t.Fatalf("page 1 = %+v, %v", p1, err)
	}
	p2, err := s.ListTools("t1", "acme", 4, *p1.NextPageToken)
	if err != nil || len(p2.Items) != 3 || p2.NextPageToken != nil || p2.Items[0].ID != "tool-4" {
		t.Fatalf("page 2 = %+v, %v", p2, err)
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
