package integrations_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

func TestConfigValidation(t *testing.T) {
	// with returns a valid body changed by fn.
	with := func(fn func(in *integrations.CreateConfigInput)) integrations.CreateConfigInput {
		in := validConfig()
		fn(&in)
		return in
	}
	param := func(name string, v any) integrations.CreateConfigInput {
		return with(func(in *integrations.CreateConfigInput) { in.Parameters[name] = v })
	}
	mappedAuth := &integrations.AuthInput{IntegrationAuthMetadataID: "mapped"}
	tests := []struct {
		name string
		in   integrations.CreateConfigInput
		want map[string]string // nil: valid
	}{
		{"valid", validConfig(), nil},
		{"integer from Go int", param("pageLimit", 7), nil},
		{"integer with zero fraction", param("pageLimit", 7.0), nil},
		{"Json takes anything", param("extra", map[string]any{"a": []any{1.0, "b"}}), nil},
		{"null parameter is absent", param("verbose", nil), nil},
		{"no auth at all", with(func(in *integrations.CreateConfigInput) { in.Auth = nil }), nil},
		{"unknown auth method", with(func(in *integrations.CreateConfigInput) { in.Auth.IntegrationAuthMetadataID = "oauth" }),
			map[string]string{"auth.integrationAuthMetadataId": "is not an auth method of integration acme"}},
		{"auth method missing", with(func(in *integrations.CreateConfigInput) { in.Auth.IntegrationAuthMetadataID = "" }),
			map[string]string{"auth.integrationAuthMetadataId": "is required"}},
		{"required auth parameter missing", with(func(in *integrations.CreateConfigInput) { delete(in.Auth.Parameters, "apiKey") }),
			map[string]string{"auth.parameters.apiKey": "is required"}},
		{"undeclared auth parameter", with(func(in *integrations.CreateConfigInput) { in.Auth.Parameters["password"] = "x" }),
			map[string]string{"auth.parameters.password": "is not declared by auth method apiKey"}},
		{"auth level not supported", with(func(in *integrations.CreateConfigInput) { in.Auth.Level = ptr(integrations.AuthLevelUser) }),
			map[string]string{"auth.level": "must be one of: APPLICATION"}},
		{"auth parameter wrong type", with(func(in *integrations.CreateConfigInput) { in.Auth.Parameters["apiKey"] = 42.0 }),
			map[string]string{"auth.parameters.apiKey": "must be a string"}},
		{"required parameter missing", with(func(in *integrations.CreateConfigInput) { delete(in.Parameters, "region") }),
			map[string]string{"parameters.region": "is required"}},
		{"undeclared parameter", param("color", "red"), map[string]string{"parameters.color": "is not declared by the integration"}},
		{"integer below range", param("pageLimit", 0.0), map[string]string{"parameters.pageLimit": "must be at least 1"}},
		{"integer above range", param("pageLimit", 501), map[string]string{"parameters.pageLimit": "must be at most 500"}},
		{"integer range inclusive", param("pageLimit", 500), nil},
		{"float above range", param("ratio", 1.5), map[string]string{"parameters.ratio": "must be at most 1"}},
		{"float range inclusive", param("ratio", 0.0), nil},
		{"not in options", param("region", "apac"), map[string]string{"parameters.region": "must be one of: us, eu"}},
		{"integer with fraction", param("pageLimit", 1.5), map[string]string{"parameters.pageLimit": "must be an integer"}},
		{"integer as string", param("pageLimit", "10"), map[string]string{"parameters.pageLimit": "must be an integer"}},
		{"float as string", param("ratio", "0.5"), map[string]string{"parameters.ratio": "must be a number"}},
		{"boolean as string", param("verbose", "yes"), map[string]string{"parameters.verbose": "must be a boolean"}},
		{"string as number", param("region", 5.0), map[string]string{"parameters.region": "must be a string"}},
		{"bad sandboxMode", with(func(in *integrations.CreateConfigInput) { in.SandboxMode = ptr(integrations.SandboxMode("SOMETIMES")) }),
			map[string]string{"sandboxMode": "must be one of: UNSPECIFIED, NONE, VENDOR, SIMULATED, READ_THROUGH"}},
		{"authMap not enabled", with(func(in *integrations.CreateConfigInput) {
			in.AuthMap = []integrations.AuthMapEntry{{Parameters: map[string]any{"accountId": "a"}, AuthConfig: apiKeyAuth("k")}}
		}), map[string]string{"authMap": "is not enabled for auth method apiKey"}},
		{"authMap without auth", with(func(in *integrations.CreateConfigInput) {
			in.Auth = nil
			in.AuthMap = []integrations.AuthMapEntry{{AuthConfig: apiKeyAuth("k")}}
		}), map[string]string{"authMap": "requires auth"}},
		{"authMap entry checks", with(func(in *integrations.CreateConfigInput) {
			in.Auth = mappedAuth
			in.AuthMap = []integrations.AuthMapEntry{
				{Parameters: map[string]any{"accountId": "a"}, AuthConfig: apiKeyAuth("k")},
				{Parameters: map[string]any{"region": "us"}},
				{Parameters: map[string]any{"accountId": "c"}, AuthConfig: &integrations.AuthInput{IntegrationAuthMetadataID: "bearer"}},
			}
		}), map[string]string{
			"authMap[1].parameters.accountId":        "is required",
			"authMap[1].parameters.region":           "is not declared by the auth map of auth method mapped",
			"authMap[1].authConfig":                  "is required",
			"authMap[2].authConfig.parameters.token": "is required",
		}},
		{"sandboxVariant checks", with(func(in *integrations.CreateConfigInput) {
			in.SandboxVariant = &integrations.SandboxVariant{
				Parameters: map[string]any{"region": "mars"},
				Auth:       &integrations.AuthInput{IntegrationAuthMetadataID: "bearer", Parameters: map[string]any{"tok": "x"}},
			}
		}), map[string]string{
			"sandboxVariant.parameters.region":     "must be one of: us, eu",
			"sandboxVariant.auth.parameters.tok":   "is not declared by auth method bearer",
			"sandboxVariant.auth.parameters.token": "is required",
		}},
		{"sandboxVariant unknown method", with(func(in *integrations.CreateConfigInput) {
			in.SandboxVariant = &integrations.SandboxVariant{Auth: &integrations.AuthInput{IntegrationAuthMetadataID: "nope"}}
		}), map[string]string{"sandboxVariant.auth.integrationAuthMetadataId": "is not an auth method"}},
		{"every finding at once", integrations.CreateConfigInput{
			Parameters:     map[string]any{"pageLimit": "x", "zzz": 1.0},
			Auth:           &integrations.AuthInput{IntegrationAuthMetadataID: "apiKey"},
			SandboxMode:    ptr(integrations.SandboxMode("x")),
			SandboxVariant: &integrations.SandboxVariant{Parameters: map[string]any{}},
		}, map[string]string{
			"parameters.region":                "is required",
			"parameters.pageLimit":             "must be an integer",
			"parameters.zzz":                   "is not declared",
			"auth.parameters.apiKey":           "is required",
			"sandboxMode":                      "must be one of",
			"sandboxVariant.parameters.region": "is required",
		}},
		{"oAuthCredentialKey without OAuth", with(func(in *integrations.CreateConfigInput) { in.Auth = nil; in.OAuthCredentialKey = ptr("k") }),
			map[string]string{"oAuthCredentialKey": "OAuth is not enabled"}},
		{"oAuthCredentialKey with auth", with(func(in *integrations.CreateConfigInput) { in.OAuthCredentialKey = ptr("k") }),
			map[string]string{"oAuthCredentialKey": "cannot be combined with auth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := withAcme(t)
			_, _, err := s.CreateConfig("t1", "acme", tt.in, "")
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFields(t, err, tt.want)
			if p, _ := s.ListConfigs("t1", "acme", integrations.Paging{Size: 0, Cursor: ""}); len(p.Items) != 0 {
				t.Error("an invalid create stored a config")
			}
		})
	}
}

