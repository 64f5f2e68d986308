package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/validator"
)

// bodyOp is an operation that reads a request body, at a path where its
// resources exist after bodyWorld's setup.
type bodyOp struct {
	id, method, path string
}

// bodyOps are the operations a client sends a body to (publishConfig and
// testConfig take none, but a client may send one anyway).
var bodyOps = []bodyOp{
	{"createIntegration", "POST", "/v1/tenants/acme/integrations"},
	{"updateIntegration", "PUT", "/v1/tenants/acme/integrations/crm"},
	{"createConfig", "POST", "/v1/tenants/acme/integrations/crm/configs"},
	{"updateConfig", "PATCH", "/v1/tenants/acme/integrations/crm/configs/{config}"},
	{"publishConfig", "POST", "/v1/tenants/acme/integrations/crm/configs/{config}:publish"},
	{"verifyConfigAuth", "POST", "/v1/tenants/acme/integrations/crm/configs/{config}:verifyAuth"},
	{"rollbackConfig", "POST", "/v1/tenants/acme/integrations/crm/configs/{config}:rollback"},
	{"createTool", "POST", "/v1/tenants/acme/integrations/crm/tools"},
	{"updateTool", "PUT", "/v1/tenants/acme/integrations/crm/tools/list_contacts"},
	{"updatePythonTool", "PUT", "/v1/tenants/acme/integrations/crm/tools/list_contacts:python"},
	{"testTool", "POST", "/v1/tenants/acme/integrations/crm/tools:test"},
	{"testConfigTool", "POST", "/v1/tenants/acme/integrations/crm/configs/{config}:testTool"},
	{"authorizeIntegration", "POST", "/v1/tenants/acme/integrations/crm:authorize"},
	{"verifyIntegrationConfig", "POST", "/v1/tenants/acme/integrations/crm:verifyConfig"},
	{"consumeOAuthCredentials", "POST", "/v1/tenants/acme/integrations/crm:consumeOAuthCredentials"},
}

// requestExamples returns each operation's request body examples from the
// spec, by operationId.
func requestExamples(t testing.TB) map[string][][]byte {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(validator.FruxonSpec(), &doc); err != nil {
		t.Fatal(err)
	}
	named := doc["components"].(map[string]any)["examples"].(map[string]any)
	out := map[string][][]byte{}
	for _, item := range doc["paths"].(map[string]any) {
		for _, o := range item.(map[string]any) {
			op, ok := o.(map[string]any)
			if !ok || op["requestBody"] == nil {
				continue
			}
			content := op["requestBody"].(map[string]any)["content"].(map[string]any)
			for _, media := range content {
				exs, _ := media.(map[string]any)["examples"].(map[string]any)
				for _, e := range exs {
					ex := e.(map[string]any)
					if ref, ok := ex["$ref"].(string); ok {
						ex = named[ref[strings.LastIndexByte(ref, '/')+1:]].(map[string]any)
					}
					b, err := json.Marshal(ex["value"])
					if err != nil {
						t.Fatal(err)
					}
					id := op["operationId"].(string)
					out[id] = append(out[id], b)
				}
			}
		}
	}
	return out
}

// bodyWorld is a mock (small body limit, so the fuzzer reaches it) with
// the spec examples' integration, config and tool in tenant acme.
type bodyWorld struct {
	srv    *mockserver.Server
	config string
}

func newBodyWorld(t testing.TB, ex map[string][][]byte) *bodyWorld {
	srv, err := mockserver.New(mockserver.Config{MaxBody: 4096, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := &bodyWorld{srv: srv}
	w.setup(t, ex)
	return w
}

func (w *bodyWorld) setup(t testing.TB, ex map[string][][]byte) {
	for _, step := range []struct {
		path string
		body []byte
	}{
		{"/v1/tenants/acme/integrations", ex["createIntegration"][0]},
		{"/v1/tenants/acme/integrations/crm/configs", ex["createConfig"][0]},
		{"/v1/tenants/acme/integrations/crm/tools", ex["createTool"][0]},
	} {
		rec := w.send("POST", step.path, "application/json", step.body)
		if rec.Code != 200 {
			t.Fatalf("setup POST %s = %d: %s", step.path, rec.Code, rec.Body)
		}
		if strings.HasSuffix(step.path, "/configs") {
			var c struct{ ID string }
			json.Unmarshal(rec.Body.Bytes(), &c)
			w.config = c.ID
		}
	}
}

func (w *bodyWorld) request(method, path, contentType string, body []byte) *http.Request {
	r := httptest.NewRequest(method, strings.ReplaceAll(path, "{config}", w.config), bytes.NewReader(body))
	r.Host = "127.0.0.1"
	r.Header.Set("Authorization", "Bearer dev")
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func (w *bodyWorld) send(method, path, contentType string, body []byte) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, w.request(method, path, contentType, body))
	return rec
}

// FuzzRequestBody sends bodies (and content types) to every operation
// that reads one, through the real server: it never answers a 5xx (but
// runTool's declared 502/504, a vendor that can't be reached), never
// panics, and every answer validates against the spec.
func FuzzRequestBody(f *testing.F) {
	ex := requestExamples(f)
	v, err := validator.Fruxon()
	if err != nil {
		f.Fatal(err)
	}
	for i, op := range bodyOps {
		for _, b := range ex[op.id] {
			f.Add(uint8(i), "application/json", b)
			f.Add(uint8(i), "application/json; charset=utf-8", b)
		}
		f.Add(uint8(i), "application/json", []byte(`{}`))
		f.Add(uint8(i), "application/json", []byte(`null`))
		f.Add(uint8(i), " ", []byte(`0`))
		f.Add(uint8(i), `application/json; charset="`, []byte(`{}`))
		f.Add(uint8(i), "text/plain", []byte(`{}`))
		f.Add(uint8(i), "application/json", []byte(strings.Repeat("[", 100)))
		f.Add(uint8(i), "application/json", []byte(`{"displayName":"`+strings.Repeat("x", 5000)+`"}`))
	}
	w := newBodyWorld(f, ex)
	n := 0
	f.Fuzz(func(t *testing.T, which uint8, contentType string, body []byte) {
		if n++; n%500 == 0 {
			// Keep the state small: start again from the setup.
			w.srv.Reset()
			w.setup(t, ex)
		}
		op := bodyOps[int(which)%len(bodyOps)]
		req := w.request(op.method, op.path, contentType, body)
		rec := httptest.NewRecorder()
		w.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 && !(op.id == "runTool" && (rec.Code == 502 || rec.Code == 504)) {
			t.Fatalf("%s (Content-Type %q, body %.200q) = %d: %s", op.id, contentType, body, rec.Code, rec.Body)
		}
		o := v.Operation(op.id)
		check := w.request(op.method, op.path, contentType, body)
		if fs := v.ValidateResponse(check, o, rec.Code, rec.Header(), rec.Body.Bytes()); len(fs) > 0 {
			t.Fatalf("%s (Content-Type %q, body %.200q) = %d, which the spec does not allow: %v\n%s", op.id, contentType, body, rec.Code, fs, rec.Body)
		}
	})
}
