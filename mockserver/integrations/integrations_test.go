package integrations_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

func TestCreateIntegrationIDs(t *testing.T) {
	s, _ := newStore(t, integrations.Options{NewID: func() string { return "abcdef12-3456-4789-8abc-def012345678" }})
	long := strings.Repeat("Very Long Name ", 6) // 90 characters, a slug of 89
	tests := []struct {
		name        string
		id          *string
		displayName *string
		want        string
	}{
		{"slug", nil, ptr("  Acme CRM (EU)! "), "acme-crm-eu"},
		{"slug collision", nil, ptr("Acme CRM eu"), "acme-crm-eu-2"},
		{"second collision", nil, ptr("ACME / CRM / EU"), "acme-crm-eu-3"},
		{"empty id derives", ptr(""), ptr("Stripe"), "stripe"},
		{"explicit", ptr("My_Id-1"), ptr("Stripe"), "My_Id-1"},
		{"nothing to slug", nil, ptr("!!!"), "integration-abcdef12"},
		{"no name", nil, nil, "generated"},
		{"slug cut to 64", nil, ptr(long), strings.TrimRight(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(long)), " ", "-")[:64], "-")},
		{"collision of a 64-char slug stays within 64", nil, ptr(long), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, _, err := s.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: tt.id, DisplayName: tt.displayName})
			if err != nil {
				t.Fatal(err)
			}
			switch tt.want {
			case "generated": // the 8-hex id is taken by "nothing to slug": another is minted
				if !strings.HasPrefix(it.ID, "integration-") || len(it.ID) != len("integration-")+8 || it.ID == "integration-abcdef12" {
					t.Errorf("id = %q, want a fresh integration-<8 chars>", it.ID)
				}
			case "":
				if len(it.ID) > 64 || !strings.HasSuffix(it.ID, "-2") {
					t.Errorf("id = %q (%d chars), want ≤ 64 chars ending -2", it.ID, len(it.ID))
				}
			default:
				if it.ID != tt.want {
					t.Errorf("id = %q, want %q", it.ID, tt.want)
				}
			}
			if it.Type != integrations.IntegrationTypeCustom || it.CreatedAt != t0 || it.ModifiedAt != t0 {
				t.Errorf("type/times = %v %d %d", it.Type, it.CreatedAt, it.ModifiedAt)
			}
		})
	}
}

func TestCreateIntegrationDuplicate(t *testing.T) {
	s, _ := withAcme(t)
	_, _, err := s.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: ptr("acme")})
	wantKind(t, err, core.KindConflict)
	// Another tenant is another namespace.
	if _, _, err := s.CreateIntegration("t2", integrations.CreateIntegrationInput{ID: ptr("acme")}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateIntegrationValidation(t *testing.T) {
	dupParams := acme().ConfigMetadata
	dupParams.ParametersMetadata = append(dupParams.ParametersMetadata, integrations.ParameterMetadata{Name: "region"})
	dupAuth := acme().ConfigMetadata
	dupAuth.AuthMetadata = append(dupAuth.AuthMetadata, integrations.AuthMetadata{ID: "bearer"})
	badRange := integrations.ConfigMetadata{ParametersMetadata: []integrations.ParameterMetadata{
		{Name: "n", Type: integrations.ParameterTypeInteger, IntegerRange: &integrations.IntegerRange{Min: ptr(int64(5)), Max: ptr(int64(1))}},
		{Name: "f", Type: integrations.ParameterTypeFloat, FloatRange: &integrations.FloatRange{Min: ptr(2.0), Max: ptr(1.0)}},
		{Name: "", Type: "Decimal"},
	}}
	tests := []struct {
		name string
		in   integrations.CreateIntegrationInput
		want map[string]string // nil: valid
	}{
		{"displayName 100 runes", integrations.CreateIntegrationInput{DisplayName: ptr(strings.Repeat("é", 100))}, nil},
		{"displayName 101 runes", integrations.CreateIntegrationInput{DisplayName: ptr(strings.Repeat("é", 101))}, map[string]string{"displayName": "at most 100"}},
		{"description 500", integrations.CreateIntegrationInput{DisplayName: ptr("d500"), Description: ptr(strings.Repeat("x", 500))}, nil},
		{"description 501", integrations.CreateIntegrationInput{Description: ptr(strings.Repeat("x", 501))}, map[string]string{"description": "at most 500"}},
		{"bad id", integrations.CreateIntegrationInput{ID: ptr("no spaces")}, map[string]string{"id": "letters, digits"}},
		{"dup parameter", integrations.CreateIntegrationInput{ConfigMetadata: dupParams}, map[string]string{"configMetadata.parametersMetadata[6].name": "must be unique"}},
		{"dup auth method", integrations.CreateIntegrationInput{ConfigMetadata: dupAuth}, map[string]string{"configMetadata.authMetadata[3].id": "must be unique"}},
		{"ranges, name, type", integrations.CreateIntegrationInput{ConfigMetadata: &badRange}, map[string]string{
			"configMetadata.parametersMetadata[0].integerRange.min": "at most max",
			"configMetadata.parametersMetadata[1].floatRange.min":   "at most max",
			"configMetadata.parametersMetadata[2].name":             "is required",
			"configMetadata.parametersMetadata[2].type":             "must be one of",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, integrations.Options{})
			_, _, err := s.CreateIntegration("t1", tt.in)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFields(t, err, tt.want)
			if p, _ := s.ListIntegrations("t1", integrations.IntegrationFilter{}); len(p.Items) != 0 {
				t.Errorf("invalid create stored %d integrations", len(p.Items))
			}
		})
	}
}

