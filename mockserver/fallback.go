package mockserver

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/validator"
)

// AnswerHeader says how the mock made an answer that is not its own
// behaviour: "example" when the operation has none yet and the spec's
// example answered.
const AnswerHeader = "X-Fruxon-Mock-Answer"

// exampleHandler answers op, an Integrations API operation the mock has no
// behaviour for, from the spec's example of its success response: the
// route is never a 404, a newer --spec's new operations answer, and the
// answer is validated like every other. It holds no state, and says so in
// AnswerHeader, the journal (example: true) and the access log
// (answer=example). An operation whose spec gives no example answers 501,
// naming what is missing.
func (s *Server) exampleHandler(op *validator.Operation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code := successStatus(op)
		if _, _, _, ok := op.Example(code, ""); !ok {
			writeProblem(w, r, validator.NewProblem(http.StatusNotImplemented,
				"the mock has no behaviour for "+op.ID+" and the spec gives no example of its "+http.StatusText(code)+" answer to fall back on"))
			return
		}
		exchangeFrom(r.Context()).note(func(e *exchange) { e.example = true })
		rec := s.preferAnswer(r, op, code, "")
		rec.header.Set(AnswerHeader, "example")
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		w.Write(rec.bytes())
		rec.release()
	}
}
