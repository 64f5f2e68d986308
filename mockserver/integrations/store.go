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
	// NewID mints config and revision ids; default a random UUID v4.
	NewID func() string
	// Versions numbers every change for ETags; default a counter of the
	// store's own. The rooms of one sandbox share one.
	Versions *core.Versions
	// StrictTenants makes every operation on a tenant that no write or
	// AddTenant has created fail with KindNotFound. Without it, a write
	// creates its tenant and reads of an unknown tenant see an empty one.
	StrictTenants bool
	// OAuth redeems oAuthCredentialKey on config writes; without it such a
	// key is rejected.
	OAuth OAuthRedeemer
	// Hooks tell the rooms whose records hang off integrations and configs
	// about deletions.
	Hooks Hooks
}

// Store is the in-memory state of every tenant: which tenants exist, and
// their integrations and configs. It is safe for concurrent use. Every
// value it returns is a deep copy, and every value it is given is copied
// before it is kept.
//
// ETags: every integration and config carries a version from the
// sandbox's counter (see core.Versions). Methods that return one resource
// also return its current strong ETag, e.g. `"42"`. Revisions are
// immutable; their ETag is their quoted id. ifMatch arguments follow
// core.CheckIfMatch.
//
// Its lock comes first in the sandbox's lock order: another room may take
// its own lock while holding this one (WithIntegration, Hooks, the
// within callbacks of the whole-state methods), never the other way.
type Store struct {
	now      func() time.Time
	box      *secretbox.Box
	newID    func() string
	versions *core.Versions
	strict   bool
	oauth    OAuthRedeemer
	hooks    Hooks

	mu sync.RWMutex
	// guards tenants and every record reachable from it
	tenants map[string]*tenant
	// retiredWebhookKeys are the sealed webhook keys of configs the store
	// no longer holds (deleted, reset, replaced by a state import): the
	// journal may still show the answer that minted one, so AllSecretTexts
	// keeps listing them for redaction. Guarded by mu.
	retiredWebhookKeys []string
}

type integrationRec struct {
	it          Integration
	version     uint64
	configOrder []*configRec          // sorted by configKey: creation time, then id
	configs     map[string]*configRec // by id, once there are more than configScan
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
// so the many configs that are never published stay small.
type configHist struct {
	revisions []*revisionRec // oldest first
	published *revisionRec   // one of revisions: the newest, or a :rollback's target
	// webhookKeys are the config's inbound webhook keys, sealed, oldest
	// first: the last is the bound one, the others were rotated out (kept
	// so their text is still redacted wherever it shows).
	webhookKeys []string
	// subscriptions are the subscribers attached to the config's inbound
	// webhook, oldest first (see CreateWebhookSubscription).
	subscriptions []Subscription
	// deliveries are the inbound deliveries the webhook accepted, newest
	// first, at most MaxDeliveries (see recordDelivery).
	deliveries []WebhookDelivery
}

// revs returns the config's revisions, oldest first.
func (c *configRec) revs() []*revisionRec {
	if c.hist == nil {
		return nil
	}
	return c.hist.revisions
}

// published returns the config's published revision, or nil before the
// first publish.
func (c *configRec) published() *revisionRec {
	if c.hist == nil {
		return nil
	}
	return c.hist.published
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

// New returns an empty Store.
func New(opts Options) *Store {
	s := &Store{
		now:      opts.Now,
		box:      opts.Box,
		newID:    opts.NewID,
		strict:   opts.StrictTenants,
		oauth:    opts.OAuth,
		hooks:    opts.Hooks,
		versions: opts.Versions,
		tenants:  map[string]*tenant{},
	}
	if s.versions == nil {
		s.versions = &core.Versions{}
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

// HasTenant reports whether the store knows a tenant (a write, AddTenant,
// Restore or Adopt created it).
func (s *Store) HasTenant(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tenants[name] != nil
}

// Tenants lists the tenants the store knows, in no particular order.
func (s *Store) Tenants() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.tenants))
	for name := range s.tenants {
		out = append(out, name)
	}
	return out
}

// Reset empties the store, known tenants included. within, when not nil,
// runs before the store is unlocked (another room resets with it).
func (s *Store) Reset(within func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retireTenants()
	s.tenants = map[string]*tenant{}
	if within != nil {
		within()
	}
}

func (s *Store) nowMillis() int64 { return s.now().UnixMilli() }

// bump returns a fresh version number. mu must be held for writing.
func (s *Store) bump() uint64 { return s.versions.Next() }

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

// configKey orders configs by creation time, then id.
func configKey(c *configRec) string {
	return fmt.Sprintf("%016d/%s", max(c.createdAt, 0), c.id)
}