func TestIntegrationArraysNeverNull(t *testing.T) {
	s, _ := newStore(t, integrations.Options{})
	in := integrations.CreateIntegrationInput{ID: ptr("bare"), ConfigMetadata: &integrations.ConfigMetadata{
		ParametersMetadata: []integrations.ParameterMetadata{{Name: "p"}},
		AuthMetadata:       []integrations.AuthMetadata{{ID: "m"}},
	}}
	it, _, err := s.CreateIntegration("t1", in)
	if err != nil {
		t.Fatal(err)
	}
	got := mustJSON(t, it)
	for _, want := range []string{`"tags":[]`, `"rules":[]`, `"supportedLevels":[]`, `"availableScopes":[]`,
		`"authSettings":{"parameters":{}}`, `"authMap":{"useMap":false,"keyTemplate":null,"parametersMetadata":[]}`,
		`"type":"String"`, `"sensitivity":"UNSPECIFIED"`} {
		if !strings.Contains(got, want) {
			t.Errorf("JSON lacks %s:\n%s", want, got)
		}
	}
	empty, _, _ := s.CreateIntegration("t1", integrations.CreateIntegrationInput{ID: ptr("empty")})
	if got := mustJSON(t, empty.ConfigMetadata); got != `{"parametersMetadata":[],"authMetadata":[]}` {
		t.Errorf("empty metadata = %s", got)
	}
}

func TestReturnedValuesAreCopies(t *testing.T) {
	s, _ := withAcme(t)
	it, _, _ := s.GetIntegration("t1", "acme")
	*it.DisplayName = "mutated"
	it.ConfigMetadata.ParametersMetadata[0].Name = "mutated"
	*it.ConfigMetadata.ParametersMetadata[1].IntegerRange.Max = 1
	it.ConfigMetadata.AuthMetadata[0].AuthSettings.Parameters["headerName"] = "mutated"
	again, _, _ := s.GetIntegration("t1", "acme")
	if got := mustJSON(t, again); strings.Contains(got, "mutated") || *again.ConfigMetadata.ParametersMetadata[1].IntegerRange.Max != 500 {
		t.Errorf("mutating a returned value changed the store: %s", got)
	}
}

