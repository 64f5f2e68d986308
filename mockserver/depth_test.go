package mockserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

// TestDepthCap holds issue 10 item 4: a client can't store a JSON value so
// deep that a later list, export or run history can't be encoded or read
// (before the cap, a 9,997-deep Json parameter was stored with a 200 and
// every list of configs and every export answered 500 from then on).
func TestDepthCap(t *testing.T) {
	deepVendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":`+nested(9990)+`}`)
	}))
	t.Cleanup(deepVendor.Close)
	c, _ := start(t, mockserver.Config{OutboundAllow: []string{strings.TrimPrefix(deepVendor.URL, "http://")}})
	c.Must(200, "POST", api+"/integrations", `{"id":"j","displayName":"J","configMetadata":{"parametersMetadata":[
	 {"name":"blob","type":"Json"},{"name":"baseUrl","type":"String"}]}}`)
	c.Must(200, "POST", api+"/integrations/j/tools", `{"id":"deep","descriptor":{"apiTool":{"httpMethod":"GET","url":"{{baseUrl}}/x"}},
	 "parametersMetadata":[{"name":"p","type":"Json"}]}`)

	readsWork := func(t *testing.T, configID string) {
		t.Helper()
		c := c.In(t)
		c.Must(200, "GET", api+"/integrations/j/configs", "")
		if configID != "" {
			c.Must(200, "GET", runsAPI+"/integrations/j/configs/"+configID+"/runs", "")
		}
		c.Must(200, "GET", "/_mock/state", "")
	}

	for _, depth := range []int{65, 9997} {
		p := c.Problem(400, "POST", api+"/integrations/j/configs", `{"displayName":"cfg","parameters":{"blob":`+nested(depth)+`}}`)
		if errs, _ := p["errors"].(map[string]any); errs["parameters.blob"] == nil {
			t.Fatalf("depth %d: the problem does not name parameters.blob: %v", depth, p)
		}
		readsWork(t, "")
	}
	// Within the cap is stored (the body's own object and parameters count).
	id := c.Must(200, "POST", api+"/integrations/j/configs", `{"displayName":"cfg","parameters":{"blob":`+nested(62)+`,"baseUrl":"`+deepVendor.URL+`"}}`).JSON(t)["id"].(string)
	c.Problem(400, "PATCH", api+"/integrations/j/configs/"+id, `{"parameters":{"blob":`+nested(63)+`}}`)
	p := c.Problem(400, "POST", api+"/integrations/j/configs/"+id+":testTool", `{"toolId":"deep","parameters":{"p":`+nested(100)+`}}`)
	if errs, _ := p["errors"].(map[string]any); errs["parameters.p"] == nil {
		t.Fatalf(":testTool: the problem does not name parameters.p: %v", p)
	}
	// A state document can't smuggle one in either.
	c.Problem(400, "PUT", "/_mock/state", `{"version":2,"tenants":{"acme":{"x":`+nested(200)+`}}}`)

	c.Must(200, "POST", api+"/integrations/j/configs/"+id+":publish", "")
	// A vendor answer deeper than the cap is a 502, and nothing of it is kept.
	vp := c.Problem(502, "POST", runsAPI+"/integrations/j/tools/deep:run", `{"configId":"`+id+`","executionMode":"PRODUCTION","parameters":{}}`)
	if d, _ := vp["detail"].(string); !strings.Contains(d, "deeper than 64") {
		t.Fatalf("502 detail does not say why: %v", vp)
	}
	runs := c.Must(200, "GET", runsAPI+"/integrations/j/configs/"+id+"/runs", "")
	if strings.Contains(string(runs.Body), "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[") {
		t.Fatalf("the deep vendor answer was stored: %.300s", runs.Body)
	}
	readsWork(t, id)
}
