package integrations

import (
	"bytes"
	"encoding/json"
)

// Inbound deliveries: every delivery the inbound webhook accepts (current
// key) is recorded on its config, so a test or a person can see that a
// provider's message arrived: GET /_mock/tenants/{tenant}/integrations/
// {integration}/configs/{config}/webhook/deliveries. The key never is: a
// delivery names the key by its prefix, and a body that quotes the key has
// it cut to the prefix too.

// MaxDeliveries is how many deliveries a config keeps, newest first.
const MaxDeliveries = 50

// MaxDeliveryBody is the largest JSON payload a delivery keeps; a larger
// one, or one that isn't JSON, is recorded by its size only.
const MaxDeliveryBody = 64 << 10

// WebhookDelivery is one accepted inbound delivery.
type WebhookDelivery struct {
	ID              string          `json:"id"`
	ReceivedAt      int64           `json:"receivedAt"`
	WebhookProvider string          `json:"webhookProvider"`
	KeyPrefix       string          `json:"keyPrefix"`
	ContentType     string          `json:"contentType"`
	Size            int             `json:"size"`
	Body            json.RawMessage `json:"body"`
	Subscribers     int             `json:"subscribers"`
}

// WebhookDeliveryList is the control plane's answer.
type WebhookDeliveryList struct {
	Items []WebhookDelivery `json:"items"`
}

// recordDelivery keeps an accepted delivery on c. mu must be held for
// writing; key is the bound key the delivery carried.
func (s *Store) recordDelivery(c *configRec, provider, key, contentType string, body []byte) {
	d := WebhookDelivery{
		ID: s.newID(), ReceivedAt: s.nowMillis(), WebhookProvider: provider,
		KeyPrefix: key[:WebhookKeyPrefixLen], ContentType: contentType, Size: len(body),
		Body: json.RawMessage("null"),
	}
	if len(body) > 0 && len(body) <= MaxDeliveryBody && json.Valid(body) {
		d.Body = json.RawMessage(bytes.ReplaceAll(body, []byte(key), []byte(key[:WebhookKeyPrefixLen]+"…")))
		if !json.Valid(d.Body) { // a key quoted outside a string: keep the size only
			d.Body = json.RawMessage("null")
		}
	}
	h := c.history()
	d.Subscribers = len(h.subscriptions)
	h.deliveries = append([]WebhookDelivery{d}, h.deliveries...)
	if len(h.deliveries) > MaxDeliveries {
		h.deliveries = h.deliveries[:MaxDeliveries]
	}
}

// WebhookDeliveries lists the deliveries the config's inbound webhook
// accepted, newest first (at most MaxDeliveries). An unknown integration
// or config is KindNotFound; a config that never received one answers an
// empty list.
func (s *Store) WebhookDeliveries(tenantName, integrationID, configID string) (WebhookDeliveryList, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, c, err := s.config("WebhookDeliveries", tenantName, integrationID, configID)
	if err != nil {
		return WebhookDeliveryList{}, err
	}
	out := WebhookDeliveryList{Items: []WebhookDelivery{}}
	if c.hist != nil {
		for _, d := range c.hist.deliveries {
			d.Body = append(json.RawMessage(nil), d.Body...)
			out.Items = append(out.Items, d)
		}
	}
	return out, nil
}
