package integrations_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
)

func TestSecretsNeverLeak(t *testing.T) {
	s, _ := withAcme(t)
	var shown []any // every value the store hands out
	add := func(v any, _ ...any) { shown = append(shown, v) }

	created, _, err := s.CreateConfig("t1", "acme", richConfig(), "")
	if err != nil {
		t.Fatal(err)
	}
	add(created)
	mapped := validConfig()
	mapped.Auth = &integrations.AuthInput{IntegrationAuthMetadataID: "mapped", Parameters: map[string]any{"apiKey": canary + "-mapped"}}
	mapped.AuthMap = []integrations.AuthMapEntry{{Parameters: map[string]any{"accountId": "acct-9"}, AuthConfig: apiKeyAuth(canary + "-entry")}}
	mappedCfg, _, err := s.CreateConfig("t1", "acme", mapped, "")
	if err != nil {
		t.Fatal(err)
	}
	add(mappedCfg)
	add(s.GetConfig("t1", "acme", created.ID))
	add(s.UpdateConfig("t1", "acme", created.ID, integrations.UpdateConfigInput{DisplayName: ptr("x")}, ""))
	rev, _, err := s.PublishConfig("t1", "acme", created.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	add(rev)
	add(s.GetRevision("t1", "acme", created.ID, rev.ID))
	add(s.ListRevisions("t1", "acme", created.ID, integrations.Paging{Size: 0, Cursor: ""}))
	add(s.ListConfigs("t1", "acme", integrations.Paging{Size: 0, Cursor: ""}))
	add(s.Snapshot(nil))
	for i, v := range shown {
		if got := mustJSON(t, v); strings.Contains(got, "CANARY") {
			t.Errorf("value %d (%T) reveals a secret: %s", i, v, got)
		}
	}

	// What is not secret is shown.
	if created.Parameters["region"] != "us" || !created.HasAuth || *created.AuthMethodID != "apiKey" || created.Auth.Level != integrations.AuthLevelApplication {
		t.Errorf("public fields missing: %s", mustJSON(t, created))
	}
	if _, ok := created.Parameters["webhookSecret"]; ok {
		t.Error("secret parameter shown")
	}
	if v := created.SandboxVariant; v.Auth.IntegrationAuthMetadataID != "bearer" || len(v.Auth.Parameters) != 0 || v.Parameters["region"] != "eu" {
		t.Errorf("sandboxVariant view = %s", mustJSON(t, v))
	}
	if !mappedCfg.HasAuthMap || mappedCfg.AuthMapEntries[0].Parameters["accountId"] != "acct-9" {
		t.Errorf("authMap view = %s", mustJSON(t, mappedCfg))
	}

	// The run engine gets them all back.
	prod, err := s.ConfigForRun("t1", "acme", created.ID, integrations.RunProduction)
	if err != nil {
		t.Fatal(err)
	}
	if prod.Auth.Parameters["apiKey"] != canary || prod.Auth.Parameters["accountId"] != "acct-1" || prod.Parameters["webhookSecret"] != canary+"-webhook" {
		t.Errorf("production run config = %+v", prod)
	}
	if prod.Auth.Type != integrations.AuthTypeAPIKey || prod.Auth.Settings["headerName"] != "X-Api-Key" || prod.SandboxMode != integrations.SandboxModeVendor || prod.RevisionID != rev.ID {
		t.Errorf("production run auth = %+v", prod.Auth)
	}
	if !slices.Contains(prod.Secrets, canary) || slices.Contains(prod.Secrets, "acct-1") {
		t.Errorf("Secrets = %q", prod.Secrets)
	}
	sandbox, err := s.ConfigForRun("t1", "acme", created.ID, integrations.RunSandboxVariant)
	if err != nil {
		t.Fatal(err)
	}
	if sandbox.Auth.Parameters["token"] != canary+"-sandbox" || sandbox.Parameters["region"] != "eu" || slices.Contains(sandbox.Secrets, canary) {
		t.Errorf("sandbox run config = %+v (must not carry production secrets)", sandbox)
	}
}

func TestSecretKeptAcrossAuthPatch(t *testing.T) {
	s, _ := withAcme(t)
	cfg := mustConfig(t, s, validConfig())
	// The frontend resends the auth it was shown: method and clear values.
	patch := &integrations.AuthInput{IntegrationAuthMetadataID: "apiKey", Parameters: map[string]any{"accountId": "acct-2"}}
	if _, _, err := s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{Auth: patch}, ""); err != nil {
		t.Fatalf("auth PATCH without the secret: %v", err)
	}
	if _, _, err := s.PublishConfig("t1", "acme", cfg.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	rc, err := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Auth.Parameters["apiKey"] != canary || rc.Auth.Parameters["accountId"] != "acct-2" {
		t.Errorf("auth after PATCH = %v", rc.Auth.Parameters)
	}
	// A new value replaces it.
	patch.Parameters["apiKey"] = "rotated"
	if _, _, err := s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{Auth: patch}, ""); err != nil {
		t.Fatal(err)
	}
	s.PublishConfig("t1", "acme", cfg.ID, "", "")
	if rc, _ := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction); rc.Auth.Parameters["apiKey"] != "rotated" {
		t.Errorf("apiKey = %v, want rotated", rc.Auth.Parameters["apiKey"])
	}
	// Another method starts from scratch: its required secret must be given.
	_, _, err = s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{Auth: &integrations.AuthInput{IntegrationAuthMetadataID: "bearer"}}, "")
	wantFields(t, err, map[string]string{"auth.parameters.token": "is required"})
}

