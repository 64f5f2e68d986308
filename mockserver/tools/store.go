package tools

import (
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// Integrations is what the tools room needs of the integrations room: that
// an integration (or a config) exists while a tool (or a run) hanging off
// it is read or written, and that it isn't deleted meanwhile; and, for a
// run, the integration's declared parameters and the config's material.
// *integrations.Store implements it; its lock comes before this store's.
type Integrations interface {
	// WithIntegration runs fn while the tenant has the integration, else
	// returns the KindNotFound error, as op, naming what is missing.
	WithIntegration(op, tenant, integration string, fn func() error) error
	// WithConfig is WithIntegration for a config of the integration.
	WithConfig(op, tenant, integration, config string, fn func() error) error
	// GetIntegration returns an integration and its ETag.
	GetIntegration(tenant, id string) (integrations.Integration, string, error)
	// ConfigForRun returns the material of a config's published revision.
	ConfigForRun(tenant, integration, config string, v integrations.RunVariant) (integrations.RunConfig, error)
	// ConfigOwner names the integration a config of the tenant belongs to.
	ConfigOwner(tenant, config string) (integration string, ok bool)
}

// Options configure a Store. Zero values pick the defaults, but for
// Integrations, which is required.
type Options struct {
	// Integrations is the room the tools hang off.
	Integrations Integrations
	// Now is the clock; default time.Now.
	Now func() time.Time
	// NewID mints tool and run ids; default a random UUID v4.
	NewID func() string
	// Versions numbers every change for ETags; default a counter of the
	// store's own. The rooms of one sandbox share one.
	Versions *core.Versions
}

// Store holds every tenant's tools and tool runs, keyed tenant →
// integration → tool id (runs: → config id). It is safe for concurrent use;
// every value it returns is a deep copy, and every value it is given is
// copied before it is kept. Its lock is only ever taken while the
// integrations store's is held: every tool and run operation runs inside
// Integrations.WithIntegration (or WithConfig), and the integrations
// room's hooks (DropIntegration, DropConfig) and package state (Snapshot,
// Commit, Adopt, Reset) call it under that store's lock. So a tool never
// outlives its integration, nor a run its config.
type Store struct {
	integ    Integrations
	now      func() time.Time
	newID    func() string
	versions *core.Versions

	mu sync.RWMutex
	// guards tenants and every record reachable from it
	tenants map[string]map[string]*integrationTools // tenant → integration id
}

// integrationTools is what the room keeps of one integration.
type integrationTools struct {
	tools []*toolRec           // sorted by id
	runs  map[string][]ToolRun // by config id, oldest first, at most MaxRunsPerConfig
}

type toolRec struct {
	tool    Tool
	version uint64
}

func toolKey(r *toolRec) string { return r.tool.ID }

// New returns an empty Store.
func New(opts Options) *Store {
	s := &Store{integ: opts.Integrations, now: opts.Now, newID: opts.NewID, versions: opts.Versions,
		tenants: map[string]map[string]*integrationTools{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = core.NewUUID
	}
	if s.versions == nil {
		s.versions = &core.Versions{}
	}
	return s
}

func (s *Store) nowMillis() int64 { return s.now().UnixMilli() }

// of returns an integration's record, nil when it has none. mu must be
// held.
func (s *Store) of(tenant, integration string) *integrationTools {
	return s.tenants[tenant][integration]
}

// ensure returns an integration's record, making it. mu must be held for
// writing.
func (s *Store) ensure(tenant, integration string) *integrationTools {
	byID := s.tenants[tenant]
	if byID == nil {
		byID = map[string]*integrationTools{}
		s.tenants[tenant] = byID
	}
	it := byID[integration]
	if it == nil {
		it = &integrationTools{}
		byID[integration] = it
	}
	return it
}

// DropIntegration forgets an integration's tools and runs: the
// integrations room's hook when it deletes one.
func (s *Store) DropIntegration(tenant, integration string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tenants[tenant], integration)
}

// DropConfig forgets a config's runs: the integrations room's hook when it
// deletes one.
func (s *Store) DropConfig(tenant, integration, config string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := s.of(tenant, integration); it != nil {
		delete(it.runs, config)
	}
}

// Reset empties the store.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants = map[string]map[string]*integrationTools{}
}
