package integrations

import (
	"slices"
	"strings"
	"sync"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// tenant holds one tenant's integrations. A nil *tenant reads as empty.
//
// Integrations are found by id through a map, and kept in id order for
// lists lazily: a create appends to pending, and the next read that needs
// the order sorts pending and merges it in. So a create costs the same at
// 100 or 100,000 integrations, and a list after n creates pays one
// O(total + n log n) merge.
type tenant struct {
	byID map[string]*integrationRec

	orderMu sync.Mutex
	// guards sorted and pending when Store.mu is only read-locked
	sorted  []*integrationRec // by id
	pending []*integrationRec // added since the last ordered(), any order
}

func (t *tenant) find(id string) *integrationRec {
	if t == nil {
		return nil
	}
	return t.byID[id]
}

// add keeps r, whose id is not in t yet. Store.mu must be write-locked.
func (t *tenant) add(r *integrationRec) {
	if t.byID == nil {
		t.byID = map[string]*integrationRec{}
	}
	t.byID[r.it.ID] = r
	t.pending = append(t.pending, r)
}

// remove forgets the integration id. Store.mu must be write-locked.
func (t *tenant) remove(id string) {
	if _, ok := t.byID[id]; !ok {
		return
	}
	delete(t.byID, id)
	t.ordered()
	t.sorted = core.RemoveSorted(t.sorted, integrationKey, id)
}

func (t *tenant) len() int {
	if t == nil {
		return 0
	}
	return len(t.byID)
}

// ordered returns the integrations sorted by id. Store.mu must be held
// (read or write); the slice must not be modified, and stays valid until
// the next write. A new slice is made when pending ones are merged in, so
// one another reader already holds is never changed under it.
func (t *tenant) ordered() []*integrationRec {
	if t == nil {
		return nil
	}
	t.orderMu.Lock()
	defer t.orderMu.Unlock()
	if len(t.pending) == 0 {
		return t.sorted
	}
	slices.SortFunc(t.pending, func(a, b *integrationRec) int { return strings.Compare(a.it.ID, b.it.ID) })
	merged := make([]*integrationRec, 0, len(t.sorted)+len(t.pending))
	i, j := 0, 0
	for i < len(t.sorted) && j < len(t.pending) {
		if t.sorted[i].it.ID < t.pending[j].it.ID {
			merged = append(merged, t.sorted[i])
			i++
		} else {
			merged = append(merged, t.pending[j])
			j++
		}
	}
	merged = append(append(merged, t.sorted[i:]...), t.pending[j:]...)
	t.sorted, t.pending = merged, nil
	return t.sorted
}
