package replay_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/golden"
	"github.com/fruxon/fruxon-mock/scenarios/junit"
	"github.com/fruxon/fruxon-mock/scenarios/replay"
	"github.com/fruxon/fruxon-mock/scenarios/stubs"
	"github.com/fruxon/fruxon-mock/validator"
)

// api is the validator of the embedded spec, built once.
func api(t testing.TB) *validator.Validator {
	t.Helper()
	specV, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	return specV
}

func parse(t testing.TB, name, src string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Parse(name+".yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// stubServer serves only what an Engine's stubs answer: the server side
// of scenarios, without the mock's stateful behaviour. Anything else is a
// 404 problem, except GET /v2/teapot, a 200 no operation allows.
func stubServer(t *testing.T, e *stubs.Engine) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var requested []string
		for _, v := range r.Header.Values(scenarios.ScenarioHeader) {
			for _, name := range strings.Split(v, ",") {
				requested = append(requested, strings.TrimSpace(name))
			}
		}
		a := e.Match(r, body, r.Header.Get(scenarios.SessionHeader), requested)
		switch {
		case a == nil && r.URL.Path == "/v2/teapot":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{}`))
		case a == nil && r.Method == http.MethodPut:
			w.Header().Set("Content-Type", validator.ProblemContentType)
			w.Header().Set("Allow", "GET, POST")
			w.WriteHeader(http.StatusMethodNotAllowed)
			w.Write([]byte(`{"title":"Method Not Allowed","status":405}`))
		case a == nil:
			w.Header().Set("Content-Type", validator.ProblemContentType)
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"title":"Not Found","status":404}`))
		case a.Drop:
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		default:
			time.Sleep(a.Delay)
			for k, v := range a.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(a.Status)
			w.Write(a.Body)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestReplayGolden(t *testing.T) {
	list, err := scenarios.LoadPaths("testdata/replay")
	if err != nil {
		t.Fatal(err)
	}
	e, err := stubs.NewEngine(list, api(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := stubServer(t, e)
	var progress bytes.Buffer
	notMock := false
	rep, err := replay.Replay(context.Background(), list, replay.Options{
		Target: srv.URL, Validator: api(t), Token: "t0k3n", RunID: "run1",
		Stubs: e.Has, Mock: &notMock, Progress: &progress, NoDurations: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	progress.WriteString(rep.Summary() + "\n")
	golden.Check(t, filepath.Join("testdata", "replay.golden"), progress.Bytes(), *update)

	var xml bytes.Buffer
	if err := junit.Write(&xml, rep.JUnit()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "replay.junit.golden"), xml.Bytes(), *update)

	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "replay.json.golden"), js.Bytes(), *update)

	if rep.OK() || rep.Failed != 3 || rep.Skipped != 3 {
		t.Errorf("report: %s, want 3 failed and 3 skipped", rep.Summary())
	}
}

func TestReplayFailFast(t *testing.T) {
	list, err := scenarios.LoadPaths("testdata/replay")
	if err != nil {
		t.Fatal(err)
	}
	e, err := stubs.NewEngine(list, api(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := stubServer(t, e)
	var progress bytes.Buffer
	rep, err := replay.Replay(context.Background(), list, replay.Options{
		Target: srv.URL, Validator: api(t), Stubs: e.Has, FailFast: true, Progress: &progress, NoDurations: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || rep.Passed != 4 {
		t.Errorf("fail-fast: %s, want 4 passed and 1 failed", rep.Summary())
	}
	if n := strings.Count(progress.String(), "\n["); n != 4 {
		t.Errorf("fail-fast printed %d step lines after the first, want 4:\n%s", n, progress.String())
	}
}

// TestReplaySkipsStubsOnARealTarget checks the default probing: a target
// that doesn't answer /_mock/health is not the mock and runs no stubs.
func TestReplaySkipsStubsOnARealTarget(t *testing.T) {
	list, err := scenarios.LoadPaths("testdata/replay/a-stubbed-api.yaml", "testdata/replay/d-needs-mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	rep, err := replay.Replay(context.Background(), list, replay.Options{Target: srv.URL, Validator: api(t)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 6 || rep.Passed+rep.Failed != 0 {
		t.Errorf("got %s, want every step skipped", rep.Summary())
	}
	if !strings.Contains(rep.Scenarios[0].Skipped, "requires stubs") || !strings.Contains(rep.Scenarios[1].Skipped, "requires mock") {
		t.Errorf("skip reasons: %q, %q", rep.Scenarios[0].Skipped, rep.Scenarios[1].Skipped)
	}
}

func TestReplaySendsHeaders(t *testing.T) {
	s := parse(t, "h", `name: headers
steps:
  - name: default
    request: {method: POST, path: /v1/tenants/t/integrations, body: {id: x, displayName: '{{repeat "ab" 3}}'}}
  - name: none
    request: {method: GET, path: /v1/tenants/t/integrations, auth: none, headers: {Accept: ''}}
  - name: raw
    request: {method: POST, path: /v1/tenants/t/integrations, rawBody: 'id={{tenant}}', headers: {Content-Type: text/plain}}
`)
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if scenarios.ControlPath(r.URL.Path) {
			http.NotFound(w, r) // the probe for a fruxon-mock: not a step
			return
		}
		b, _ := io.ReadAll(r.Body)
		got = append(got, strings.Join([]string{r.Header.Get("Authorization"), r.Header.Get("Accept"),
			r.Header.Get("Content-Type"), r.Header.Get(scenarios.ScenarioHeader), r.Header.Get(scenarios.SessionHeader), string(b)}, "|"))
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	_, err := replay.Replay(context.Background(), []*scenarios.Scenario{s}, replay.Options{
		Target: srv.URL + "/", Validator: api(t), Token: "tok", RunID: "r1", Tenant: "acme-{{run}}",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`Bearer tok|application/json|application/json||replay-r1-headers|{"displayName":"ababab","id":"x"}`,
		`||||replay-r1-headers|`,
		`Bearer tok|application/json|text/plain||replay-r1-headers|id=acme-r1`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests\n got: %q\nwant: %q", got, want)
	}
}
