package fuzz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
)

// Check names, as failures report them.
const (
	CheckServerError     = "no server error"
	CheckConformance     = "response conforms to the spec"
	CheckValidAccepted   = "valid request accepted"
	CheckInvalidRejected = "invalid request rejected"
	CheckFieldNamed      = "problem names the broken field"
	CheckProblem         = "problem details well formed"
	CheckAuth            = "401/403 as the contract says"
	CheckSecret          = "secrets never echoed"
	CheckState           = "state behaves"
)

// expect is what a case's answer must be.
type expect int

const (
	expectValid        expect = iota // 2xx, or a 4xx problem naming a field (a meaning the generator can't know)
	expectField                      // 400/422 problem whose errors name the broken field
	expectStatus                     // one of the case's statuses, as a problem
	expectUnauthorized               // 401, empty body, WWW-Authenticate
	expectRPCError                   // a JSON-RPC error (-32700, -32600) with a null id, in a 200
)

// testCase is one request with what its answer must be.
type testCase struct {
	op      *operation
	req     *Request
	expect  expect
	rule    string   // the broken rule of a negative case
	fields  []string // errors keys any of which satisfies expectField
	allowed []int    // statuses for expectStatus
	// baseStatus is the status the valid request this case was derived
	// from got: a negative case may answer it too when it is a 404 (the
	// resource isn't there, whatever the body says).
	baseStatus int
	// chain marks a step of a stateful chain: never shrunk (its state
	// can't be replayed alone), described by its rule.
	chain bool
}

func (c *testCase) describe() string {
	if c.chain {
		return c.rule
	}
	if c.expect == expectValid {
		return "valid request"
	}
	if len(c.fields) > 0 {
		return fmt.Sprintf("invalid: %s at %s", c.rule, c.fields[0])
	}
	return "invalid: " + c.rule
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// verdict is one failed check.
type verdict struct {
	check, message string
}

// checker runs the checks every answer gets.
type checker struct {
	v       *validator.Validator
	secrets [][]byte
}

// remember adds a secret the run sent; answers must never carry it.
// Short values would match by chance and are not tracked.
func (k *checker) remember(secret string) {
	if len(secret) >= 8 && !slices.ContainsFunc(k.secrets, func(b []byte) bool { return string(b) == secret }) {
		k.secrets = append(k.secrets, []byte(secret))
	}
}

// check returns the first failed check of an answer, or nil.
func (k *checker) check(c *testCase, hr *http.Request, a *answer) *verdict {
	if a.status >= 500 && !(c.op.op.Declares(a.status) && (a.status == http.StatusBadGateway || a.status == http.StatusGatewayTimeout)) {
		return &verdict{CheckServerError, fmt.Sprintf("answered %d", a.status)}
	}
	if v := k.secret(a); v != nil {
		return v
	}
	if fs := k.v.ValidateResponse(hr, c.op.op, a.status, a.header, a.body); len(fs) > 0 {
		return &verdict{CheckConformance, fs.String()}
	}
	if v := problemShape(a); v != nil {
		return v
	}
	return expectation(c, a)
}

// redact replaces the secrets the run sent by [secret], for excerpts.
func (k *checker) redact(s string) string {
	for _, sec := range k.secrets {
		s = strings.ReplaceAll(s, string(sec), "[secret]")
	}
	return s
}

func (k *checker) secret(a *answer) *verdict {
	for _, s := range k.secrets {
		if bytes.Contains(a.body, s) {
			return &verdict{CheckSecret, fmt.Sprintf("the body carries a secret the run sent (%s…)", s[:4])}
		}
		for name, vals := range a.header {
			for _, v := range vals {
				if strings.Contains(v, string(s)) {
					return &verdict{CheckSecret, fmt.Sprintf("header %s carries a secret the run sent", name)}
				}
			}
		}
	}
	return nil
}

// problem is the part of a problem-details body the checks read.
type problem struct {
	Type    *string             `json:"type"`
	Title   *string             `json:"title"`
	Status  *int                `json:"status"`
	TraceID string              `json:"traceId"`
	Errors  map[string][]string `json:"errors"`
}

// problemShape checks error answers: 401/403 empty, the others RFC 9457
// with a traceId and the answer's status.
func problemShape(a *answer) *verdict {
	switch {
	case a.status < 400:
		return nil
	case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
		if len(a.body) > 0 {
			return &verdict{CheckAuth, fmt.Sprintf("%d with a %d-byte body (the contract says empty)", a.status, len(a.body))}
		}
		if a.status == http.StatusUnauthorized && !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
			return &verdict{CheckAuth, "401 without WWW-Authenticate: Bearer"}
		}
		return nil
	}
	mt, _, _ := mime.ParseMediaType(a.header.Get("Content-Type"))
	if mt != validator.ProblemContentType {
		return &verdict{CheckProblem, fmt.Sprintf("%d answered as %q, not %s", a.status, mt, validator.ProblemContentType)}
	}
	var p problem
	if err := json.Unmarshal(a.body, &p); err != nil {
		return &verdict{CheckProblem, "the problem is not JSON: " + err.Error()}
	}
	switch {
	case p.Type == nil || p.Title == nil:
		return &verdict{CheckProblem, "the problem lacks type or title"}
	case p.Status == nil || *p.Status != a.status:
		return &verdict{CheckProblem, fmt.Sprintf("the problem's status is not the answer's %d", a.status)}
	case p.TraceID == "":
		return &verdict{CheckProblem, "the problem has no traceId"}
	case a.status == http.StatusBadRequest && len(p.Errors) == 0:
		return &verdict{CheckProblem, "a 400 problem without errors"}
	}
	return nil
}

