package integrations

// Other rooms' records hang off integrations and configs (tools, tool
// runs), but this room knows no other: they reach it through
// WithIntegration and WithConfig, and it tells them about deletions
// through Hooks. Both run under this store's lock, which therefore comes
// first in the sandbox's lock order.

// Hooks are told about deletions, so a room whose records hang off an
// integration or a config can drop them (a cascade this room can't do
// itself). They run with the store write-locked, so nothing re-creates
// what was deleted before they are done; they must not call the Store.
type Hooks struct {
	// IntegrationDeleted is called after an integration is deleted.
	IntegrationDeleted func(tenant, integration string)
	// ConfigDeleted is called after a config is deleted.
	ConfigDeleted func(tenant, integration, config string)
}

// WithIntegration runs fn while the tenant has the integration, which
// can't be deleted (or the state replaced) until fn returns; when it
// doesn't, it returns the KindNotFound error, as op, that names what is
// missing, and fn doesn't run. fn must not call the Store.
func (s *Store) WithIntegration(op, tenantName, integrationID string, fn func() error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, err := s.integration(op, tenantName, integrationID); err != nil {
		return err
	}
	return fn()
}

// WithConfig is WithIntegration for a config of the integration.
func (s *Store) WithConfig(op, tenantName, integrationID, configID string, fn func() error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, _, err := s.config(op, tenantName, integrationID, configID); err != nil {
		return err
	}
	return fn()
}
