package mockserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/validator"
)

// TestTagCommaIsOneValue: `tag` is style form, explode true, so an
// unencoded comma is part of one value (as other OpenAPI validators read
// it): ?tag=sales,eu finds the integration tagged "sales,eu" and not the
// one tagged "sales" and "eu"; the validator accepts it too.
func TestTagCommaIsOneValue(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", `{"id":"one"}`)
	c.Must(200, "PATCH", api+"/integrations/one", `{"tags":["sales,eu"]}`)
	c.Must(200, "POST", api+"/integrations", `{"id":"two"}`)
	c.Must(200, "PATCH", api+"/integrations/two", `{"tags":["sales","eu"]}`)
	ids := func(query string) string {
		var got []string
		for _, it := range c.Must(200, "GET", api+"/integrations?"+query, "").JSON(t)["items"].([]any) {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		return strings.Join(got, " ")
	}
	for query, want := range map[string]string{
		"tag=sales,eu":          "one",
		"tag=sales%2Ceu":        "one",
		"tag=sales&tag=eu":      "two",
		"tag=sales":             "two",
		"tag=sales,eu&tag=eu":   "",
		"tag=sales,eu,":         "",
		"tag=eu&tag=sales":      "two",
		"tag=sales,eu&tag=x,y,": "",
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
	for _, q := range []string{"tag=sales,eu", "tag=a,b,c&tag=d", "tag=,"} {
		r, _ := http.NewRequest("GET", "http://127.0.0.1"+api+"/integrations?"+q, nil)
		r.Header.Set("Authorization", "Bearer dev")
		if fs := v.ValidateRequest(r, op); len(fs) > 0 {
			t.Errorf("?%s: %v", q, fs)
		}
	}
}