func TestConfigForRunConflicts(t *testing.T) {
	s, _ := withAcme(t)
	cfg := mustConfig(t, s, validConfig())
	_, err := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction)
	wantKind(t, err, core.KindConflict)
	if !strings.Contains(err.Error(), "has never been published") {
		t.Errorf("err = %v", err)
	}
	// A variant set on the draft only is not published yet.
	s.PublishConfig("t1", "acme", cfg.ID, "", "")
	s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{SandboxVariant: &integrations.SandboxVariant{Parameters: map[string]any{"region": "eu"}}}, "")
	_, err = s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunSandboxVariant)
	wantKind(t, err, core.KindConflict)
	if !strings.Contains(err.Error(), "has no sandboxVariant") {
		t.Errorf("err = %v", err)
	}
	_, err = s.ConfigForRun("t1", "acme", "nope", integrations.RunProduction)
	wantKind(t, err, core.KindNotFound)
}

// redeemer is a fake OAuth key store.
type redeemer map[string]oauthflow.Credential

func (r redeemer) RedeemOAuthKey(tenant, integration, key string) (oauthflow.Credential, error) {
	c, ok := r[tenant+"/"+integration+"/"+key]
	if !ok {
		return c, errors.New("is unknown, expired or already used")
	}
	delete(r, tenant+"/"+integration+"/"+key)
	return c, nil
}

func TestOAuthCredentialKey(t *testing.T) {
	r := redeemer{"t1/acme/good": {AuthMethodID: "bearer", Tokens: map[string]string{"token": canary}, GrantedScopes: []string{"read"}}}
	s, _ := newStore(t, integrations.Options{OAuth: r})
	if _, _, err := s.CreateIntegration("t1", acme()); err != nil {
		t.Fatal(err)
	}
	in := validConfig()
	in.Auth, in.OAuthCredentialKey = nil, ptr("good")
	cfg, _, err := s.CreateConfig("t1", "acme", in, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, cfg); !cfg.HasAuth || *cfg.AuthMethodID != "bearer" || cfg.Auth.GrantedScopes[0] != "read" || strings.Contains(got, "CANARY") {
		t.Errorf("config = %s", got)
	}
	s.PublishConfig("t1", "acme", cfg.ID, "", "")
	if rc, _ := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction); rc.Auth.Parameters["token"] != canary {
		t.Errorf("token = %v", rc.Auth.Parameters)
	}
	// The key is single use.
	_, _, err = s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{OAuthCredentialKey: ptr("good")}, "")
	wantFields(t, err, map[string]string{"oAuthCredentialKey": "already used"})
}

