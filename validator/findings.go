package validator

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/jsonschema/v6/kind"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Finding is one way an exchange breaks the contract: the one type every
// tool that checks exchanges reports (the mock's journal and log, the
// proxy, validate-traffic, replay, fuzz). Its JSON is the proxy journal's.
type Finding struct {
	// Side is the leg of the exchange: ValidateResponse's findings are on
	// the response, all others on the request.
	Side Side `json:"side"`
	// In is where the finding is: body, query, path, header, content-type,
	// status, method, or empty when it concerns the whole exchange.
	In string `json:"in,omitempty"`
	// Field is the JSON path of the offending value in the body
	// ("configMetadata.authMetadata[0].type") or a parameter's name.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	kind    findingKind
}

type findingKind int

const (
	kindInvalid findingKind = iota
	kindContentType
	kindMissingPath
	kindMissingOperation
	kindInternal // the spec itself is broken: never the client's fault
)

// Findings is the outcome of one validation; empty means valid.
type Findings []Finding

// Internal reports whether a finding blames the spec (a schema that failed
// to compile) rather than the exchange.
func (fs Findings) Internal() bool {
	for _, f := range fs {
		if f.kind == kindInternal {
			return true
		}
	}
	return false
}

// BodyOnly reports whether every finding is on the request's body
// (neither its content type nor a parameter, nor the spec's fault).
func (fs Findings) BodyOnly() bool {
	for _, f := range fs {
		if f.In != "body" || f.kind != kindInvalid {
			return false
		}
	}
	return len(fs) > 0
}

// Status is the HTTP status that best answers a request with these
// findings: 500 for a broken spec, 404/405 for routing, 415 for a content
// type, else 400.
func (fs Findings) Status() int {
	status := http.StatusBadRequest
	for _, f := range fs {
		switch f.kind {
		case kindInternal:
			return http.StatusInternalServerError
		case kindMissingPath:
			status = http.StatusNotFound
		case kindMissingOperation:
			if status != http.StatusNotFound {
				status = http.StatusMethodNotAllowed
			}
		case kindContentType:
			if status == http.StatusBadRequest {
				status = http.StatusUnsupportedMediaType
			}
		}
	}
	return status
}

// Errors groups the findings by field, the shape of a validation
// problem's errors member. Findings without a field go under the key of
// where they are ("body", "content-type").
func (fs Findings) Errors() map[string][]string {
	out := make(map[string][]string, len(fs))
	for _, f := range fs {
		key := f.Field
		if key == "" {
			key = f.In
		}
		if key == "" {
			key = "request"
		}
		if !containsString(out[key], f.Message) {
			out[key] = append(out[key], f.Message)
		}
	}
	return out
}

// Problem turns request findings into the problem-details answer. A broken
// spec is an internal error whose detail names no client field.
func (fs Findings) Problem() *Problem {
	status := fs.Status()
	switch status {
	case http.StatusInternalServerError:
		return NewProblem(status, "the API description could not be applied to this request")
	case http.StatusBadRequest:
		p := NewProblem(status, fs.summary("the request does not match the API contract"))
		p.Title = "One or more validation errors occurred."
		p.Errors = fs.Errors()
		return p
	default:
		p := NewProblem(status, fs.summary(""))
		p.Errors = fs.Errors()
		return p
	}
}

func (fs Findings) summary(prefix string) string {
	if len(fs) == 0 {
		return prefix
	}
	f := fs[0]
	s := f.Message
	if f.Field != "" {
		s = f.Field + ": " + s
	}
	if len(fs) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(fs)-1)
	}
	if prefix != "" {
		return prefix + ": " + s
	}
	return s
}

