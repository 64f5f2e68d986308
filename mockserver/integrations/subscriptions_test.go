package integrations_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// TestWebhookSubscriptionsStayWithTheWebhook: a rotation keeps the
// webhook's subscriptions; they are the webhook's, in order.
func TestWebhookSubscriptionsStayWithTheWebhook(t *testing.T) {
	s := integrations.New(integrations.Options{})
	if _, _, err := s.CreateIntegration("t", integrations.CreateIntegrationInput{ID: ptr("crm")}); err != nil {
		t.Fatal(err)
	}
	c, _, err := s.CreateConfig("t", "crm", integrations.CreateConfigInput{DisplayName: ptr("c")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GenerateWebhookKey("t", "crm", c.ID); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"a1", "a2"} {
		if _, err := s.CreateWebhookSubscription("t", c.ID, integrations.SubscriptionInput{SubscriberType: ptr("agent"), SubscriberID: ptr(who)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RotateWebhookKey("t", "crm", c.ID); err != nil {
		t.Fatal(err)
	}
	got := s.WebhookSubscriptions("t", c.ID)
	if len(got) != 2 || *got[0].SubscriberID != "a1" || *got[1].SubscriberID != "a2" || got[0].WebhookID != c.ID {
		t.Fatalf("after rotation: %+v", got)
	}
	if s.WebhookSubscriptions("t", "other") != nil {
		t.Error("an unknown webhook lists subscriptions")
	}
}
