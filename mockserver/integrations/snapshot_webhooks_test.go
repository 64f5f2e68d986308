package integrations_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// webhookStore returns a store whose acme config has a webhook with a
// rotated key, two subscriptions and two deliveries, with the bound key.
func webhookStore(t *testing.T, box *secretbox.Box) (*integrations.Store, string, string) {
	t.Helper()
	s, c := newStore(t, integrations.Options{Box: box})
	roomtest.AddAcme(t, s)
	cfg := mustConfig(t, s, validConfig())
	if _, err := s.GenerateWebhookKey("t1", "acme", cfg.ID); err != nil {
		t.Fatal(err)
	}
	k, err := s.RotateWebhookKey("t1", "acme", cfg.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"bot-1", "kb-1"} {
		if _, err := s.CreateWebhookSubscription("t1", cfg.ID, integrations.SubscriptionInput{SubscriberType: ptr("AGENT"), SubscriberID: ptr(who), Config: map[string]any{"n": 1.0}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, body := range []string{`{"update_id":1}`, `{"echo":"` + k.Key + `"}`} {
		c.Advance(time.Second)
		if err := s.ReceiveWebhook("t1", "acme", cfg.ID, k.Key, "application/json", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	return s, cfg.ID, k.Key
}

// TestWebhookSnapshotRoundTrip: a config's webhook travels in the document
// with its key sealed (never in the clear), its subscriptions and its
// deliveries; restored with the same secret key, the same URL delivers,
// and the subscriptions and deliveries read the same. A document without
// the member (an older export) restores a config without a webhook.
func TestWebhookSnapshotRoundTrip(t *testing.T) {
	box := roomtest.Box(t)
	s, cfgID, key := webhookStore(t, box)
	doc, err := json.Marshal(s.Snapshot(nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), key) {
		t.Fatalf("the document holds the webhook key in the clear: %s", doc)
	}
	if !strings.Contains(string(doc), `"keyPrefix":"`+key[:integrations.WebhookKeyPrefixLen]+`"`) || !strings.Contains(string(doc), `"keySealed":"enc:`) {
		t.Fatalf("the document lacks the sealed key or its prefix: %s", doc)
	}
	var back map[string]integrations.Section
	if err := json.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	s2, c2 := newStore(t, integrations.Options{Box: box})
	f := core.Findings{}
	p := s2.Prepare(f, back)
	if len(f) != 0 {
		t.Fatalf("findings: %v", f)
	}
	s2.Commit(p, nil)
	if again, _ := json.Marshal(s2.Snapshot(nil)); string(again) != string(doc) {
		t.Errorf("round trip differs:\n%s\n%s", doc, again)
	}
	if got := s2.WebhookSubscriptions("t1", cfgID); len(got) != 2 || *got[1].SubscriberID != "kb-1" {
		t.Errorf("subscriptions after the round trip: %+v", got)
	}
	c2.Advance(5 * time.Second)
	if err := s2.ReceiveWebhook("t1", "acme", cfgID, key, "application/json", []byte(`{"after":true}`)); err != nil {
		t.Fatalf("the key does not deliver after the round trip: %v", err)
	}
	list, _ := s2.WebhookDeliveries("t1", "acme", cfgID)
	if len(list.Items) != 3 || string(list.Items[0].Body) != `{"after":true}` || list.Items[0].Subscribers != 2 {
		t.Errorf("deliveries after the round trip: %s", mustJSON(t, list))
	}
	if _, err := s2.GenerateWebhookKey("t1", "acme", cfgID); core.KindOf(err) != core.KindInvalid {
		t.Errorf("the restored config takes a second key: %v", err)
	}
	if texts := strings.Join(s2.AllSecretTexts(), "\n"); !strings.Contains(texts, key) {
		t.Error("the restored key is not listed for redaction")
	}

	// Without the member: no webhook, no subscriptions, the URL refused.
	var old map[string]integrations.Section
	if err := json.Unmarshal(doc, &old); err != nil {
		t.Fatal(err)
	}
	old["t1"][0].Configs[0].Webhook = nil
	s3, _ := newStore(t, integrations.Options{Box: box})
	f = core.Findings{}
	s3.Commit(s3.Prepare(f, old), nil)
	if len(f) != 0 {
		t.Fatalf("findings for a document without webhooks: %v", f)
	}
	if err := s3.ReceiveWebhook("t1", "acme", cfgID, key, "", nil); core.KindOf(err) != core.KindNotFound {
		t.Errorf("a config restored without a webhook takes deliveries: %v", err)
	}
}

// TestWebhookSnapshotStrict: each rule of a webhook in a document is a
// finding naming the field; another server's secret key is refused.
func TestWebhookSnapshotStrict(t *testing.T) {
	box := roomtest.Box(t)
	s, cfgID, key := webhookStore(t, box)
	cases := []struct {
		name, field string
		edit        func(w *integrations.WebhookSnapshot)
	}{
		{"no key", "webhook.keySealed", func(w *integrations.WebhookSnapshot) { w.KeySealed = "" }},
		{"bad prefix", "webhook.keyPrefix", func(w *integrations.WebhookSnapshot) { w.KeyPrefix = "whk_XXXX" }},
		{"foreign webhook id", "webhook.subscriptions[0].webhookId", func(w *integrations.WebhookSnapshot) { w.Subscriptions[0].WebhookID = "other" }},
		{"repeated subscription", "webhook.subscriptions[1].id", func(w *integrations.WebhookSnapshot) { w.Subscriptions[1].ID = w.Subscriptions[0].ID }},
		{"no subscriber", "webhook.subscriptions[0].subscriberId", func(w *integrations.WebhookSnapshot) { w.Subscriptions[0].SubscriberID = ptr(" ") }},
		{"repeated delivery", "webhook.deliveries[1].id", func(w *integrations.WebhookSnapshot) { w.Deliveries[1].ID = w.Deliveries[0].ID }},
		{"oldest first", "webhook.deliveries[1].receivedAt", func(w *integrations.WebhookSnapshot) { w.Deliveries[1].ReceivedAt = w.Deliveries[0].ReceivedAt + 1 }},
		{"key in a body", "webhook.deliveries[0]", func(w *integrations.WebhookSnapshot) { w.Deliveries[0].Body = json.RawMessage(`{"k":"` + key + `"}`) }},
		{"too many", "webhook.deliveries", func(w *integrations.WebhookSnapshot) {
			for len(w.Deliveries) <= integrations.MaxDeliveries {
				d := w.Deliveries[len(w.Deliveries)-1]
				d.ID += "x"
				w.Deliveries = append(w.Deliveries, d)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := s.Snapshot(nil)
			w := doc["t1"][0].Configs[0].Webhook
			if w == nil || doc["t1"][0].Configs[0].ID != cfgID {
				t.Fatalf("no webhook in %s", mustJSON(t, doc))
			}
			tc.edit(w)
			s2, _ := newStore(t, integrations.Options{Box: box})
			f := core.Findings{}
			s2.Prepare(f, doc)
			want := "tenants.t1.integrations[0].configs[0]." + tc.field
			if len(f[want]) == 0 {
				t.Errorf("findings %v lack %s", f, want)
			}
		})
	}
	other, _ := newStore(t, integrations.Options{})
	f := core.Findings{}
	other.Prepare(f, s.Snapshot(nil))
	if len(f["tenants.t1.integrations[0].configs[0].webhook.keySealed"]) == 0 {
		t.Errorf("another server's key: findings %v", f)
	}
}

// TestInstallWebhookKey: the fixtures' chosen key is bound like a minted
// one, once; a malformed key is refused.
func TestInstallWebhookKey(t *testing.T) {
	s, _ := withAcme(t)
	cfg := mustConfig(t, s, validConfig())
	wantKind(t, s.InstallWebhookKey("t1", "acme", cfg.ID, "whk_a/b"), core.KindInvalid)
	const key = "whk_fixture_0123456789"
	if err := s.InstallWebhookKey("t1", "acme", cfg.ID, key); err != nil {
		t.Fatal(err)
	}
	if !s.IsCurrentWebhookKey("t1", "acme", cfg.ID, key) {
		t.Error("the installed key is not bound")
	}
	wantKind(t, s.InstallWebhookKey("t1", "acme", cfg.ID, key+"2"), core.KindInvalid)
	wantKind(t, s.InstallWebhookKey("t1", "acme", "nope", key), core.KindNotFound)
}