func TestUpdateConfigAllOrNothing(t *testing.T) {
	s, c := withAcme(t)
	cfg := mustConfig(t, s, validConfig())
	before, tag, _ := s.GetConfig("t1", "acme", cfg.ID)
	snap := mustJSON(t, s.Snapshot(nil)) // includes the sealed secrets
	c.Advance(time.Minute)
	bad := []integrations.UpdateConfigInput{
		{DisplayName: ptr("New name"), Parameters: map[string]any{"region": "eu", "pageLimit": 0.0}},
		{DisplayName: ptr("New name"), Auth: apiKeyAuth("new-key"), SandboxVariant: &integrations.SandboxVariant{Auth: &integrations.AuthInput{}}},
		{SandboxMode: ptr(integrations.SandboxModeVendor), AuthMap: []integrations.AuthMapEntry{{}}},
	}
	for i, in := range bad {
		if _, _, err := s.UpdateConfig("t1", "acme", cfg.ID, in, tag); core.KindOf(err) != core.KindInvalid {
			t.Fatalf("patch %d: err = %v, want invalid", i, err)
		}
		after, tag2, _ := s.GetConfig("t1", "acme", cfg.ID)
		if mustJSON(t, after) != mustJSON(t, before) || tag2 != tag || mustJSON(t, s.Snapshot(nil)) != snap {
			t.Fatalf("patch %d changed the config:\nbefore %s\nafter  %s", i, mustJSON(t, before), mustJSON(t, after))
		}
	}
}

