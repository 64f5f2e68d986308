package integrations

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// A state document (see package state) holds a section of this room per
// tenant. Secrets stay sealed in it, and versions are kept, so ETags
// survive a round trip.

// Section is one tenant's integrations in a state document, ordered by id.
type Section []IntegrationSnapshot

// IntegrationSnapshot is an integration with its configs.
type IntegrationSnapshot struct {
	Integration Integration      `json:"integration"`
	Version     uint64           `json:"version,omitempty"`
	Configs     []ConfigSnapshot `json:"configs"`
}

// ConfigSnapshot is a config: its sealed draft and revisions (oldest
// first). The published one is PublishedRevisionID (a :rollback's target),
// or the last when that is empty.
type ConfigSnapshot struct {
	ID                  string             `json:"id"`
	Draft               SealedDraft        `json:"draft"`
	Revisions           []RevisionSnapshot `json:"revisions"`
	PublishedRevisionID string             `json:"publishedRevisionId,omitempty"`
	CreatedBy           *string            `json:"createdBy,omitempty"`
	CreatedAt           int64              `json:"createdAt"`
	ModifiedAt          int64              `json:"modifiedAt"`
	Version             uint64             `json:"version,omitempty"`
	// Webhook is the config's inbound webhook, absent without a bound key
	// (see snapshot_webhooks.go).
	Webhook *WebhookSnapshot `json:"webhook,omitempty"`
}

// RevisionSnapshot is a published revision.
type RevisionSnapshot struct {
	ID        string      `json:"id"`
	Number    int         `json:"number"`
	Draft     SealedDraft `json:"draft"`
	CreatedBy *string     `json:"createdBy,omitempty"`
	CreatedAt int64       `json:"createdAt"`
}

// Snapshot copies every known tenant's section (an empty one for a tenant
// without integrations). within, when not nil, is given the tenants' names
// and runs under the same read lock, so what another room copies there is
// consistent with these sections.
func (s *Store) Snapshot(within func(tenants []string)) map[string]Section {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]Section, len(s.tenants))
	for name, t := range s.tenants {
		sec := make(Section, 0, t.len())
		for _, ir := range t.ordered() {
			sec = append(sec, snapshotIntegration(s.box, ir))
		}
		out[name] = sec
	}
	if within != nil {
		names := make([]string, 0, len(out))
		for name := range out {
			names = append(names, name)
		}
		within(names)
	}
	return out
}

func snapshotIntegration(box *secretbox.Box, ir *integrationRec) IntegrationSnapshot {
	is := IntegrationSnapshot{
		Integration: cloneIntegration(ir.it),
		Version:     ir.version,
		Configs:     make([]ConfigSnapshot, 0, len(ir.configOrder)),
	}
	for _, c := range ir.configOrder {
		cs := ConfigSnapshot{
			ID: c.id, Draft: c.draft.doc(), CreatedBy: core.ClonePtr(c.createdBy),
			CreatedAt: c.createdAt, ModifiedAt: c.modifiedAt, Version: c.version,
			Revisions: make([]RevisionSnapshot, 0, len(c.revs())), Webhook: webhookDoc(box, c),
		}
		for _, r := range c.revs() {
			cs.Revisions = append(cs.Revisions, RevisionSnapshot{ID: r.id, Number: r.number, Draft: r.draft.doc(), CreatedBy: core.ClonePtr(r.createdBy), CreatedAt: r.createdAt})
		}
		if p := c.published(); p != nil && p != c.revs()[len(c.revs())-1] {
			cs.PublishedRevisionID = p.id
		}
		is.Configs = append(is.Configs, cs)
	}
	return is
}

// Prepared is the sections of a state document, checked and built into
// records, ready to Commit or Adopt. It keeps no reference into the
// document.
type Prepared struct {
	tenants    map[string]*tenant
	maxVersion uint64
}

// MaxVersion is the highest version the prepared records carry.
func (p *Prepared) MaxVersion() uint64 { return p.maxVersion }

// Has reports whether the prepared tenant holds the integration and, when
// configID is not "", its config: what another room's records may hang
// off.
func (p *Prepared) Has(tenantName, integrationID, configID string) bool {
	ir := p.tenants[tenantName].find(integrationID)
	return ir != nil && (configID == "" || ir.findConfig(configID) != nil)
}

