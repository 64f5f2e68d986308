package mcp

import (
	"crypto/sha256"
	"maps"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// Section is one tenant's MCP state in a state snapshot (export, import,
// the fixtures baseline, a session's adoption of a tenant). The key is
// kept sealed, never in the clear.
type Section struct {
	Settings []SettingsSnapshot `json:"settings,omitempty"`
}

// SettingsSnapshot is one integration's MCP settings as a snapshot holds
// them.
type SettingsSnapshot struct {
	IntegrationID  string   `json:"integrationId"`
	Enabled        bool     `json:"enabled"`
	ConfigID       *string  `json:"configId,omitempty"`
	ExposedToolIDs []string `json:"exposedToolIds,omitempty"`
	Description    *string  `json:"description,omitempty"`
	// APIKeyID, KeyPrefix and APIKeySealed are all set or all absent.
	APIKeyID     *string `json:"apiKeyId,omitempty"`
	KeyPrefix    *string `json:"keyPrefix,omitempty"`
	APIKeySealed *string `json:"apiKeySealed,omitempty"`
	CreatedAt    int64   `json:"createdAt"`
	ModifiedAt   int64   `json:"modifiedAt"`
}

// Snapshot returns the sections of tenants (those that have MCP state),
// integrations sorted by id. Call it under the integrations room's read
// lock (its Snapshot's within), so the sections agree with its own.
func (s *Store) Snapshot(tenants []string) map[string]Section {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]Section{}
	for _, name := range tenants {
		byID := s.tenants[name]
		if len(byID) == 0 {
			continue
		}
		var sec Section
		for _, id := range slices.Sorted(maps.Keys(byID)) {
			rec := byID[id]
			ss := SettingsSnapshot{IntegrationID: id, Enabled: rec.enabled, ExposedToolIDs: slices.Clone(rec.exposed),
				Description: core.ClonePtr(rec.description), CreatedAt: rec.createdAt, ModifiedAt: rec.modifiedAt}
			if rec.configID != "" {
				ss.ConfigID = core.ClonePtr(&rec.configID)
			}
			if rec.keyID != "" {
				ss.APIKeyID, ss.KeyPrefix, ss.APIKeySealed = core.ClonePtr(&rec.keyID), core.ClonePtr(&rec.keyPrefix), core.ClonePtr(&rec.keySealed)
			}
			sec.Settings = append(sec.Settings, ss)
		}
		out[name] = sec
	}
	return out
}

// Prepared is a checked document, ready to commit.
type Prepared struct {
	tenants map[string]map[string]*record
}

// Prepare checks sections (findings under "tenants.<name>.mcp…") and
// builds them: every integration must exist (has), appear once, and a key
// must be whole (id, prefix, sealed value) and open with this store's box.
func (s *Store) Prepare(f core.Findings, doc map[string]Section, has func(tenant, integration string) bool) *Prepared {
	p := &Prepared{tenants: map[string]map[string]*record{}}
	for name, sec := range doc {
		byID := map[string]*record{}
		for i, ss := range sec.Settings {
			path := core.Index("tenants."+name+".mcp.settings", i)
			switch {
			case ss.IntegrationID == "":
				f.Add(path+".integrationId", "is required")
				continue
			case byID[ss.IntegrationID] != nil:
				f.Add(path+".integrationId", "repeats %q", ss.IntegrationID)
				continue
			case has != nil && !has(name, ss.IntegrationID):
				f.Add(path+".integrationId", "names integration %q, which the tenant does not have", ss.IntegrationID)
				continue
			}
			rec := &record{enabled: ss.Enabled, configID: core.Deref(ss.ConfigID), exposed: slices.Clone(ss.ExposedToolIDs),
				description: core.ClonePtr(ss.Description), createdAt: ss.CreatedAt, modifiedAt: ss.ModifiedAt}
			if rec.configID == NilUUID {
				rec.configID = ""
			}
			keyed := ss.APIKeyID != nil || ss.KeyPrefix != nil || ss.APIKeySealed != nil
			if keyed {
				if ss.APIKeyID == nil || ss.KeyPrefix == nil || ss.APIKeySealed == nil || *ss.APIKeyID == "" {
					f.Add(path, "must set apiKeyId, keyPrefix and apiKeySealed together")
					continue
				}
				key, err := s.box.Open(*ss.APIKeySealed)
				if err != nil || !strings.HasPrefix(key, *ss.KeyPrefix) {
					f.Add(path+".apiKeySealed", "does not open with this server's secret key (or does not match keyPrefix)")
					continue
				}
				rec.keyID, rec.keyPrefix, rec.keySealed, rec.keyHash = *ss.APIKeyID, *ss.KeyPrefix, *ss.APIKeySealed, sha256.Sum256([]byte(key))
			}
			byID[ss.IntegrationID] = rec
		}
		p.tenants[name] = byID
	}
	return p
}

// Commit replaces the whole store with p. Call it under the integrations
// room's write lock (its Commit's within).
func (s *Store) Commit(p *Prepared) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants = map[string]map[string]*record{}
	for name, byID := range p.tenants {
		if len(byID) > 0 {
			s.tenants[name] = byID
		}
	}
}

// Adopt sets tenant name's MCP state from p (a session's first write to a
// fixtures tenant). Call it under the integrations room's write lock (its
// Adopt's within).
func (s *Store) Adopt(name string, p *Prepared) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if byID := p.tenants[name]; len(byID) > 0 {
		s.tenants[name] = byID
	} else {
		delete(s.tenants, name)
	}
}
