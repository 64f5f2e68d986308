package proxy_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/mocktest"
	"github.com/fruxon/fruxon-mock/scenarios/proxy"
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

func start(t testing.TB, target string, cfg proxy.Config) (*proxy.Proxy, string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Target, cfg.Validator = u, spec(t)
	p, err := proxy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(p)
	t.Cleanup(ts.Close)
	return p, ts.URL
}

type answer struct {
	status int
	header http.Header
	body   string
}

func send(t testing.TB, method, url, body string, header map[string]string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer tok-S3CRET-bearer")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func journal(t testing.TB, base string) []proxy.Entry {
	t.Helper()
	a := send(t, "GET", base+"/_mock/journal", "", nil)
	var out struct{ Items []proxy.Entry }
	if err := json.Unmarshal([]byte(a.body), &out); err != nil {
		t.Fatalf("journal: %v: %s", err, a.body)
	}
	return out.Items
}

const api = "/v1/tenants/t1/integrations"

func TestForwardsAndFindsNothingInValidTraffic(t *testing.T) {
	m := mocktest.Start(t)
	p, base := start(t, m.URL, proxy.Config{})
	a := send(t, "POST", base+api, `{"id":"crm","displayName":"CRM"}`, nil)
	if a.status != 200 || !strings.Contains(a.body, `"id":"crm"`) || a.header.Get("ETag") == "" {
		t.Fatalf("create through the proxy: %d %v %s", a.status, a.header, a.body)
	}
	if a := send(t, "GET", base+api+"/crm", "", nil); a.status != 200 {
		t.Fatalf("get: %d %s", a.status, a.body)
	}
	es := journal(t, base)
	if len(es) != 2 {
		t.Fatalf("journal has %d entries, want 2: %+v", len(es), es)
	}
	for _, e := range es {
		if len(e.Findings) != 0 || e.Violation || e.OperationID == nil {
			t.Errorf("valid exchange journaled with findings: %+v", e)
		}
	}
	if *es[0].OperationID != "getIntegration" || *es[1].OperationID != "createIntegration" {
		t.Errorf("journal order/operations: %s, %s", *es[0].OperationID, *es[1].OperationID)
	}
	rep := p.Coverage().Report("")
	if rep.Totals.Covered < 2 {
		t.Errorf("coverage counted %d pairs, want ≥ 2", rep.Totals.Covered)
	}
	var cov map[string]any
	if a := send(t, "GET", base+"/_mock/coverage", "", nil); a.status != 200 || json.Unmarshal([]byte(a.body), &cov) != nil || cov["apiCoverage"] == nil {
		t.Fatalf("GET /_mock/coverage on the proxy: %d %s", a.status, a.body)
	}
	var sum bytes.Buffer
	p.Journal().WriteSummary(&sum)
	if !strings.Contains(sum.String(), "2 exchanges, 0 with findings") || !strings.Contains(sum.String(), "createIntegration") {
		t.Errorf("summary:\n%s", sum.String())
	}
}

func TestRequestFindingsForwardUnchanged(t *testing.T) {
	m := mocktest.Start(t)
	_, base := start(t, m.URL, proxy.Config{Strict: true})
	a := send(t, "POST", base+api, `{"id":"crm","displayName":"`+strings.Repeat("x", 101)+`"}`, nil)
	if a.status != 400 || !strings.Contains(a.body, "displayName") {
		t.Fatalf("the mock's own 400 should come through: %d %s", a.status, a.body)
	}
	es := journal(t, base)
	if len(es) != 1 || len(es[0].Findings) == 0 {
		t.Fatalf("want a request finding: %+v", es)
	}
	f := es[0].Findings[0]
	if f.Side != validator.Request || f.Field != "displayName" || es[0].Violation {
		t.Errorf("finding: %+v (violation %v)", f, es[0].Violation)
	}
	if got, want := rawFindings(t, base), `[{"side":"request","in":"body","field":"displayName","message":"must be at most 100 characters"}]`; got != want {
		t.Errorf("findings on the wire %s, want %s", got, want)
	}
}

// rawFindings is the newest journal entry's findings as the proxy sends them.
func rawFindings(t *testing.T, base string) string {
	t.Helper()
	var out struct {
		Items []struct{ Findings json.RawMessage }
	}
	if err := json.Unmarshal([]byte(send(t, "GET", base+"/_mock/journal?limit=1", "", nil).body), &out); err != nil || len(out.Items) != 1 {
		t.Fatalf("journal: %v %+v", err, out)
	}
	return string(out.Items[0].Findings)
}

