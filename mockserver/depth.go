package mockserver

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/jsondepth"
	"github.com/fruxon/fruxon-mock/validator"
)

// controlDepth is the nesting cap of control-plane bodies: an imported
// state document wraps stored values (each at most jsondepth.Max deep as
// the API took them) in a dozen levels of its own.
const controlDepth = 2 * jsondepth.Max

// tooDeep reads a JSON request body and answers a 400 problem naming the
// field when it nests deeper than the cap (jsondepth.Max for the API), so
// no stored value can later push a list, an export or a run history past
// what a JSON reader accepts. The body is put back for the next layer,
// read errors (the size limit) included.
func (s *Server) tooDeep(r *http.Request, limit int) *validator.Problem {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	// Only a JSON body nests: a multipart upload (assets:file) is streamed
	// by its handler, which must be able to stop reading at its limit.
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); strings.HasPrefix(mt, "multipart/") {
		return nil
	}
	data, err := io.ReadAll(r.Body)
	r.Body = readCloser{jsondepth.Restore(data, err), r.Body}
	if err != nil {
		return nil
	}
	path, deep := jsondepth.Check(data, limit)
	if !deep {
		return nil
	}
	field := path
	if field == "" {
		field = "body"
	}
	rule := fmt.Sprintf("nests deeper than %d levels (objects and arrays count one level each, the body itself included)", limit)
	p := validator.NewProblem(http.StatusBadRequest, field+": "+rule)
	p.Errors = map[string][]string{field: {rule}}
	return p
}

// readCloser reads from one reader and closes the original body.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (b readCloser) Close() error { return b.c.Close() }
