package mcp

import (
	"net/http"
	"net/url"

	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// Deps are what the room's handlers need of the server.
type Deps struct {
	// API is the server's plumbing.
	API httpapi.Server
	// Store gives a request its sandbox's MCP store.
	Store httpapi.StoreFunc[*Store]
	// Runner runs mcp:call's tools/call (the server's tools.Runner).
	Runner *tools.Runner
	// Router simulates mcp:test's tools/call (the server's router).
	Router *sandboxroute.Router
	// Stubs gives a call the vendor stubs of the scenarios that apply to
	// its request; nil: none.
	Stubs func(r *http.Request) []sandboxroute.VendorStub
	// BaseURL is scheme://host of the mock as the client reached it, for
	// callUrl and testUrl; default from the request (TLS or
	// X-Forwarded-Proto https, and Host), as the OAuth pages build theirs.
	BaseURL func(r *http.Request) string
}

// Handlers serve the MCP group's operations.
type Handlers struct{ d Deps }

// NewHandlers returns the room's handlers.
func NewHandlers(d Deps) *Handlers {
	if d.Stubs == nil {
		d.Stubs = func(*http.Request) []sandboxroute.VendorStub { return nil }
	}
	if d.BaseURL == nil {
		d.BaseURL = baseURL
	}
	return &Handlers{d: d}
}

// Operations maps each spec operationId the room serves to its handler.
func (h *Handlers) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"getMcpSettings":    h.handleGet,
		"updateMcpSettings": h.handleUpdate,
		"rotateMcpKey":      h.handleRotateKey,
		"callMcp":           func(w http.ResponseWriter, r *http.Request) { h.serveRPC(w, r, false) },
		"testMcp":           func(w http.ResponseWriter, r *http.Request) { h.serveRPC(w, r, true) },
		"importMcp":         h.handleImport,
	}
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// withURLs fills callUrl and testUrl: the JSON-RPC endpoints of the
// integration on the mock as this request reached it.
func (h *Handlers) withURLs(r *http.Request, v Settings) Settings {
	api := h.d.API
	base := h.d.BaseURL(r) + "/v1/tenants/" + url.PathEscape(api.PathVar(r, "tenant")) +
		"/integrations/" + url.PathEscape(api.PathVar(r, "integration")) + "/mcp"
	call, test := base+":call", base+":test"
	v.CallURL, v.TestURL = &call, &test
	return v
}

// handleGet serves GET …/integrations/{integration}/mcp.
func (h *Handlers) handleGet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.d.Store(w, r)
	if !ok {
		return
	}
	v, err := store.Get(h.d.API.PathVar(r, "tenant"), h.d.API.PathVar(r, "integration"))
	h.writeSettings(w, r, v, err)
}

// handleUpdate serves PATCH …/integrations/{integration}/mcp.
func (h *Handlers) handleUpdate(w http.ResponseWriter, r *http.Request) {
	var in UpdateInput
	if err := h.d.API.DecodeJSON(r, &in); err != nil {
		h.d.API.WriteError(w, r, err)
		return
	}
	store, ok := h.d.Store(w, r)
	if !ok {
		return
	}
	v, err := store.Update(h.d.API.PathVar(r, "tenant"), h.d.API.PathVar(r, "integration"), in)
	h.writeSettings(w, r, v, err)
}

// handleRotateKey serves POST …/integrations/{integration}/mcp:rotateKey.
func (h *Handlers) handleRotateKey(w http.ResponseWriter, r *http.Request) {
	store, ok := h.d.Store(w, r)
	if !ok {
		return
	}
	v, err := store.RotateKey(h.d.API.PathVar(r, "tenant"), h.d.API.PathVar(r, "integration"))
	h.writeSettings(w, r, v, err)
}

func (h *Handlers) writeSettings(w http.ResponseWriter, r *http.Request, v Settings, err error) {
	if err != nil {
		h.d.API.WriteError(w, r, err)
		return
	}
	// The one answer that may carry the key whole must not be cached.
	w.Header().Set("Cache-Control", "no-store")
	h.d.API.WriteJSON(w, http.StatusOK, h.withURLs(r, v))
}