// expectation checks the status against what the case expects.
func expectation(c *testCase, a *answer) *verdict {
	ok := a.status >= 200 && a.status < 300
	switch c.expect {
	case expectValid:
		switch {
		case ok, a.status == http.StatusNotFound, a.status == http.StatusConflict,
			a.status == http.StatusBadGateway, a.status == http.StatusGatewayTimeout:
			return nil
		case a.status == http.StatusBadRequest || a.status == http.StatusUnprocessableEntity:
			return nil // a meaning check; problemShape made sure it names a field
		case a.status == http.StatusUnauthorized && c.op.keyOnly:
			// The operation takes only an apiKeyAuth key (the integration's
			// MCP key, minted by MCP settings) the generator can't know:
			// like Schemathesis, whose positive-data check allows 401/403
			// when no credential for the scheme was configured, a 401 is
			// the expected answer, not a rejection of valid data. The
			// answer's shape (empty, WWW-Authenticate) is still checked.
			return nil
		}
		return &verdict{CheckValidAccepted, fmt.Sprintf("a request valid by the spec got %d", a.status)}
	case expectUnauthorized:
		if a.status != http.StatusUnauthorized {
			return &verdict{CheckAuth, fmt.Sprintf("%s got %d, want 401", c.rule, a.status)}
		}
		return nil
	case expectRPCError:
		return rpcError(c, a)
	}
	if ok {
		return &verdict{CheckInvalidRejected, fmt.Sprintf("accepted (%d) %s", a.status, c.describe())}
	}
	if a.status == c.baseStatus && a.status == http.StatusNotFound {
		return nil
	}
	if c.expect == expectStatus {
		if !slices.Contains(c.allowed, a.status) {
			return &verdict{CheckInvalidRejected, fmt.Sprintf("%s got %d, want one of %v", c.describe(), a.status, c.allowed)}
		}
		return nil
	}
	if a.status != http.StatusBadRequest && a.status != http.StatusUnprocessableEntity {
		return &verdict{CheckInvalidRejected, fmt.Sprintf("%s got %d, want 400", c.describe(), a.status)}
	}
	var p problem
	_ = json.Unmarshal(a.body, &p)
	for key := range p.Errors {
		for _, f := range c.fields {
			if samePath(key, f) {
				return nil
			}
		}
	}
	keys := make([]string, 0, len(p.Errors))
	for key := range p.Errors {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return &verdict{CheckFieldNamed, fmt.Sprintf("%s: errors name %s", c.describe(), strings.Join(keys, ", "))}
}

// samePath reports whether two field paths name the same field, or one
// contains the other (a wrong-typed object may be reported at a member).
func samePath(a, b string) bool {
	if a == b {
		return true
	}
	long, short := a, b
	if len(b) > len(a) {
		long, short = b, a
	}
	return short != "" && strings.HasPrefix(long, short) && (long[len(short)] == '.' || long[len(short)] == '[')
}

// rpcError checks the answer to a JSON-RPC operation's broken body: the
// MCP key is checked first (a 401 when the case carries none the mock
// knows), then the envelope, answered as MCP clients expect: a JSON-RPC
// error with a null id in a 200 (-32700 for a body that isn't JSON,
// -32600 for one that isn't a request).
func rpcError(c *testCase, a *answer) *verdict {
	if a.status == http.StatusUnauthorized && c.op.keyOnly {
		return nil
	}
	if a.status == http.StatusNotFound && c.baseStatus == http.StatusNotFound {
		return nil // the integration isn't there, whatever the body says
	}
	if a.status != http.StatusOK || !validator.EnvelopeRefusal(a.body) {
		return &verdict{CheckInvalidRejected, fmt.Sprintf("%s got %d %.120q, want a JSON-RPC error (-32700 or -32600) with a null id in a 200", c.describe(), a.status, a.body)}
	}
	return nil
}
