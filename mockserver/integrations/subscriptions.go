package integrations

import (
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// A webhook's subscriptions: POST /v1/tenants/{tenant}/webhooks/{webhookId}/subscriptions
// attaches a subscriber (asset, connector, agent) to the webhook, and
// every inbound delivery would fan out to it. The mock's webhooks are the
// configs' inbound webhooks: {webhookId} is the config id of the inbound
// URL, and the webhook exists while its config has a key bound. Its
// subscriptions stay with it through a rotation and go with the config.

// Subscription is a subscriber attached to a webhook.
type Subscription struct {
	ID             string         `json:"id"`
	WebhookID      string         `json:"webhookId"`
	SubscriberType *string        `json:"subscriberType"`
	SubscriberID   *string        `json:"subscriberId"`
	EventFilter    *string        `json:"eventFilter"`
	Config         map[string]any `json:"config"`
	CreatedAt      int64          `json:"createdAt"`
	ModifiedAt     int64          `json:"modifiedAt"`
}

// SubscriptionInput is the body of a subscription create.
type SubscriptionInput struct {
	SubscriberType *string        `json:"subscriberType"`
	SubscriberID   *string        `json:"subscriberId"`
	EventFilter    *string        `json:"eventFilter"`
	Config         map[string]any `json:"config"`
}

// CreateWebhookSubscription attaches a subscriber to webhook webhookID of
// the tenant. An unknown webhook (no config of that id, or one without a
// bound key) is KindNotFound; a subscriber type or id that is null or
// blank is KindInvalid on that field (the page marks both required: a
// subscription without a subscriber has nobody to deliver to).
func (s *Store) CreateWebhookSubscription(tenantName, webhookID string, in SubscriptionInput) (Subscription, error) {
	const op = "CreateWebhookSubscription"
	fields := map[string][]string{}
	for name, v := range map[string]*string{"subscriberType": in.SubscriberType, "subscriberId": in.SubscriberID} {
		if v == nil || strings.TrimSpace(*v) == "" {
			fields[name] = append(fields[name], "is required: name the subscriber")
		}
	}
	if len(fields) > 0 {
		return Subscription{}, &core.Error{Kind: core.KindInvalid, Op: op, Detail: "the subscription names no subscriber", Fields: fields}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.webhookConfig(tenantName, webhookID)
	if c == nil {
		return Subscription{}, core.Errorf(core.KindNotFound, op, "webhook %q not found: mint one with a config's :generateWebhookUrl (its id is the config's)", webhookID)
	}
	now := s.nowMillis()
	sub := Subscription{
		ID: s.newID(), WebhookID: webhookID, SubscriberType: core.ClonePtr(in.SubscriberType), SubscriberID: core.ClonePtr(in.SubscriberID),
		EventFilter: core.ClonePtr(in.EventFilter), Config: core.CloneJSONMap(in.Config), CreatedAt: now, ModifiedAt: now,
	}
	h := c.history()
	h.subscriptions = append(h.subscriptions, sub)
	return cloneSubscription(sub), nil
}

// WebhookSubscriptions lists webhook webhookID's subscriptions, oldest
// first; nil for an unknown webhook.
func (s *Store) WebhookSubscriptions(tenantName, webhookID string) []Subscription {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.webhookConfig(tenantName, webhookID)
	if c == nil {
		return nil
	}
	out := make([]Subscription, 0, len(c.hist.subscriptions))
	for _, sub := range c.hist.subscriptions {
		out = append(out, cloneSubscription(sub))
	}
	return out
}

// webhookConfig finds the config whose inbound webhook is webhookID, with
// a key bound; nil if none. mu must be held.
func (s *Store) webhookConfig(tenantName, webhookID string) *configRec {
	t := s.tenants[tenantName]
	if t == nil {
		return nil
	}
	for _, ir := range t.byID {
		if c := ir.findConfig(webhookID); c != nil && c.hist != nil && len(c.hist.webhookKeys) > 0 {
			return c
		}
	}
	return nil
}

func cloneSubscription(s Subscription) Subscription {
	s.SubscriberType, s.SubscriberID, s.EventFilter = core.ClonePtr(s.SubscriberType), core.ClonePtr(s.SubscriberID), core.ClonePtr(s.EventFilter)
	s.Config = core.CloneJSONMap(s.Config)
	return s
}
