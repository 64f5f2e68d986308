package mockserver_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestContentTypeCharset holds issue 10 item 6: a malformed Content-Type
// parameter or a charset other than UTF-8 is a 415 saying which charsets
// are accepted, and nothing is stored.
func TestContentTypeCharset(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	body := `{"id":"cs","displayName":"CS"}`
	for _, ct := range []string{`application/json; charset="`, `application/json; charset=latin1`, `application/json; charset=utf-16`, `application/json; =x`} {
		p := c.Problem(415, "POST", api+"/integrations", body, "Content-Type", ct)
		if d, _ := p["detail"].(string); !strings.Contains(d, "utf-8") {
			t.Fatalf("%s: the problem does not say which charsets are accepted: %v", ct, p)
		}
	}
	c.Problem(404, "GET", api+"/integrations/cs", "")
	c.Must(200, "POST", api+"/integrations", body, "Content-Type", "application/json; charset=UTF-8")
}
