package tools

import (
	"errors"
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// AnsweredByHeader tells, on a :run response, what produced the run's
// answer: vendor (really sent), stub (nothing sent) or simulation.
const AnsweredByHeader = "X-Fruxon-Mock-Answered-By"

// handleToolRun serves POST …/integrations/{integration}/tools/{tool}:run.
func (h *Handlers) handleToolRun(w http.ResponseWriter, r *http.Request) {
	var in RunToolInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	res, err := h.runner.Run(r.Context(), store, RunInput{
		Tenant: h.api.PathVar(r, "tenant"), Integration: h.api.PathVar(r, "integration"), Tool: h.api.PathVar(r, "tool"), Input: in,
		Stubs: h.stubs(r),
	})
	if err != nil {
		h.writeRunError(w, r, err)
		return
	}
	h.api.NoteRun(r, coverage.Run{ExecutionMode: string(res.Run.ExecutionMode), SandboxMode: string(res.Run.SandboxMode), Route: string(res.Run.Route)})
	w.Header().Set(AnsweredByHeader, string(res.AnsweredBy))
	h.api.WriteJSON(w, http.StatusOK, res.Run)
}

// writeRunError answers a vendor failure with 504 (timeout) or 502, and
// anything else as WriteError does. The router already redacted the detail.
func (h *Handlers) writeRunError(w http.ResponseWriter, r *http.Request, err error) {
	var re *sandboxroute.Error
	if !errors.As(err, &re) {
		h.api.WriteError(w, r, err)
		return
	}
	status := http.StatusBadGateway
	if re.Kind == sandboxroute.KindTimeout {
		status = http.StatusGatewayTimeout
	}
	h.api.WriteProblem(w, r, validator.NewProblem(status, re.Detail))
}
