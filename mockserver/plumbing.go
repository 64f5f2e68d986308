package mockserver

import (
	"maps"
	"net/http"
	"net/url"

	"github.com/fruxon/fruxon-mock/mockserver/assets"
	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// AnsweredByHeader tells, on a tool run's response (the control plane's
// debugger, :testTool, tools:test), what produced the answer: vendor
// (really sent), stub (nothing sent) or simulation.
const AnsweredByHeader = tools.AnsweredByHeader

// ExecutionModeHeader marks a :testTool or tools:test call as made in
// sandbox execution (SANDBOX) or not (PRODUCTION, the default).
const ExecutionModeHeader = tools.ExecutionModeHeader

// roomAPI is the server's plumbing as the rooms' handlers use it
// (httpapi.Server); a type of its own keeps it out of Server's exported
// API.
type roomAPI struct{ s *Server }

var _ httpapi.Server = roomAPI{}

func (roomAPI) PathVar(r *http.Request, name string) string        { return pathVar(r, name) }
func (roomAPI) Subject(r *http.Request) string                     { return subject(r) }
func (roomAPI) DecodeJSON(r *http.Request, v any) error            { return decodeJSON(r, v) }
func (roomAPI) WriteJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

func (roomAPI) WriteResource(w http.ResponseWriter, etag string, v any) {
	writeResource(w, etag, v)
}

func (a roomAPI) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	a.s.writeError(w, r, err)
}

func (roomAPI) WriteProblem(w http.ResponseWriter, r *http.Request, p *validator.Problem) {
	writeProblem(w, r, p)
}

func (roomAPI) NoteWeakSecrets(r *http.Request, weak []string) { noteWeakSecrets(r, weak) }

func (roomAPI) NoteRun(r *http.Request, run coverage.Run) {
	exchangeFrom(r.Context()).note(func(e *exchange) { e.run = &run })
}

// roomStore is a room's httpapi.StoreFunc: the room of the request's
// store (see stateFor).
func roomStore[S any](s *Server, room func(*state.Store) S) httpapi.StoreFunc[S] {
	return func(w http.ResponseWriter, r *http.Request) (S, bool) {
		store, ok := s.requestStore(w, r)
		if !ok {
			var none S
			return none, false
		}
		return room(store), true
	}
}

// roomControl is the control plane's operations the rooms serve (the tools
// room's run debugger and run log, the assets room's ingestion control,
// the integrations room's webhook deliveries), each working on the session the
// request names (X-Fruxon-Mock-Session or ?session=), else on the shared
// state.
func (s *Server) roomControl() map[string]http.HandlerFunc {
	h := tools.NewHandlers(roomAPI{s}, roomStore(s, (*state.Store).Tools), s.runner, s.scenarioVendorStubs)
	ops := h.ControlOperations()
	// The assets room's ingestion control (pace, operation actions).
	maps.Copy(ops, assets.NewHandlers(roomAPI{s}, roomStore(s, (*state.Store).Assets), assets.OAuth{}).ControlOperations())
	// The integrations room's inbound webhook deliveries.
	maps.Copy(ops, integrations.NewHandlers(roomAPI{s}, roomStore(s, (*state.Store).Integrations), integrations.OAuthStart{}).ControlOperations())
	for id, op := range ops {
		ops[id] = func(w http.ResponseWriter, r *http.Request) {
			_, sess, ok := s.controlSession(w, r, true)
			if !ok {
				return
			}
			if sess != nil {
				sess.touch(s.now(), pathVar(r, "tenant"))
				exchangeFrom(r.Context()).note(func(e *exchange) { e.session = sess })
			}
			op(w, r)
		}
	}
	return ops
}

// rooms builds every room's handlers over the server's plumbing.
func (s *Server) rooms() []interface {
	Operations() map[string]http.HandlerFunc
} {
	api := roomAPI{s}
	return []interface {
		Operations() map[string]http.HandlerFunc
	}{
		integrations.NewHandlers(api, roomStore(s, (*state.Store).Integrations), integrations.OAuthStart{
			Flow: s.oauth, OriginAllowed: s.cors.allows,
			ConsentURL: func(r *http.Request, st string) string {
				return baseURL(r) + "/_mock/oauth/authorize?state=" + url.QueryEscape(st)
			},
			BaseURL: baseURL,
		}),
		tools.NewHandlers(api, roomStore(s, (*state.Store).Tools), s.runner, s.scenarioVendorStubs),
		assets.NewHandlers(api, roomStore(s, (*state.Store).Assets), assets.OAuth{
			Flow: s.oauth, BaseURL: baseURL,
			ConsentURL: func(r *http.Request, st string) string {
				return baseURL(r) + "/_mock/oauth/authorize?state=" + url.QueryEscape(st)
			},
		}),
		mcp.NewHandlers(mcp.Deps{API: api, Store: roomStore(s, (*state.Store).MCP), Runner: s.runner, Router: s.router,
			Stubs: s.scenarioVendorStubs, BaseURL: baseURL}),
	}
}
