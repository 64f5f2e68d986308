package validator

import "net/http"

// Problem is an RFC 9457 problem-details body. Errors carries validation
// findings keyed by the JSON path of the offending field; TraceID ties the
// answer to the server's log and journal.
type Problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	TraceID  string              `json:"traceId,omitempty"`
	Errors   map[string][]string `json:"errors,omitempty"`
}

// ProblemContentType is the media type of problem-details bodies.
const ProblemContentType = "application/problem+json"

// NewProblem returns a problem of the given status with the standard title
// for that status and the given detail.
func NewProblem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}