func TestUpdateConfigKeeps(t *testing.T) {
	s, c := withAcme(t)
	in := validConfig()
	in.SandboxMode = ptr(integrations.SandboxModeVendor)
	in.SandboxVariant = &integrations.SandboxVariant{Parameters: map[string]any{"region": "eu"}}
	cfg := mustConfig(t, s, in)
	c.Advance(time.Second)

	// Nothing given: everything kept but modifiedAt.
	got, _, err := s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := cfg
	want.ModifiedAt = t0 + 1000
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Errorf("empty PATCH changed the config:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
	}

	// Only displayName: the rest is kept.
	got, _, err = s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{DisplayName: ptr("Renamed")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if *got.DisplayName != "Renamed" || got.Parameters["pageLimit"] != 100.0 || !got.HasAuth || got.SandboxMode != integrations.SandboxModeVendor || got.SandboxVariant.Parameters["region"] != "eu" {
		t.Errorf("fields not kept: %s", mustJSON(t, got))
	}

	// parameters replaces the whole map; the omitted secret one is kept.
	if _, _, err = s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{Parameters: map[string]any{"region": "eu"}}, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.PublishConfig("t1", "acme", cfg.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	rc, err := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rc.Parameters["pageLimit"]; ok || rc.Parameters["region"] != "eu" || rc.Parameters["webhookSecret"] != canary+"-webhook" {
		t.Errorf("run parameters = %v", rc.Parameters)
	}
}

func TestSandboxMode(t *testing.T) {
	s, _ := withAcme(t)
	tests := []struct {
		in   *integrations.SandboxMode
		want integrations.SandboxMode
	}{
		{nil, integrations.SandboxModeNone},
		{ptr(integrations.SandboxModeUnspecified), integrations.SandboxModeUnspecified},
		{ptr(integrations.SandboxModeReadThrough), integrations.SandboxModeReadThrough},
	}
	for _, tt := range tests {
		in := validConfig()
		in.SandboxMode = tt.in
		if got := mustConfig(t, s, in); got.SandboxMode != tt.want {
			t.Errorf("sandboxMode %v → %s, want %s", tt.in, got.SandboxMode, tt.want)
		}
	}
}

func TestConfigCRUD(t *testing.T) {
	s, c := withAcme(t)
	var ids []string
	for range 5 {
		c.Advance(time.Millisecond)
		ids = append(ids, mustConfig(t, s, validConfig()).ID)
	}
	p1, err := s.ListConfigs("t1", "acme", integrations.Paging{Size: 3, Cursor: ""})
	if err != nil || len(p1.Items) != 3 || p1.NextPageToken == nil {
		t.Fatalf("page 1 = %d items, %v", len(p1.Items), err)
	}
	// Deleting the last item of page 1 does not disturb paging.
	if err := s.DeleteConfig("t1", "acme", p1.Items[2].ID, ""); err != nil {
		t.Fatal(err)
	}
	p2, err := s.ListConfigs("t1", "acme", integrations.Paging{Size: 3, Cursor: *p1.NextPageToken})
	if err != nil || len(p2.Items) != 2 || p2.NextPageToken != nil {
		t.Fatalf("page 2 = %d items, %v", len(p2.Items), err)
	}
	got := []string{p1.Items[0].ID, p1.Items[1].ID, p1.Items[2].ID, p2.Items[0].ID, p2.Items[1].ID}
	if fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("configs not in creation order: %v, want %v", got, ids)
	}
	cfg, tag, err := s.GetConfig("t1", "acme", ids[0])
	if err != nil || cfg.IntegrationID != "acme" || *cfg.CreatedBy != "alice" || cfg.PublishedRevisionID != nil {
		t.Fatalf("get = %+v, %v", cfg, err)
	}
	if _, _, err := s.UpdateConfig("t1", "acme", ids[0], integrations.UpdateConfigInput{}, tag); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.DeleteConfig("t1", "acme", ids[0], tag), core.KindConflict)
	_, _, err = s.UpdateConfig("t1", "acme", ids[0], integrations.UpdateConfigInput{}, tag)
	wantKind(t, err, core.KindConflict)
	_, err = s.ListConfigs("t1", "nope", integrations.Paging{Size: 0, Cursor: ""})
	wantKind(t, err, core.KindNotFound)
	_, _, err = s.GetConfig("t1", "acme", "nope")
	wantKind(t, err, core.KindNotFound)
	_, err = s.ListConfigs("t1", "acme", integrations.Paging{Size: 0, Cursor: "bad!"})
	wantFields(t, err, map[string]string{"Paging.PageToken.Cursor": "not a page token"})
}

