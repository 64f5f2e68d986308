// Package httpapi is what the rooms' HTTP handlers need of the server that
// serves them: one small interface, Server, that the mockserver
// implements, so a room's handlers decode, call their store and encode
// without importing the server (which imports the rooms).
package httpapi

import (
	"net/http"
	"strconv"

	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// Server is the server's plumbing, as a room's handlers use it. Every
// request it is given has passed the server's middleware: authenticated,
// validated against the spec, routed, its session resolved.
type Server interface {
	// PathVar is a path variable of the matched route.
	PathVar(r *http.Request, name string) string
	// Subject is the authenticated caller's JWT sub, "" when there is none.
	Subject(r *http.Request) string
	// DecodeJSON decodes a request body that request validation already
	// checked; a failure is still the client's (a KindInvalid core.Error).
	DecodeJSON(r *http.Request, v any) error
	// WriteJSON writes a JSON success body; a value with an AppendJSON
	// method writes its own bytes.
	WriteJSON(w http.ResponseWriter, status int, v any)
	// WriteResource writes one resource (200) with its ETag.
	WriteResource(w http.ResponseWriter, etag string, v any)
	// WriteError answers err as core.Problem maps it, noting a 400's
	// findings on the exchange and logging a 500's cause.
	WriteError(w http.ResponseWriter, r *http.Request, err error)
	// WriteProblem writes a problem, stamped with the request's trace id
	// and path.
	WriteProblem(w http.ResponseWriter, r *http.Request, p *validator.Problem)
	// NoteWeakSecrets notes, on the exchange that stored them, secrets
	// whose text can't be redacted wherever it shows ("path: why", as a
	// store reports them), and logs them; never their values.
	NoteWeakSecrets(r *http.Request, weak []string)
	// NoteRun records a tool run's modes and route on the exchange, for
	// coverage.
	NoteRun(r *http.Request, run coverage.Run)
}

// StoreFunc gives a handler its room's store for a request: its session's,
// or the shared state's. When it can't (a session that can't adopt the
// tenant), it has answered the problem and reports false.
type StoreFunc[S any] func(w http.ResponseWriter, r *http.Request) (S, bool)

// QueryInt reads an integer query parameter that request validation has
// already checked; absent is 0 (the stores' default).
func QueryInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}
