package mockserver_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// vaultIntegration declares a secret config parameter beside crm's secret
// API key.
const vaultIntegration = `{"id":"vault","displayName":"Vault","configMetadata":{
 "parametersMetadata":[{"name":"region","type":"String"},{"name":"signingKey","type":"String","secret":true}],
 "authMetadata":[{"id":"api-key","type":"API_KEY","supportedLevels":["APPLICATION"],
   "authSettings":{"parameters":{"headerName":"X-Api-Key"}},
   "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`

type detailSide struct {
	Query     *string           `json:"query"`
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body"`
	BodySize  int64             `json:"bodySize"`
	Truncated bool              `json:"truncated"`
	Withheld  bool              `json:"withheld"`
}

type detail struct {
	Entry struct {
		ID          int64   `json:"id"`
		Path        string  `json:"path"`
		Status      int     `json:"status"`
		OperationID *string `json:"operationId"`
	} `json:"entry"`
	Request  *detailSide `json:"request"`
	Response *detailSide `json:"response"`
}

// journalIDs lists the journal's entry ids, newest first.
func journalIDs(t *testing.T, c *client, query string) []int64 {
	t.Helper()
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(c.Must(200, "GET", "/_mock/journal"+query, "").Body, &list); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(list.Items))
	for i, e := range list.Items {
		ids[i] = e.ID
	}
	return ids
}

func getDetail(t *testing.T, c *client, id int64) (detail, string) {
	t.Helper()
	a := c.Must(200, "GET", fmt.Sprintf("/_mock/journal/%d", id), "")
	var d detail
	if err := json.Unmarshal(a.Body, &d); err != nil {
		t.Fatal(err)
	}
	return d, string(a.Body)
}