func TestUpdateIntegration(t *testing.T) {
	s, c := withAcme(t)
	before, tag, _ := s.GetIntegration("t1", "acme")
	c.Advance(time.Second)
	// PUT is a full replace: what the body leaves out is cleared, except
	// what the body cannot carry (id, type, tags, createdAt).
	got, tag2, err := s.UpdateIntegration("t1", "acme", integrations.UpdateIntegrationInput{Description: ptr("new")}, tag)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != nil || len(got.ConfigMetadata.AuthMetadata) != 0 || got.ConfigMetadata.AuthMetadata == nil {
		t.Errorf("absent fields were not cleared: %+v", got)
	}
	if got.ID != before.ID || got.Type != before.Type || !slices.Equal(got.Tags, before.Tags) {
		t.Errorf("fields outside the body changed: %+v", got)
	}
	if *got.Description != "new" || got.ModifiedAt != t0+1000 || got.CreatedAt != t0 {
		t.Errorf("update not applied: %+v", got)
	}
	full, _, err := s.UpdateIntegration("t1", "acme", integrations.UpdateIntegrationInput{DisplayName: before.DisplayName, ConfigMetadata: &before.ConfigMetadata}, "")
	if err != nil || *full.DisplayName != *before.DisplayName || len(full.ConfigMetadata.AuthMetadata) != 3 || full.Description != nil {
		t.Fatalf("replace with the old metadata: %v %+v", err, full)
	}
	_, tag2, _ = s.GetIntegration("t1", "acme")
	if tag2 == tag {
		t.Errorf("ETag unchanged after update: %s", tag2)
	}
	// The old ETag is stale now.
	_, _, err = s.UpdateIntegration("t1", "acme", integrations.UpdateIntegrationInput{Description: ptr("x")}, tag)
	wantKind(t, err, core.KindConflict)
	if !strings.Contains(err.Error(), "changed since it was read") {
		t.Errorf("err = %v", err)
	}
	for _, ifMatch := range []func(cur string) string{
		func(string) string { return "" },
		func(string) string { return "*" },
		func(cur string) string { return cur },
		func(cur string) string { return `"0", ` + cur },
	} {
		h := ifMatch(tag2)
		if _, tag2, err = s.UpdateIntegration("t1", "acme", integrations.UpdateIntegrationInput{}, h); err != nil {
			t.Errorf("If-Match %q: %v", h, err)
		}
	}
	_, _, err = s.UpdateIntegration("t1", "acme", integrations.UpdateIntegrationInput{DisplayName: ptr(strings.Repeat("x", 101))}, "")
	wantFields(t, err, map[string]string{"displayName": "at most 100"})
	_, _, err = s.UpdateIntegration("t1", "nope", integrations.UpdateIntegrationInput{}, "")
	wantKind(t, err, core.KindNotFound)
}

