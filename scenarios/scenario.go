// Package scenarios is the scenario format of fruxon-mock (DESIGN §8): YAML
// files, one scenario each, that script the mock from the server side
// (stubs, run by an Engine) and drive a target from the client side
// (steps, run by Replay). The format is documented in README.md and
// described for editors by scenario.schema.json.
//
// A Scenario is immutable once loaded; share it freely between an Engine
// and a replay.
package scenarios

import (
	"regexp"
	"strings"
	"time"
)

// Scenario is one parsed scenario file.
type Scenario struct {
	// Name identifies the scenario (pattern ^[A-Za-z0-9_.-]+$); it is what
	// X-Fruxon-Mock-Scenario and the control plane name.
	Name        string
	Description string
	// Requires lists what the target must offer for the steps to make
	// sense: RequireStubs (the target runs this scenario's stubs) and
	// RequireMock (the target is fruxon-mock, not the real API).
	Requires []string
	// Vars are the scenario's own variables, available to every step, in
	// file order; a value may use built-in and earlier variables.
	Vars []Var
	// Stubs are the server-side script, in file order.
	Stubs []*Stub
	// Steps are the client-side script, in file order.
	Steps []*Step
	// VendorStubs answer tool runs that are not sent out (SIMULATED, or a
	// target off the outbound allow list) while the scenario applies to
	// the :run request, in file order.
	VendorStubs []VendorStub
	// File is where the scenario was loaded from (for messages).
	File string

	nameLine int
}

// Var is a scenario variable as written.
type Var struct {
	Name, Value string
}

// Requirements a scenario can list under requires.
const (
	RequireStubs = "stubs"
	RequireMock  = "mock"
)

// Needs reports whether the scenario lists the requirement.
func (s *Scenario) Needs(what string) bool {
	for _, r := range s.Requires {
		if r == what {
			return true
		}
	}
	return false
}

// Stub is one scripted answer: when a request matches, the stub answers
// instead of the mock's stateful behaviour.
type Stub struct {
	// Name is the stub's name, "stubs[i]" when the file gives none.
	Name string
	Line int
	// Request is what the stub matches.
	Request StubRequest
	// WhenState, when set, limits the stub to that state of the scenario
	// ("Started" is the initial state).
	WhenState string
	// SetState is the state the scenario moves to when the stub answers.
	SetState string
	// Times, when positive, limits the stub to its first Times matches
	// (counted per session).
	Times int
	// Latency delays the answer by a fixed time (Min == Max) or a random
	// time in [Min, Max].
	Latency Latency
	// Fault is FaultDrop to close the connection without an answer.
	Fault string
	// Response is a literal answer; Problem a problem-details one. Exactly
	// one is set unless Fault is FaultDrop.
	Response *Response
	Problem  *Problem
	// AllowViolation lets the stub answer outside the contract.
	AllowViolation bool

	// AnswerLine is where response or problem starts, for errors.
	AnswerLine int
}

// VendorStub is a canned vendor answer for tool runs (DESIGN §3). Empty
// selector fields match anything; the server picks the most specific stub.
// Unlike Stub it has no states, counters or latency.
type VendorStub struct {
	// Line is where the entry starts, for messages.
	Line int
	// Tenant, Integration (always set), Tool and Route (RoutePRODUCTION,
	// RouteVENDOR, RouteSIMULATED or "") select the runs it answers.
	Tenant, Integration, Tool, Route string
	// Status (100-599), Headers and Body are the vendor's answer; Body is
	// a JSON-shaped value, nil when the file gives none.
	Status  int
	Headers map[string]string
	Body    any
}

// Routes a vendor stub may name (the ToolRun route values).
const (
	RouteProduction = "PRODUCTION"
	RouteVendor     = "VENDOR"
	RouteSimulated  = "SIMULATED"
)

// FaultDrop is the fault that drops the connection.
const FaultDrop = "drop"

// InitialState is the state every scenario starts in (as in WireMock).
const InitialState = "Started"

// StubRequest is what a stub matches. Empty fields match anything.
type StubRequest struct {
	// Method is an HTTP method, or "" for any.
	Method string
	// Path is a template: "{x}" matches one segment without ':', "*" any
	// one segment, a trailing "/**" any rest of the path.
	Path    string
	Headers map[string]Matcher
	Query   map[string]Matcher
	// Body is a subset the request's JSON body must contain (see Subset).
	Body    any
	HasBody bool
}

// Response is a stub's literal answer. Body is sent as JSON.
type Response struct {
	Status  int
	Headers map[string]string
	Body    any
	HasBody bool
}

