package integrations

// Copy-on-write per tenant, for sessions: a session's Store starts empty
// and adopts a tenant from a baseline Snapshot the first time the session
// writes to it, so a session costs memory in proportion to the tenants it
// changed. Adoption goes through Restore, so a tenant is built exactly as
// an import builds it, whatever its inner structure.

// HasTenant reports whether the store knows a tenant (a write, AddTenant,
// Restore or AdoptTenant created it).
func (s *Store) HasTenant(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tenants[name] != nil
}

// AdoptTenant makes tenant name hold ts's content, unless the store knows
// the tenant already; it reports whether it adopted. ts is checked like a
// Restore of it (its sealed values must open with this store's key) and on
// error nothing changes. Versions are kept, so ETags match the store ts
// was taken from, and the version counter moves past them. AdoptTenant
// keeps no reference into ts.
func (s *Store) AdoptTenant(name string, ts TenantSnapshot) (bool, error) {
	if s.HasTenant(name) {
		return false, nil
	}
	scratch := New(Options{Now: s.now, Box: s.box, NewID: s.newID, StrictTenants: s.strict, OAuth: s.oauth})
	if err := scratch.Restore(Snapshot{Version: SnapshotVersion, Tenants: map[string]TenantSnapshot{name: ts}}); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tenants[name] != nil {
		return false, nil // a concurrent adoption or write won
	}
	s.tenants[name] = scratch.tenants[name]
	s.seq = max(s.seq, scratch.seq)
	return true, nil
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
