package tools

import (
	"net/http"
	"strconv"

	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// Handlers serve the room's operations: the Tools group of the
// Integrations API, and the control plane's tool-run debugger and run log.
// Each decodes, calls the request's store (or the Runner), and encodes.
type Handlers struct {
	api    httpapi.Server
	store  httpapi.StoreFunc[*Store]
	runner *Runner
	stubs  func(r *http.Request) []sandboxroute.VendorStub
}

// NewHandlers returns the room's handlers over the server's plumbing; stubs
// gives a run the vendor stubs of the scenarios that apply to its request.
func NewHandlers(api httpapi.Server, store httpapi.StoreFunc[*Store], runner *Runner, stubs func(r *http.Request) []sandboxroute.VendorStub) *Handlers {
	return &Handlers{api: api, store: store, runner: runner, stubs: stubs}
}

// Operations maps each Integrations API operationId the room serves to its
// handler.
func (h *Handlers) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"listTools":        h.handleToolList,
		"createTool":       h.handleToolCreate,
		"getTool":          h.handleToolGet,
		"updateTool":       h.replaceHandler(ToolTypeAPI),
		"updatePythonTool": h.replaceHandler(ToolTypePythonScript),
		"deleteTool":       h.handleToolDelete,
		"testTool":         h.handleToolTest,
		"testConfigTool":   h.handleConfigToolTest,
	}
}

// ControlOperations maps the control plane's operationIds the room serves
// (the tool-run debugger and the run log) to their handlers. The server
// resolves the request's session before calling them.
func (h *Handlers) ControlOperations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"debugToolRun": h.handleToolRun,
		"listToolRuns": h.handleToolRunList,
	}
}

// handleToolList serves GET …/integrations/{integration}/tools.
func (h *Handlers) handleToolList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	lq := ListQuery{Search: q.Get("Search"), PageSize: httpapi.QueryInt(r, "Paging.PageSize"),
		Skip: httpapi.QueryInt(r, "Paging.PageToken.Skip"), Cursor: q.Get("Paging.PageToken.Cursor")}
	for _, t := range q["Types"] {
		lq.Types = append(lq.Types, ToolType(t))
	}
	page, err := store.ListTools(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), lq)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, page)
}

// handleToolCreate serves POST …/integrations/{integration}/tools.
func (h *Handlers) handleToolCreate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in CreateToolInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	t, etag, err := store.CreateTool(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), in)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, t)
}

// handleToolGet serves GET …/tools/{tool}.
func (h *Handlers) handleToolGet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	t, etag, err := store.GetTool(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "tool"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, t)
}

// replaceHandler serves PUT …/tools/{tool} (want API) and PUT
// …/tools/{tool}:python (want PYTHON_SCRIPT).
func (h *Handlers) replaceHandler(want ToolType) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		store, ok := h.store(w, r)
		if !ok {
			return
		}
		var in ReplaceToolInput
		if err := h.api.DecodeJSON(r, &in); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
		t, etag, err := store.ReplaceTool(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "tool"),
			in, r.Header.Get("If-Match"), want)
		if err != nil {
			h.api.WriteError(w, r, err)
			return
		}
		h.api.WriteResource(w, etag, t)
	}
}

// handleToolDelete serves DELETE …/tools/{tool}.
func (h *Handlers) handleToolDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if err := store.DeleteTool(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "tool"), r.Header.Get("If-Match")); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleToolRunList serves the control plane's GET
// /_mock/tenants/{tenant}/integrations/{integration}/configs/{config}/runs,
// newest first.
func (h *Handlers) handleToolRunList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
	page, err := store.ListRuns(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), n, r.URL.Query().Get("pageToken"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, page)
}
