package replay

import (
	"net/http"
	"strings"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// cover counts a validated exchange in Options.Coverage (when set): the
// (operation, status) pair, a status the operation doesn't declare as
// missing in spec, and the routing of a successful tool run; an answer a
// mock marks as forced (Prefer, a stub) is counted apart. op is nil when
// no operation matched the request.
func (x *replayer) cover(req *http.Request, op *validator.Operation, status int, header http.Header, body []byte) {
	set := x.opts.Coverage
	if set == nil {
		return
	}
	if op == nil {
		set.Record(coverage.Shared, coverage.Exchange{OperationID: coverage.Unmatched, Method: req.Method, Path: req.URL.Path, Status: status})
		return
	}
	if header.Get(scenarios.ForcedHeader) != "" {
		set.RecordForced(coverage.Shared, op, status)
		return
	}
	set.RecordOp(coverage.Shared, op, status)
	if status == http.StatusOK && strings.HasSuffix(op.Path, ":run") {
		if run, ok := coverage.RunFromBody(body); ok {
			set.RecordRun(coverage.Shared, run)
		}
	}
}
