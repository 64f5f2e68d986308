package mockserver

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strings"

	"github.com/gorilla/mux"

	"github.com/fruxon/fruxon-mock/validator"
)

// routes registers the whole surface. Each Integrations API and control
// plane route is one spec operation: its method and path come from the
// spec, so the router and the validator can't disagree. The Integrations
// API's handlers come from the rooms (apiOperations), the control plane's
// are the server's own.
func (s *Server) routes() (http.Handler, error) {
	r := mux.NewRouter()
	fast := newFastRouter(r)
	r.NotFoundHandler = http.HandlerFunc(s.handleNotFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.handleNotFound)

	api, err := s.apiOperations()
	if err != nil {
		return nil, err
	}
	control := map[string]http.HandlerFunc{
		"getIndex":           s.handleIndex,
		"getHealth":          s.handleHealth,
		"resetState":         s.handleReset,
		"getSpecYAML":        s.handleSpecYAML,
		"getSpecJSON":        s.handleSpecJSON,
		"exportState":        s.handleStateExport,
		"importState":        s.handleStateImport,
		"listJournal":        s.handleJournalList,
		"clearJournal":       s.handleJournalClear,
		"getJournalEntry":    s.handleJournalGet,
		"mintToken":          s.handleTokenMint,
		"oauthConsentPage":   s.handleOAuthConsentPage,
		"oauthDecide":        s.handleOAuthDecide,
		"listScenarios":      s.handleScenarioList,
		"activateScenario":   s.handleScenarioActivate,
		"deactivateScenario": s.handleScenarioDeactivate,
		"resetScenario":      s.handleScenarioReset,
		// Sessions and verification (issue 13).
		"listSessions":   s.handleSessionList,
		"deleteSession":  s.handleSessionDelete,
		"verifyRequests": s.handleVerify,
		"getCoverage":    s.handleCoverageGet,
		"resetCoverage":  s.handleCoverageReset,
		"dashboardPage":  s.handleDashboard, // issue 16
	}
	maps.Copy(control, s.roomControl()) // the tool-run debugger and run log
	if err := s.register(r, fast, s.api, api, true); err != nil {
		return nil, err
	}
	if err := s.register(r, fast, s.control, control, false); err != nil {
		return nil, err
	}
	return fast, nil
}

// apiOperations merges the rooms' handlers by operationId; an operationId
// two rooms claim is a bug, refused at start.
func (s *Server) apiOperations() (map[string]http.HandlerFunc, error) {
	api := map[string]http.HandlerFunc{}
	for _, rm := range s.rooms() {
		for id, h := range rm.Operations() {
			if _, dup := api[id]; dup {
				return nil, fmt.Errorf("operation %q is served by two rooms", id)
			}
			api[id] = h
		}
	}
	return api, nil
}

// register adds a route per operation of v. An Integrations API operation
// the rooms have no handler for is answered from its spec example
// (fallback.go) through the same validation, so no documented route, and
// no operation of a newer --spec, is a 404.
func (s *Server) register(r *mux.Router, fast *fastRouter, v *validator.Validator, handlers map[string]http.HandlerFunc, authed bool) error {
	for id := range handlers {
		if v.Operation(id) == nil {
			return fmt.Errorf("spec has no operation %q, which the mock serves", id)
		}
	}
	for _, op := range v.Operations() {
		h, ok := handlers[op.ID]
		if !ok {
			if !authed {
				continue // control plane operations of later features
			}
			h = s.exampleHandler(op)
		}
		handler := s.validated(v, op, authed, h)
		r.Methods(op.Method).Path(muxTemplate(op.Path)).Name(op.ID).Handler(handler)
		fast.add(op.ID, op.Method, op.Path, handler)
	}
	return nil
}

var templateParam = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// muxTemplate turns an OpenAPI path into a mux template whose parameters
// never match '/' or ':', so "{config}:publish" and "{config}" stay apart.
func muxTemplate(path string) string {
	return templateParam.ReplaceAllString(path, `{$1:[^/:]+}`)
}

// handleNotFound answers requests no route took. It asks the specs'
// matchers rather than trusting mux's verdict, which loses a method
// mismatch when a later route fails on the path.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	for _, v := range []*validator.Validator{s.api, s.control} {
		_, _, err := v.Match(r.Method, r.URL.Path)
		if me, ok := err.(*validator.MatchError); ok && me.Status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", strings.Join(me.Allow, ", "))
			writeProblem(w, r, validator.NewProblem(http.StatusMethodNotAllowed, me.Error()))
			return
		}
	}
	writeProblem(w, r, validator.NewProblem(http.StatusNotFound, "no operation matches "+r.Method+" "+publicPath(r.URL.Path)))
}
