package integrations_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/mockserver/internal/apitest"
)

// TestCreateDecodesEitherWay: a create body the reflection-free decoder
// takes and the same body written with escapes (which it leaves to
// encoding/json, through the body it put back) make the same integration.
// An oversize create's 413 is TestBodyOpsDeclare413And415's.
func TestCreateDecodesEitherWay(t *testing.T) {
	c, _ := apitest.Start(t, mockserver.Config{})
	const body = `{"id":"%s","displayName":"Acme CRM <1>","description":"Contacts & deals",
"configMetadata":{"parametersMetadata":[{"name":"region","index":0,"type":"String","required":true,"secret":false,
"options":[{"value":"eu","displayName":"Europe"}],"jsonSchema":{"type":"string","enum":["eu","us"]}},
{"name":"limit","index":1,"type":"Integer","integerRange":{"min":1,"max":500},"required":false,"secret":false,"defaultValue":"100"}],
"authMetadata":[{"id":"api-key","displayName":"API key","type":"API_KEY","sensitivity":"SECRET","configTestSupported":true,
"supportedLevels":["APPLICATION"],"authMap":{"useMap":false,"keyTemplate":null,"parametersMetadata":[]},
"authSettings":{"parameters":{"headerName":"X-Api-Key"}},"parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}],"availableScopes":[]}]}}`
	plain := strings.Replace(body, "%s", "plain", 1)
	escaped := strings.NewReplacer("%s", `escap\u0065d`, "Acme", `\u0041cme`, "<1>", `\u003c1\u003e`, "region", `reg\u0069on`,
		"X-Api-Key", `X-Api-K\u0065y`, `"eu"`, `"\u0065u"`).Replace(body)
	if escaped == plain || !strings.Contains(escaped, `\u`) {
		t.Fatal("the escaped body is not escaped")
	}
	view := func(id string) map[string]any {
		it := c.Must(200, "GET", apitest.API+"/integrations/"+id, "").JSON(t)
		delete(it, "id")
		delete(it, "createdAt")
		delete(it, "modifiedAt")
		return it
	}
	c.Must(200, "POST", apitest.API+"/integrations", plain)
	c.Must(200, "POST", apitest.API+"/integrations", escaped)
	if a, b := view("plain"), view("escaped"); !reflect.DeepEqual(a, b) {
		t.Fatalf("the two creates differ:\n%v\n%v", a, b)
	}
	if got := view("plain")["displayName"]; got != "Acme CRM <1>" {
		t.Fatalf("displayName %v", got)
	}
}