func TestVerifyConfigAuth(t *testing.T) {
	s, _ := withAcme(t)
	tests := []struct {
		name    string
		in      func(*integrations.CreateConfigInput)
		index   *int
		success bool
		errText string
		entries int
	}{
		{"supported", func(*integrations.CreateConfigInput) {}, nil, true, "", 0},
		{"unsupported", func(in *integrations.CreateConfigInput) {
			in.Auth = &integrations.AuthInput{IntegrationAuthMetadataID: "bearer", Parameters: map[string]any{"token": "t"}}
		}, nil, false, "does not support verification", 0},
		{"auth map, every entry", func(in *integrations.CreateConfigInput) {
			in.Auth = &integrations.AuthInput{IntegrationAuthMetadataID: "mapped"}
			in.AuthMap = []integrations.AuthMapEntry{
				{Parameters: map[string]any{"accountId": "a1"}, AuthConfig: apiKeyAuth("k1")},
				{Parameters: map[string]any{"accountId": "a2"}, AuthConfig: apiKeyAuth("k2")},
			}
		}, nil, true, "", 2},
		{"auth map, one entry", func(in *integrations.CreateConfigInput) {
			in.Auth = &integrations.AuthInput{IntegrationAuthMetadataID: "mapped"}
			in.AuthMap = []integrations.AuthMapEntry{
				{Parameters: map[string]any{"accountId": "a1"}, AuthConfig: apiKeyAuth("k1")},
				{Parameters: map[string]any{"accountId": "a2"}, AuthConfig: apiKeyAuth("k2")},
			}
		}, ptr(1), true, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validConfig()
			tt.in(&in)
			cfg := mustConfig(t, s, in)
			got, err := s.VerifyConfigAuth("t1", "acme", cfg.ID, tt.index)
			if err != nil || got.Success != tt.success || len(got.AuthMapResults) != tt.entries ||
				(tt.errText == "") != (got.Error == nil) || (got.Error != nil && !strings.Contains(*got.Error, tt.errText)) {
				t.Fatalf("VerifyConfigAuth = %s, %v; want success %v, error %q, %d entries", mustJSON(t, got), err, tt.success, tt.errText, tt.entries)
			}
			if tt.index != nil && got.AuthMapResults[0].Parameters["accountId"] != "a2" {
				t.Errorf("authMapIndex 1 verified %v", got.AuthMapResults[0].Parameters)
			}
			if strings.Contains(mustJSON(t, got), "k1") {
				t.Errorf("a secret shows: %s", mustJSON(t, got))
			}
		})
	}
	in := validConfig()
	in.Auth = nil
	bare := mustConfig(t, s, in)
	_, err := s.VerifyConfigAuth("t1", "acme", bare.ID, nil)
	wantKind(t, err, core.KindInvalid) // neither auth nor authMap: 400, as documented
	withAuth := mustConfig(t, s, validConfig())
	_, err = s.VerifyConfigAuth("t1", "acme", withAuth.ID, ptr(0))
	wantFields(t, err, map[string]string{"authMapIndex": "must index"})
}

