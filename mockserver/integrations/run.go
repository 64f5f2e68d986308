package integrations

import (
	"maps"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// RunVariant selects which material of a config's published revision a
// tool run uses.
type RunVariant int

// Run variants.
const (
	// RunProduction is the revision's parameters, auth and auth map.
	RunProduction RunVariant = iota
	// RunSandboxVariant is the revision's sandboxVariant (VENDOR mode).
	RunSandboxVariant
)

// RunConfig is what a tool run needs from a config, secrets opened. It is
// for the run engine only and must never be encoded into a response.
type RunConfig struct {
	IntegrationID  string
	ConfigID       string
	RevisionID     string
	RevisionNumber int
	// SandboxMode is the revision's, as stored (UNSPECIFIED is not mapped).
	SandboxMode SandboxMode
	Variant     RunVariant
	// Parameters are the config parameters, secret ones included.
	Parameters map[string]any
	Auth       *RunAuth
	AuthMap    []RunAuthMapEntry
	// Secrets lists the text of every opened secret value (a string as is,
	// anything else as JSON), sorted, so a caller can redact them.
	Secrets []string
}

// RunAuth is an opened credential with what its method says about
// injecting it.
type RunAuth struct {
	MethodID      string
	Type          AuthType
	Level         AuthLevel
	Settings      map[string]string // the method's authSettings.parameters
	Parameters    map[string]any
	GrantedScopes []string
}

// RunAuthMapEntry is an opened auth-map entry.
type RunAuthMapEntry struct {
	Parameters map[string]any
	Auth       *RunAuth
}

// ConfigForRun returns the material of a config's published revision for
// a run: its parameters, auth and auth map (RunProduction) or its
// sandboxVariant's (RunSandboxVariant). Both need a published revision —
// the draft never runs — else KindConflict; so does asking for a variant
// the revision lacks, or auth whose method the integration no longer
// declares. A caller that makes two calls (mode, then variant) can compare
// RevisionID to detect a publish in between.
func (s *Store) ConfigForRun(tenantName, integrationID, configID string, v RunVariant) (RunConfig, error) {
	const op = "ConfigForRun"
	s.mu.RLock()
	defer s.mu.RUnlock()
	ir, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return RunConfig{}, err
	}
	rev := c.published()
	if rev == nil {
		return RunConfig{}, core.Errorf(core.KindConflict, op, "config %s has never been published", configID)
	}
	b := &rev.draft.bundle
	if v == RunSandboxVariant {
		if rev.draft.variant == nil {
			return RunConfig{}, core.Errorf(core.KindConflict, op, "config %s has no sandboxVariant in its published revision %d", configID, rev.number)
		}
		b = rev.draft.variant
	}
	o := opener{s: s, op: op, it: &ir.it, secrets: map[string]bool{}}
	rc := RunConfig{
		IntegrationID:  integrationID,
		ConfigID:       configID,
		RevisionID:     rev.id,
		RevisionNumber: rev.number,
		SandboxMode:    rev.draft.sandboxMode,
		Variant:        v,
		Parameters:     o.values(b.params),
		Auth:           o.auth(b.auth),
	}
	for _, e := range b.authMap {
		rc.AuthMap = append(rc.AuthMap, RunAuthMapEntry{Parameters: o.values(e.params), Auth: o.auth(e.auth)})
	}
	if o.err != nil {
		return RunConfig{}, o.err
	}
	rc.Secrets = slices.Sorted(maps.Keys(o.secrets))
	return rc, nil
}

// opener opens sealed material, remembering the first failure.
type opener struct {
	s       *Store
	op      string
	it      *Integration
	secrets map[string]bool
	err     error
}

func (o *opener) values(ps params) map[string]any {
	out := ps.clear()
	for _, p := range ps.secrets() {
		v, err := openValue(o.s.box, p.sealed())
		if err != nil {
			if o.err == nil {
				o.err = core.Internal(o.op, err)
			}
			continue
		}
		out[p.name] = v
		for _, text := range core.SecretTexts(v) {
			o.secrets[text] = true
		}
	}
	return out
}

func (o *opener) auth(a *auth) *RunAuth {
	if a == nil {
		return nil
	}
	m := authMethod(o.it, a.methodID)
	if m == nil {
		if o.err == nil {
			o.err = core.Errorf(core.KindConflict, o.op, "auth method %s is no longer declared by integration %s", a.methodID, o.it.ID)
		}
		return nil
	}
	return &RunAuth{
		MethodID:      m.ID,
		Type:          m.Type,
		Level:         a.level,
		Settings:      stringMapOrEmpty(m.AuthSettings.Parameters),
		Parameters:    o.values(a.params),
		GrantedScopes: core.CloneSlice(a.grantedScopes()),
	}
}

// TestConfig simulates :test on the draft's auth: it succeeds when the
// config has auth and its method supports config tests.
func (s *Store) TestConfig(tenantName, integrationID, id string) (ConfigTestResult, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ir, c, err := s.config("TestConfig", tenantName, integrationID, id)
	if err != nil {
		return ConfigTestResult{}, err
	}
	a := c.draft.auth
	if a == nil {
		return ConfigTestResult{Success: false, Message: "config has no auth"}, nil
	}
	m := authMethod(&ir.it, a.methodID)
	switch {
	case m == nil:
		return ConfigTestResult{Success: false, Message: "auth method " + a.methodID + " is no longer declared by the integration"}, nil
	case !m.ConfigTestSupported:
		return ConfigTestResult{Success: false, Message: "auth method " + m.ID + " does not support config tests"}, nil
	}
	return ConfigTestResult{Success: true, Message: "credentials accepted (simulated)"}, nil
}
