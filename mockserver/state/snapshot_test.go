package state_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// populated returns a store with every kind of record, and its box.
func populated(t *testing.T) (*state.Store, *secretbox.Box, string) {
	t.Helper()
	box, _ := secretbox.NewRandom()
	s, c := newStore(t, state.Options{Box: box})
	if _, _, err := s.Integrations().CreateIntegration("t1", acme()); err != nil {
		t.Fatal(err)
	}
	cfg := mustConfig(t, s.Integrations(), richConfig()) // configs[0]: created first
	if _, _, err := s.Integrations().PublishConfig("t1", "acme", cfg.ID, "", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Integrations().UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{DisplayName: ptr("draft")}, ""); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	mustConfig(t, s.Integrations(), validConfig())
	if _, _, err := s.Tools().CreateTool("t1", "acme", tools.CreateToolInput{ID: ptr("list"), Descriptor: getTool()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tools().RecordRun("t1", "acme", cfg.ID, tools.ToolRun{ToolID: "list", Response: tools.RunResponse{Status: 200, Body: []any{"ok"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTenant("empty"); err != nil {
		t.Fatal(err)
	}
	return s, box, cfg.ID
}

func TestSnapshotRoundTrip(t *testing.T) {
	s, box, cfgID := populated(t)
	doc, err := json.Marshal(s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "CANARY") {
		t.Fatalf("snapshot holds a secret in the clear: %s", doc)
	}
	if !strings.Contains(string(doc), secretbox.Prefix) {
		t.Fatal("snapshot holds no sealed values")
	}

	var back state.Snapshot
	if err := json.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	s2, _ := newStore(t, state.Options{Box: box})
	if err := s2.Restore(back); err != nil {
		t.Fatal(err)
	}
	if again := mustJSON(t, s2.Snapshot()); again != string(doc) {
		t.Errorf("round trip differs:\n%s\n%s", doc, again)
	}
	c1, tag1, _ := s.Integrations().GetConfig("t1", "acme", cfgID)
	c2, tag2, err := s2.Integrations().GetConfig("t1", "acme", cfgID)
	if err != nil || mustJSON(t, c1) != mustJSON(t, c2) || tag1 != tag2 {
		t.Errorf("restored config differs: %v\n%s %s\n%s %s", err, tag1, mustJSON(t, c1), tag2, mustJSON(t, c2))
	}
	rc, err := s2.Integrations().ConfigForRun("t1", "acme", cfgID, integrations.RunProduction)
	if err != nil || rc.Auth.Parameters["apiKey"] != canary {
		t.Errorf("restored secrets do not open: %v %v", rc.Auth, err)
	}
	if p, err := s2.Integrations().ListIntegrations("empty", integrations.IntegrationFilter{}); err != nil || len(p.Items) != 0 {
		t.Errorf("empty tenant: %v %v", p, err)
	}
	// New versions never reuse a restored one.
	_, tag, _ := s2.Integrations().CreateIntegration("t1", integrations.CreateIntegrationInput{ID: ptr("new")})
	if etagNum(t, tag) <= etagNum(t, tag1) {
		t.Errorf("new ETag %s not above restored %s", tag, tag1)
	}
}

func TestRestoreAsBaseline(t *testing.T) {
	s, _, cfgID := populated(t)
	baseline := s.Snapshot()
	want := mustJSON(t, baseline)
	for round := range 2 {
		if _, _, err := s.Integrations().UpdateConfig("t1", "acme", cfgID, integrations.UpdateConfigInput{Parameters: map[string]any{"region": "eu"}}, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Integrations().CreateIntegration("t1", integrations.CreateIntegrationInput{ID: ptr("extra")}); err != nil {
			t.Fatal(err)
		}
		if err := s.Restore(baseline); err != nil {
			t.Fatal(err)
		}
		if got := mustJSON(t, s.Snapshot()); got != want {
			t.Fatalf("round %d: reset did not return to the baseline", round)
		}
	}
	// The store keeps nothing of the document it was given.
	baseline.Tenants["t1"].Integrations[0].Integration.Tags = append(baseline.Tenants["t1"].Integrations[0].Integration.Tags, "mutated")
	*baseline.Tenants["t1"].Integrations[0].Integration.DisplayName = "mutated"
	baseline.Tenants["t1"].Integrations[0].Configs[0].Draft.Parameters["region"] = "mutated"
	if got := mustJSON(t, s.Snapshot()); strings.Contains(got, "mutated") {
		t.Error("mutating the restored document changed the store")
	}
}

func TestRestoreRejects(t *testing.T) {
	src, _, _ := populated(t)
	otherBox, _ := secretbox.NewRandom()
	foreign, _ := newStore(t, state.Options{Box: otherBox})
	if _, _, err := foreign.Integrations().CreateIntegration("t1", acme()); err != nil {
		t.Fatal(err)
	}
	mustConfig(t, foreign.Integrations(), validConfig())

	tests := []struct {
		name  string
		doc   func() state.Snapshot
		field string
	}{
		{"version", func() state.Snapshot { d := src.Snapshot(); d.Version = 3; return d }, "version"},
		{"version 1", func() state.Snapshot { d := src.Snapshot(); d.Version = 1; return d }, "version"},
		{"foreign key", foreign.Snapshot, "tenants.t1.integrations[0].configs[0].draft.auth.secrets.apiKey"},
		{"tampered secret", func() state.Snapshot {
			d := src.Snapshot()
			d.Tenants["t1"].Integrations[0].Configs[0].Draft.Auth.Secrets["apiKey"] = secretbox.Prefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			return d
		}, "tenants.t1.integrations[0].configs[0].draft.auth.secrets.apiKey"},
		{"duplicate integration", func() state.Snapshot {
			d := src.Snapshot()
			ts := d.Tenants["t1"]
			ts.Integrations = append(ts.Integrations, ts.Integrations[0])
			d.Tenants["t1"] = ts
			return d
		}, "tenants.t1.integrations[1].integration.id"},
		{"bad integration id", func() state.Snapshot {
			d := src.Snapshot()
			d.Tenants["t1"].Integrations[0].Integration.ID = "has space"
			return d
		}, "tenants.t1.integrations[0].integration.id"},
		{"revision number", func() state.Snapshot {
			d := src.Snapshot()
			d.Tenants["t1"].Integrations[0].Configs[0].Revisions[0].Number = 7
			return d
		}, "tenants.t1.integrations[0].configs[0].revisions[0].number"},
		{"config id", func() state.Snapshot {
			d := src.Snapshot()
			d.Tenants["t1"].Integrations[0].Configs[1].ID = ""
			return d
		}, "tenants.t1.integrations[0].configs[1].id"},
		{"tool method", func() state.Snapshot {
			d := src.Snapshot()
			d.Tenants["t1"].Tools.Tools[0].Tool.Descriptor.APITool.HTTPMethod = "FETCH"
			return d
		}, "tenants.t1.tools.tools[0].tool.descriptor.apiTool.httpMethod"},
		{"tool of no integration", func() state.Snapshot {
			d := src.Snapshot()
			d.Tenants["t1"].Tools.Tools[0].Tool.IntegrationID = "gone"
			return d
		}, "tenants.t1.tools.tools[0].tool.integrationId"},
		{"runs of no config", func() state.Snapshot {
			d := src.Snapshot()
			d.Tenants["t1"].Tools.Runs[0].ConfigID = "gone"
			return d
		}, "tenants.t1.tools.runs[0].configId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst, _, _ := populated(t)
			before := mustJSON(t, dst.Snapshot())
			err := dst.Restore(tt.doc())
			wantKind(t, err, core.KindInvalid)
			if _, ok := err.(*core.Error).Fields[tt.field]; !ok {
				t.Errorf("fields = %v, want %s", err.(*core.Error).Fields, tt.field)
			}
			if after := mustJSON(t, dst.Snapshot()); after != before {
				t.Error("a rejected Restore changed the state")
			}
		})
	}
}

func etagNum(t *testing.T, tag string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.Trim(tag, `"`))
	if err != nil {
		t.Fatalf("ETag %s: %v", tag, err)
	}
	return n
}

// TestVersion1Refused: a document of the format before the rooms is
// refused whole, saying where its tools and runs go now.
func TestVersion1Refused(t *testing.T) {
	err := state.CheckVersion(1)
	wantKind(t, err, core.KindInvalid)
	if msg := err.(*core.Error).Fields["version"]; len(msg) != 1 || !strings.Contains(msg[0], `"tools" section`) {
		t.Fatalf("version 1: %v", msg)
	}
	if state.CheckVersion(state.SnapshotVersion) != nil {
		t.Fatal("the current version is refused")
	}
}
