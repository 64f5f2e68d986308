package integrations_test

import (
	"encoding/json"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
)

// TestConfigPatchNullKeeps holds the reference page's PATCH sentence:
// "fields left null on the request body are preserved". Every field of the
// config patch (and of its sandboxVariant) sent as null answers 200 and
// leaves the draft exactly as it was.
func TestConfigPatchNullKeeps(t *testing.T) {
	c, _ := apitest.Start(t, mockserver.Config{})
	c.Must(200, "POST", apitest.API+"/integrations", apitest.CRMIntegration)
	id := c.Must(200, "POST", apitest.API+"/integrations/crm/configs", `{"displayName":"Prod","parameters":{"region":"eu","limit":7},
	 "auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_null_keep"}},"sandboxMode":"VENDOR",
	 "sandboxVariant":{"parameters":{"region":"us"},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_null_sbx"}}}}`).JSON(t)["id"].(string)
	path := apitest.API + "/integrations/crm/configs/" + id
	view := func(t *testing.T) string {
		t.Helper()
		m := c.In(t).Must(200, "GET", path, "").JSON(t)
		delete(m, "modifiedAt")
		b, _ := json.Marshal(m)
		return string(b)
	}
	before := view(t)
	for _, body := range []string{
		`{"displayName":null}`,
		`{"parameters":null}`,
		`{"auth":null}`,
		`{"authMap":null}`,
		`{"sandboxMode":null}`,
		`{"sandboxVariant":null}`,
		`{"oAuthCredentialKey":null}`,
		`{"sandboxVariant":{"parameters":null}}`,
		`{"sandboxVariant":{"auth":null}}`,
		`{"sandboxVariant":{"authMap":null}}`,
		`{"displayName":null,"parameters":null,"auth":null,"authMap":null,"sandboxMode":null,"sandboxVariant":null,"oAuthCredentialKey":null}`,
	} {
		t.Run(body, func(t *testing.T) {
			c.In(t).Must(200, "PATCH", path, body)
			if after := view(t); after != before {
				t.Fatalf("null changed the draft:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	// The sandbox key is still there: a VENDOR-mode test of the variant would
	// need it, and the view says the variant has auth.
	if v := c.Must(200, "GET", path, "").JSON(t)["sandboxVariant"]; v == nil {
		t.Fatalf("sandboxVariant lost")
	}
}
