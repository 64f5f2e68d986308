package core

import (
	"errors"
	"net/http"

	"github.com/fruxon/fruxon-mock/validator"
)

// Problem is the one mapping from an error to the RFC 9457 problem the API
// answers: a *Error by its kind (KindInvalid 400, its fields as the
// problem's errors; KindNotFound 404; KindConflict 409), anything else —
// KindInternal, or an error that is no *Error — a 500 whose detail only
// names traceID, its cause being for the server's log. It also returns the
// *Error it found (nil for another error), for the caller to note a 400's
// findings.
func Problem(err error, traceID string) (*validator.Problem, *Error) {
	var se *Error
	if !errors.As(err, &se) {
		return internalProblem(traceID), nil
	}
	var status int
	switch se.Kind {
	case KindInvalid:
		status = http.StatusBadRequest
	case KindNotFound:
		status = http.StatusNotFound
	case KindConflict:
		status = http.StatusConflict
	default:
		return internalProblem(traceID), se
	}
	p := validator.NewProblem(status, se.Detail)
	if status == http.StatusBadRequest {
		p.Title = "One or more validation errors occurred."
		p.Errors = se.Fields
		if len(p.Errors) == 0 {
			p.Errors = map[string][]string{"request": {se.Detail}}
		}
	}
	return p, se
}

func internalProblem(traceID string) *validator.Problem {
	return validator.NewProblem(http.StatusInternalServerError, "an internal error occurred; see the server log for trace "+traceID)
}
