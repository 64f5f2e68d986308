package integrations

import (
	"fmt"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// Options configure a Store. Zero values pick the defaults.
type Options struct {
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Box seals secrets at rest; default a Box with a random key.
	Box *secretbox.Box
	// NewID mints config, revision and run ids; default a random UUID v4.
	NewID func() string
	// StrictTenants makes every operation on a tenant that no write or
	// AddTenant has created fail with KindNotFound. Without it, a write
	// creates its tenant and reads of an unknown tenant see an empty one.
	StrictTenants bool
	// OAuth redeems oAuthCredentialKey on config writes; without it such a
	// key is rejected.
	OAuth OAuthRedeemer
}

// Store is the in-memory state of every tenant. It is safe for concurrent
// use. Every value it returns is a deep copy, and every value it is given is
// copied before it is kept.
//
// ETags: every integration, config and tool carries a version that takes a
// fresh number from a store-wide counter on each change, so an ETag is never
// reused for different content (not even after delete and re-create).
// Methods that return one resource also return its current strong ETag,
// e.g. `"42"`. Revisions are immutable; their ETag is their quoted id.
// ifMatch arguments follow RFC 9110: "" skips the check, "*" only requires
// the resource to exist, otherwise one of the listed tags must equal the
// current one, else the call fails with KindConflict.
type Store struct {
	now    func() time.Time
	box    *secretbox.Box
	newID  func() string
	strict bool
	oauth  OAuthRedeemer

	mu sync.RWMutex
	// guards tenants, seq and every record reachable from tenants
	tenants map[string]*tenant
	seq     uint64
}

type integrationRec struct {
	it          Integration
	version     uint64
	configOrder []*configRec          // sorted by configKey: creation time, then id
	configs     map[string]*configRec // by id, once there are more than configScan
	tools       []*toolRec            // sorted by id
}

// configScan is how many configs an integration finds by scanning
// configOrder; beyond it, a map by id is kept too. Most integrations have
// a handful of configs, for which a map would cost more than the configs'
// own records.
const configScan = 8

// findConfig returns the config id, or nil.
func (ir *integrationRec) findConfig(id string) *configRec {
	if ir.configs != nil {
		return ir.configs[id]
	}
	for _, c := range ir.configOrder {
		if c.id == id {
			return c
		}
	}
	return nil
}

// addConfig keeps c, whose id is not among ir's configs.
func (ir *integrationRec) addConfig(c *configRec) {
	ir.configOrder = core.InsertSorted(ir.configOrder, c, configKey)
	switch {
	case ir.configs != nil:
		ir.configs[c.id] = c
	case len(ir.configOrder) > configScan:
		ir.configs = make(map[string]*configRec, len(ir.configOrder))
		for _, c := range ir.configOrder {
			ir.configs[c.id] = c
		}
	}
}

// removeConfig forgets c, one of ir's configs.
func (ir *integrationRec) removeConfig(c *configRec) {
	ir.configOrder = core.RemoveSorted(ir.configOrder, configKey, configKey(c))
	delete(ir.configs, c.id)
}

type configRec struct {
	id         string
	draft      draft
	createdBy  *string
	createdAt  int64
	modifiedAt int64
	version    uint64
	hist       *configHist // nil until the first publish or run
}

// configHist is what a config accumulates after its creation, kept apart
// so the many configs that are never published or run stay small.
type configHist struct {
	revisions []*revisionRec // oldest first
	runs      []ToolRun      // oldest first, at most maxRuns
}

// revs returns the config's revisions, oldest first.
func (c *configRec) revs() []*revisionRec {
	if c.hist == nil {
		return nil
	}
	return c.hist.revisions
}

// runList returns the config's runs, oldest first.
func (c *configRec) runList() []ToolRun {
	if c.hist == nil {
		return nil
	}
	return c.hist.runs
}

// history returns the config's history for adding to it. Store.mu must
// be write-locked.
func (c *configRec) history() *configHist {
	if c.hist == nil {
		c.hist = &configHist{}
	}
	return c.hist
}

type revisionRec struct {
	id        string
	number    int // its index in configRec.revisions + 1
	draft     draft
	createdBy *string
	createdAt int64
}

type toolRec struct {
	tool    Tool
	version uint64
}

// New returns an empty Store.
func New(opts Options) *Store {
	s := &Store{
		now:     opts.Now,
		box:     opts.Box,
		newID:   opts.NewID,
		strict:  opts.StrictTenants,
		oauth:   opts.OAuth,
		tenants: map[string]*tenant{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = core.NewUUID
	}
	if s.box == nil {
		b, err := secretbox.NewRandom()
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		s.box = b
	}
	return s
}

// AddTenant makes a tenant known (and empty, if it was not known).
func (s *Store) AddTenant(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.ensureTenant("AddTenant", name, true)
	return err
}

// Reset empties the store, known tenants included.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants = map[string]*tenant{}
}

func (s *Store) nowMillis() int64 { return s.now().UnixMilli() }

// bump returns a fresh version number. mu must be held for writing.
func (s *Store) bump() uint64 {
	s.seq++
	return s.seq
}

func revisionETag(id string) string { return `"` + id + `"` }

// lookupTenant finds a tenant for reading. Without StrictTenants an unknown
// tenant is nil (empty) rather than an error. mu must be held.
func (s *Store) lookupTenant(op, name string) (*tenant, error) {
	t := s.tenants[name]
	if t == nil && (s.strict || name == "") {
		return nil, core.Errorf(core.KindNotFound, op, "tenant %q not found", name)
	}
	return t, nil
}

// ensureTenant finds or (unless StrictTenants, or force) refuses to create a
// tenant. mu must be held for writing.
func (s *Store) ensureTenant(op, name string, force bool) (*tenant, error) {
	if name == "" {
		return nil, core.Errorf(core.KindInvalid, op, "tenant name is required")
	}
	if t := s.tenants[name]; t != nil {
		return t, nil
	}
	if s.strict && !force {
		return nil, core.Errorf(core.KindNotFound, op, "tenant %q not found", name)
	}
	t := &tenant{}
	s.tenants[name] = t
	return t, nil
}

// integration finds an integration. mu must be held.
func (s *Store) integration(op, tenantName, id string) (*integrationRec, error) {
	t, err := s.lookupTenant(op, tenantName)
	if err != nil {
		return nil, err
	}
	if r := t.find(id); r != nil {
		return r, nil
	}
	return nil, core.Errorf(core.KindNotFound, op, "integration %q not found", id)
}

// config finds a config of an integration. mu must be held.
func (s *Store) config(op, tenantName, integrationID, id string) (*integrationRec, *configRec, error) {
	ir, err := s.integration(op, tenantName, integrationID)
	if err != nil {
		return nil, nil, err
	}
	if c := ir.findConfig(id); c != nil {
		return ir, c, nil
	}
	return nil, nil, core.Errorf(core.KindNotFound, op, "config %q of integration %q not found", id, integrationID)
}

func integrationKey(r *integrationRec) string { return r.it.ID }

func toolKey(r *toolRec) string { return r.tool.ID }

// configKey orders configs by creation time, then id.
func configKey(c *configRec) string {
	return fmt.Sprintf("%016d/%s", max(c.createdAt, 0), c.id)
}
