package mcp_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// apiKeyTransport adds X-API-KEY to every request, as an MCP client
// configured for the Fruxon endpoint does.
type apiKeyTransport struct{ key string }

func (t apiKeyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-API-KEY", t.key)
	return http.DefaultTransport.RoundTrip(r)
}

// TestOfficialSDKDrivesMcpTest connects the official MCP Go SDK's client,
// over its Streamable HTTP transport, to mcp:test: initialize and the
// initialized notification, tools/list, tools/call (a simulated answer,
// the same twice), a bad call, and a wrong key.
func TestOfficialSDKDrivesMcpTest(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOpts{seed: 3, allow: true})
	key := w.enable("list_contacts", "create_charge")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	connect := func(key string) (*sdk.ClientSession, error) {
		client := sdk.NewClient(&sdk.Implementation{Name: "fruxon-mock-test", Version: "1"}, nil)
		return client.Connect(ctx, &sdk.StreamableClientTransport{
			Endpoint:   w.srv.URL + settingsPath + ":test",
			HTTPClient: &http.Client{Transport: apiKeyTransport{key}},
			MaxRetries: -1,
		}, nil)
	}
	cs, err := connect(key)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer cs.Close()
	if init := cs.InitializeResult(); init == nil || init.ServerInfo == nil || init.ServerInfo.Name != "fruxon-mock" || init.Capabilities.Tools == nil {
		t.Fatalf("initialize result = %+v", init)
	}
	if err := cs.Ping(ctx, nil); err != nil {
		t.Fatalf("ping: %v", err)
	}
	list, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	var names []string
	for _, tool := range list.Tools {
		names = append(names, tool.Name)
	}
	if strings.Join(names, ",") != "list_contacts,create_charge" {
		t.Fatalf("tools = %v", names)
	}
	var texts []string
	for range 2 {
		res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "list_contacts", Arguments: map[string]any{"query": "smith", "limit": 3}})
		if err != nil {
			t.Fatalf("tools/call: %v", err)
		}
		if res.IsError || len(res.Content) != 1 {
			t.Fatalf("tools/call result = %+v", res)
		}
		text, ok := res.Content[0].(*sdk.TextContent)
		if !ok || !strings.Contains(text.Text, `"simulated":true`) {
			t.Fatalf("content = %#v", res.Content[0])
		}
		texts = append(texts, text.Text)
	}
	if texts[0] != texts[1] {
		t.Fatalf("the simulator is not deterministic: %q", texts)
	}
	if _, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "list_contacts", Arguments: map[string]any{"limit": 3}}); err == nil ||
		!strings.Contains(err.Error(), "-32602") && !strings.Contains(err.Error(), "invalid params") {
		t.Fatalf("a call without the required argument: %v", err)
	}
	if got := w.vendor.received(); len(got) != 0 {
		t.Fatalf("mcp:test sent %v", got)
	}
	if _, err := connect(key + "x"); err == nil {
		t.Fatalf("a wrong key connected")
	}
}
