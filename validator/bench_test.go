package validator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fruxon/fruxon-mock/validator"
)

// A ≈1 KB create body: an integration with a parameter and an API-key method.
const createBody = `{"id":"acme-crm","displayName":"Acme CRM","description":"Contacts, deals and notes from Acme's CRM, synced every five minutes.",
"configMetadata":{"parametersMetadata":[{"name":"region","index":0,"type":"String","displayName":"Region","description":"Data residency region",
"required":true,"secret":false,"options":[{"value":"eu","displayName":"Europe"},{"value":"us","displayName":"United States"}]},
{"name":"pageSize","index":1,"type":"Integer","integerRange":{"min":1,"max":500},"required":false,"secret":false,"defaultValue":"100"}],
"authMetadata":[{"id":"api-key","displayName":"API key","description":"A workspace API key","type":"API_KEY","sensitivity":"SECRET",
"authProviderName":null,"configTestSupported":true,"supportedLevels":["APPLICATION"],"authMap":{"useMap":false,"keyTemplate":null,"parametersMetadata":[]},
"authSettings":{"parameters":{"headerName":"X-Api-Key"}},"parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}],"availableScopes":[]}]}}`

const patchBody = `{"displayName":"Production (EU)","parameters":{"region":"eu","pageSize":200},"sandboxMode":"READ_THROUGH",
"auth":{"integrationAuthMetadataId":"api-key","level":"APPLICATION","parameters":{"apiKey":"sk_live_1234567890"}}}`

const integrationResponse = `{"id":"acme-crm","displayName":"Acme CRM","description":"Contacts, deals and notes from Acme's CRM, synced every five minutes.","type":"CUSTOM",
"configMetadata":{"parametersMetadata":[{"name":"region","index":0,"type":"String","typeName":null,"integerRange":null,"floatRange":null,"options":[{"value":"eu","displayName":"Europe"},{"value":"us","displayName":"United States"}],
"asset":null,"displayName":"Region","description":"Data residency region","required":true,"secret":false,"defaultValue":null,"jsonSchema":null,"uiHint":null,"rules":[]}],
"authMetadata":[{"id":"api-key","displayName":"API key","description":"A workspace API key","type":"API_KEY","sensitivity":"SECRET","authProviderName":null,"configTestSupported":true,
"supportedLevels":["APPLICATION"],"authMap":{"useMap":false,"keyTemplate":null,"parametersMetadata":[]},"authSettings":{"parameters":{"headerName":"X-Api-Key"}},
"parametersMetadata":[{"name":"apiKey","index":0,"type":"String","typeName":null,"integerRange":null,"floatRange":null,"options":null,"asset":null,"displayName":null,"description":null,"required":true,"secret":true,"defaultValue":null,"jsonSchema":null,"uiHint":null,"rules":[]}],"availableScopes":[]}]},
"tags":["crm","sales"],"isInternal":false,"createdAt":1764028800000,"modifiedAt":1764028800000}`

const configResponse = `{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","integrationId":"acme-crm","displayName":"Production (EU)","parameters":{"region":"eu","pageSize":200},
"hasAuth":true,"hasAuthMap":false,"authMethodId":"api-key","auth":{"level":"APPLICATION","integrationAuthMetadataId":"api-key","grantedScopes":[]},"authMapEntries":[],
"sandboxMode":"READ_THROUGH","sandboxVariant":null,"publishedRevisionId":null,"createdBy":"dev","createdAt":1764028800000,"modifiedAt":1764028800000}`

type exchangeCase struct {
	name, method, path, body, response string
}

var exchangeCases = []exchangeCase{
	{"get-config", "GET", base + "/integrations/acme-crm/configs/" + configID, "", configResponse},
	{"create-integration", "POST", base + "/integrations", createBody, integrationResponse},
	{"patch-config", "PATCH", base + "/integrations/acme-crm/configs/" + configID, patchBody, configResponse},
}

// BenchmarkExchange measures request + response validation of one exchange
// beside json.Unmarshal of the same bytes (the baseline the targets are
// stated against). "fresh" defeats the response verdict cache by making
// every body distinct, as an unchanged GET of changing state would.
func BenchmarkExchange(b *testing.B) {
	v := api(b)
	h := http.Header{"Content-Type": {"application/json"}, "Etag": {`"7"`}}
	for _, c := range exchangeCases {
		op, _, err := v.Match(c.method, strings.SplitN(c.path, "?", 2)[0])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name+"/unmarshal-baseline", func(b *testing.B) {
			b.ReportAllocs()
			var in, out any
			for b.Loop() {
				if c.body != "" {
					json.Unmarshal([]byte(c.body), &in)
				}
				json.Unmarshal([]byte(c.response), &out)
			}
		})
		r := newReq(c)
		request := func() validator.Findings {
			if c.body != "" {
				r.Body = io.NopCloser(strings.NewReader(c.body))
			}
			return v.ValidateRequest(r, op)
		}
		fresh := freshBodies(c.response)
		b.Run(c.name+"/request", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if fs := request(); len(fs) > 0 {
					b.Fatal(fs)
				}
			}
		})
		b.Run(c.name+"/response-fresh", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if fs := v.ValidateResponse(r, op, 200, h, fresh()); len(fs) > 0 {
					b.Fatal(fs)
				}
			}
		})
		// The exchange figures the targets are stated against: request and
		// response, with the response unchanged (cached) or new each time.
		b.Run(c.name+"/exchange-cached", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if fs := append(request(), v.ValidateResponse(r, op, 200, h, []byte(c.response))...); len(fs) > 0 {
					b.Fatal(fs)
				}
			}
		})
		b.Run(c.name+"/exchange-fresh", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if fs := append(request(), v.ValidateResponse(r, op, 200, h, fresh())...); len(fs) > 0 {
					b.Fatal(fs)
				}
			}
		})
	}
}

func newReq(c exchangeCase) *http.Request {
	var r *http.Request
	if c.body == "" {
		r = httptest.NewRequest(c.method, c.path, nil)
	} else {
		r = httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

// freshBodies returns a generator of bodies no validation has seen: each
// call varies modifiedAt (the replace costs well under a microsecond).
func freshBodies(body string) func() []byte {
	return func() []byte {
		n := freshSeq.Add(1)
		return []byte(strings.Replace(body, `"modifiedAt":1764028800000`, fmt.Sprintf(`"modifiedAt":%d`, 1764028800000+n), 1))
	}
}

var freshSeq atomic.Int64

// BenchmarkInvalidRequest is the cost of rejecting a request (the error
// path walks the schema error tree).
func BenchmarkInvalidRequest(b *testing.B) {
	v := api(b)
	c := exchangeCase{"", "POST", base + "/integrations", `{"displayName":"` + strings.Repeat("x", 101) + `","nope":1}`, ""}
	op, _, _ := v.Match("POST", base+"/integrations")
	b.ReportAllocs()
	for b.Loop() {
		if fs := v.ValidateRequest(newReq(c), op); len(fs) == 0 {
			b.Fatal("not flagged")
		}
	}
}
