// Package state is the composition of the rooms: one sandbox's whole
// state is every room's store wired together (the integrations room, and
// the tools room whose records hang off it), plus the operations on all of
// it at once that the server and its sessions need: Snapshot and Restore
// (one document, a section per room per tenant), AdoptTenant and HasTenant
// (sessions copy a tenant from the fixtures on first write), Reset and
// AllSecretTexts. Handlers reach a room's store through Integrations and
// Tools.
//
// Each room keeps its own lock. They are taken in one order, integrations
// before tools: the tools room reads and writes only inside the
// integrations store's WithIntegration or WithConfig (its read lock), the
// integrations room's delete hooks drop tools and runs under its write
// lock, and the whole-state operations here commit the tools room inside
// the integrations room's within callbacks. So a tool or a run never
// outlives its integration or config, a snapshot never holds a tool whose
// integration it lacks, and a restore, a reset or an adoption is seen
// whole by every request. The one cross-room sequence not made atomic is a
// tool run, which reads the tool, the integration and the config's
// material in separate steps and then records the run, as it did when the
// rooms shared one store: a publish between its reads of a config is
// detected and the reads retried, a tool edited mid-run runs as it was
// read, and a config deleted mid-run fails the recording with a 404.
package state

import (
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/assets"
	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/mcp"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// Options configure a Store. Zero values pick the defaults.
type Options struct {
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Box seals secrets at rest; default a Box with a random key.
	Box *secretbox.Box
	// NewID mints config, revision, tool and run ids; default a random
	// UUID v4.
	NewID func() string
	// StrictTenants makes every operation on a tenant that no write or
	// AddTenant has created fail with KindNotFound. Without it, a write
	// creates its tenant and reads of an unknown tenant see an empty one.
	StrictTenants bool
	// OAuth redeems oAuthCredentialKey on config writes; without it such a
	// key is rejected.
	OAuth integrations.OAuthRedeemer
	// AssetPace is the assets room's ingestion pace; default watch.
	AssetPace *assets.Pace
}

// Store is one sandbox's whole state. It is safe for concurrent use.
type Store struct {
	integrations *integrations.Store
	tools        *tools.Store
	// assets is the assets room: its own lock, taken after the
	// integrations room's by the whole-state operations.
	assets   *assets.Store
	mcp      *mcp.Store
	versions *core.Versions
}

// New returns an empty Store whose rooms share a clock, id minting and one
// version counter, so an ETag is never reused across them.
func New(opts Options) *Store {
	s := &Store{versions: &core.Versions{}}
	if opts.NewID == nil {
		opts.NewID = core.NewUUID
	}
	if opts.Box == nil {
		box, err := secretbox.NewRandom()
		if err != nil {
			panic("state: no random key for the secret box: " + err.Error())
		}
		opts.Box = box // one box for every room, so a snapshot opens whole
	}
	s.integrations = integrations.New(integrations.Options{
		Now: opts.Now, Box: opts.Box, NewID: opts.NewID, Versions: s.versions,
		StrictTenants: opts.StrictTenants, OAuth: opts.OAuth,
		Hooks: integrations.Hooks{
			IntegrationDeleted: func(tenant, id string) { s.tools.DropIntegration(tenant, id); s.mcp.DropIntegration(tenant, id) },
			ConfigDeleted:      func(tenant, integration, id string) { s.tools.DropConfig(tenant, integration, id) },
		},
	})
	s.tools = tools.New(tools.Options{Integrations: s.integrations, Now: opts.Now, NewID: opts.NewID, Versions: s.versions})
	aopts := assets.Options{Now: opts.Now, NewID: opts.NewID, Pace: opts.AssetPace, Box: opts.Box}
	if opts.StrictTenants {
		aopts.TenantKnown = s.integrations.HasTenant
	}
	s.assets = assets.New(aopts)
	s.mcp = mcp.New(mcp.Options{Integrations: s.integrations, Tools: s.tools, Box: opts.Box, Now: opts.Now, NewID: opts.NewID})
	return s
}

// Assets is the assets room: knowledge assets, documents, operations.
func (s *Store) Assets() *assets.Store { return s.assets }

// Integrations is the integrations room: integrations, configs, revisions.
func (s *Store) Integrations() *integrations.Store { return s.integrations }

// Tools is the tools room: tools and their runs.
func (s *Store) Tools() *tools.Store { return s.tools }

// MCP is the MCP room: each integration's MCP settings and key.
func (s *Store) MCP() *mcp.Store { return s.mcp }

// AddTenant makes a tenant known (and empty, if it was not known).
func (s *Store) AddTenant(name string) error { return s.integrations.AddTenant(name) }

// HasTenant reports whether the store knows a tenant (a write, AddTenant,
// Restore or AdoptTenant created it).
func (s *Store) HasTenant(name string) bool { return s.integrations.HasTenant(name) }

// Tenants lists the tenants the store knows, in no particular order.
func (s *Store) Tenants() []string { return s.integrations.Tenants() }

// Reset empties every room, known tenants included.
func (s *Store) Reset() {
	s.integrations.Reset(func() { s.tools.Reset(); s.mcp.Reset() })
	s.assets.Reset()
}

// AllSecretTexts lists the texts (see core.SecretTexts) of every secret
// the state holds, so a caller can redact them from what it shows.
func (s *Store) AllSecretTexts() []string {
	return append(append(s.integrations.AllSecretTexts(), s.assets.SecretTexts()...), s.mcp.SecretTexts()...)
}