func TestPublish(t *testing.T) {
	s, _ := withAcme(t)
	cfg := mustConfig(t, s, validConfig())
	_, tag, _ := s.GetConfig("t1", "acme", cfg.ID)
	r1, rtag, err := s.PublishConfig("t1", "acme", cfg.ID, tag, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Version != 1 || r1.ConfigID != cfg.ID || *r1.CreatedBy != "bob" || rtag == "" || r1.TenantID != "t1" || r1.Auth == nil || r1.Auth.IntegrationAuthMetadataID != "apiKey" {
		t.Errorf("revision 1 = %s", mustJSON(t, r1))
	}
	// Publishing changed the config, so its old ETag is stale.
	_, _, err = s.PublishConfig("t1", "acme", cfg.ID, tag, "")
	wantKind(t, err, core.KindConflict)
	got, _, _ := s.GetConfig("t1", "acme", cfg.ID)
	if got.PublishedRevisionID == nil || *got.PublishedRevisionID != r1.ID {
		t.Fatalf("publishedRevisionId = %v, want %s", got.PublishedRevisionID, r1.ID)
	}

	// A PATCH changes the draft, never the revision.
	frozen := mustJSON(t, r1)
	if _, _, err := s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{DisplayName: ptr("Changed"), Parameters: map[string]any{"region": "eu"}}, ""); err != nil {
		t.Fatal(err)
	}
	again, _, _ := s.GetRevision("t1", "acme", cfg.ID, r1.ID)
	if mustJSON(t, again) != frozen {
		t.Errorf("revision changed by PATCH:\n%s\n%s", frozen, mustJSON(t, again))
	}
	if rc, _ := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction); rc.Parameters["region"] != "us" {
		t.Errorf("a run used the draft: region = %v", rc.Parameters["region"])
	}

	r2, _, err := s.PublishConfig("t1", "acme", cfg.ID, "", "")
	if err != nil || r2.Version != 2 || r2.Parameters["region"] != "eu" {
		t.Fatalf("revision 2 = %+v, %v", r2, err)
	}
	p, err := s.ListRevisions("t1", "acme", cfg.ID, integrations.Paging{Size: 1, Cursor: ""})
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != r2.ID || p.NextPageToken == nil {
		t.Fatalf("revisions page 1 = %+v, %v", p, err)
	}
	p, err = s.ListRevisions("t1", "acme", cfg.ID, integrations.Paging{Size: 1, Cursor: *p.NextPageToken})
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != r1.ID || p.NextPageToken != nil {
		t.Fatalf("revisions page 2 = %+v, %v", p, err)
	}
	_, _, err = s.GetRevision("t1", "acme", cfg.ID, "nope")
	wantKind(t, err, core.KindNotFound)

	// :rollback repoints the published revision: no new revision, the
	// draft untouched, runs use the target.
	draftBefore, tag, _ := s.GetConfig("t1", "acme", cfg.ID)
	back, err := s.RollbackConfig("t1", "acme", cfg.ID, r1.ID, tag)
	if err != nil || back.ID != r1.ID || back.Version != 1 {
		t.Fatalf("rollback = %+v, %v", back, err)
	}
	after, _, _ := s.GetConfig("t1", "acme", cfg.ID)
	if *after.PublishedRevisionID != r1.ID || *after.DisplayName != *draftBefore.DisplayName || after.Parameters["region"] != "eu" {
		t.Errorf("after rollback: %s", mustJSON(t, after))
	}
	if p, _ := s.ListRevisions("t1", "acme", cfg.ID, integrations.Paging{}); p.TotalCount != 2 {
		t.Errorf("rollback created a revision: %d", p.TotalCount)
	}
	if rc, _ := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction); rc.RevisionID != r1.ID || rc.Parameters["region"] != "us" {
		t.Errorf("runs after rollback use %s (region %v)", rc.RevisionID, rc.Parameters["region"])
	}
	_, err = s.RollbackConfig("t1", "acme", cfg.ID, r2.ID, tag)
	wantKind(t, err, core.KindConflict) // stale If-Match
	other := mustConfig(t, s, validConfig())
	otherRev, _, _ := s.PublishConfig("t1", "acme", other.ID, "", "")
	for _, id := range []string{otherRev.ID, "4a1b2c3d-0000-4000-8000-000000000000"} {
		_, err = s.RollbackConfig("t1", "acme", cfg.ID, id, "")
		wantFields(t, err, map[string]string{"revisionId": "is not a revision of config"})
	}
	// Publishing again after a rollback publishes the draft as revision 3.
	r3, _, _ := s.PublishConfig("t1", "acme", cfg.ID, "", "")
	if after, _, _ := s.GetConfig("t1", "acme", cfg.ID); r3.Version != 3 || *after.PublishedRevisionID != r3.ID {
		t.Errorf("publish after rollback: %+v", r3)
	}
}

