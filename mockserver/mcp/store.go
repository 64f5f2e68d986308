// Package mcp is the room of the MCP group of the Integrations API: each
// integration's MCP server settings (enabled, backing config, exposed
// tools, the MCP key) and the two JSON-RPC endpoints, mcp:call
// (production: tools/call runs with the backing config's published
// revision) and mcp:test (sandbox: tools/call is answered by the
// simulator, nothing is ever sent). It reaches the integrations room only
// through the Integrations interface and the tools room through
// tools.Store and tools.Runner (see adapt.go).
package mcp

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// NilUUID is System.Guid.Empty: as a PATCH configId it clears the binding.
const NilUUID = "00000000-0000-0000-0000-000000000000"

// KeyPrefix starts every MCP key, so one is recognisable (and searchable
// by secret scanners) wherever it leaks.
const KeyPrefix = "fx_mcp_"

// keyPrefixLen is how much of a key keyPrefix shows: "fx_mcp_" and four
// random characters.
const keyPrefixLen = len(KeyPrefix) + 4

// Integrations is what the MCP room needs of the integrations room.
// *integrations.Store implements it; its lock comes before this store's.
type Integrations interface {
	// WithIntegration runs fn while the tenant has the integration, else
	// returns the KindNotFound error.
	WithIntegration(op, tenant, integration string, fn func() error) error
	// WithConfig is WithIntegration for a config of the integration.
	WithConfig(op, tenant, integration, config string, fn func() error) error
	// GetIntegration returns an integration and its ETag.
	GetIntegration(tenant, id string) (integrations.Integration, string, error)
	// CreateIntegration and UpdateIntegration are integrations:importMcp's
	// writes of the integration it imports into.
	CreateIntegration(tenant string, in integrations.CreateIntegrationInput) (integrations.Integration, string, error)
	UpdateIntegration(tenant, id string, in integrations.UpdateIntegrationInput, ifMatch string) (integrations.Integration, string, error)
}

// Options configure a Store. Integrations and Tools are required.
type Options struct {
	Integrations Integrations
	// Tools is the tools room of the same sandbox: tools/list and
	// tools/call read its tools, mcp:call runs them in it.
	Tools *tools.Store
	// Box seals the MCP keys at rest; default a Box with a random key.
	Box *secretbox.Box
	// Now is the clock; default time.Now.
	Now func() time.Time
	// NewID mints key ids; default a random UUID v4.
	NewID func() string
	// NewKey mints MCP keys; default KeyPrefix and 32 random base62
	// characters.
	NewKey func() string
}

// Store holds every tenant's MCP settings, keyed tenant → integration. It
// is safe for concurrent use. Its lock is only taken inside the
// integrations store's WithIntegration (or WithConfig), so settings never
// outlive their integration (DropIntegration is the delete hook).
type Store struct {
	integ  Integrations
	tools  *tools.Store
	box    *secretbox.Box
	now    func() time.Time
	newID  func() string
	newKey func() string

	mu sync.RWMutex
	// guards tenants and every record reachable from it
	tenants map[string]map[string]*record
}

// record is what the room keeps of one integration's MCP settings. The key
// is kept sealed (for the state export and for redaction) and hashed (to
// check X-API-KEY without opening it on every call).
type record struct {
	enabled     bool
	configID    string // "" when unbound
	exposed     []string
	description *string
	keyID       string // "" until a key is minted
	keyPrefix   string
	keySealed   string // secretbox.Seal of the key
	keyHash     [sha256.Size]byte
	createdAt   int64
	modifiedAt  int64
}

// New returns an empty Store.
func New(opts Options) *Store {
	s := &Store{integ: opts.Integrations, tools: opts.Tools, box: opts.Box, now: opts.Now, newID: opts.NewID,
		newKey: opts.NewKey, tenants: map[string]map[string]*record{}}
	if s.box == nil {
		b, err := secretbox.NewRandom()
		if err != nil {
			panic(fmt.Sprintf("mcp: no random key for the secret box: %v", err))
		}
		s.box = b
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = core.NewUUID
	}
	if s.newKey == nil {
		s.newKey = NewKey
	}
	return s
}

// NewKey mints an MCP key: KeyPrefix and 32 random base62 characters.
func NewKey() string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("mcp: no randomness for a key: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return KeyPrefix + string(b)
}

// Settings is the McpSettings resource, as the handlers answer it. The
// URLs are the handler's to fill (they depend on how the client reached
// the mock); APIKey is set only in the answer that minted the key.
type Settings struct {
	IntegrationID  string   `json:"integrationId"`
	Enabled        bool     `json:"enabled"`
	ConfigID       *string  `json:"configId"`
	ExposedToolIDs []string `json:"exposedToolIds"`
	Description    *string  `json:"description"`
	APIKeyID       *string  `json:"apiKeyId"`
	CallURL        *string  `json:"callUrl"`
	TestURL        *string  `json:"testUrl"`
	CreatedAt      int64    `json:"createdAt"`
	ModifiedAt     int64    `json:"modifiedAt"`
	KeyPrefix      *string  `json:"keyPrefix"`
	APIKey         *string  `json:"apiKey"`
}