func TestTenants(t *testing.T) {
	t.Run("lenient", func(t *testing.T) {
		s, _ := newStore(t, integrations.Options{})
		p, err := s.ListIntegrations("ghost", integrations.IntegrationFilter{})
		if err != nil || len(p.Items) != 0 || p.NextPageToken != nil {
			t.Errorf("list of unknown tenant = %+v, %v", p, err)
		}
		_, _, err = s.GetIntegration("ghost", "x")
		wantKind(t, err, core.KindNotFound)
		if _, _, err := s.CreateIntegration("ghost", integrations.CreateIntegrationInput{ID: ptr("x")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("strict", func(t *testing.T) {
		s, _ := newStore(t, integrations.Options{StrictTenants: true})
		_, err := s.ListIntegrations("ghost", integrations.IntegrationFilter{})
		wantKind(t, err, core.KindNotFound)
		_, _, err = s.CreateIntegration("ghost", integrations.CreateIntegrationInput{ID: ptr("x")})
		wantKind(t, err, core.KindNotFound)
		if err := s.AddTenant("ghost"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CreateIntegration("ghost", integrations.CreateIntegrationInput{ID: ptr("x")}); err != nil {
			t.Fatal(err)
		}
		s.Reset(nil)
		_, err = s.ListIntegrations("ghost", integrations.IntegrationFilter{})
		wantKind(t, err, core.KindNotFound)
	})
}

func TestPutIntegration(t *testing.T) {
	s, _ := newStore(t, integrations.Options{})
	it := integrations.Integration{ID: "catalog", CreatedAt: 5, ModifiedAt: 6, Tags: []string{"crm"}}
	if err := s.PutIntegration("t1", it); err != nil {
		t.Fatal(err)
	}
	got, _, _ := s.GetIntegration("t1", "catalog")
	if got.Type != integrations.IntegrationTypeSystem || got.CreatedAt != 5 || got.ModifiedAt != 6 {
		t.Errorf("fixture not kept as given: %+v", got)
	}
	wantKind(t, s.PutIntegration("t1", it), core.KindConflict)
	wantKind(t, s.PutIntegration("t1", integrations.Integration{ID: "bad id"}), core.KindInvalid)
}

func TestListIntegrations(t *testing.T) {
	s, _ := newStore(t, integrations.Options{})
	for i := range 120 {
		tags := []string{"all"}
		if i%3 == 0 {
			tags = append(tags, "third")
		}
		if i%2 == 0 {
			tags = append(tags, "even")
		}
		desc := "plain"
		if i == 77 {
			desc = "Has a NEEDLE inside"
		}
		if err := s.PutIntegration("t1", integrations.Integration{ID: fmt.Sprintf("int-%03d", i), Description: &desc, Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.CreateIntegration("t1", acme()); err != nil {
		t.Fatal(err)
	}
	mustConfig(t, s, validConfig())

	// Three pages of the 120 "all" integrations: 50, 50, 20, in id order.
	var ids []string
	token := ""
	for page := 0; ; page++ {
		p, err := s.ListIntegrations("t1", integrations.IntegrationFilter{Tags: []string{"all"}, Paging: integrations.Paging{Cursor: token}})
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{50, 50, 20}[page]; len(p.Items) != want {
			t.Fatalf("page %d has %d items, want %d", page, len(p.Items), want)
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if p.NextPageToken == nil {
			if page != 2 {
				t.Fatalf("last page is %d, want 2", page)
			}
			break
		}
		token = *p.NextPageToken
	}
	for i, id := range ids {
		if want := fmt.Sprintf("int-%03d", i); id != want {
			t.Fatalf("ids[%d] = %s, want %s", i, id, want)
		}
	}

	tests := []struct {
		name string
		f    integrations.IntegrationFilter
		want int
	}{
		{"all", integrations.IntegrationFilter{Paging: integrations.Paging{Size: 100}}, 100},
		{"tag", integrations.IntegrationFilter{Tags: []string{"third"}, Paging: integrations.Paging{Size: 100}}, 40},
		{"every tag", integrations.IntegrationFilter{Tags: []string{"third", "even"}, Paging: integrations.Paging{Size: 100}}, 20},
		{"query id", integrations.IntegrationFilter{Search: "INT-11"}, 10},
		{"query description", integrations.IntegrationFilter{Search: "needle"}, 1},
		{"query displayName", integrations.IntegrationFilter{Search: "acme crm"}, 1},
		{"type custom", integrations.IntegrationFilter{Types: []integrations.IntegrationType{integrations.IntegrationTypeCustom}}, 1},
		{"either type", integrations.IntegrationFilter{Types: []integrations.IntegrationType{integrations.IntegrationTypeCustom, integrations.IntegrationTypeSystem}, Paging: integrations.Paging{Size: 100}}, 100},
		{"page size above 100 is served as 100", integrations.IntegrationFilter{Paging: integrations.Paging{Size: 101}}, 100},
		{"page size -1 is the default", integrations.IntegrationFilter{Paging: integrations.Paging{Size: -1}}, 50},
		{"skip", integrations.IntegrationFilter{Tags: []string{"third"}, Paging: integrations.Paging{Size: 100, Skip: 35}}, 5},
		{"type system", integrations.IntegrationFilter{Types: []integrations.IntegrationType{integrations.IntegrationTypeSystem}, Paging: integrations.Paging{Size: 100}}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.ListIntegrations("t1", tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) != tt.want {
				t.Errorf("got %d items, want %d", len(p.Items), tt.want)
			}
			if p.TotalCount < len(p.Items) || (p.NextPageToken == nil && tt.f.Paging.Skip == 0 && p.TotalCount != len(p.Items)) {
				t.Errorf("totalCount = %d for %d items (next %v)", p.TotalCount, len(p.Items), p.NextPageToken)
			}
		})
	}

	first, _ := s.ListIntegrations("t1", integrations.IntegrationFilter{Tags: []string{"all"}})
	bad := []struct {
		name  string
		f     integrations.IntegrationFilter
		field string
	}{
		{"garbage token", integrations.IntegrationFilter{Paging: integrations.Paging{Cursor: "%%%not-base64"}}, "Paging.PageToken.Cursor"},
		{"token of another filter", integrations.IntegrationFilter{Tags: []string{"even"}, Paging: integrations.Paging{Cursor: *first.NextPageToken}}, "Paging.PageToken.Cursor"},
		{"token of another tenant", integrations.IntegrationFilter{Tags: []string{"all"}, Paging: integrations.Paging{Cursor: "eA"}}, "Paging.PageToken.Cursor"},
		{"bad type", integrations.IntegrationFilter{Types: []integrations.IntegrationType{"OTHER"}}, "Types"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ListIntegrations("t1", tt.f)
			wantFields(t, err, map[string]string{tt.field: ""})
		})
	}
	// A token of another tenant's identical query is rejected too.
	_, err := s.ListIntegrations("t2", integrations.IntegrationFilter{Tags: []string{"all"}, Paging: integrations.Paging{Cursor: *first.NextPageToken}})
	wantFields(t, err, map[string]string{"Paging.PageToken.Cursor": "this query"})
}
