package integrations

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// A config's inbound webhook in a state document: its bound key (sealed,
// as every secret of a document is), its subscriptions and the deliveries
// it accepted, so an export, an import, a session's copy of a fixtures
// tenant and a reset to the fixtures keep the webhook working at the same
// URL. Keys rotated out are not in the document: they no longer open the
// webhook, and the store that showed them keeps them for redaction
// (retireTenants) when a restore replaces its state.

// WebhookSnapshot is a config's inbound webhook. A config without a bound
// key has none (no member in the document).
type WebhookSnapshot struct {
	// KeyPrefix is the key's first WebhookKeyPrefixLen characters, what
	// webhookKeyPrefix showed, so a reader can tell keys apart.
	KeyPrefix string `json:"keyPrefix"`
	// KeySealed is the bound key, sealed with the server's secret key.
	KeySealed string `json:"keySealed"`
	// Subscriptions are the webhook's subscribers, oldest first.
	Subscriptions []Subscription `json:"subscriptions,omitempty"`
	// Deliveries are the accepted deliveries, newest first, at most
	// MaxDeliveries; they hold the key by its prefix only.
	Deliveries []WebhookDelivery `json:"deliveries,omitempty"`
}

// webhookDoc is c's webhook as a document, nil without a bound key.
func webhookDoc(box *secretbox.Box, c *configRec) *WebhookSnapshot {
	h := c.hist
	if h == nil || len(h.webhookKeys) == 0 {
		return nil
	}
	raw := h.webhookKeys[len(h.webhookKeys)-1]
	w := &WebhookSnapshot{KeySealed: secretbox.Text(raw)}
	if key, err := box.OpenRaw(raw); err == nil && len(key) >= WebhookKeyPrefixLen {
		w.KeyPrefix = key[:WebhookKeyPrefixLen]
	}
	for _, sub := range h.subscriptions {
		w.Subscriptions = append(w.Subscriptions, cloneSubscription(sub))
	}
	for _, d := range h.deliveries {
		d.Body = append(json.RawMessage(nil), d.Body...)
		w.Deliveries = append(w.Deliveries, d)
	}
	return w
}

// webhook checks a config's webhook of a document at p and gives it to c:
// the key must open with this server's secret key and match keyPrefix;
// subscriptions name this config as their webhook, have unique ids and a
// subscriber, as a create requires; deliveries have unique ids, are newest
// first, at most MaxDeliveries, and never hold the key itself.
func (r *restorer) webhook(p string, c *configRec, w *WebhookSnapshot) {
	if w == nil {
		return
	}
	f := r.f
	key, err := r.box.Open(w.KeySealed)
	switch {
	case w.KeySealed == "":
		f.Add(p+".keySealed", "is required: a webhook exists while its config has a key bound")
		return
	case err != nil:
		f.Add(p+".keySealed", "does not open with this server's secret key")
		return
	case len(key) < WebhookKeyPrefixLen || !urlSafe(key):
		f.Add(p+".keySealed", "must be a key of at least %d URL-safe characters (A-Z, a-z, 0-9, '-', '_')", WebhookKeyPrefixLen)
		return
	case w.KeyPrefix != "" && w.KeyPrefix != key[:WebhookKeyPrefixLen]:
		f.Add(p+".keyPrefix", "must be the first %d characters of the sealed key", WebhookKeyPrefixLen)
		return
	}
	raw, _ := secretbox.Raw(w.KeySealed) // it opened, so it has the form
	h := c.history()
	h.webhookKeys = []string{raw}
	ids := map[string]bool{}
	for i, sub := range w.Subscriptions {
		sp := core.Index(p+".subscriptions", i)
		if sub.ID == "" || ids[sub.ID] {
			f.Add(sp+".id", "must be set and unique in the webhook")
		}
		ids[sub.ID] = true
		if sub.WebhookID != c.id {
			f.Add(sp+".webhookId", "must be the config's id %q (a config's inbound webhook has the config's id)", c.id)
		}
		for name, v := range map[string]*string{"subscriberType": sub.SubscriberType, "subscriberId": sub.SubscriberID} {
			if v == nil || strings.TrimSpace(*v) == "" {
				f.Add(sp+"."+name, "is required: name the subscriber")
			}
		}
		h.subscriptions = append(h.subscriptions, cloneSubscription(sub))
	}
	if len(w.Deliveries) > MaxDeliveries {
		f.Add(p+".deliveries", "must hold at most %d deliveries (a config keeps the newest %d)", MaxDeliveries, MaxDeliveries)
	}
	ids = map[string]bool{}
	for i, d := range w.Deliveries {
		dp := core.Index(p+".deliveries", i)
		if d.ID == "" || ids[d.ID] {
			f.Add(dp+".id", "must be set and unique in the webhook")
		}
		ids[d.ID] = true
		if i > 0 && d.ReceivedAt > w.Deliveries[i-1].ReceivedAt {
			f.Add(dp+".receivedAt", "must not be later than the delivery before it (deliveries are newest first)")
		}
		if d.Size < 0 {
			f.Add(dp+".size", "must not be negative")
		}
		if d.Subscribers < 0 {
			f.Add(dp+".subscribers", "must not be negative")
		}
		if strings.Contains(d.KeyPrefix, key) || bytes.Contains(d.Body, []byte(key)) {
			f.Add(dp, "must not hold the webhook key (a delivery shows it by its prefix only)")
		}
		if len(d.Body) == 0 {
			d.Body = json.RawMessage("null")
		}
		d.Body = append(json.RawMessage(nil), d.Body...)
		h.deliveries = append(h.deliveries, d)
	}
}

// urlSafe reports whether key can stand as a path segment unescaped.
func urlSafe(key string) bool {
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
