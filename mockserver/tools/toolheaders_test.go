package tools_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
)

// TestToolHeaderNamesAreTokens holds issue 10 item 5: a header name that is
// not an HTTP token, or a literal control character in a header template,
// is a 400 at create naming the header (it used to be stored and fail every
// run with a 502), and the refused write stores nothing.
func TestToolHeaderNamesAreTokens(t *testing.T) {
	c, _ := apitest.Start(t, mockserver.Config{})
	c.Must(200, "POST", apitest.API+"/integrations", apitest.CRMIntegration)
	for _, tt := range []struct{ name, headers, field string }{
		{"space in the name", `{"X Bad":"1"}`, "descriptor.apiTool.headers.X Bad"},
		{"colon in the name", `{"X-A:b":"1"}`, "descriptor.apiTool.headers.X-A:b"},
		{"empty name", `{"":"1"}`, "descriptor.apiTool.headers."},
		{"NUL in the value", `{"X-Ok":"a\u0000b"}`, "descriptor.apiTool.headers.X-Ok"},
		{"DEL in the value", `{"X-Ok":"a\u007fb"}`, "descriptor.apiTool.headers.X-Ok"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := c.In(t)
			p := c.Problem(400, "POST", apitest.API+"/integrations/crm/tools",
				`{"id":"h","descriptor":{"apiTool":{"httpMethod":"GET","url":"https://x.test/","headers":`+tt.headers+`}}}`)
			if errs, _ := p["errors"].(map[string]any); errs[tt.field] == nil {
				t.Fatalf("the problem does not name %q: %v", tt.field, p)
			}
			c.Problem(404, "GET", apitest.API+"/integrations/crm/tools/h", "")
		})
	}
	c.Must(200, "POST", apitest.API+"/integrations/crm/tools", `{"id":"h","descriptor":{"apiTool":{"httpMethod":"GET","url":"https://x.test/","headers":{"X-Ok_1.~":"a\tb"}}}}`)
}
