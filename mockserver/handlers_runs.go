package mockserver

import (
	"errors"
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// AnsweredByHeader tells, on a :run response, what produced the run's
// answer: vendor (really sent), stub (nothing sent) or simulation.
const AnsweredByHeader = "X-Fruxon-Mock-Answered-By"

// handleToolRun serves POST …/integrations/{integration}/tools/{tool}:run.
func (s *Server) handleToolRun(w http.ResponseWriter, r *http.Request) {
	var in tools.RunToolInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	store, ok := s.requestStore(w, r)
	if !ok {
		return
	}
	res, err := s.runner.Run(r.Context(), store.Tools(), tools.RunInput{
		Tenant: pathVar(r, "tenant"), Integration: pathVar(r, "integration"), Tool: pathVar(r, "tool"), Input: in,
		Stubs: s.scenarioVendorStubs(r),
	})
	if err != nil {
		s.writeRunError(w, r, err)
		return
	}
	exchangeFrom(r.Context()).note(func(e *exchange) {
		e.run = &coverage.Run{ExecutionMode: string(res.Run.ExecutionMode), SandboxMode: string(res.Run.SandboxMode), Route: string(res.Run.Route)}
	})
	w.Header().Set(AnsweredByHeader, string(res.AnsweredBy))
	writeJSON(w, http.StatusOK, res.Run)
}

// scenarioVendorStubs are the vendor stubs of the scenarios that apply to
// the request (named in X-Fruxon-Mock-Scenario, then active ones), for the
// router to try before the fixtures'. Unknown names were already answered
// 400 by stubAnswer.
func (s *Server) scenarioVendorStubs(r *http.Request) []sandboxroute.VendorStub {
	engine := s.scenarios.Load()
	if engine == nil {
		return nil
	}
	list := engine.VendorStubs(requestedScenarios(r))
	if len(list) == 0 {
		return nil
	}
	out := make([]sandboxroute.VendorStub, 0, len(list))
	for _, vs := range list {
		out = append(out, sandboxroute.VendorStub{
			Tenant: vs.Tenant, Integration: vs.Integration, Tool: vs.Tool, Route: sandboxroute.Route(vs.Route),
			Response: sandboxroute.StubResponse{Status: vs.Status, Headers: vs.Headers, Body: vs.Body},
		})
	}
	return out
}

// writeRunError answers a vendor failure with 504 (timeout) or 502, and
// anything else as writeError does. The router already redacted the detail.
func (s *Server) writeRunError(w http.ResponseWriter, r *http.Request, err error) {
	var re *sandboxroute.Error
	if !errors.As(err, &re) {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusBadGateway
	if re.Kind == sandboxroute.KindTimeout {
		status = http.StatusGatewayTimeout
	}
	writeProblem(w, r, validator.NewProblem(status, re.Detail))
}
