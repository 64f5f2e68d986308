package validator

import "testing"

// BenchmarkWalkJSON times walkJSON alone over a config, the hot GET's
// answer, against its compiled response schema.
func BenchmarkWalkJSON(b *testing.B) {
	v, err := Fruxon()
	if err != nil {
		b.Fatal(err)
	}
	op, _, err := v.Match("GET", "/v1/tenants/acme/integrations/acme-crm/configs/497f6eca-6276-4993-bfeb-53cbbbba6f08")
	if err != nil {
		b.Fatal(err)
	}
	op.prepare()
	d, _ := op.declared(200)
	n := d.walks["application/json"]
	if n == nil {
		b.Fatal("getConfig's 200 has no compiled schema")
	}
	body := []byte(`{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","integrationId":"acme-crm","displayName":"Production (EU)","parameters":{"region":"eu","pageSize":200},` +
		`"hasAuth":true,"hasAuthMap":false,"authMethodId":"api-key","auth":{"level":"APPLICATION","integrationAuthMetadataId":"api-key","grantedScopes":[]},"authMapEntries":[],` +
		`"sandboxMode":"READ_THROUGH","sandboxVariant":null,"publishedRevisionId":null,"createdBy":"dev","createdAt":1764028800000,"modifiedAt":1764028800000}`)
	if valid, sure := walkJSON(n, body); !valid || !sure {
		b.Fatal("the config does not walk valid")
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		walkJSON(n, body)
	}
}
