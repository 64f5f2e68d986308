package mockserver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/validator"
)

// newerSpec is the embedded spec plus two operations the mock has no
// behaviour for: one with credentials, one anonymous (security: []).
func newerSpec(t *testing.T) []byte {
	t.Helper()
	extra := `paths:
  /v1/tenants/{tenant}/widgets/{widget}:
    get:
      operationId: getWidget
      x-fruxon-source: {inferred: "a test's newer spec"}
      parameters:
        - {name: tenant, in: path, required: true, schema: {type: string}}
        - {name: widget, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A widget.
          content:
            application/json:
              schema:
                type: object
                required: [id, size]
                properties:
                  id: {type: string}
                  size: {type: integer}
              example: {id: w-1, size: 3}
        '401':
          $ref: '#/components/responses/Unauthorized'
  /v1/tenants/{tenant}/widgets:public:
    get:
      operationId: listPublicWidgets
      x-fruxon-source: {inferred: "a test's newer spec"}
      security: []
      parameters:
        - {name: tenant, in: path, required: true, schema: {type: string}}
      responses:
        '204':
          description: Nothing to say.
`
	spec := string(validator.FruxonSpec())
	if !strings.Contains(spec, "\npaths:\n") {
		t.Fatal("the embedded spec has no top-level paths: line to extend")
	}
	return []byte(strings.Replace(spec, "\npaths:\n", "\n"+extra, 1))
}

// An operation without behaviour answers its spec example, validated,
// marked in the answer's header and in the journal; never a 404.
func TestOperationWithoutBehaviourAnswersItsExample(t *testing.T) {
	c, logs := start(t, mockserver.Config{Spec: newerSpec(t)})
	a := c.Must(200, "GET", api+"/widgets/w-9", "")
	var got map[string]any
	if err := json.Unmarshal(a.Body, &got); err != nil || got["id"] != "w-1" || got["size"] != float64(3) {
		t.Fatalf("body = %s (%v), want the spec's example {id: w-1, size: 3}", a.Body, err)
	}
	if h := a.Header.Get(mockserver.AnswerHeader); h != "example" {
		t.Errorf("%s = %q, want example", mockserver.AnswerHeader, h)
	}
	// Credentials are still checked on an operation that requires them.
	if st := c.Do("GET", api+"/widgets/w-9", "", "Authorization", "").Status; st != 401 {
		t.Errorf("without credentials: %d, want 401", st)
	}
	j := c.Must(200, "GET", "/_mock/journal?limit=10", "", "Authorization", "")
	var page struct {
		Items []struct {
			OperationID *string `json:"operationId"`
			Status      int     `json:"status"`
			Example     bool    `json:"example"`
		} `json:"items"`
	}
	if err := json.Unmarshal(j.Body, &page); err != nil {
		t.Fatalf("journal: %v: %s", err, j.Body)
	}
	marked := false
	for _, e := range page.Items {
		if e.OperationID != nil && *e.OperationID == "getWidget" && e.Status == 200 {
			marked = e.Example
		}
	}
	if !marked {
		t.Errorf("the journal does not mark the example answer: %s", j.Body)
	}
	if !strings.Contains(logs.String(), `"answer":"example"`) {
		t.Errorf("the access log does not mark the example answer: %s", logs.String())
	}
}

// An operation declaring security: [] takes no credentials.
func TestAnonymousOperationTakesNoCredentials(t *testing.T) {
	c, _ := start(t, mockserver.Config{Spec: newerSpec(t)})
	c.Must(204, "GET", api+"/widgets:public", "", "Authorization", "")
	// Operations that declare no such thing still refuse.
	if st := c.Do("GET", api+"/integrations", "", "Authorization", "").Status; st != 401 {
		t.Errorf("GET integrations without credentials: %d, want 401", st)
	}
}
