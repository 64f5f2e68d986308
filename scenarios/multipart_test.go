package scenarios_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
)

func TestParseMultipart(t *testing.T) {
	s, err := scenarios.Parse("m.yaml", []byte(`name: m
vars: {file: notes.md}
steps:
  - request:
      method: POST
      path: /v1/tenants/t1/assets:file
      multipart:
        - {name: Payload, value: '{"Vectorize":false}'}
        - {name: File, fileName: '{{file}}', contentType: text/markdown, value: "# Notes\n"}
`))
	if err != nil {
		t.Fatal(err)
	}
	got := s.Steps[0].Request.Multipart
	want := []scenarios.FormPart{{Name: "Payload", Value: `{"Vectorize":false}`},
		{Name: "File", FileName: "{{file}}", ContentType: "text/markdown", Value: "# Notes\n"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("multipart = %+v, want %+v", got, want)
	}
	if s.Steps[0].Request.HasBody || s.Steps[0].Request.RawBody != nil {
		t.Errorf("a multipart request has a body too: %+v", s.Steps[0].Request)
	}

	for _, tt := range []struct{ name, yaml, want string }{
		{"with body", "  - request: {method: POST, path: /v1, body: {}, multipart: [{name: a, value: b}]}\n",
			"x.yaml:3: steps[0].request.multipart: a request has one of body, rawBody or multipart"},
		{"empty", "  - request: {method: POST, path: /v1, multipart: []}\n",
			"x.yaml:3: steps[0].request.multipart: must list at least one part"},
		{"no value", "  - request: {method: POST, path: /v1, multipart: [{name: a}]}\n",
			"x.yaml:3: steps[0].request.multipart[0].value: is required"},
		{"unknown key", "  - request: {method: POST, path: /v1, multipart: [{name: a, value: b, file: c}]}\n",
			"x.yaml:3: steps[0].request.multipart[0].file: unknown field (known: name, value, fileName, contentType)"},
		{"content type without file", "  - request: {method: POST, path: /v1, multipart: [{name: a, value: b, contentType: text/plain}]}\n",
			"x.yaml:3: steps[0].request.multipart[0].contentType: goes with fileName (a file part)"},
		{"unknown variable", "  - request: {method: POST, path: /v1, multipart: [{name: a, value: '{{nope}}'}]}\n",
			`x.yaml:3: steps[0].request.multipart[0].value: unknown variable "nope" (defined here: run, tenant)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenarios.Parse("x.yaml", []byte("name: x\nsteps:\n"+tt.yaml))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error\n got: %v\nwant: %s", err, tt.want)
			}
		})
	}
}