// String renders the findings on one line, for logs and headers.
func (fs Findings) String() string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		p := f.Message
		if f.Field != "" {
			p = f.Field + ": " + p
		} else if f.In != "" {
			p = f.In + ": " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func fromLibErrors(errs []*liberrors.ValidationError, prefix string) Findings {
	var fs Findings
	for _, e := range errs {
		fs = append(fs, fromLibError(e)...)
	}
	if prefix != "" {
		for i := range fs {
			if fs[i].In == "" {
				fs[i].In = prefix
			}
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Field < fs[j].Field })
	return fs
}

func fromLibError(e *liberrors.ValidationError) Findings {
	msg := strings.TrimSpace(e.Message)
	switch {
	case strings.Contains(msg, "failed schema compilation"):
		return Findings{{Message: msg, kind: kindInternal}}
	case e.IsPathMissingError():
		return Findings{{In: "path", Message: msg, kind: kindMissingPath}}
	case e.IsOperationMissingError():
		return Findings{{Message: msg, kind: kindMissingOperation}}
	case e.ValidationSubType == helpers.RequestBodyContentType:
		return Findings{{In: "content-type", Field: "Content-Type", Message: contentTypeMessage(e), kind: kindContentType}}
	case e.ValidationType == helpers.ParameterValidation:
		return Findings{{In: e.ValidationSubType, Field: e.ParameterName, Message: paramMessage(e)}}
	}
	in := "body"
	if e.ValidationType == helpers.ResponseBodyValidation && e.ValidationSubType != helpers.Schema {
		in = ""
	}
	var fs Findings
	for _, s := range e.SchemaValidationErrors {
		if s.OriginalJsonSchemaError != nil {
			fs = append(fs, fromSchemaError(s.OriginalJsonSchemaError, in)...)
			break // every failure of one error shares the same original tree
		}
		fs = append(fs, Finding{In: in, Field: s.FieldPath, Message: s.Reason})
	}
	if len(fs) == 0 {
		reason := e.Reason
		if reason == "" {
			reason = msg
		}
		fs = append(fs, Finding{In: in, Message: reason})
	}
	return fs
}

func contentTypeMessage(e *liberrors.ValidationError) string {
	if e.Reason != "" {
		return e.Reason
	}
	return e.Message
}

func paramMessage(e *liberrors.ValidationError) string {
	if e.Reason != "" {
		return strings.TrimSuffix(e.Reason, ".")
	}
	return e.Message
}

// fromSchemaError turns a JSON Schema error tree into findings, one per
// failing field.
func fromSchemaError(root *jsonschema.ValidationError, in string) Findings {
	vs := SchemaViolations(root)
	fs := make(Findings, len(vs))
	for i, v := range vs {
		fs[i] = Finding{In: in, Field: JSONPath(v.At), Message: v.Message}
	}
	return fs
}

// SchemaViolation is one failing field of a JSON Schema validation: its
// location (JSON segments, ["configMetadata", "authMetadata", "0", "type"])
// and the rule it breaks, in words.
type SchemaViolation struct {
	At      []string
	Message string
}

// SchemaViolations walks a JSON Schema error tree to its leaves and names
// the offending field of each. Root-level "required" and
// "additionalProperties" failures have an empty instance location: the
// property is named from the error kind instead. The fixtures loader uses
// it too, so a bad fixture and a bad request read the same.
func SchemaViolations(root *jsonschema.ValidationError) []SchemaViolation {
	var out []SchemaViolation
	child := func(at []string, p string) []string { return append(append([]string(nil), at...), p) }
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		at := e.InstanceLocation
		switch k := e.ErrorKind.(type) {
		case *kind.Required:
			for _, p := range k.Missing {
				out = append(out, SchemaViolation{child(at, p), "is required"})
			}
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				out = append(out, SchemaViolation{child(at, p), "is not a known property"})
			}
		case *kind.Type:
			if len(k.Want) == 1 && k.Want[0] == "null" {
				return // the null branch of a nullable oneOf; the other branch says what's wrong
			}
			out = append(out, SchemaViolation{at, fmt.Sprintf("must be %s, not %s", strings.Join(k.Want, " or "), k.Got)})
		default:
			out = append(out, SchemaViolation{at, kindMessage(e.ErrorKind)})
		}
	}
	walk(root)
	if len(out) == 0 {
		out = append(out, SchemaViolation{root.InstanceLocation, kindMessage(root.ErrorKind)})
	}
	return out
}

var printer = message.NewPrinter(language.English)

func kindMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.MaxLength:
		return fmt.Sprintf("must be at most %d characters", k.Want)
	case *kind.MinLength:
		return fmt.Sprintf("must be at least %d characters", k.Want)
	case *kind.Pattern:
		return fmt.Sprintf("must match the pattern %s", k.Want)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return "must be one of: " + strings.Join(want, ", ")
	case *kind.Format:
		return fmt.Sprintf("must be a valid %s", k.Want)
	}
	return k.LocalizedString(printer)
}

// JSONPath renders location segments as a field path:
// ["configMetadata","authMetadata","0","type"] → configMetadata.authMetadata[0].type.
func JSONPath(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}
