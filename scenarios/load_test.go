package scenarios_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
)

// The minimal scenario must load as written.
const minimal = `name: publish-flow
steps:
  - name: create
    request: {method: POST, path: /v1/tenants/t1/integrations, body: {id: crm}}
    expect: {status: 200, body: {id: crm}}
    capture: {integrationId: $.id}
`

func TestParseMinimal(t *testing.T) {
	s, err := scenarios.Parse("minimal.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "publish-flow" || len(s.Steps) != 1 {
		t.Fatalf("got %q with %d steps", s.Name, len(s.Steps))
	}
	st := s.Steps[0]
	if st.Request.Method != "POST" || st.Request.Path != "/v1/tenants/t1/integrations" || !st.Request.HasBody {
		t.Errorf("request = %+v", st.Request)
	}
	if st.Expect.Status != 200 || !st.Expect.HasBody {
		t.Errorf("expect = %+v", st.Expect)
	}
	if len(st.Capture) != 1 || st.Capture[0].Var != "integrationId" || st.Capture[0].Path != "$.id" {
		t.Errorf("capture = %+v", st.Capture)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // the whole error message
	}{
		{"status not an integer", `name: x
steps:
  - request: {method: GET, path: /v1}
  - request: {method: GET, path: /v1}
  - request: {method: GET, path: /v1}
    expect:
      status: ok
`, "x.yaml:7: steps[2].expect.status: must be an integer"},
		{"unknown key", `name: x
steps:
  - request: {method: GET, path: /v1}
    expect: {stauts: 200}
`, "x.yaml:4: steps[0].expect.stauts: unknown field (known: status, error, headers, body, emptyBody, jsonPath, noSecretEchoed, minDuration, maxDuration)"},
		{"unknown top-level key", "name: x\nstep: []\n", "x.yaml:2: step: unknown field (known: name, description, requires, vars, stubs, vendorStubs, steps)"},
		{"missing name", "steps:\n  - request: {method: GET, path: /v1}\n", "x.yaml:1: name: is required"},
		{"bad name pattern", "name: 'a b'\nsteps: []\n", "x.yaml:1: name: must match ^[A-Za-z0-9_.-]+$"},
		{"missing method", "name: x\nsteps:\n  - request: {path: /v1}\n", "x.yaml:3: steps[0].request.method: is required"},
		{"missing request", "name: x\nsteps:\n  - name: a\n", "x.yaml:3: steps[0].request: is required"},
		{"lower-case method", "name: x\nsteps:\n  - request: {method: get, path: /v1}\n", "x.yaml:3: steps[0].request.method: must be an upper-case HTTP method such as GET"},
		{"relative path", "name: x\nsteps:\n  - request: {method: GET, path: v1}\n", "x.yaml:3: steps[0].request.path: must start with /"},
		{"status out of range", "name: x\nsteps:\n  - request: {method: GET, path: /v1}\n    expect: {status: 1000}\n", "x.yaml:4: steps[0].expect.status: must be an HTTP status (100-599)"},
		{"unknown variable", "name: x\nsteps:\n  - request: {method: GET, path: '/v1/{{nope}}'}\n", `x.yaml:3: steps[0].request.path: unknown variable "nope" (defined here: run, tenant)`},
		{"variable used before capture", `name: x
steps:
  - request: {method: GET, path: '/a/{{id}}'}
  - request: {method: GET, path: /a}
    capture: {id: $.id}
`, `x.yaml:3: steps[0].request.path: unknown variable "id" (defined here: run, tenant)`},
		{"bad template", "name: x\nsteps:\n  - request: {method: GET, path: '/v1/{{a b}}'}\n", `x.yaml:3: steps[0].request.path: {{a b}} is neither a variable name nor repeat "text" N`},
		{"bad repeat", "name: x\nsteps:\n  - request: {method: POST, path: /v1, body: {a: '{{repeat \"x\" 0}}'}}\n", `x.yaml:3: steps[0].request.body.a: {{repeat "x" 0}}: repeat wants a non-empty string and a count of at least 1`},
		{"bad regex", "name: x\nsteps:\n  - request: {method: GET, path: /v1}\n    expect: {headers: {ETag: '~('}}\n", "x.yaml:4: steps[0].expect.headers.ETag: bad regular expression \"(\": error parsing regexp: missing closing ): `(`"},
		{"bad jsonpath", "name: x\nsteps:\n  - request: {method: GET, path: /v1}\n    expect:\n      jsonPath: {'items[0]': 1}\n", `x.yaml:5: steps[0].expect.jsonPath.items[0]: "items[0]": a JSONPath starts with $`},
		{"bad capture", "name: x\nsteps:\n  - request: {method: GET, path: /v1}\n    capture: {id: 3}\n", "x.yaml:4: steps[0].capture.id: must be a JSONPath ($.id), {header: NAME} or {path: JSONPATH, match: REGEX}"},
		{"capture with header and path", "name: x\nsteps:\n  - request: {method: GET, path: /v1}\n    capture: {id: {header: A, path: $.id}}\n", "x.yaml:4: steps[0].capture.id: must have exactly one of header and path"},
		{"capture with a bad match", "name: x\nsteps:\n  - request: {method: GET, path: /v1}\n    capture: {id: {path: $.id, match: '('}}\n", "x.yaml:4: steps[0].capture.id.match: error parsing regexp: missing closing ): `(`"},
		{"duplicate step name", "name: x\nsteps:\n  - {name: a, request: {method: GET, path: /v1}}\n  - {name: a, request: {method: GET, path: /v1}}\n", `x.yaml:4: steps[1].name: "a" names an earlier step too`},
		{"duplicate key", "name: x\nname: y\n", "x.yaml:2: name: given twice"},
		{"error with status", "name: x\nsteps:\n  - request: {method: GET, path: /v1}\n    expect: {error: true, status: 200}\n", "x.yaml:4: steps[0].expect.status: a step that expects a transport error has no answer to check"},
		{"wrong type", "name: x\nsteps: {a: 1}\n", "x.yaml:2: steps: must be a list"},
		{"bad requires", "name: x\nrequires: [magic]\nsteps: []\n", `x.yaml:2: requires[0]: must be "stubs" or "mock"`},
		{"requires stubs without stubs", "name: x\nrequires: [stubs]\nsteps:\n  - request: {method: GET, path: /v1}\n", "x.yaml:2: requires: lists stubs, but the scenario has none"},
		{"empty scenario", "name: x\n", "x.yaml:1: a scenario needs stubs, vendorStubs or steps"},
		{"stub without answer", "name: x\nstubs:\n  - request: {path: /v1}\n", "x.yaml:3: stubs[0].response: is required (or problem, or fault: drop)"},
		{"stub with both answers", "name: x\nstubs:\n  - request: {path: /v1}\n    response: {status: 200}\n    problem: {status: 500}\n", "x.yaml:5: stubs[0].problem: a stub answers with response or problem, not both"},
		{"bad fault", "name: x\nstubs:\n  - request: {path: /v1}\n    fault: explode\n", `x.yaml:4: stubs[0].fault: must be "drop"`},
		{"bad latency", "name: x\nstubs:\n  - request: {path: /v1}\n    latency: fast\n    response: {status: 200}\n", "x.yaml:4: stubs[0].latency: must be a duration such as 200ms or 1.5s"},
		{"latency range upside down", "name: x\nstubs:\n  - request: {path: /v1}\n    latency: {min: 2s, max: 1s}\n    response: {status: 200}\n", "x.yaml:4: stubs[0].latency.max: must not be less than min"},
		{"times zero", "name: x\nstubs:\n  - request: {path: /v1}\n    times: 0\n    response: {status: 200}\n", "x.yaml:4: stubs[0].times: must be at least 1"},
		{"bad stub path", "name: x\nstubs:\n  - request: {path: '/v1/a{b}'}\n    response: {status: 200}\n", `x.yaml:3: stubs[0].request.path: segment "a{b}": a parameter or * must be the whole segment (a parameter may have a literal suffix)`},
		{"problem below 400", "name: x\nstubs:\n  - request: {path: /v1}\n    problem: {status: 302}\n", "x.yaml:4: stubs[0].problem.status: a problem's status is 400 or more"},
		{"two documents", "name: x\nsteps: []\n---\nname: y\n", "x.yaml:3: one scenario per file: a second YAML document starts here"},
		{"syntax error", "name: x\nsteps: [\n", "x.yaml:2: not valid YAML: did not find expected node content"},
		{"empty file", "", "x.yaml:1: the file is empty"},
		{"built-in var redefined", "name: x\nvars: {tenant: a}\nsteps: []\n", `x.yaml:2: vars.tenant: "tenant" is a built-in variable`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenarios.Parse("x.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			var le *scenarios.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *LoadError: %v", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
		})
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("b.yaml", "name: b\nsteps:\n  - request: {method: GET, path: /v1}\n")
	write("sub/a.yml", "name: a\nsteps:\n  - request: {method: GET, path: /v1}\n")
	write("notes.txt", "not a scenario")
	list, err := scenarios.LoadPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "b,a" {
		t.Errorf("loaded %s, want b,a (lexical file order)", got)
	}

	dup := write("c.yaml", "\nname: b\nsteps:\n  - request: {method: GET, path: /v1}\n")
	_, err = scenarios.LoadPaths(dir)
	want := dup + `:2: name: "b" is also the name of the scenario in ` + filepath.Join(dir, "b.yaml")
	if err == nil || err.Error() != want {
		t.Errorf("duplicate names: got %v, want %s", err, want)
	}
}

func TestLibraryLoads(t *testing.T) {
	list, err := scenarios.Library()
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, s := range list {
		if !strings.HasPrefix(s.File, "library/") {
			t.Errorf("%s: file %q, want library/…", s.Name, s.File)
		}
		if s.Description == "" {
			t.Errorf("%s has no description (scenarios list prints it)", s.Name)
		}
		steps += len(s.Steps)
	}
	if steps < 100 {
		t.Errorf("the library has %d steps, want at least 100", steps)
	}
}