// offContract answers a getIntegration with a member the schema forbids,
// a text body, or a redirect to itself.
func offContract(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/text"):
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>oops</html>"))
	case strings.HasSuffix(r.URL.Path, "/loop"):
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"1"`)
		w.Write([]byte(`{"id":"crm","displayName":"CRM","bogus":1}`))
	}
}

func TestResponseViolations(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(offContract))
	defer target.Close()
	for _, strict := range []bool{false, true} {
		_, base := start(t, target.URL, proxy.Config{Strict: strict})
		a := send(t, "GET", base+api+"/crm", "", nil)
		if !strict && (a.status != 200 || !strings.Contains(a.body, "bogus")) {
			t.Errorf("without --strict the answer must pass untouched: %d %s", a.status, a.body)
		}
		if strict && (a.status != 502 || !strings.Contains(a.body, "bogus") || !strings.Contains(a.body, "getIntegration") ||
			a.header.Get("Content-Type") != validator.ProblemContentType) {
			t.Errorf("--strict: want a 502 problem naming the violation: %d %v %s", a.status, a.header, a.body)
		}
		es := journal(t, base)
		if len(es) != 1 || !es[0].Violation || es[0].TargetStatus != 200 || es[0].Findings[0].Side != validator.Response {
			t.Errorf("journal (strict %v): %+v", strict, es)
		}
		if got, want := rawFindings(t, base), `,{"side":"response","in":"body","field":"bogus","message":"is not a known property"}]`; !strings.HasSuffix(got, want) {
			t.Errorf("findings on the wire (strict %v) %s, want them to end %s", strict, got, want)
		}
	}
	_, base := start(t, target.URL, proxy.Config{})
	if a := send(t, "GET", base+api+"/text", "", nil); a.status != 200 || a.body != "<html>oops</html>" {
		t.Errorf("a non-JSON answer passes through: %d %q", a.status, a.body)
	}
	es := journal(t, base)
	if len(es) != 1 || !es[0].Violation || !strings.Contains(es[0].Findings[0].String(), "response") {
		t.Errorf("non-JSON answer should be a response finding: %+v", es)
	}
	// A redirect loop: the proxy doesn't follow it; each hop is journaled.
	resp, err := http.Get(base + api + "/loop")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the client should give up on the loop, got %d", resp.StatusCode)
	}
	if !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("error: %v", err)
	}
	es = journal(t, base)
	if len(es) != 11 || es[0].TargetStatus != 302 || !strings.Contains(es[0].Findings[0].Message, "302") {
		t.Errorf("each hop journaled with an undeclared-status finding: %d entries, %+v", len(es), es[0])
	}
	if got, want := rawFindings(t, base), `[{"side":"response","in":"status","message":"status 302 is not declared for getIntegration"}]`; got != want {
		t.Errorf("findings on the wire %s, want %s", got, want)
	}
}

func TestTargetDown(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	_, base := start(t, url, proxy.Config{})
	a := send(t, "GET", base+api, "", nil)
	if a.status != 502 || !strings.Contains(a.body, url+api) || !strings.Contains(a.body, "refused") {
		t.Fatalf("want a 502 problem naming the URL and why: %d %s", a.status, a.body)
	}
	es := journal(t, base)
	if len(es) != 1 || es[0].Error == "" || es[0].TargetStatus != 0 {
		t.Errorf("journal: %+v", es)
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	m := mocktest.Start(t)
	_, base := start(t, m.URL, proxy.Config{})
	send(t, "POST", base+api, `{"id":"sec","configMetadata":{"parametersMetadata":[],"authMetadata":[{"id":"api_key","type":"API_KEY","sensitivity":"SECRET","supportedLevels":["APPLICATION"],"parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}}`, nil)
	// An extra member makes the request invalid: the finding must not
	// carry the secret either.
	send(t, "POST", base+api+"/sec/configs", `{"displayName":"cfg","auth":{"integrationAuthMetadataId":"api_key","parameters":{"apiKey":"ck_live_TOPSECRET"}},"bogus":"ck_live_TOPSECRET"}`,
		map[string]string{"X-API-KEY": "xk_S3CRET_key"})
	a := send(t, "GET", base+"/_mock/journal", "", nil)
	for _, s := range []string{"ck_live_TOPSECRET", "tok-S3CRET-bearer", "xk_S3CRET_key"} {
		if strings.Contains(a.body, s) {
			t.Errorf("journal leaks %q: %s", s, a.body)
		}
	}
}

func TestStreamingAndLargeBodies(t *testing.T) {
	release := make(chan struct{})
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			n, _ := io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"received":` + itoa(n) + `}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte("data: one\n\n"))
		w.(http.Flusher).Flush()
		<-release
		w.Write([]byte("data: two\n\n"))
	}))
	defer target.Close()
	_, base := start(t, target.URL, proxy.Config{MaxBody: 1024})
	resp, err := http.Get(base + api)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "data: one\n" {
		t.Fatalf("the first event must arrive before the stream ends: %q %v", line, err)
	}
	close(release)
	rest, _ := io.ReadAll(br)
	resp.Body.Close()
	if !strings.Contains(string(rest), "data: two") {
		t.Errorf("rest of the stream: %q", rest)
	}
	big := `{"displayName":"` + strings.Repeat("x", 5000) + `"}`
	a := send(t, "POST", base+api, big, nil)
	if a.status != 200 || a.body != `{"received":`+itoa(int64(len(big)))+`}` {
		t.Errorf("a body over the cap must be forwarded whole: %d %s", a.status, a.body)
	}
	es := journal(t, base)
	if len(es) != 2 || len(es[0].Notes) == 0 || !strings.Contains(es[0].Notes[0], "not validated") ||
		len(es[1].Notes) == 0 || !strings.Contains(es[1].Notes[0], "stream") {
		t.Errorf("notes: %+v", es)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestForwardsUnchanged(t *testing.T) {
	type seen struct {
		method, uri, host, custom, body string
	}
	got := make(chan seen, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, r.Host, r.Header.Get("X-Custom"), string(b)}
		w.WriteHeader(204)
	}))
	defer target.Close()
	_, base := start(t, target.URL, proxy.Config{})
	body := `{"displayName" : "spaced",  "tags":[]}`
	send(t, "PATCH", base+api+"/crm?b=2&a=1", body, map[string]string{"X-Custom": "kept"})
	s := <-got
	want := seen{"PATCH", api + "/crm?b=2&a=1", strings.TrimPrefix(target.URL, "http://"), "kept", body}
	if s != want {
		t.Errorf("the target saw %+v, want %+v", s, want)
	}
}
