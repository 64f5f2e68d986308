package validator_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/fruxon/fruxon-mock/validator"
)

// builtBy holds, per embedded spec, New's validator of it, built once per
// test run and shared by the tests of this package (none changes it): New
// compiles every schema, seconds per spec under -race.
var builtBy = map[string]func() (*validator.Validator, error){
	"fruxon":        sync.OnceValues(func() (*validator.Validator, error) { return validator.New(validator.FruxonSpec()) }),
	"control-plane": sync.OnceValues(func() (*validator.Validator, error) { return validator.New(validator.ControlPlaneSpec()) }),
}

// built returns New's validator of the embedded spec name.
func built(t testing.TB, name string) *validator.Validator {
	t.Helper()
	v, err := builtBy[name]()
	if err != nil {
		t.Fatalf("embedded spec %s: %v", name, err)
	}
	return v
}

// api returns the validator of the embedded API spec, built once per test run.
func api(t testing.TB) *validator.Validator {
	t.Helper()
	return built(t, "fruxon")
}

const (
	base     = "/v1/tenants/acme"
	configID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
)

// request builds a request and resolves its operation the way the server's
// router does.
func request(t testing.TB, v *validator.Validator, method, path, body string) (*http.Request, *validator.Operation) {
	t.Helper()
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Authorization", "Bearer x")
	op, _, err := v.Match(method, r.URL.Path)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r, op
}

func TestCreateIntegrationRules(t *testing.T) {
	v := api(t)
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name      string
		body      string
		wantField string // "" means valid
		wantMsg   string
	}{
		{"empty body object", `{}`, "", ""},
		{"displayName 100", `{"displayName":"` + long(100) + `"}`, "", ""},
		{"displayName 101", `{"displayName":"` + long(101) + `"}`, "displayName", "at most 100"},
		{"description 500", `{"description":"` + long(500) + `"}`, "", ""},
		{"description 501", `{"description":"` + long(501) + `"}`, "description", "at most 500"},
		{"id letters digits _ -", `{"id":"crm_2-EU"}`, "", ""},
		{"id with a space", `{"id":"crm eu"}`, "id", "pattern"},
		{"id with a dot", `{"id":"crm.eu"}`, "id", "pattern"},
		{"id null", `{"id":null}`, "", ""},
		{"displayName null", `{"displayName":null}`, "", ""},
		{"description null", `{"description":null}`, "", ""},
		{"unknown property", `{"color":"red"}`, "color", "not a known property"},
		{"wrong type", `{"displayName":42}`, "displayName", "must be"},
		{"configMetadata null is not allowed", `{"configMetadata":null}`, "configMetadata", ""},
		{"nested unknown property", `{"configMetadata":{"parametersMetadata":[],"authMetadata":[],"extra":1}}`, "configMetadata.extra", "not a known property"},
		{"auth type enum", `{"configMetadata":{"authMetadata":[{"id":"key","type":"API_KEY"}]}}`, "", ""},
		{"auth type UNSPECIFIED", `{"configMetadata":{"authMetadata":[{"id":"key","type":"UNSPECIFIED"}]}}`, "", ""},
		{"auth type wrong", `{"configMetadata":{"authMetadata":[{"id":"key","type":"PASSWORD"}]}}`, "configMetadata.authMetadata[0].type", "one of"},
		{"parameter type String", `{"configMetadata":{"parametersMetadata":[{"name":"region","type":"String"}]}}`, "", ""},
		{"parameter type upper-case is wrong", `{"configMetadata":{"parametersMetadata":[{"name":"region","type":"STRING"}]}}`, "configMetadata.parametersMetadata[0].type", "one of"},
		{"not JSON", `{"id":`, "body", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, op := request(t, v, "POST", base+"/integrations", tt.body)
			if op.ID != "createIntegration" {
				t.Fatalf("routed to %s", op.ID)
			}
			fs := v.ValidateRequest(r, op)
			checkFinding(t, fs, tt.wantField, tt.wantMsg)
		})
	}
}

