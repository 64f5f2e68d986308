package integrations

import (
	"maps"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// AllSecretTexts lists the texts (see SecretTexts) of every secret the
// store holds, in every tenant's drafts, revisions, sandbox variants and
// auth maps, and its webhook keys (bound, rotated out, or of configs it no
// longer holds), so a caller can redact them wherever they show. Weak texts
// (see core.WeakSecret) are left out: replacing "Bearer" or "eu" everywhere
// would destroy the text around them; they were flagged when stored. A
// value that can't be opened is skipped: it can't be shown either.
func (s *Store) AllSecretTexts() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	texts := map[string]bool{}
	addParams := func(ps params) {
		for _, p := range ps.secrets() {
			if v, err := openValue(s.box, p.sealed()); err == nil {
				for _, t := range core.SecretTexts(v) {
					if core.WeakSecret(t) == "" {
						texts[t] = true
					}
				}
			}
		}
	}
	addBundle := func(b *bundle) {
		if b == nil {
			return
		}
		addParams(b.params)
		if b.auth != nil {
			addParams(b.auth.params)
		}
		for _, e := range b.authMap {
			addParams(e.params)
			if e.auth != nil {
				addParams(e.auth.params)
			}
		}
	}
	addDraft := func(d *draft) {
		addBundle(&d.bundle)
		addBundle(d.variant)
	}
	for _, t := range s.tenants {
		for _, ir := range t.byID {
			for _, c := range ir.configOrder {
				addDraft(&c.draft)
				for _, r := range c.revs() {
					addDraft(&r.draft)
				}
				if c.hist != nil {
					for _, k := range c.hist.webhookKeys {
						if text, err := s.box.OpenRaw(k); err == nil {
							texts[text] = true
						}
					}
				}
			}
		}
	}
	for _, k := range s.retiredWebhookKeys {
		if text, err := s.box.OpenRaw(k); err == nil {
			texts[text] = true
		}
	}
	return slices.Sorted(maps.Keys(texts))
}
