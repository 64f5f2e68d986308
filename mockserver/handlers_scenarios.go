package mockserver

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/scenarios/stubs"
	"github.com/fruxon/fruxon-mock/validator"
)

// loadScenarios builds the stub engine; it refuses a stub whose answer
// would break the contract (unless it allows it) and unknown active names.
func (s *Server) loadScenarios(list []*scenarios.Scenario, active []string) error {
	if len(list) == 0 {
		if len(active) > 0 {
			return &ConfigError{"scenario", fmt.Sprintf("%q: no scenarios are loaded", active[0])}
		}
		return nil
	}
	e, err := stubs.NewEngine(list, s.api)
	if err != nil {
		return fmt.Errorf("scenarios: %w", err)
	}
	for _, name := range active {
		if err := e.Activate(name); err != nil {
			return &ConfigError{"scenario", err.Error()}
		}
	}
	s.scenarios.Store(e)
	return nil
}

// LoadScenarios replaces the scenarios (--watch): a new engine, checked
// like at start, with the active ones kept active where they still exist,
// every state back to the initial one. On error nothing changes.
func (s *Server) LoadScenarios(list []*scenarios.Scenario) error {
	var active []string
	if old := s.scenarios.Load(); old != nil {
		for _, st := range old.List() {
			if st.Active {
				active = append(active, st.Name)
			}
		}
	}
	e, err := stubs.NewEngine(list, s.api)
	if err != nil {
		return err
	}
	for _, name := range active {
		if e.Has(name) {
			e.Activate(name)
		}
	}
	s.scenarios.Store(e)
	return nil
}

// resetScenarios puts every scenario back in its initial state, keeping
// which ones are active.
func (s *Server) resetScenarios() {
	e := s.scenarios.Load()
	if e == nil {
		return
	}
	for _, st := range e.List() {
		e.Reset(st.Name)
	}
}

// handleScenarioList serves GET /_mock/scenarios.
func (s *Server) handleScenarioList(w http.ResponseWriter, r *http.Request) {
	items := []stubs.Status{}
	if e := s.scenarios.Load(); e != nil {
		items = e.List()
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleScenarioActivate serves POST /_mock/scenarios/{name}:activate.
func (s *Server) handleScenarioActivate(w http.ResponseWriter, r *http.Request) {
	s.scenarioAction(w, r, (*stubs.Engine).Activate)
}

// handleScenarioDeactivate serves POST /_mock/scenarios/{name}:deactivate.
func (s *Server) handleScenarioDeactivate(w http.ResponseWriter, r *http.Request) {
	s.scenarioAction(w, r, (*stubs.Engine).Deactivate)
}

// handleScenarioReset serves POST /_mock/scenarios/{name}:reset.
func (s *Server) handleScenarioReset(w http.ResponseWriter, r *http.Request) {
	s.scenarioAction(w, r, (*stubs.Engine).Reset)
}

func (s *Server) scenarioAction(w http.ResponseWriter, r *http.Request, act func(*stubs.Engine, string) error) {
	name := pathVar(r, "name")
	var unknown *stubs.Error
	e := s.scenarios.Load()
	if e == nil {
		writeProblem(w, r, validator.NewProblem(http.StatusNotFound, fmt.Sprintf("no scenario is named %q (none are loaded)", name)))
		return
	}
	if err := act(e, name); errors.As(err, &unknown) {
		writeProblem(w, r, validator.NewProblem(http.StatusNotFound, err.Error()))
		return
	} else if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, st := range e.List() {
		if st.Name == name {
			writeJSON(w, http.StatusOK, st)
			return
		}
	}
}