func TestUpdateConfigRules(t *testing.T) {
	v := api(t)
	path := base + "/integrations/crm/configs/" + configID
	tests := []struct {
		name      string
		body      string
		wantField string
		wantMsg   string
	}{
		{"empty patch", `{}`, "", ""},
		{"displayName null keeps", `{"displayName":null}`, "", ""},
		{"parameters null keeps", `{"parameters":null}`, "", ""},
		{"authMap null keeps", `{"authMap":null}`, "", ""},
		{"oAuthCredentialKey null", `{"oAuthCredentialKey":null}`, "", ""},
		{"sandboxMode UNSPECIFIED", `{"sandboxMode":"UNSPECIFIED"}`, "", ""},
		{"sandboxMode NONE", `{"sandboxMode":"NONE"}`, "", ""},
		{"sandboxMode VENDOR", `{"sandboxMode":"VENDOR"}`, "", ""},
		{"sandboxMode SIMULATED", `{"sandboxMode":"SIMULATED"}`, "", ""},
		{"sandboxMode READ_THROUGH", `{"sandboxMode":"READ_THROUGH"}`, "", ""},
		{"sandboxMode lower case", `{"sandboxMode":"simulated"}`, "sandboxMode", "one of"},
		{"sandboxMode wrong", `{"sandboxMode":"LIVE"}`, "sandboxMode", "one of"},
		{"sandboxMode null keeps", `{"sandboxMode":null}`, "", ""},
		{"auth null keeps", `{"auth":null}`, "", ""},
		{"sandboxVariant null keeps", `{"sandboxVariant":null}`, "", ""},
		{"sandboxMode a number", `{"sandboxMode":1}`, "sandboxMode", ""},
		{"auth a string", `{"auth":"k"}`, "auth", ""},
		{"auth", `{"auth":{"integrationAuthMetadataId":"api-key","level":"APPLICATION","parameters":{"apiKey":"k"}}}`, "", ""},
		{"auth without method id", `{"auth":{"parameters":{}}}`, "auth.integrationAuthMetadataId", "required"},
		{"sandboxVariant", `{"sandboxVariant":{"parameters":{"region":"eu"},"auth":null,"authMap":null}}`, "", ""},
		{"unknown property", `{"name":"x"}`, "name", "not a known property"},
		{"wrong type", `{"displayName":["x"]}`, "displayName", "must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, op := request(t, v, "PATCH", path, tt.body)
			if op.ID != "updateConfig" {
				t.Fatalf("routed to %s", op.ID)
			}
			checkFinding(t, v.ValidateRequest(r, op), tt.wantField, tt.wantMsg)
		})
	}
}

func TestConfigIDMustBeUUID(t *testing.T) {
	v := api(t)
	r, op := request(t, v, "GET", base+"/integrations/crm/configs/not-a-uuid", "")
	fs := v.ValidateRequest(r, op)
	checkFinding(t, fs, "config", "")
	if got := fs.Status(); got != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", got)
	}
	r, op = request(t, v, "GET", base+"/integrations/crm/configs/"+configID, "")
	checkFinding(t, v.ValidateRequest(r, op), "", "")
}

func TestCustomMethodRouting(t *testing.T) {
	v := api(t)
	tests := []struct{ method, path, want string }{
		{"POST", base + "/integrations/crm/configs/" + configID + ":publish", "publishConfig"},
		{"POST", base + "/integrations/crm/configs/" + configID + ":verifyAuth", "verifyConfigAuth"},
		{"POST", base + "/integrations/crm/configs/" + configID + ":rollback", "rollbackConfig"},
		{"POST", base + "/integrations/crm/configs/" + configID + "/webhook:rotate", "rotateConfigWebhook"},
		{"POST", base + "/integrations/crm:consumeOAuthCredentials", "consumeOAuthCredentials"},
		{"PUT", base + "/integrations/crm", "updateIntegration"},
		{"GET", "/v1/authMetadata:settings", "getAuthMetadataSettings"},
		{"GET", base + "/integrations/crm/configs/" + configID, "getConfig"},
		{"PUT", base + "/integrations/crm/tools/list-contacts:python", "updatePythonTool"},
		{"PUT", base + "/integrations/crm/tools/list-contacts", "updateTool"},
		{"POST", base + "/integrations/crm/tools:test", "testTool"},
		{"POST", base + "/integrations/crm/configs/" + configID + ":testTool", "testConfigTool"},
		{"POST", base + "/integrations:importMcp", "importMcp"},
		{"POST", base + "/integrations/crm/mcp:call", "callMcp"},
		{"POST", base + "/integrations/crm:authorize", "authorizeIntegration"},
		{"GET", base + "/integrations/crm/configs/" + configID + "/revisions", "listRevisions"},
	}
	for _, tt := range tests {
		op, params, err := v.Match(tt.method, tt.path)
		if err != nil || op.ID != tt.want {
			t.Errorf("%s %s → %v %v, want %s", tt.method, tt.path, op, err, tt.want)
			continue
		}
		if c, ok := params["config"]; ok && c != configID {
			t.Errorf("%s: config = %q, want the bare uuid", tt.path, c)
		}
	}
	// GET on a custom-method path is not a read of a config named "<uuid>:publish".
	_, _, err := v.Match("GET", base+"/integrations/crm/configs/"+configID+":publish")
	me, ok := err.(*validator.MatchError)
	if !ok || me.Status != http.StatusMethodNotAllowed {
		t.Fatalf("GET …:publish: err = %v, want 405", err)
	}
	if _, _, err := v.Match("GET", base+"/nowhere"); err == nil || err.(*validator.MatchError).Status != 404 {
		t.Fatalf("unknown path: err = %v, want 404", err)
	}
}

func TestContentTypeIs415(t *testing.T) {
	v := api(t)
	r, op := request(t, v, "POST", base+"/integrations", `{}`)
	r.Header.Set("Content-Type", "text/plain")
	fs := v.ValidateRequest(r, op)
	if fs.Status() != http.StatusUnsupportedMediaType {
		t.Fatalf("status = %d (%v), want 415", fs.Status(), fs)
	}
}

