package tools

import (
	"errors"
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// AnsweredByHeader tells, on a run's response (the debugger, :testTool,
// tools:test), what produced the answer: vendor (really sent), stub
// (nothing sent) or simulation.
const AnsweredByHeader = "X-Fruxon-Mock-Answered-By"

// ExecutionModeHeader is the mock-only request header that marks a
// :testTool or tools:test call as made by an agent in sandbox execution
// (DESIGN §3): SANDBOX or PRODUCTION (the default).
const ExecutionModeHeader = "X-Fruxon-Mock-Execution-Mode"

// ToolTestResult is the answer of :testTool and tools:test.
type ToolTestResult struct {
	Response *string `json:"response"`
}

// executionMode reads ExecutionModeHeader.
func executionMode(r *http.Request) (sandboxroute.ExecutionMode, error) {
	switch v := sandboxroute.ExecutionMode(r.Header.Get(ExecutionModeHeader)); v {
	case "", sandboxroute.ExecutionModeProduction:
		return sandboxroute.ExecutionModeProduction, nil
	case sandboxroute.ExecutionModeSandbox:
		return v, nil
	}
	return "", core.Invalid("ExecutionMode", ExecutionModeHeader, "must be PRODUCTION or SANDBOX")
}

// handleToolRun serves the control plane's POST
// /_mock/tenants/{tenant}/integrations/{integration}/tools/{tool}:run.
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

// ConfigToolTestInput is the :testTool body.
type ConfigToolTestInput struct {
	ToolID     *string        `json:"toolId"`
	Parameters map[string]any `json:"parameters"`
}

// handleConfigToolTest serves POST …/configs/{config}:testTool: the
// stored tool, run with the config's published revision and recorded in
// the run log.
func (h *Handlers) handleConfigToolTest(w http.ResponseWriter, r *http.Request) {
	var in ConfigToolTestInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	mode, err := executionMode(r)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	if core.Deref(in.ToolID) == "" {
		h.api.WriteError(w, r, core.Invalid("TestConfigTool", "toolId", "is required"))
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	res, err := h.runner.TestConfigTool(r.Context(), store, RunInput{
		Tenant: h.api.PathVar(r, "tenant"), Integration: h.api.PathVar(r, "integration"), Tool: *in.ToolID,
		Input: RunToolInput{ConfigID: h.api.PathVar(r, "config"), Parameters: in.Parameters, ExecutionMode: mode},
		Stubs: h.stubs(r),
	})
	if err != nil {
		h.writeRunError(w, r, err)
		return
	}
	h.api.NoteRun(r, coverage.Run{ExecutionMode: string(res.Run.ExecutionMode), SandboxMode: string(res.Run.SandboxMode), Route: string(res.Run.Route)})
	w.Header().Set(AnsweredByHeader, string(res.AnsweredBy))
	h.api.WriteJSON(w, http.StatusOK, ToolTestResult{Response: ResponseText(res.Run.Response)})
}

// handleToolTest serves POST …/integrations/{integration}/tools:test.
func (h *Handlers) handleToolTest(w http.ResponseWriter, r *http.Request) {
	var in TestInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	mode, err := executionMode(r)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	resp, by, err := h.runner.TestDescriptor(r.Context(), store, h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), in, mode, h.stubs(r))
	if err != nil {
		h.writeRunError(w, r, err)
		return
	}
	w.Header().Set(AnsweredByHeader, string(by))
	h.api.WriteJSON(w, http.StatusOK, ToolTestResult{Response: ResponseText(resp)})
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
