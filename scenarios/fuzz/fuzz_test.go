package fuzz_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios/fuzz"
	"github.com/fruxon/fruxon-mock/scenarios/junit"
	"github.com/fruxon/fruxon-mock/validator"
)

// The tests fuzz the real mock handler, and the same handler wrapped to
// plant one defect each: the fuzzer must report every planted defect with
// a reproducer and nothing against the mock itself.

const seed = 42

func newMock(t testing.TB) http.Handler {
	t.Helper()
	srv, err := mockserver.New(mockserver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func runFuzz(t testing.TB, h http.Handler, opts fuzz.Options) *fuzz.Report {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	opts.Target, opts.Client, opts.Validator, opts.Seed = ts.URL, ts.Client(), v, seed
	if opts.Token == "" {
		opts.Token = "fuzz-test-token"
	}
	rep, err := fuzz.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func failureText(rep *fuzz.Report) string {
	var b bytes.Buffer
	rep.WriteText(&b)
	return b.String()
}

// TestCleanAgainstTheMock: the mock keeps its contract, so a run finds
// nothing, and cleans up everything it created.
func TestCleanAgainstTheMock(t *testing.T) {
	rep := runFuzz(t, newMock(t), fuzz.Options{MaxExamples: 8, Chains: 2})
	if !rep.OK() {
		t.Fatalf("the mock failed checks:\n%s", failureText(rep))
	}
	if rep.Requests < 500 {
		t.Errorf("only %d requests", rep.Requests)
	}
	if rep.Cleanup.Failed > 0 {
		t.Errorf("cleanup failed: %+v", rep.Cleanup)
	}
}

// rewrite runs the mock and lets edit change the answer.
func rewrite(next http.Handler, edit func(r *http.Request, reqBody []byte, rec *httptest.ResponseRecorder)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		edit(r, body, rec)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// editJSON changes one member of a JSON object answer.
func editJSON(rec *httptest.ResponseRecorder, key string, value any) {
	var m map[string]any
	if json.Unmarshal(rec.Body.Bytes(), &m) != nil {
		return
	}
	m[key] = value
	b, _ := json.Marshal(m)
	rec.Body = bytes.NewBuffer(b)
}

var integrationPath = regexp.MustCompile(`^/v1/tenants/[^/]+/integrations/[^/:]+$`)

func TestFindsPlantedDefects(t *testing.T) {
	tests := []struct {
		name       string
		operations []string
		chains     int
		plant      func(http.Handler) http.Handler
		operation  string
		check      string
		inCurl     string
		shrunk     bool // the reproducer must be smaller than the request that failed
	}{
		{
			name: "wrong type for one field", operations: []string{"getIntegration"}, chains: -1,
			plant: func(next http.Handler) http.Handler {
				return rewrite(next, func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
					if r.Method == http.MethodGet && integrationPath.MatchString(r.URL.Path) && rec.Code == 200 {
						editJSON(rec, "isInternal", "no")
					}
				})
			},
			operation: "getIntegration", check: fuzz.CheckConformance, inCurl: "-X GET",
		},
		{
			name: "500 for one input", operations: []string{"createIntegration"}, chains: -1,
			plant: func(next http.Handler) http.Handler {
				return rewrite(next, func(r *http.Request, body []byte, rec *httptest.ResponseRecorder) {
					if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/integrations") && !isASCII(body) {
						rec.Code = 500
						rec.Body = bytes.NewBufferString(`{"type":"about:blank","title":"Internal Server Error","status":500,"traceId":"t"}`)
						rec.Header().Set("Content-Type", validator.ProblemContentType)
					}
				})
			},
			operation: "createIntegration", check: fuzz.CheckServerError, inCurl: "POST", shrunk: true,
		},
		{
			name: "accepts an over-long name", operations: []string{"createIntegration"}, chains: -1,
			plant: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					var m map[string]any
					if r.Method == http.MethodPost && json.Unmarshal(body, &m) == nil {
						if s, ok := m["displayName"].(string); ok && utf8.RuneCountInString(s) > 100 {
							m["displayName"] = string([]rune(s)[:100])
							body, _ = json.Marshal(m)
						}
					}
					r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
					next.ServeHTTP(w, r)
				})
			},
			operation: "createIntegration", check: fuzz.CheckInvalidRejected, inCurl: strings.Repeat("x", 101),
		},
		{
			name: "echoes a secret", operations: []string{"getIntegration"}, chains: 1,
			plant: func(next http.Handler) http.Handler {
				return rewrite(next, func(r *http.Request, body []byte, rec *httptest.ResponseRecorder) {
					var req struct {
						Auth struct {
							Parameters map[string]any `json:"parameters"`
						} `json:"auth"`
					}
					if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/configs") && rec.Code == 200 && json.Unmarshal(body, &req) == nil {
						for _, v := range req.Auth.Parameters {
							if s, ok := v.(string); ok && strings.HasPrefix(s, "fuzzsecret-") {
								editJSON(rec, "displayName", s)
							}
						}
					}
				})
			},
			operation: "createConfig", check: fuzz.CheckSecret, inCurl: "/configs",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runFuzz(t, tt.plant(newMock(t)), fuzz.Options{MaxExamples: 8, Chains: tt.chains, Operations: tt.operations})
			var found *fuzz.Failure
			for _, f := range rep.Failures {
				if f.Operation == tt.operation && f.Check == tt.check {
					found = f
				}
			}
			if found == nil {
				t.Fatalf("no %q failure on %s; report:\n%s", tt.check, tt.operation, failureText(rep))
			}
			if !strings.HasPrefix(found.Curl, "curl ") && !strings.Contains(found.Curl, "| curl ") || !strings.Contains(found.Curl, tt.inCurl) {
				t.Errorf("the reproducer %q lacks %q", found.Curl, tt.inCurl)
			}
			if strings.Contains(found.Curl, "fuzz-test-token") {
				t.Errorf("the reproducer carries the token: %s", found.Curl)
			}
			if found.Seed != seed || found.Status == 0 {
				t.Errorf("failure without seed or status: %+v", found)
			}
			if tt.shrunk {
				if found.Shrunk == 0 {
					t.Errorf("nothing was shrunk: %s", found.Curl)
				}
				// The shrunk request still fails.
				hr, _ := http.NewRequest(found.Request.Method, found.Request.URL(rep.Target), bytes.NewReader(mustJSON(found.Request.Body)))
				hr.Header = found.Request.Header.Clone()
				hr.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(hr)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != found.Status {
					t.Errorf("the shrunk request answers %d, the failure was %d", resp.StatusCode, found.Status)
				}
			}
			var xml bytes.Buffer
			if err := junit.Write(&xml, rep.JUnit()); err != nil || !strings.Contains(xml.String(), `type="`+tt.check+`"`) {
				t.Errorf("the JUnit report lacks the failure (%v):\n%s", err, xml.String())
			}
		})
	}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

