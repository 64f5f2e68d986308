// Package core is what every room of the mock's state shares and no room
// owns: typed errors with findings keyed by JSON path and their one
// mapping to an RFC 9457 problem, ids and slugs, paging, ETags and
// If-Match, and helpers for JSON values and deep copies. It knows nothing
// of any resource group.
package core

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies a state error. Problem maps kinds to statuses in one
// place: KindInvalid 400, KindNotFound 404, KindConflict 409 (duplicate
// id, delete with children, stale If-Match, never-published config,
// missing sandboxVariant), KindInternal 500.
type Kind int

// Error kinds. The zero value is KindInternal, so an error without a kind is
// never mistaken for the caller's fault.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	default:
		return "internal"
	}
}

// Error is the error every store method of every room returns.
type Error struct {
	Kind Kind
	// Op is the store method that failed, e.g. "CreateIntegration".
	Op string
	// Detail is one sentence for a human, safe to show to API clients.
	Detail string
	// Fields maps the JSON path of each offending request field (e.g.
	// "auth.parameters.apiKey") to short rules it broke ("is required").
	// Set for KindInvalid only.
	Fields map[string][]string
	// Err is the underlying cause, if any (KindInternal mostly).
	Err error
}

// Error formats the error with its fields in a stable order.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Detail)
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			sep := "; "
			if i == 0 {
				sep = ": "
			}
			fmt.Fprintf(&b, "%s%s %s", sep, k, strings.Join(e.Fields[k], ", "))
		}
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err: the Kind of the first *Error in its chain,
// KindInternal for any other non-nil error. err must not be nil.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Errorf is the constructor for every error but validation failures.
func Errorf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Detail: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure (sealing, opening) without exposing
// it in Detail.
func Internal(op string, err error) *Error {
	return &Error{Kind: KindInternal, Op: op, Detail: "internal error", Err: err}
}

// Findings collects every validation failure of one request, keyed by JSON
// path, so a single response can report them all.
type Findings map[string][]string

// Add records a rule that the field at path broke.
func (f Findings) Add(path, format string, args ...any) {
	f[path] = append(f[path], fmt.Sprintf(format, args...))
}

// Err returns nil when nothing was found, else a KindInvalid error.
func (f Findings) Err(op string) error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Op: op, Detail: "the request has invalid fields", Fields: f}
}

// Invalid is a KindInvalid error for one field.
func Invalid(op, path, format string, args ...any) error {
	f := Findings{}
	f.Add(path, format, args...)
	return f.Err(op)
}

// FieldError is a KindInvalid error for one field whose detail names the
// field and its rule, for checks made outside a store (forms, headers).
func FieldError(op, field, msg string) error {
	return &Error{Kind: KindInvalid, Op: op, Detail: field + " " + msg, Fields: map[string][]string{field: {msg}}}
}

// Join renders a path segment: Join("auth", "parameters") = "auth.parameters",
// Join("", "x") = "x".
func Join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// Index renders a list element path: Index("authMap", 2) = "authMap[2]".
func Index(prefix string, i int) string {
	return fmt.Sprintf("%s[%d]", prefix, i)
}

// OneOf is the "must be one of" rule text.
func OneOf[S ~string](vals ...S) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = string(v)
	}
	return "must be one of: " + strings.Join(s, ", ")
}
