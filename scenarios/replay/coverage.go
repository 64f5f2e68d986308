package replay

import (
	"net/http"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// cover counts a validated exchange in Options.Coverage (when set): the
// (operation, status) pair, a status the operation doesn't declare as
// missing in spec, and the routing of a successful tool run. op is nil
// when no operation matched the request.
func (x *replayer) cover(req *http.Request, op *validator.Operation, status int, body []byte) {
	set := x.opts.Coverage
	if set == nil {
		return
	}
	if op == nil {
		set.Record(coverage.Shared, coverage.Exchange{OperationID: coverage.Unmatched, Method: req.Method, Path: req.URL.Path, Status: status})
		return
	}
	set.RecordOp(coverage.Shared, op, status)
	if status == http.StatusOK && strings.HasSuffix(op.Path, ":run") {
		if run, ok := coverage.RunFromBody(body); ok {
			set.RecordRun(coverage.Shared, run)
		}
	}
}