var (
	traceHead = regexp.MustCompile(`(?m)^(\S+ \S+ → \d+)`)
	minted    = regexp.MustCompile(`[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|-[0-9a-f]{8}\b`)
)

// TestSameSeedSameRequests: two runs with one seed against two fresh mocks
// send the same requests and get the same statuses (ids the server mints
// masked), and another seed sends others.
func TestSameSeedSameRequests(t *testing.T) {
	// trace runs the fuzzer with seed s and returns its requests' heads;
	// given the heads of another run (until), it stops at the first head
	// that differs from them, which is all "another seed sends others"
	// needs (a full third run was a third of the test's time).
	trace := func(s uint64, until []string) (heads []string, differs bool) {
		ts := httptest.NewServer(newMock(t))
		defer ts.Close()
		v, _ := validator.Fruxon()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := &headWriter{until: until, cancel: cancel}
		_, err := fuzz.Run(ctx, fuzz.Options{
			Target: ts.URL, Client: ts.Client(), Validator: v, Token: "tok", Seed: s,
			MaxExamples: 4, Chains: 1, Trace: w, OversizeBytes: -1,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.heads, w.differs || (until != nil && len(w.heads) != len(until))
	}
	ah, _ := trace(7, nil)
	bh, _ := trace(7, nil)
	a, b := strings.Join(ah, "\n"), strings.Join(bh, "\n")
	if a != b {
		al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
		for i := range min(len(al), len(bl)) {
			if al[i] != bl[i] {
				t.Fatalf("runs differ at request %d:\n%s\n%s", i, al[i], bl[i])
			}
		}
		t.Fatalf("runs differ in length: %d and %d requests", len(al), len(bl))
	}
	if strings.Count(a, "\n") < 200 {
		t.Errorf("only %d requests traced", strings.Count(a, "\n"))
	}
	if _, differs := trace(8, ah); !differs {
		t.Error("another seed sent the same requests")
	}
}

// headWriter takes the fuzzer's trace, a line per Write, and keeps each
// line's head (method, URL, status; minted ids masked). With until set, it
// cancels the run at the first head that differs from until's.
type headWriter struct {
	mu      sync.Mutex
	heads   []string
	until   []string
	differs bool
	cancel  func()
}

func (w *headWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range traceHead.FindAllString(string(p), -1) {
		h := minted.ReplaceAllString(m, "<id>")
		if w.until != nil && !w.differs {
			if i := len(w.heads); i >= len(w.until) || w.until[i] != h {
				w.differs = true
				w.cancel()
			}
		}
		w.heads = append(w.heads, h)
	}
	return len(p), nil
}