func TestQueryParameters(t *testing.T) {
	v := api(t)
	for _, tt := range []struct{ query, field string }{
		{"?Paging.PageSize=50&Paging.PageToken.Skip=2&Types=CUSTOM&Types=SYSTEM&Tags=a&Tags=b&Search=crm", ""},
		{"?Paging.PageSize=ten", "Paging.PageSize"},
		{"?Paging.PageToken.Skip=x", "Paging.PageToken.Skip"},
		{"?Types=OTHER", "Types"},
	} {
		r, op := request(t, v, "GET", base+"/integrations"+tt.query, "")
		checkFinding(t, v.ValidateRequest(r, op), tt.field, "")
	}
}

func TestProblemShape(t *testing.T) {
	v := api(t)
	r, op := request(t, v, "POST", base+"/integrations", `{"displayName":"`+strings.Repeat("x", 101)+`","nope":1}`)
	p := v.ValidateRequest(r, op).Problem()
	if p.Status != 400 || len(p.Errors["displayName"]) == 0 || len(p.Errors["nope"]) == 0 {
		t.Fatalf("problem = %+v, want 400 naming displayName and nope", p)
	}
}

func TestResponseValidation(t *testing.T) {
	v := api(t)
	r, op := request(t, v, "GET", base+"/integrations/crm", "")
	h := http.Header{"Content-Type": {"application/json"}, "Etag": {`"1"`}}
	good := `{"id":"crm","displayName":"CRM","description":null,"type":"CUSTOM","configMetadata":{"parametersMetadata":[],"authMetadata":[]},"tags":[],"isInternal":false,"createdAt":1,"modifiedAt":1}`
	if fs := v.ValidateResponse(r, op, 200, h, []byte(good)); len(fs) != 0 {
		t.Fatalf("valid response flagged: %v", fs)
	}
	// The second, byte-identical answer takes the cached path; it must agree.
	if fs := v.ValidateResponse(r, op, 200, h, []byte(good)); len(fs) != 0 {
		t.Fatalf("cached valid response flagged: %v", fs)
	}
	for name, tc := range map[string]struct {
		status int
		body   string
	}{
		"extra property": {200, strings.Replace(good, `"isInternal"`, `"secret":"x","isInternal"`, 1)},
		"bad enum":       {200, strings.Replace(good, `"CUSTOM"`, `"OTHER"`, 1)},
		"missing field":  {200, strings.Replace(good, `"tags":[],`, ``, 1)},
		"undeclared 418": {418, good},
		"401 with body":  {401, `{"title":"no"}`},
	} {
		fs := v.ValidateResponse(r, op, tc.status, h, []byte(tc.body))
		if len(fs) == 0 {
			t.Errorf("%s: not flagged", name)
		}
		for _, f := range fs {
			if f.Side != validator.Response {
				t.Errorf("%s: %v is not on the response side", name, f)
			}
		}
	}
	if fs := v.ValidateResponse(r, op, 401, http.Header{"Www-Authenticate": {"Bearer"}}, nil); len(fs) != 0 {
		t.Errorf("empty 401 flagged: %v", fs)
	}
}

func TestBrokenSchemaIsASpecError(t *testing.T) {
	spec := `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content:
          application/json:
            schema: {type: string, pattern: "^(?=a)"}
      responses:
        "200": {description: ok}
`
	_, err := validator.New([]byte(spec))
	se, ok := err.(*validator.SpecError)
	if !ok || se.Line < 1 || !strings.Contains(se.Reason, "POST /x") {
		t.Fatalf("err = %v, want a SpecError naming POST /x", err)
	}
}

func TestMalformedSpecNamesLine(t *testing.T) {
	_, err := validator.New([]byte("openapi: 3.1.0\ninfo:\n  title: t\n   version: 1\n"))
	se, ok := err.(*validator.SpecError)
	if !ok || se.Line != 4 {
		t.Fatalf("err = %#v, want a SpecError on line 4", err)
	}
}

func TestConcurrentValidation(t *testing.T) {
	v := api(t)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				r, op := request(t, v, "POST", base+"/integrations", `{"id":"crm","displayName":"CRM"}`)
				if fs := v.ValidateRequest(r, op); len(fs) != 0 {
					t.Errorf("valid request flagged: %v", fs)
				}
			}
		}()
	}
	wg.Wait()
}

// checkFinding asserts the findings are empty when wantField is "", else
// that one finding names wantField and its message contains wantMsg.
func checkFinding(t *testing.T, fs validator.Findings, wantField, wantMsg string) {
	t.Helper()
	if wantField == "" {
		if len(fs) != 0 {
			t.Fatalf("unexpected findings: %v", fs)
		}
		return
	}
	for _, f := range fs {
		if f.Field == wantField || (f.Field == "" && f.In == wantField) {
			if !strings.Contains(f.Message, wantMsg) {
				t.Fatalf("%s: message %q does not contain %q", wantField, f.Message, wantMsg)
			}
			return
		}
	}
	t.Fatalf("no finding names %q; got %v", wantField, fs)
}
