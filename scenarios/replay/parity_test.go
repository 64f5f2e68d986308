package replay_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/replay"
	"github.com/fruxon/fruxon-mock/validator"
)

// thingsSpec declares an answer with date-time and uuid members, so the
// masking by schema format is seen on its own: these values are no
// UUID-shaped strings nor named like timestamps.
const thingsSpec = `openapi: 3.1.0
info: {title: things, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: a thing
          headers:
            X-Revision: {schema: {type: string}}
          content:
            application/json:
              schema:
                type: object
                properties:
                  label: {type: string}
                  stamp: {type: string, format: date-time}
                  ref: {type: string, format: uuid}
                  parts:
                    type: array
                    items:
                      allOf:
                        - type: object
                          properties:
                            seen: {type: string, format: date-time}
                            name: {type: string}
                  lastSeenAt: {type: integer}
                  nextPageToken: {type: [string, 'null']}
                  traceId: {type: string}
`

func thingServer(t *testing.T, revision, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"`+revision+`"`)
		w.Header().Set("X-Revision", revision)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestParityMasks: values whose schema says date-time or uuid (also
// through items and allOf), members named like a timestamp, a token or a
// trace id, and ETag are compared by JSON type only; everything else is
// compared by value, and a declared header too.
func TestParityMasks(t *testing.T) {
	v, err := validator.New([]byte(thingsSpec))
	if err != nil {
		t.Fatal(err)
	}
	a := thingServer(t, "1", `{"label": "x", "stamp": "2026-01-01T00:00:00Z", "ref": "r-1", "parts": [{"seen": "monday", "name": "a"}],
		"lastSeenAt": 1, "nextPageToken": "p1", "traceId": "t1"}`)
	b := thingServer(t, "2", `{"label": "y", "stamp": "2027-02-02T00:00:00Z", "ref": "r-2", "parts": [{"seen": "tuesday", "name": "b"}, {"name": "c"}],
		"lastSeenAt": 2, "nextPageToken": null, "traceId": "t2", "extra": true}`)
	s := parse(t, "things", `name: things
steps:
  - name: get
    request: {method: GET, path: /things/1}
    expect: {status: 200}
`)
	rep, err := replay.Replay(context.Background(), []*scenarios.Scenario{s}, replay.Options{Target: a, Compare: b, Validator: v, NoDurations: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range rep.Scenarios[0].Steps[0].Divergences {
		got[d.Where] = d.What + " " + d.A + " | " + d.B
	}
	want := map[string]string{
		"header X-Revision": `value "1" | "2"`,
		"$.label":           `value "x" | "y"`,
		"$.parts":           `length 1 items [{"name":"a","seen":"monday"}] | 2 items [{"name":"b","seen":"tuesday"},{"name":"c"}]`,
		"$.parts[0].name":   `value "a" | "b"`,
		"$.nextPageToken":   `type "p1" | null`, // masked values keep their type
		"$.extra":           `missing (absent) | true`,
	}
	for where, w := range want {
		if got[where] != w {
			t.Errorf("%s: got %q, want %q", where, got[where], w)
		}
	}
	for where := range got {
		if _, ok := want[where]; !ok {
			t.Errorf("%s reported (%s): it is volatile or equal", where, got[where])
		}
	}
	if rep.Failed != 1 || !strings.Contains(rep.Scenarios[0].Steps[0].Reason, `diverged: $.label (value): A "x" | B "y"`) {
		t.Errorf("the step: failed %d, reason %q", rep.Failed, rep.Scenarios[0].Steps[0].Reason)
	}
}
