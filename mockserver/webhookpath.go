package mockserver

import (
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// publicPath is a request path as the mock shows it anywhere but to the
// router: a log line, a journal entry (and what is exported from it), a
// problem's instance or detail. The key of an inbound webhook
// (/v1/tenants/{tenant}/webhooks/{webhookProvider}/{webhookId}/{apiKeyAuth})
// is its credential: everything after {webhookId} is cut to the key's
// prefix, as :generateWebhookUrl's webhookKeyPrefix shows it. A wrong key
// is cut the same way, so a near miss shows nothing of the real one either.
func publicPath(p string) string {
	const head = "/v1/tenants/"
	if !strings.HasPrefix(p, head) {
		return p
	}
	// tenant, "webhooks", provider, webhookId, then the key (and anything
	// after it, for a path no operation matches).
	segs := strings.SplitN(p[len(head):], "/", 5)
	if len(segs) < 5 || segs[1] != "webhooks" {
		return p
	}
	key := segs[4]
	masked := "…"
	if n := integrations.WebhookKeyPrefixLen; len(key) > n {
		masked = key[:n] + masked
	}
	return head + strings.Join(segs[:4], "/") + "/" + masked
}