// TestJournalDetailRedactsSecrets writes secrets every way a client can
// (auth parameters, a secret config parameter, an overwritten key, the
// secret again in a plain field, base64 in a header) and reads every
// entry's detail: no secret shows, plain or encoded, and the rest does.
func TestJournalDetailRedactsSecrets(t *testing.T) {
	const (
		apiKey  = "sk_live_DETAIL_4c1e9a"
		oldKey  = "sk_live_OLDKEY_0b7d22"
		signing = "sign_DETAIL_93ab71"
	)
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", vaultIntegration)
	cfg := c.Must(200, "POST", api+"/integrations/vault/configs",
		`{"displayName":"cfg","parameters":{"region":"eu-west","signingKey":"`+signing+`"},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+oldKey+`"}}}`).JSON(t)
	path := api + "/integrations/vault/configs/" + cfg["id"].(string)
	c.Must(200, "PATCH", path, `{"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+apiKey+`"}}}`)
	// The secret where no declaration says so: in a plain field, and
	// base64-encoded in a header and in a Basic credential.
	c.Must(200, "PATCH", path, `{"displayName":"key `+apiKey+`"}`,
		"X-Debug", base64.StdEncoding.EncodeToString([]byte(apiKey)),
		"Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("me:"+apiKey)))
	c.Must(200, "GET", path+"?note="+apiKey, "", "Cookie", "sid="+apiKey)

	forbidden := []string{apiKey, oldKey, signing}
	for _, s := range []string{apiKey, oldKey, signing} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
			forbidden = append(forbidden, enc.EncodeToString([]byte(s)))
		}
	}
	ids := journalIDs(t, c, "")
	if len(ids) != 5 {
		t.Fatalf("%d journal entries, want 5", len(ids))
	}
	var create, withHeaders detail
	for _, id := range ids {
		d, raw := getDetail(t, c, id)
		for _, s := range forbidden {
			if strings.Contains(raw, s) {
				t.Errorf("entry %d (%s) shows the secret %q: %s", id, d.Entry.Path, s, raw)
			}
		}
		if d.Request == nil || d.Response == nil {
			t.Fatalf("entry %d has no exchange: %s", id, raw)
		}
		// Every answer's body shows, whichever way it was written.
		if d.Response.BodySize > 0 && (d.Response.Body == "" || d.Response.Body[0] != '{' && d.Response.Body[0] != '[') {
			t.Errorf("entry %d (%s): a %d-byte answer shows as %q", id, d.Entry.Path, d.Response.BodySize, d.Response.Body)
		}
		if got := d.Request.Headers["Authorization"]; got != "Bearer [redacted]" {
			t.Errorf("entry %d: Authorization shows %q, want it masked", id, got)
		}
		switch {
		case d.Entry.OperationID != nil && *d.Entry.OperationID == "createConfig":
			create = d
		case d.Request.Headers["X-Debug"] != "":
			withHeaders = d
		}
	}
	// What isn't secret still shows.
	if !strings.Contains(create.Request.Body, `"region":"eu-west"`) || !strings.Contains(create.Request.Body, `"signingKey":"[redacted]"`) ||
		!strings.Contains(create.Request.Body, `"apiKey":"[redacted]"`) {
		t.Errorf("createConfig's request body: %s", create.Request.Body)
	}
	if create.Response.Body == "" || create.Response.Headers["Content-Type"] != "application/json" {
		t.Errorf("createConfig's response: %+v", create.Response)
	}
	if withHeaders.Request.Headers["X-Debug"] != "[redacted]" || !strings.HasPrefix(withHeaders.Request.Headers["Proxy-Authorization"], "Basic ") ||
		!strings.Contains(withHeaders.Request.Body, `"key [redacted]"`) {
		t.Errorf("the base64 header, the Basic credential or the plain field: %+v", withHeaders.Request)
	}
}

// TestJournalDetail covers ids, the since= cursor, unknown ids, the
// control plane's entries and the 64 KiB cap.
func TestJournalDetail(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "GET", api+"/integrations", "")
	c.Must(204, "POST", "/_mock/reset", "")
	ids := journalIDs(t, c, "")
	if len(ids) != 2 || ids[0] <= ids[1] {
		t.Fatalf("ids %v: want two, newest first", ids)
	}
	if d, raw := getDetail(t, c, ids[0]); d.Request != nil || d.Response != nil || d.Entry.Path != "/_mock/reset" {
		t.Errorf("a control-plane entry shows an exchange: %s", raw)
	}
	p := c.Problem(404, "GET", fmt.Sprintf("/_mock/journal/%d", ids[0]+100), "")
	if !strings.Contains(p["detail"].(string), "not in the journal") {
		t.Errorf("404 detail: %v", p["detail"])
	}
	c.Problem(400, "GET", "/_mock/journal/abc", "")

	// since=: only what came after.
	c.Must(200, "GET", api+"/integrations?limit=1", "")
	if got := journalIDs(t, c, fmt.Sprintf("?since=%d", ids[0])); len(got) != 1 || got[0] <= ids[0] {
		t.Errorf("since %d: %v", ids[0], got)
	}
	if got := journalIDs(t, c, fmt.Sprintf("?since=%d", ids[0]+1)); len(got) != 0 {
		t.Errorf("since the newest: %v", got)
	}
	// Ids keep growing across a clear, so a cursor stays valid.
	c.Must(204, "DELETE", "/_mock/journal", "")
	c.Must(200, "GET", api+"/integrations", "")
	if got := journalIDs(t, c, ""); len(got) != 1 || got[0] <= ids[0]+1 {
		t.Errorf("after a clear: %v", got)
	}

	// Over 64 KiB: the request (a 400) and the spec document.
	big := `{"displayName":"` + strings.Repeat("x", 70<<10) + `","type":"CUSTOM"}`
	c.Must(400, "POST", api+"/integrations", big)
	spec := c.Must(200, "GET", "/openapi.yaml", "")
	if len(spec.Body) <= 64<<10 {
		t.Fatalf("the spec is %d bytes: the test needs one over 64 KiB", len(spec.Body))
	}
	ids = journalIDs(t, c, "")
	d, _ := getDetail(t, c, ids[0])
	if !d.Response.Truncated || len(d.Response.Body) != 64<<10 || d.Response.BodySize != int64(len(spec.Body)) {
		t.Errorf("the spec's answer: truncated %v, %d bytes shown of %d", d.Response.Truncated, len(d.Response.Body), d.Response.BodySize)
	}
	d, _ = getDetail(t, c, ids[1])
	if !d.Request.Truncated || len(d.Request.Body) != 64<<10 || d.Request.BodySize != int64(len(big)) {
		t.Errorf("the big request: truncated %v, %d bytes shown of %d", d.Request.Truncated, len(d.Request.Body), d.Request.BodySize)
	}
	if d.Response.Truncated || d.Response.BodySize == 0 {
		t.Errorf("its problem answer: %+v", d.Response)
	}

	// A body that can't be parsed and names a place secrets go is
	// withheld: cut off at the cap, or broken JSON.
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	const key = "sk_live_CUTOFF_8e1f0d"
	c.Do("POST", api+"/integrations/crm/configs", `{"displayName":"cfg","auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+key+`"}},"displayName":"`+strings.Repeat("y", 70<<10)+`"}`)
	c.Do("POST", api+"/integrations/crm/configs", `{"displayName":"cfg","auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"`+key+`"}`)
	for _, id := range journalIDs(t, c, "?limit=2") {
		d, raw := getDetail(t, c, id)
		if !d.Request.Withheld || d.Request.Body != "" || strings.Contains(raw, key) {
			t.Errorf("entry %d: withheld %v, body %d bytes, secret shown %v", id, d.Request.Withheld, len(d.Request.Body), strings.Contains(raw, key))
		}
	}
}

// TestJournalDetailSession: a session sees its own entries' details and
// not another's.
func TestJournalDetailSession(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "GET", api+"/integrations", "", mockserver.SessionHeader, "a")
	c.Must(200, "GET", api+"/integrations", "", mockserver.SessionHeader, "b")
	ids := journalIDs(t, c, "?session=a")
	if len(ids) != 1 {
		t.Fatalf("session a: %v", ids)
	}
	c.Must(200, "GET", fmt.Sprintf("/_mock/journal/%d?session=a", ids[0]), "")
	c.Problem(404, "GET", fmt.Sprintf("/_mock/journal/%d?session=b", ids[0]), "")
	c.Problem(404, "GET", fmt.Sprintf("/_mock/journal/%d?session=gone", ids[0]), "")
}