// UpdateInput is the PATCH …/mcp body; nil keeps a field.
type UpdateInput struct {
	Enabled        *bool     `json:"enabled"`
	ConfigID       *string   `json:"configId"`
	ExposedToolIDs *[]string `json:"exposedToolIds"`
	Description    *string   `json:"description"`
}

func (s *Store) nowMillis() int64 { return s.now().UnixMilli() }

// view is a record as Settings, without URLs or the raw key.
func (rec *record) view(integration string) Settings {
	v := Settings{IntegrationID: integration, Enabled: rec.enabled, ExposedToolIDs: append([]string{}, rec.exposed...),
		Description: core.ClonePtr(rec.description), CreatedAt: rec.createdAt, ModifiedAt: rec.modifiedAt}
	if rec.configID != "" {
		v.ConfigID = core.ClonePtr(&rec.configID)
	}
	if rec.keyID != "" {
		v.APIKeyID, v.KeyPrefix = core.ClonePtr(&rec.keyID), core.ClonePtr(&rec.keyPrefix)
	}
	return v
}

// get returns a record, nil when there is none. mu must be held.
func (s *Store) get(tenant, integration string) *record { return s.tenants[tenant][integration] }

// ensure returns a record, making it with the defaults (disabled, unbound,
// nothing exposed, no key). mu must be held for writing.
func (s *Store) ensure(tenant, integration string) *record {
	byID := s.tenants[tenant]
	if byID == nil {
		byID = map[string]*record{}
		s.tenants[tenant] = byID
	}
	rec := byID[integration]
	if rec == nil {
		now := s.nowMillis()
		rec = &record{createdAt: now, modifiedAt: now}
		byID[integration] = rec
	}
	return rec
}

// Get returns an integration's settings. An integration that has none
// answers the defaults without storing them (a read never writes, so a GET
// in a session never copies the tenant out of the fixtures); they are
// dated by the integration's createdAt, so repeated reads agree.
func (s *Store) Get(tenant, integration string) (Settings, error) {
	const op = "GetMcpSettings"
	it, _, err := s.integ.GetIntegration(tenant, integration)
	if err != nil {
		return Settings{}, err
	}
	var v Settings
	err = s.integ.WithIntegration(op, tenant, integration, func() error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		if rec := s.get(tenant, integration); rec != nil {
			v = rec.view(integration)
			return nil
		}
		v = (&record{createdAt: it.CreatedAt, modifiedAt: it.CreatedAt}).view(integration)
		return nil
	})
	return v, err
}

// Update applies a PATCH: nil fields keep their value; configId NilUUID
// clears the binding, any other must be a config of the integration (else
// 400). When enabled turns true and no key was ever minted, a key is
// minted and returned, whole, on APIKey — the only time it is.
func (s *Store) Update(tenant, integration string, in UpdateInput) (Settings, error) {
	const op = "UpdateMcpSettings"
	f := core.Findings{}
	if in.ExposedToolIDs != nil {
		for i, id := range *in.ExposedToolIDs {
			if id == "" {
				f.Add(core.Index("exposedToolIds", i), "must not be empty")
			}
		}
	}
	if err := f.Err(op); err != nil {
		return Settings{}, err
	}
	var v Settings
	apply := func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		rec := s.ensure(tenant, integration)
		if in.ConfigID != nil {
			rec.configID = *in.ConfigID
			if rec.configID == NilUUID {
				rec.configID = ""
			}
		}
		if in.ExposedToolIDs != nil {
			rec.exposed = dedupe(*in.ExposedToolIDs)
		}
		if in.Description != nil {
			rec.description = core.ClonePtr(in.Description)
		}
		var minted string
		if in.Enabled != nil {
			if *in.Enabled && !rec.enabled && rec.keyID == "" {
				var err error
				if minted, err = s.mint(rec); err != nil {
					return core.Internal(op, err)
				}
			}
			rec.enabled = *in.Enabled
		}
		rec.modifiedAt = s.nowMillis()
		v = rec.view(integration)
		if minted != "" {
			v.APIKey = &minted
		}
		return nil
	}
	cfg := core.Deref(in.ConfigID)
	if cfg == "" || cfg == NilUUID {
		return v, s.integ.WithIntegration(op, tenant, integration, apply)
	}
	err := s.integ.WithConfig(op, tenant, integration, cfg, apply)
	if core.KindOf(err) == core.KindNotFound {
		if _, _, ierr := s.integ.GetIntegration(tenant, integration); ierr == nil {
			return Settings{}, &core.Error{Kind: core.KindInvalid, Op: op,
				Detail: fmt.Sprintf("config %s is not a config of integration %q", cfg, integration),
				Fields: map[string][]string{"configId": {fmt.Sprintf("must be a config of integration %q, or %s to clear the binding", integration, NilUUID)}}}
		}
	}
	return v, err
}