// TestJSONDecodedInput feeds bodies decoded the way a handler decodes them.
func TestJSONDecodedInput(t *testing.T) {
	s, _ := withAcme(t)
	var in integrations.CreateConfigInput
	body := `{"parameters":{"region":"eu","pageLimit":12,"extra":{"x":[1,2]}},"auth":{"integrationAuthMetadataId":"apiKey","parameters":{"apiKey":"k"}},"sandboxVariant":null}`
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := s.CreateConfig("t1", "acme", in, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, cfg.Parameters); got != `{"extra":{"x":[1,2]},"pageLimit":12,"region":"eu"}` {
		t.Errorf("parameters = %s", got)
	}
	if cfg.SandboxVariant != nil || cfg.AuthMapEntries == nil {
		t.Errorf("config = %s", mustJSON(t, cfg))
	}
}

func TestSecretKeptAcrossAuthMapAndVariantPatch(t *testing.T) {
	s, _ := withAcme(t)
	in := validConfig()
	in.Auth = &integrations.AuthInput{IntegrationAuthMetadataID: "mapped"}
	in.AuthMap = []integrations.AuthMapEntry{
		{Parameters: map[string]any{"accountId": "a"}, AuthConfig: apiKeyAuth(canary + "-a")},
		{Parameters: map[string]any{"accountId": "b"}, AuthConfig: apiKeyAuth(canary + "-b")},
	}
	in.SandboxVariant = &integrations.SandboxVariant{Auth: &integrations.AuthInput{IntegrationAuthMetadataID: "bearer", Parameters: map[string]any{"token": canary + "-sandbox"}}}
	cfg := mustConfig(t, s, in)

	// Resend what was shown: entries in another order, secrets left out.
	shown := func(account string) integrations.AuthMapEntry {
		return integrations.AuthMapEntry{Parameters: map[string]any{"accountId": account}, AuthConfig: &integrations.AuthInput{IntegrationAuthMetadataID: "apiKey", Parameters: map[string]any{"accountId": "acct-1"}}}
	}
	patch := integrations.UpdateConfigInput{
		AuthMap:        []integrations.AuthMapEntry{shown("b"), shown("a")},
		SandboxVariant: &integrations.SandboxVariant{Parameters: map[string]any{"region": "eu"}, Auth: &integrations.AuthInput{IntegrationAuthMetadataID: "bearer"}},
	}
	if _, _, err := s.UpdateConfig("t1", "acme", cfg.ID, patch, ""); err != nil {
		t.Fatal(err)
	}
	s.PublishConfig("t1", "acme", cfg.ID, "", "")
	prod, err := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunProduction)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"b", "a"} {
		e := prod.AuthMap[i]
		if e.Parameters["accountId"] != want || e.Auth.Parameters["apiKey"] != canary+"-"+want {
			t.Errorf("entry %d = %v %v, want account %s with its own key", i, e.Parameters, e.Auth.Parameters, want)
		}
	}
	sandbox, _ := s.ConfigForRun("t1", "acme", cfg.ID, integrations.RunSandboxVariant)
	if sandbox.Auth.Parameters["token"] != canary+"-sandbox" || sandbox.Parameters["region"] != "eu" {
		t.Errorf("variant = %v %v", sandbox.Parameters, sandbox.Auth.Parameters)
	}

	// An entry that matches no stored one must bring its own secrets; the
	// new method (apiKey) enables no auth map, so the stored map is refused.
	_, _, err = s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{AuthMap: []integrations.AuthMapEntry{shown("c")}}, "")
	wantFields(t, err, map[string]string{"authMap[0].authConfig.parameters.apiKey": "is required"})
	_, _, err = s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{Auth: apiKeyAuth("k")}, "")
	wantFields(t, err, map[string]string{"authMap": "is not enabled for auth method apiKey"})
	// Clearing the map with the method change is fine.
	if _, _, err = s.UpdateConfig("t1", "acme", cfg.ID, integrations.UpdateConfigInput{Auth: apiKeyAuth("k"), AuthMap: []integrations.AuthMapEntry{}}, ""); err != nil {
		t.Fatal(err)
	}
}

func TestErrorsCarryNoSecret(t *testing.T) {
	s, _ := withAcme(t)
	in := validConfig()
	in.Auth.Parameters["apiKey"] = []any{canary}                 // wrong type
	in.Auth.Parameters["other"] = canary                         // undeclared
	in.Parameters["webhookSecret"] = map[string]any{"k": canary} // wrong type
	_, _, err := s.CreateConfig("t1", "acme", in, "")
	wantKind(t, err, core.KindInvalid)
	if strings.Contains(mustJSON(t, err), "CANARY") || strings.Contains(err.Error(), "CANARY") {
		t.Errorf("error reveals a secret: %v", err)
	}
}
