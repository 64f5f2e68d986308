package mockserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/validator"
)

// TestTagCommaIsOneValue: `Tags` is style form, explode true, so an
// unencoded comma is part of one value (as other OpenAPI validators read
// it): ?Tags=sales,eu finds the integration tagged "sales,eu" and not the
// one tagged "sales" and "eu"; the validator accepts it too. (No request
// body carries tags, so fixtures set them.)
func TestTagCommaIsOneValue(t *testing.T) {
	set, err := fixtures.Parse(fixtures.File{Name: "tags.yaml", Data: []byte(`tenants:
  - name: acme
    integrations:
      - { id: one, tags: ["sales,eu"] }
      - { id: two, tags: [sales, eu] }
`)})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := start(t, mockserver.Config{Fixtures: set})
	ids := func(query string) string {
		var got []string
		for _, it := range c.Must(200, "GET", api+"/integrations?"+query, "").JSON(t)["items"].([]any) {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		return strings.Join(got, " ")
	}
	for query, want := range map[string]string{
		"Tags=sales,eu":           "one",
		"Tags=sales%2Ceu":         "one",
		"Tags=sales&Tags=eu":      "two",
		"Tags=sales":              "two",
		"Tags=sales,eu&Tags=eu":   "",
		"Tags=sales,eu,":          "",
		"Tags=eu&Tags=sales":      "two",
		"Tags=sales,eu&Tags=x,y,": "",
	} {
		if got := ids(query); got != want {
			t.Errorf("?%s = [%s], want [%s]", query, got, want)
		}
	}

	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	op := v.Operation("listIntegrations")
	for _, q := range []string{"Tags=sales,eu", "Tags=a,b,c&Tags=d", "Tags=,"} {
		r, _ := http.NewRequest("GET", "http://127.0.0.1"+api+"/integrations?"+q, nil)
		r.Header.Set("Authorization", "Bearer dev")
		if fs := v.ValidateRequest(r, op); len(fs) > 0 {
			t.Errorf("?%s: %v", q, fs)
		}
	}
}
