package mockserver

import (
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver/journal"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/validator"
)

// LoadFixtures replaces the whole state with set and makes it what Reset
// returns to; the set's API keys and vendor stubs replace the previous
// fixtures' (Config.VendorStubs stay). The set is applied to a scratch
// store first, so on error nothing changes. It serves the start and
// --watch reloads.
func (s *Server) LoadFixtures(set *fixtures.Set) error {
	// The fixtures' assets start their ingestions at the pace the state's
	// new operations take now.
	pace := s.store.Assets().Pace()
	scratch := state.New(state.Options{Now: s.now, Box: s.box, AssetPace: &pace})
	if err := set.Apply(scratch); err != nil {
		return err
	}
	snap := scratch.Snapshot()
	s.fixMu.Lock()
	defer s.fixMu.Unlock()
	if err := s.store.Restore(snap); err != nil {
		return err
	}
	s.baseline = &snap
	// Sessions created from now on fork from these fixtures; existing
	// ones keep the baseline they started from.
	s.base = &baseline{snap: &snap, store: scratch}
	keys := make(map[string][]string, len(set.APIKeys))
	for _, k := range set.APIKeys {
		keys[k.Key] = slices.Clone(k.Tenants)
	}
	s.apiKeys.replace(keys)
	s.router.SetStubs(append(slices.Clone(s.cfg.VendorStubs), set.VendorStubs...))
	return nil
}

// unjournaled paths are left out of the journal: reading it, and health
// probes, would crowd out the requests a developer wants to see.
var unjournaled = []string{"/_mock/journal", "/_mock/health", "/_mock/verify", "/_mock/sessions"}

// record is the observer of every finished exchange: it feeds the journal
// and then the user's Config.Observe.
func (s *Server) record(e Entry) {
	if !slices.Contains(unjournaled, e.Path) && !strings.HasPrefix(e.Path, "/_mock/sessions/") && !strings.HasPrefix(e.Path, "/_mock/journal/") {
		je := journalEntry(e)
		var sess *session
		if e.Session != "" {
			sess = s.sessions.lookup(e.Session)
		}
		s.recMu.Lock()
		s.lastID++
		je.ID = s.lastID
		s.journal.Record(je)
		if sess != nil {
			sess.journal.Record(je)
		}
		s.recMu.Unlock()
	}
	if s.cfg.Observe != nil {
		s.cfg.Observe(e)
	}
}

// journalEntry converts an Entry; both hold no header value or body.
func journalEntry(e Entry) journal.Entry {
	// One allocation holds every optional string the entry points to.
	opt := &struct{ tenant, scenario, session, operation, note string }{e.Tenant, e.Scenario, e.Session, e.Operation, e.SessionNote}
	je := journal.Entry{
		Time: e.Time.UnixMilli(), TraceID: e.TraceID, Method: e.Method, Path: e.Path, Status: e.Status,
		DurationMs: float64(e.Duration.Microseconds()) / 1000, Violation: e.Violation,
		Tenant: optionalAt(&opt.tenant), Scenario: optionalAt(&opt.scenario),
		Session: optionalAt(&opt.session), OperationID: optionalAt(&opt.operation), SessionNote: optionalAt(&opt.note), Example: e.Example, Capture: e.Capture, Exchange: e.wire,
	}
	if n := len(e.Findings) + len(e.Notes); n > 0 {
		je.Findings = make(journal.Findings, 0, n)
		for _, f := range e.Findings {
			kind := journal.KindViolation
			if e.Refused && f.Side != validator.Response {
				kind = journal.KindRefusal
			}
			je.Findings = append(je.Findings, journal.Finding{Finding: f, Kind: kind})
		}
		for _, f := range e.Notes {
			je.Findings = append(je.Findings, journal.Finding{Finding: f, Kind: journal.KindNote})
		}
	}
	return je
}

// optionalAt is p, or nil when *p is empty.
func optionalAt(p *string) *string {
	if *p == "" {
		return nil
	}
	return p
}
