// Package kin checks the mock with a validator it does not use itself:
// kin-openapi (getkin/kin-openapi) reads the embedded spec and judges every
// exchange of the built-in scenario library's replay. The mock validates
// its answers with libopenapi-validator; a second, independent reading of
// the same document catches what one library gets wrong on both sides (a
// schema it compiles leniently, a format it doesn't assert).
//
// It is its own module so the main module doesn't depend on kin-openapi:
// `go test ./...` at the root leaves it out; .ci/run runs it
// (cd validator/independent/kin && go test ./...).
package kin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/replay"
	"github.com/fruxon/fruxon-mock/validator"
)

// exchange is one request the replay sent and the answer the mock gave.
type exchange struct {
	method, rawURL string
	reqHeader      http.Header
	reqBody        []byte
	status         int
	respHeader     http.Header
	respBody       []byte
}

// recorder wraps the mock's handler and keeps every exchange as the mock
// saw it: the request body as the handler read it, the status, headers and
// body it wrote. (Recording on the server side leaves the replay's own
// client alone: its fresh connections for the steps that want a dropped
// one, its handling of a 413 sent before the body was read.)
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	list []exchange
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in bytes.Buffer
	if r.Body != nil {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(r.Body, &in), r.Body}
	}
	cw := &capture{ResponseWriter: w}
	reqHeader := r.Header.Clone()
	rec.next.ServeHTTP(cw, r)
	if cw.hijacked {
		return // a dropped connection: no answer to check
	}
	status := cw.status
	if status == 0 {
		status = http.StatusOK
	}
	rec.mu.Lock()
	rec.list = append(rec.list, exchange{r.Method, r.URL.String(), reqHeader, in.Bytes(), status, cw.Header().Clone(), cw.body.Bytes()})
	rec.mu.Unlock()
}

// capture is a ResponseWriter that keeps what is written through it.
type capture struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	hijacked bool
}

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

func (c *capture) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (c *capture) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := c.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	c.hijacked = true
	return h.Hijack()
}