// RotateKey mints a fresh key, binds it and revokes the previous one (if
// any), which stops working at once. The new key is returned whole, on
// APIKey, the only time it is. Rotating settings that have none yet
// creates them (disabled) with their first key.
func (s *Store) RotateKey(tenant, integration string) (Settings, error) {
	const op = "RotateMcpKey"
	var v Settings
	err := s.integ.WithIntegration(op, tenant, integration, func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		rec := s.ensure(tenant, integration)
		key, err := s.mint(rec)
		if err != nil {
			return core.Internal(op, err)
		}
		rec.modifiedAt = s.nowMillis()
		v = rec.view(integration)
		v.APIKey = &key
		return nil
	})
	return v, err
}

// mint gives rec a new key (and key id) and returns it. mu must be held
// for writing.
func (s *Store) mint(rec *record) (string, error) {
	key := s.newKey()
	sealed, err := s.box.Seal(key)
	if err != nil {
		return "", err
	}
	rec.keyID, rec.keyPrefix, rec.keySealed, rec.keyHash = s.newID(), key[:min(keyPrefixLen, len(key))], sealed, sha256.Sum256([]byte(key))
	return key, nil
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Endpoint is what a JSON-RPC call may use of the settings, once its key
// was accepted.
type Endpoint struct {
	Enabled  bool
	ConfigID string
	Exposed  []string
}

// Access errors: the handler answers them 401 (ErrNoKey, ErrBadKey).
var (
	ErrNoKey  = errors.New("no MCP key has been minted for this integration: enable MCP (PATCH …/mcp) or rotate the key")
	ErrBadKey = errors.New("X-API-KEY is not this integration's current MCP key")
)

// Access checks key against the integration's current MCP key and returns
// what the call may use. A missing integration is KindNotFound; a missing
// or wrong key is ErrNoKey or ErrBadKey.
func (s *Store) Access(tenant, integration, key string) (Endpoint, error) {
	var ep Endpoint
	err := s.integ.WithIntegration("McpAccess", tenant, integration, func() error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		rec := s.get(tenant, integration)
		if rec == nil || rec.keyID == "" {
			return ErrNoKey
		}
		h := sha256.Sum256([]byte(key))
		if subtle.ConstantTimeCompare(h[:], rec.keyHash[:]) != 1 {
			return ErrBadKey
		}
		ep = Endpoint{Enabled: rec.enabled, ConfigID: rec.configID, Exposed: append([]string(nil), rec.exposed...)}
		return nil
	})
	return ep, err
}

// DropIntegration forgets an integration's settings and key: the
// integrations room's hook when it deletes one.
func (s *Store) DropIntegration(tenant, integration string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tenants[tenant], integration)
}

// Reset empties the store.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants = map[string]map[string]*record{}
}

// SecretTexts lists every MCP key the store holds, in the clear, so the
// server can redact them wherever they show (the journal's detail view
// redacts every text state.Store.AllSecretTexts lists).
func (s *Store) SecretTexts() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, byID := range s.tenants {
		for _, rec := range byID {
			if rec.keySealed == "" {
				continue
			}
			if key, err := s.box.Open(rec.keySealed); err == nil {
				out = append(out, key)
			}
		}
	}
	return out
}

// InstallKey binds key, a key chosen by the caller, as the integration's
// MCP key with id keyID, revoking any previous one, as :rotateKey binds a
// minted one: the fixtures' way to give a demo MCP server a key that is
// documented and the same on every start. Settings the integration has
// not got yet are created (disabled). key must start with KeyPrefix and
// be longer than keyPrefix shows.
func (s *Store) InstallKey(tenant, integration, keyID, key string) error {
	const op = "InstallMcpKey"
	if !strings.HasPrefix(key, KeyPrefix) || len(key) <= keyPrefixLen || keyID == "" {
		return core.Errorf(core.KindInvalid, op, "an MCP key must start with %q and be longer than %d characters, and have an id", KeyPrefix, keyPrefixLen)
	}
	return s.integ.WithIntegration(op, tenant, integration, func() error {
		sealed, err := s.box.Seal(key)
		if err != nil {
			return core.Internal(op, err)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		rec := s.ensure(tenant, integration)
		rec.keyID, rec.keyPrefix, rec.keySealed, rec.keyHash = keyID, key[:keyPrefixLen], sealed, sha256.Sum256([]byte(key))
		rec.modifiedAt = s.nowMillis()
		return nil
	})
}