func TestVerifyConfig(t *testing.T) {
	s, _ := withAcme(t)
	got, err := s.VerifyConfig("t1", "acme", integrations.VerifyConfigInput{AuthMetadataID: ptr("apiKey"), AuthConfig: apiKeyAuth("k")})
	if err != nil || !got.Success || got.Error != nil {
		t.Fatalf("good key: %+v %v", got, err)
	}
	got, err = s.VerifyConfig("t1", "acme", integrations.VerifyConfigInput{AuthMetadataID: ptr("apiKey"), AuthConfig: &integrations.AuthInput{IntegrationAuthMetadataID: "apiKey"}})
	if err != nil || got.Success || got.Error == nil || !strings.Contains(*got.Error, "apiKey") {
		t.Fatalf("missing key: %+v %v", got, err)
	}
	_, err = s.VerifyConfig("t1", "acme", integrations.VerifyConfigInput{AuthMetadataID: ptr("bearer"), AuthConfig: &integrations.AuthInput{IntegrationAuthMetadataID: "bearer"}})
	wantFields(t, err, map[string]string{"authMetadataId": "does not support verification"})
	_, err = s.VerifyConfig("t1", "acme", integrations.VerifyConfigInput{AuthMetadataID: ptr("nope"), AuthConfig: &integrations.AuthInput{}})
	wantFields(t, err, map[string]string{"authMetadataId": "is not an auth method"})
}

func TestConfigPageTokenScope(t *testing.T) {
	s, _ := withAcme(t)
	other := acme()
	other.ID = ptr("other")
	if _, _, err := s.CreateIntegration("t1", other); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		mustConfig(t, s, validConfig())
	}
	p, _ := s.ListConfigs("t1", "acme", integrations.Paging{Size: 1, Cursor: ""})
	_, err := s.ListConfigs("t1", "other", integrations.Paging{Size: 1, Cursor: *p.NextPageToken})
	wantFields(t, err, map[string]string{"Paging.PageToken.Cursor": "this query"})
	_, err = s.ListRevisions("t1", "acme", p.Items[0].ID, integrations.Paging{Size: 1, Cursor: *p.NextPageToken})
	wantFields(t, err, map[string]string{"Paging.PageToken.Cursor": "this query"})
}