func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// replayLibrary replays the built-in library as `fruxon-mock replay` does
// without --target (a fresh in-process mock with the demo fixtures, strict
// response validation, the library's stubs) and returns what went over the
// wire.
func replayLibrary(t *testing.T) []exchange {
	t.Helper()
	lib, err := scenarios.Library()
	if err != nil {
		t.Fatal(err)
	}
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mockserver.New(mockserver.Config{
		Fixtures: set, Auth: mockserver.AuthPermissive, ValidateResponses: mockserver.ValidateStrict, Scenarios: lib,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: srv}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	isMock := true
	rep, err := replay.Replay(context.Background(), lib, replay.Options{
		Target: ts.URL, Validator: v, Token: "kin-openapi", Mock: &isMock, NoDurations: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		var b strings.Builder
		for _, sc := range rep.Scenarios {
			for _, st := range sc.Steps {
				if st.Outcome == replay.Failed {
					fmt.Fprintf(&b, "%s › %s: %s\n", sc.Name, st.Name, st.Reason)
				}
			}
		}
		t.Fatalf("the library does not pass: %s\n%s", rep.Summary(), b.String())
	}
	return rec.list
}

// TestKinOpenAPIOverTheLibrary: kin-openapi loads the embedded spec without
// an error, and finds nothing wrong in any answer of the library's replay
// (0 response findings). Requests are checked too: a request kin-openapi
// refuses must not have been answered with a 2xx (the mock would accept
// what the contract forbids); the library sends many bad requests on
// purpose, and those must be refused.
func TestKinOpenAPIOverTheLibrary(t *testing.T) {
	ctx := context.Background()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(validator.FruxonSpec())
	if err != nil {
		t.Fatalf("kin-openapi can't load the spec: %v", err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Errorf("kin-openapi finds the spec invalid: %v", err)
	}
	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	list := replayLibrary(t)
	if len(list) < 300 {
		t.Fatalf("%d exchanges recorded; the library sends more", len(list))
	}
	findings := map[string][]string{} // "op status side: message" → URLs
	checked, apiCalls := 0, 0
	var plantResp, plantReq *exchange
	for i, ex := range list {
		u, err := url.Parse(ex.rawURL)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u.Path, "/v1/") {
			continue // the control plane (/_mock/…): not this spec's
		}
		apiCalls++
		op, reqErr, respErr := check(t, doc, v, ex)
		if op == nil {
			continue // a route the spec doesn't have: the library's 404/405 steps
		}
		checked++
		if reqErr != nil && ex.status/100 == 2 && !rpcRefusal(op, ex) {
			key := fmt.Sprintf("%s %d request (answered %d): %v", op.ID, ex.status, ex.status, oneLine(reqErr))
			findings[key] = append(findings[key], ex.method+" "+u.RequestURI())
		}
		if respErr != nil {
			key := fmt.Sprintf("%s %d response: %v", op.ID, ex.status, oneLine(respErr))
			findings[key] = append(findings[key], ex.method+" "+u.RequestURI())
		}
		if op.ID == "getIntegration" && ex.status == 200 && plantResp == nil {
			plantResp = &list[i]
		}
		if op.ID == "createIntegration" && ex.status == 200 && plantReq == nil {
			plantReq = &list[i]
		}
	}
	// The check can fail: a planted unknown member in an answer and in an
	// accepted request body is found.
	if plantResp == nil || plantReq == nil {
		t.Fatal("no 200 getIntegration or createIntegration in the replay to plant a finding in")
	}
	bad := *plantResp
	bad.respBody = plant(t, bad.respBody)
	if _, _, err := check(t, doc, v, bad); err == nil {
		t.Errorf("kin-openapi passes a getIntegration answer with an undeclared member: the check can't see findings")
	}
	bad = *plantReq
	bad.reqBody = plant(t, bad.reqBody)
	if _, err, _ := check(t, doc, v, bad); err == nil {
		t.Errorf("kin-openapi passes a createIntegration body with an undeclared member: the check can't see findings")
	}
	t.Logf("kin-openapi checked %d exchanges of the spec's operations (%d /v1 calls, %d recorded)", checked, apiCalls, len(list))
	if checked < 300 {
		t.Errorf("only %d exchanges matched an operation", checked)
	}
	keys := make([]string, 0, len(findings))
	for k := range findings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		urls := findings[k]
		t.Errorf("%s\n    ×%d, e.g. %s", k, len(urls), urls[0])
	}
}

// check validates one exchange with kin-openapi: the operation it is
// (matched by the mock's validator, whose router knows the colon verbs),
// kin-openapi's findings on the request and on the answer.
func check(t *testing.T, doc *openapi3.T, v *validator.Validator, ex exchange) (*validator.Operation, error, error) {
	t.Helper()
	ctx := context.Background()
	u, err := url.Parse(ex.rawURL)
	if err != nil {
		t.Fatal(err)
	}
	op, params, err := v.Match(ex.method, u.EscapedPath())
	if err != nil || op == nil {
		return nil, nil, nil
	}
	item := doc.Paths.Find(op.Path)
	if item == nil || item.GetOperation(op.Method) == nil {
		t.Errorf("%s %s: kin-openapi has no operation %s %s", ex.method, u.Path, op.Method, op.Path)
		return nil, nil, nil
	}
	req, err := http.NewRequest(ex.method, ex.rawURL, bytes.NewReader(ex.reqBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = ex.reqHeader.Clone()
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      &routers.Route{Spec: doc, Path: op.Path, PathItem: item, Method: op.Method, Operation: item.GetOperation(op.Method)},
		Options: &openapi3filter.Options{
			MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
	}
	reqErr := openapi3filter.ValidateRequest(ctx, in)
	respErr := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 ex.status,
		Header:                 ex.respHeader,
		Body:                   io.NopCloser(bytes.NewReader(ex.respBody)),
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	})
	return op, reqErr, respErr
}

// plant adds an undeclared member to a JSON object.
func plant(t *testing.T, body []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, body)
	}
	m["plantedByTheTest"] = 1
	b, _ := json.Marshal(m)
	return b
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}

// rpcRefusal: an operation whose body is a JSON-RPC message
// (x-fruxon-jsonrpc: mcp:call, mcp:test) refuses a bad one with a JSON-RPC
// error in a 200 (-32700, -32600), not with a 4xx: that answer is a
// refusal, not an acceptance.
func rpcRefusal(op *validator.Operation, ex exchange) bool {
	return op.JSONRPC() && validator.EnvelopeRefusal(ex.respBody)
}