// Problem is a stub's problem-details answer (RFC 9457).
type Problem struct {
	Status  int
	Title   string
	Detail  string
	Type    string
	Errors  map[string][]string
	Headers map[string]string
}

// Latency is a fixed delay (Min == Max) or a range.
type Latency struct {
	Min, Max time.Duration
}

// Step is one request of the client-side script and what its answer must be.
type Step struct {
	Name    string
	Line    int
	Request StepRequest
	Expect  Expect
	// Capture stores values of the answer into variables, in file order.
	Capture []Capture
}

// StepRequest is the request a step sends. Strings may hold {{templates}}.
type StepRequest struct {
	Method  string
	Path    string
	Headers map[string]string
	Query   []QueryParam
	// Body is sent as JSON (Content-Type application/json unless a header
	// says otherwise); RawBody is sent as is. At most one is set.
	Body    any
	HasBody bool
	RawBody *string
	// Multipart, when set, is sent as multipart/form-data, parts in order
	// (instead of body or rawBody).
	Multipart []FormPart
	// NoAuth leaves the Authorization header out (auth: none).
	NoAuth bool
}

// FormPart is one part of a multipart/form-data body. Value and FileName
// may hold {{templates}}.
type FormPart struct {
	Name string
	// Value is the part's content (a file's text for a file part).
	Value string
	// FileName makes it a file part; ContentType is the file's type
	// (application/octet-stream when empty).
	FileName    string
	ContentType string
}

// QueryParam is one query parameter; several values repeat it.
type QueryParam struct {
	Name   string
	Values []string
}

// Expect is what a step's answer must be.
type Expect struct {
	// Status is the expected HTTP status (0: any).
	Status int
	// Error expects a transport error (a dropped connection) instead of
	// an answer.
	Error bool
	// Headers match response headers (see Matcher).
	Headers map[string]Matcher
	// Body is a subset the JSON body must contain (see Subset).
	Body    any
	HasBody bool
	// EmptyBody expects no body at all.
	EmptyBody bool
	// JSONPath assertions, in file order.
	JSONPath []Assertion
	// NoSecretEchoed lists strings that must not appear anywhere in the
	// answer's headers or body.
	NoSecretEchoed []string
	// MinDuration and MaxDuration bound how long the answer took.
	MinDuration time.Duration
	MaxDuration time.Duration
}

// Assertion is a JSONPath expression and the matcher its value must meet.
type Assertion struct {
	Path     string
	Want     any
	Line     int
	compiled *JSONPath
}

// Capture stores a value of the answer into a variable: the value at a
// JSONPath of the body, or a response header.
type Capture struct {
	Var    string
	Path   string // JSONPath, when Header is ""
	Header string
	// Match, when set, keeps only part of the captured string: the
	// regular expression's first group, or its whole match when it has no
	// group (e.g. the path of a URL the answer shows whole).
	Match    *regexp.Regexp
	Line     int
	compiled *JSONPath
}

// Matcher is a string matcher as written in a file: "present", "absent",
// "~regex", "\\" to escape a leading "~" or a keyword, else exact.
type Matcher struct {
	raw string
	re  *regexp.Regexp // compiled when raw is a regex without templates
}

// String is the matcher as written.
func (m Matcher) String() string { return m.raw }

// Expr is the compiled JSONPath of the assertion.
func (a Assertion) Expr() *JSONPath { return a.compiled }

// Expr is the compiled JSONPath of the capture (nil for a header capture).
func (c Capture) Expr() *JSONPath { return c.compiled }

// Headers that tie a request to scenarios: a replay sends them, the stub
// engine reads them.
const (
	// ScenarioHeader names the scenario whose stubs apply to the request.
	ScenarioHeader = "X-Fruxon-Mock-Scenario"
	// SessionHeader keeps a scenario's state apart from other sessions'.
	SessionHeader = "X-Fruxon-Mock-Session"
	// ControlTokenHeader carries a mock's --control-token on /_mock/*
	// calls (mockserver.ControlTokenHeader).
	ControlTokenHeader = "X-Fruxon-Mock-Control-Token"
	// ForcedHeader marks an answer the mock's scripting forced ("prefer":
	// a Prefer header, "stub": a scenario stub), which coverage counts
	// apart from the answers a client reached.
	ForcedHeader = "X-Fruxon-Mock-Forced"
)

// ControlPath reports whether a URL path is on a fruxon-mock's control
// plane (/_mock/*), where a --control-token is asked for.
func ControlPath(path string) bool { return strings.HasPrefix(path, "/_mock/") }
