package validator_test

import (
	"bufio"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referenceDir is the real API's documentation, one file per endpoint,
// beside the project's root (../shared when CI runs).
const referenceDir = "../../shared/reference/fruxon-api"

// inferred are the operations the reference names (INDEX.md, "Not found")
// whose pages were not found: the only /v1/ operations allowed without a
// documentation page, each marked x-fruxon-source: {inferred: …}.
var inferred = []string{
	"GET /v1/tenants/{tenant}/integrations",
	"DELETE /v1/tenants/{tenant}/integrations/{integration}",
	"GET /v1/tenants/{tenant}/integrations/{integration}/configs",
	"DELETE /v1/tenants/{tenant}/integrations/{integration}/configs/{config}",
	"POST /v1/tenants/{tenant}/integrations/{integration}/configs/{config}:publish",
	"GET /v1/tenants/{tenant}/integrations/{integration}/configs/{config}/revisions",
	"GET /v1/tenants/{tenant}/integrations/{integration}/configs/{config}/revisions/{revision}",
}

type documentedOp struct{ file, url string }

var methodLine = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE)\s*$`)

// readReference maps "METHOD /path" to its page, from each endpoint file:
// line 1 is the page's URL, and a line holding only the method is followed
// by the path.
func readReference(t *testing.T) map[string]documentedOp {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(referenceDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("the API reference is not at %s (it sits beside the project's root as ../shared): %v", referenceDir, err)
	}
	ops := map[string]documentedOp{}
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "_") {
			continue // notes, not an endpoint
		}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var url, method, key string
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" && url != "" {
				continue
			}
			switch {
			case url == "":
				url = line
			case method != "":
				key = method + " " + strings.Fields(line)[0]
			case methodLine.MatchString(line):
				method = line
				continue
			}
			if key != "" {
				break
			}
		}
		fh.Close()
		if key == "" {
			t.Fatalf("%s: no method line followed by a path", f)
		}
		ops[key] = documentedOp{filepath.Base(f), url}
	}
	return ops
}

// TestSpecIsTheDocumentedSurface holds the contract to the reference: every
// documented operation is in the spec with its page as source, and nothing
// is in /v1/ that the reference neither documents nor names.
func TestSpecIsTheDocumentedSurface(t *testing.T) {
	documented := readReference(t)
	if len(documented) < 50 {
		t.Fatalf("read %d documented operations from %s; expected the 50 endpoints and authMetadata:settings", len(documented), referenceDir)
	}
	v := api(t)
	inSpec := map[string]bool{}
	for _, op := range v.Operations() {
		key := op.Method + " " + op.Path
		inSpec[key] = true
		kind, detail, ok := op.Source()
		doc, isDoc := documented[key]
		switch {
		case isDoc:
			if !ok || kind != "documented" || strings.TrimRight(detail, "/") != strings.TrimRight(doc.url, "/") {
				t.Errorf("%s (%s) is documented at %s (%s); its x-fruxon-source says %q %q", key, op.ID, doc.url, doc.file, kind, detail)
			}
		case slices.Contains(inferred, key):
			if !ok || kind != "inferred" {
				t.Errorf("%s (%s) has no documentation page; its x-fruxon-source must be {inferred: why}, not %q %q", key, op.ID, kind, detail)
			}
		default:
			t.Errorf("%s (%s) is in the spec, but the reference neither documents nor names it", key, op.ID)
		}
	}
	for key, doc := range documented {
		if !inSpec[key] {
			t.Errorf("%s is documented (%s) but the spec lacks it", key, doc.file)
		}
	}
	for _, key := range inferred {
		if !inSpec[key] {
			t.Errorf("%s is named by the reference (INDEX.md, Not found) but the spec lacks it", key)
		}
	}
}

var curlLine = regexp.MustCompile(`^curl -X (GET|POST|PUT|PATCH|DELETE) "https://api\.fruxon\.com([^"]+)".*-d '(.*)'\s*$`)

// TestDocumentedRequestExamplesValidate sends each page's curl example
// (its -d body) through the spec's request validation: an example the
// documentation shows must be a request the mock accepts. Only a page's
// first curl line counts: a second one is the older render's (importMcp's
// superseded integrations:import-mcp).
func TestDocumentedRequestExamplesValidate(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(referenceDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("the API reference is not at %s (it sits beside the project's root as ../shared): %v", referenceDir, err)
	}
	v := api(t)
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.HasPrefix(line, "curl ") {
				continue
			}
			m := curlLine.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				break // the first curl line sends no body
			}
			method, target, body := m[1], m[2], m[3]
			op, _, err := v.Match(method, strings.SplitN(target, "?", 2)[0])
			if err != nil {
				t.Errorf("%s: the documented request %s %s matches no operation: %v", filepath.Base(f), method, target, err)
				break
			}
			r := httptest.NewRequest(method, target, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer documented-example")
			if fs := v.ValidateRequest(r, op); len(fs) > 0 {
				t.Errorf("%s: the documented request %s %s %s breaks %s: %s", filepath.Base(f), method, target, body, op.ID, fs.String())
			}
			checked++ // checked, whatever the verdict
			break
		}
	}
	if checked < 24 {
		t.Fatalf("checked %d documented request examples; the reference shows 24", checked)
	}
}
