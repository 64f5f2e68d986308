package mockserver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// preferAdvice is the Prefer entry of a problem's errors.
func preferAdvice(t *testing.T, p map[string]any) string {
	t.Helper()
	errs, _ := p["errors"].(map[string]any)
	list, _ := errs["Prefer"].([]any)
	if len(list) != 1 {
		t.Fatalf("problem %v: want one error on Prefer", p)
	}
	return fmt.Sprint(list[0])
}

// A body sent as a form (what a plain curl -d sends) gets a 415 that says
// which media type to send; so does a body with no Content-Type.
func TestUnsupportedMediaTypeSaysWhatToSend(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	p := c.Problem(415, "POST", api+"/integrations", `{"displayName":"Acme"}`, "Content-Type", "application/x-www-form-urlencoded")
	detail := fmt.Sprint(p["detail"])
	if !strings.Contains(detail, "send Content-Type: application/json") || !strings.Contains(detail, "application/x-www-form-urlencoded") {
		t.Fatalf("415 detail %q: want what was sent and \"send Content-Type: application/json\"", detail)
	}
	errs, _ := p["errors"].(map[string]any)
	if !strings.Contains(fmt.Sprint(errs["Content-Type"]), "send Content-Type: application/json") {
		t.Fatalf("415 errors %v: want the advice under Content-Type", errs)
	}
	p = c.Problem(415, "POST", api+"/integrations", `{"displayName":"Acme"}`, "Content-Type", "text/plain")
	if !strings.Contains(fmt.Sprint(p["detail"]), "send Content-Type: application/json") {
		t.Fatalf("text/plain: %v", p)
	}
}

// Prefer errors name what the spec documents: the statuses for an
// undocumented code (and never an empty example), the example names for
// an unknown example; example= alone picks the success answer's example.
func TestPreferErrorsNameWhatExists(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	p := c.Problem(400, "GET", api+"/integrations", "", "Prefer", "code=418")
	if d := fmt.Sprint(p["detail"]); strings.Contains(d, `example ""`) || !strings.Contains(d, "no 418 response") {
		t.Errorf("code=418 detail %q", d)
	}
	if a := preferAdvice(t, p); !strings.Contains(a, "200, 400, 401, 403, 404") {
		t.Errorf("code=418 advice %q: want the documented statuses", a)
	}
	p = c.Problem(400, "GET", api+"/integrations/crm", "", "Prefer", "code=404, example=nope")
	if a := preferAdvice(t, p); !strings.Contains(a, "notFound") || strings.Contains(a, "200") {
		t.Errorf("example=nope on 404: %q, want the 404 response's example names (notFound), not statuses", a)
	}
	p = c.Problem(400, "GET", api+"/integrations/crm", "", "Prefer", "example=nope")
	if a := preferAdvice(t, p); !strings.Contains(a, "crm") {
		t.Errorf("example=nope alone: %q, want the 200 response's example names (crm)", a)
	}
	p = c.Problem(400, "GET", api+"/integrations/crm", "", "Prefer", "code=401, example=x")
	if a := preferAdvice(t, p); !strings.Contains(a, "no named examples") || !strings.Contains(a, "Prefer: code=401 alone") {
		t.Errorf("an example of a 401: %q", a)
	}
	if a := c.Must(200, "GET", api+"/integrations/crm", "", "Prefer", "example=crm"); !strings.Contains(string(a.Body), `"id"`) {
		t.Errorf("example=crm alone: %s", a.Body)
	}
}