// Prepare checks the sections of a document (structure, ids, metadata, and
// that every sealed value opens with this store's key), reporting to f at
// "tenants.<name>.integrations…", and builds their records. Configs are
// not re-checked against their integration's metadata, which may have
// changed since they were written. A tenant of doc with a nil section is
// prepared empty.
func (s *Store) Prepare(f core.Findings, doc map[string]Section) *Prepared {
	r := &restorer{f: f, box: s.box}
	p := &Prepared{tenants: make(map[string]*tenant, len(doc))}
	for name, sec := range doc {
		t := &tenant{}
		for i, is := range sec {
			path := fmt.Sprintf("tenants.%s.integrations[%d]", name, i)
			ir := s.restoreIntegration(r, path, is)
			if t.find(ir.it.ID) != nil {
				f.Add(path+".integration.id", "must be unique in the tenant")
				continue
			}
			t.add(ir)
			p.maxVersion = max(p.maxVersion, ir.version)
			for _, c := range ir.configOrder {
				p.maxVersion = max(p.maxVersion, c.version)
			}
		}
		p.tenants[name] = t
	}
	return p
}

// Commit replaces the whole state with p, which must not be used again.
// The caller has made the version counter observe p.MaxVersion(); records
// a hand-written document left without a version get fresh ones. within,
// when not nil, runs under the same write lock (another room commits its
// sections with it).
func (s *Store) Commit(p *Prepared, within func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range p.tenants {
		s.fillVersions(t)
	}
	s.retireTenants()
	s.tenants = p.tenants
	if within != nil {
		within()
	}
}

// Adopt makes tenant name hold p's tenant of that name, unless the store
// knows the tenant already; it reports whether it adopted, and runs within
// (when not nil) under the same write lock only then. p must not be used
// again; versions are handled as by Commit.
func (s *Store) Adopt(name string, p *Prepared, within func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tenants[name] != nil {
		return false // a concurrent adoption or write won
	}
	t := p.tenants[name]
	if t == nil {
		t = &tenant{}
	}
	s.fillVersions(t)
	s.tenants[name] = t
	if within != nil {
		within()
	}
	return true
}

// fillVersions gives every record of t without a version a fresh one. mu
// must be held for writing.
func (s *Store) fillVersions(t *tenant) {
	for _, ir := range t.ordered() {
		s.versions.Fill(&ir.version)
		for _, c := range ir.configOrder {
			s.versions.Fill(&c.version)
		}
	}
}

// restoreIntegration checks one integration of a document and builds its
// record from deep copies.
func (s *Store) restoreIntegration(r *restorer, p string, is IntegrationSnapshot) *integrationRec {
	f := r.f
	ir := &integrationRec{
		it:      s.prepareIntegration(f, p+".integration", is.Integration),
		version: is.Version,
	}
	for j, cs := range is.Configs {
		cp := core.Index(p+".configs", j)
		c := &configRec{id: cs.ID, draft: r.draft(cp+".draft", cs.Draft), createdBy: core.ClonePtr(cs.CreatedBy),
			createdAt: cs.CreatedAt, modifiedAt: cs.ModifiedAt, version: cs.Version}
		switch {
		case cs.ID == "":
			f.Add(cp+".id", "is required")
		case ir.findConfig(cs.ID) != nil:
			f.Add(cp+".id", "must be unique in the integration")
		}
		for k, rs := range cs.Revisions {
			rp := core.Index(cp+".revisions", k)
			if rs.ID == "" || slices.ContainsFunc(c.revs(), func(r *revisionRec) bool { return r.id == rs.ID }) {
				f.Add(rp+".id", "must be set and unique in the config")
			}
			if rs.Number != k+1 {
				f.Add(rp+".number", "must be %d (revisions are numbered 1, 2, … oldest first)", k+1)
			}
			rev := &revisionRec{id: rs.ID, number: rs.Number, draft: r.draft(rp+".draft", rs.Draft), createdBy: core.ClonePtr(rs.CreatedBy), createdAt: rs.CreatedAt}
			if reflect.DeepEqual(rev.draft, c.draft) {
				rev.draft = c.draft // share, as a publish does
			}
			h := c.history()
			h.revisions = append(h.revisions, rev)
			h.published = rev
		}
		if id := cs.PublishedRevisionID; id != "" {
			i := slices.IndexFunc(c.revs(), func(r *revisionRec) bool { return r.id == id })
			if i < 0 {
				f.Add(cp+".publishedRevisionId", "must be the id of one of the config's revisions")
			} else {
				c.hist.published = c.revs()[i]
			}
		}
		r.webhook(cp+".webhook", c, cs.Webhook)
		ir.addConfig(c)
	}
	return ir
}
