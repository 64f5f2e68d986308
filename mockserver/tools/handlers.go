package tools

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// Handlers serve the room's operations of the Integrations API: tools,
// their runs, and the run log. Each decodes, calls the request's store (or
// the Runner), and encodes.
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

// Operations maps each spec operationId the room serves to its handler.
func (h *Handlers) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"listTools":    h.handleToolList,
		"createTool":   h.handleToolCreate,
		"getTool":      h.handleToolGet,
		"updateTool":   h.handleToolUpdate,
		"deleteTool":   h.handleToolDelete,
		"runTool":      h.handleToolRun,
		"listToolRuns": h.handleToolRunList,
	}
}

// handleToolList serves GET …/integrations/{integration}/
func (h *Handlers) handleToolList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	page, err := store.ListTools(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), httpapi.QueryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, page)
}

// handleToolCreate serves POST …/integrations/{integration}/
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

// handleToolUpdate serves PATCH …/tools/{tool}.
func (h *Handlers) handleToolUpdate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in UpdateToolInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	t, etag, err := store.UpdateTool(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "tool"), in, r.Header.Get("If-Match"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteResource(w, etag, t)
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

// handleToolRunList serves GET …/configs/{config}/runs, newest first.
func (h *Handlers) handleToolRunList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	page, err := store.ListRuns(h.api.PathVar(r, "tenant"), h.api.PathVar(r, "integration"), h.api.PathVar(r, "config"), httpapi.QueryInt(r, "pageSize"), r.URL.Query().Get("pageToken"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, page)
}
