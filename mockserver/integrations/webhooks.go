package integrations

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// A config's inbound webhook: :generateWebhookUrl mints its key,
// …/webhook:rotate replaces it, and the inbound endpoint
// POST /v1/tenants/{tenant}/webhooks/{integration}/{config}/{key} accepts
// the bound key only. The key is shown whole only in the answer that
// minted it; it is kept sealed.

// WebhookKeyPrefixLen is how much of a key webhookKeyPrefix shows.
const WebhookKeyPrefixLen = 8

// WebhookKey is a freshly minted key, for the handler to build the URL.
type WebhookKey struct {
	Key, Prefix string
}

func newWebhookKey() string {
	b := make([]byte, 18)
	rand.Read(b)
	return "whk_" + base64.RawURLEncoding.EncodeToString(b)
}

// GenerateWebhookKey mints the config's first inbound webhook key. A config
// that already has one bound is KindInvalid (the reference's 400): rotate
// it instead.
func (s *Store) GenerateWebhookKey(tenantName, integrationID, configID string) (WebhookKey, error) {
	return s.bindWebhookKey("GenerateWebhookUrl", tenantName, integrationID, configID, false)
}

// RotateWebhookKey replaces the config's bound key; the old one stops
// working at once. A config without a bound key is KindInvalid.
func (s *Store) RotateWebhookKey(tenantName, integrationID, configID string) (WebhookKey, error) {
	return s.bindWebhookKey("RotateWebhook", tenantName, integrationID, configID, true)
}

func (s *Store) bindWebhookKey(op, tenantName, integrationID, configID string, rotate bool) (WebhookKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return WebhookKey{}, err
	}
	bound := c.hist != nil && len(c.hist.webhookKeys) > 0
	switch {
	case bound && !rotate:
		return WebhookKey{}, core.Errorf(core.KindInvalid, op, "config %s already has a webhook key bound; use …/webhook:rotate to replace it", configID)
	case !bound && rotate:
		return WebhookKey{}, core.Errorf(core.KindInvalid, op, "config %s has no webhook key bound; mint one with :generateWebhookUrl", configID)
	}
	key := newWebhookKey()
	h := c.history()
	h.webhookKeys = append(h.webhookKeys, s.box.SealRaw(key))
	return WebhookKey{Key: key, Prefix: key[:WebhookKeyPrefixLen]}, nil
}

// ReceiveWebhook checks an inbound delivery's route: provider is the
// integration, webhookID its config, key the config's bound key. Anything
// else — an unknown integration or config, no key, a rotated or wrong key —
// is KindNotFound, so a caller cannot tell a wrong key from a missing
// webhook. An accepted delivery is recorded on the config (contentType and
// body as received; see WebhookDeliveries).
func (s *Store) ReceiveWebhook(tenantName, provider, webhookID, key, contentType string, body []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.webhookRoute("ReceiveWebhook", tenantName, provider, webhookID, key)
	if err != nil {
		return err
	}
	s.recordDelivery(c, provider, key, contentType, body)
	return nil
}

// IsCurrentWebhookKey reports whether key is the bound key of config
// webhookID of integration provider: ReceiveWebhook's check, without
// recording a delivery.
func (s *Store) IsCurrentWebhookKey(tenantName, provider, webhookID, key string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, err := s.webhookRoute("IsCurrentWebhookKey", tenantName, provider, webhookID, key)
	return err == nil
}

// webhookRoute finds the config an inbound route names, if key is its
// bound key; otherwise KindNotFound. mu must be held.
func (s *Store) webhookRoute(op, tenantName, provider, webhookID, key string) (*configRec, error) {
	notFound := core.Errorf(core.KindNotFound, op, "no webhook %s/%s with this key", provider, webhookID)
	_, c, err := s.config(op, tenantName, provider, webhookID)
	if err != nil || c.hist == nil || len(c.hist.webhookKeys) == 0 {
		return nil, notFound
	}
	bound, err := s.box.OpenRaw(c.hist.webhookKeys[len(c.hist.webhookKeys)-1])
	if err != nil || subtle.ConstantTimeCompare([]byte(bound), []byte(key)) != 1 {
		return nil, notFound
	}
	return c, nil
}

// retireWebhookKeys keeps the keys of c, which the store is forgetting,
// for AllSecretTexts. mu must be held for writing.
func (s *Store) retireWebhookKeys(c *configRec) {
	if c.hist != nil {
		s.retiredWebhookKeys = append(s.retiredWebhookKeys, c.hist.webhookKeys...)
	}
}

// retireTenants retires the webhook keys of every config of every tenant,
// before the store replaces them all. mu must be held for writing.
func (s *Store) retireTenants() {
	for _, t := range s.tenants {
		for _, ir := range t.byID {
			for _, c := range ir.configOrder {
				s.retireWebhookKeys(c)
			}
		}
	}
}

// HasWebhookKey reports whether the config has an inbound webhook key bound.
func (s *Store) HasWebhookKey(tenantName, integrationID, configID string) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, c, err := s.config("InspectWebhook", tenantName, integrationID, configID)
	if err != nil {
		return false, err
	}
	return c.hist != nil && len(c.hist.webhookKeys) > 0, nil
}

// InstallWebhookKey binds key, a key chosen by the caller, as the config's
// inbound webhook key, as :generateWebhookUrl binds a minted one: the
// fixtures' way to give a demo webhook a URL that is the same on every
// start. key must be at least WebhookKeyPrefixLen URL-safe characters; a
// config that already has a key bound is KindInvalid.
func (s *Store) InstallWebhookKey(tenantName, integrationID, configID, key string) error {
	const op = "InstallWebhookKey"
	if len(key) < WebhookKeyPrefixLen || !urlSafe(key) {
		return core.Errorf(core.KindInvalid, op, "a webhook key must be at least %d URL-safe characters (A-Z, a-z, 0-9, '-', '_')", WebhookKeyPrefixLen)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, c, err := s.config(op, tenantName, integrationID, configID)
	if err != nil {
		return err
	}
	if c.hist != nil && len(c.hist.webhookKeys) > 0 {
		return core.Errorf(core.KindInvalid, op, "config %s already has a webhook key bound", configID)
	}
	h := c.history()
	h.webhookKeys = append(h.webhookKeys, s.box.SealRaw(key))
	return nil
}
