package har_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
	"github.com/fruxon/fruxon-mock/scenarios/har"
	"github.com/fruxon/fruxon-mock/scenarios/junit"
	"github.com/fruxon/fruxon-mock/validator"
)

func spec(t testing.TB) *validator.Validator {
	t.Helper()
	specV, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	return specV
}

type nv = map[string]string

// recordHAR sends real requests to a mock and writes them down the way
// devtools do (HAR 1.2 entries).
func recordHAR(t *testing.T) []map[string]any {
	m := mocktest.Start(t)
	api := m.URL + "/v1/tenants/t1/integrations"
	var entries []map[string]any
	do := func(method, url, body string) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, url, rd)
		req.Header.Set("Authorization", "Bearer tok")
		req.Header.Set("Accept", "application/json")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := m.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		e := map[string]any{
			"startedDateTime": "2026-12-03T18:00:00.000Z", "time": 1,
			"request": map[string]any{"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": pairs(req.Header), "queryString": []any{}},
			"response": map[string]any{"status": resp.StatusCode, "statusText": resp.Status, "httpVersion": "HTTP/1.1", "headers": pairs(resp.Header),
				"content": map[string]any{"size": len(b), "mimeType": resp.Header.Get("Content-Type"), "text": string(b)}},
		}
		if body != "" {
			e["request"].(map[string]any)["postData"] = map[string]any{"mimeType": "application/json", "text": body}
		}
		entries = append(entries, e)
	}
	do("POST", api, `{"id":"crm","displayName":"CRM"}`)
	do("GET", api+"/crm", "")
	do("GET", api+"?pageSize=2", "")
	do("POST", api+"/crm/configs", `{"displayName":"prod"}`)
	do("GET", api+"/nope", "")
	do("DELETE", api+"/nope", "")
	return entries
}

func pairs(h http.Header) []any {
	var out []any
	for k, vs := range h {
		for _, v := range vs {
			out = append(out, nv{"name": k, "value": v})
		}
	}
	return out
}

func harFile(t *testing.T, entries []map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": nv{"name": "test", "version": "1"}, "entries": entries}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func check(t *testing.T, data []byte) *har.Report {
	t.Helper()
	f, err := har.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return har.Check(f, spec(t))
}

func TestRealTrafficIsClean(t *testing.T) {
	rep := check(t, harFile(t, recordHAR(t)))
	if rep.Verdict() != 0 || rep.Checked != 6 || rep.Violations != 0 {
		var b strings.Builder
		rep.WriteText(&b, true)
		t.Fatalf("verdict %d:\n%s", rep.Verdict(), b.String())
	}
}

func TestPlantedViolations(t *testing.T) {
	entries := recordHAR(t)
	resp := func(i int) map[string]any { return entries[i]["response"].(map[string]any) }
	content := func(i int) map[string]any { return resp(i)["content"].(map[string]any) }
	// 0: the answer gains a member the schema forbids.
	content(0)["text"] = strings.Replace(content(0)["text"].(string), `{`, `{"bogus":1,`, 1)
	// 1: the request body breaks a rule (a GET with… no: a PUT body).
	req1 := entries[1]["request"].(map[string]any)
	req1["method"] = "PUT"
	req1["postData"] = map[string]any{"mimeType": "application/json", "text": `{"displayName":"` + strings.Repeat("x", 101) + `"}`}
	// 2: an undeclared status, base64-encoded body.
	resp(2)["status"] = 418
	content(2)["encoding"] = "base64"
	content(2)["text"] = base64.StdEncoding.EncodeToString([]byte(content(2)["text"].(string)))
	// 3: a non-JSON answer.
	content(3)["text"] = "<html>error</html>"
	for _, h := range resp(3)["headers"].([]any) {
		if h := h.(nv); strings.EqualFold(h["name"], "Content-Type") {
			h["value"] = "text/html"
		}
	}
	// 6: not the spec's; 7: not a HAR entry; 8: a method the path lacks.
	entries = append(entries,
		map[string]any{"request": map[string]any{"method": "GET", "url": "https://cdn.example.com/app.js", "headers": []any{}}, "response": map[string]any{"status": 200, "headers": []any{}, "content": map[string]any{"size": 0}}},
		map[string]any{"request": map[string]any{"method": "GET", "url": "http://x/v1/tenants/t1/integrations", "headers": []any{}}, "response": map[string]any{"status": "200"}},
		map[string]any{"request": map[string]any{"method": "PATCH", "url": "http://x/v1/tenants/t1/integrations/crm", "headers": []any{}}, "response": map[string]any{"status": 405, "headers": []any{}, "content": map[string]any{"size": 0}}},
	)
	rep := check(t, harFile(t, entries))
	var out strings.Builder
	rep.WriteText(&out, false)
	text := out.String()
	want := map[int]string{
		0: "response body $.bogus: ",
		1: "request body $.displayName: ",
		2: "response status: status 418 is not declared for listIntegrations",
		3: "response content-type",
		8: "request method: PATCH is not allowed",
	}
	for i, w := range want {
		res := rep.Results[i]
		found := false
		for _, f := range res.Findings {
			found = found || strings.HasPrefix(f.String(), w)
		}
		if !found {
			t.Errorf("entry %d: want a finding %q, got %v", i, w, res.Findings)
		}
	}
	if !strings.Contains(text, "bogus") {
		t.Errorf("the extra member is not named:\n%s", text)
	}
	if r := rep.Results[6]; r.Skipped == "" {
		t.Errorf("entry 6 should be skipped: %+v", r)
	}
	if r := rep.Results[7]; !strings.Contains(r.Error, "status") {
		t.Errorf("entry 7 should be unreadable, naming the field: %+v", r)
	}
	if !strings.Contains(text, "entry 7: ") || !strings.Contains(text, "entry 1: PUT http://127.0.0.1:") {
		t.Errorf("entries named:\n%s", text)
	}
	if rep.Verdict() != 1 || rep.Violations != 5 || rep.Unreadable != 1 || rep.Skipped != 1 {
		t.Errorf("verdict %d, %d violations, %d unreadable, %d skipped:\n%s", rep.Verdict(), rep.Violations, rep.Unreadable, rep.Skipped, text)
	}
	var xml strings.Builder
	if err := junit.Write(&xml, rep.JUnit("planted.har")); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`tests="9"`, `failures="5"`, `errors="1"`, `skipped="1"`, "<failure message="} {
		if !strings.Contains(xml.String(), w) {
			t.Errorf("junit lacks %s:\n%s", w, xml.String())
		}
	}
}

func TestUnusableFiles(t *testing.T) {
	for name, tc := range map[string]struct{ data, want string }{
		"not json":   {"{\n  \"log\": {,\n}", "line 2, column 11"},
		"no log":     {`{"entries":[]}`, `no "log"`},
		"no entries": {`{"log":{"version":"1.2"}}`, `no "entries"`},
		"bad shape":  {`{"log":{"entries":{}}}`, "log.entries"},
		"array":      {`[1,2]`, "not a HAR file"},
	} {
		_, err := har.Parse([]byte(tc.data))
		var ie *har.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an input error with %q, got %v", name, tc.want, err)
		}
	}
}
