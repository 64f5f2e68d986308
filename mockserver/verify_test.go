package mockserver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// Verification compares headers (a secret one by digest) and the body (its
// secrets by digest) the same way whether the server keeps each exchange
// for the journal's detail view, which verification then reads, or keeps
// only the sealed capture (Config.NoExchangeCapture); and what it reports
// never names a secret.
func TestVerifyHeadersAndBody(t *testing.T) {
	const secret = "sk_live_VERIFY_51e2"
	for _, noExchange := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoExchangeCapture=%v", noExchange), func(t *testing.T) {
			c, _ := start(t, mockserver.Config{NoExchangeCapture: noExchange})
			c.Must(200, "POST", api+"/integrations", crmIntegration, "X-Request-Id", "req-crm")
			c.Must(200, "POST", api+"/integrations/crm/configs",
				`{"displayName":"cfg","parameters":{"region":"eu"},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+secret+`"}}}`,
				"X-Request-Id", "req-config")
			c.Must(200, "GET", api+"/integrations/crm", "")

			verify := func(body string) map[string]any {
				t.Helper()
				a := c.Must(200, "POST", "/_mock/verify", body)
				if strings.Contains(string(a.Body), secret) || strings.Contains(string(a.Body), "Bearer dev") {
					t.Fatalf("verify's answer names a secret: %s", a.Body)
				}
				return a.JSON(t)
			}
			matched := func(res map[string]any, want bool) {
				t.Helper()
				if res["matched"] != want {
					t.Fatalf("matched = %v, want %v: %v", res["matched"], want, res)
				}
			}
			differences := func(res map[string]any) string {
				var all []string
				for _, m := range res["nearMisses"].([]any) {
					for _, d := range m.(map[string]any)["differences"].([]any) {
						all = append(all, d.(string))
					}
				}
				return strings.Join(all, "\n")
			}

			matched(verify(`{"operationId":"createConfig","count":1,
				"headers":{"X-Request-Id":"req-config","authorization":"Bearer dev","content-type":"application/json"},
				"bodyContains":{"parameters":{"region":"eu"},"auth":{"parameters":{"apiKey":"`+secret+`"}}}}`), true)

			res := verify(`{"operationId":"createConfig","headers":{"Authorization":"Bearer other"}}`)
			matched(res, false)
			if d := differences(res); !strings.Contains(d, "header Authorization: differs (a secret, not shown)") {
				t.Errorf("a wrong bearer: %s", d)
			}
			res = verify(`{"operationId":"createConfig","headers":{"X-Request-Id":"req-other"}}`)
			if d := differences(res); !strings.Contains(d, `header X-Request-Id: expected "req-other", got "req-config"`) {
				t.Errorf("a wrong request id: %s", d)
			}
			res = verify(`{"operationId":"createConfig","headers":{"X-Missing":"x"}}`)
			if d := differences(res); !strings.Contains(d, `header X-Missing: expected "x", got nothing`) {
				t.Errorf("a missing header: %s", d)
			}
			res = verify(`{"operationId":"createConfig","bodyContains":{"auth":{"parameters":{"apiKey":"sk_live_wrong"}}}}`)
			matched(res, false)
			if d := differences(res); !strings.Contains(d, "apiKey") {
				t.Errorf("a wrong secret parameter: %s", d)
			}
			res = verify(`{"operationId":"getIntegration","bodyContains":{"id":"crm"}}`)
			if d := differences(res); !strings.Contains(d, "body: the request had no body") {
				t.Errorf("a GET's body: %s", d)
			}
		})
	}
}
