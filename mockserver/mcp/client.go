package mcp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// client is the MCP client integrations:importMcp uses against an
// allow-listed server: Streamable HTTP, one JSON-RPC message per POST,
// answers as application/json or as a text/event-stream carrying the
// response. It sends initialize, notifications/initialized, then
// tools/list until no nextCursor. bearerToken goes as Authorization:
// Bearer; every detail it reports is redacted of it.
type client struct {
	router  *sandboxroute.Router
	url     string
	token   string
	session string // Mcp-Session-Id, when the server issued one
	version string // the negotiated protocol version
	id      int
}

// clientVersion is the protocol revision the client offers.
const clientVersion = "2025-06-18"

// maxListPages bounds the tools/list pages one import follows.
const maxListPages = 100

// listTools runs the handshake and reads every page of tools/list.
func (c *client) listTools(ctx context.Context) ([]remoteTool, error) {
	var init struct {
		ProtocolVersion string `json:"protocolVersion"`
		Capabilities    struct {
			Tools *struct{} `json:"tools"`
		} `json:"capabilities"`
	}
	if err := c.call(ctx, "initialize", map[string]any{
		"protocolVersion": clientVersion,
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": ServerName + " importMcp", "version": "1.0.0"},
	}, &init); err != nil {
		return nil, err
	}
	c.version = init.ProtocolVersion
	if err := c.notify(ctx, "notifications/initialized"); err != nil {
		return nil, err
	}
	var out []remoteTool
	cursor := ""
	for range maxListPages {
		var page struct {
			Tools      []remoteTool `json:"tools"`
			NextCursor string       `json:"nextCursor"`
		}
		params := map[string]any{}
		if cursor != "" {
			params["cursor"] = cursor
		}
		if err := c.call(ctx, "tools/list", params, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Tools...)
		if len(out) > MaxImportedTools {
			return nil, core.Invalid(importOp, "serverUrl", "the MCP server lists more than %d tools, more than one import takes", MaxImportedTools)
		}
		if page.NextCursor == "" {
			return out, nil
		}
		cursor = page.NextCursor
	}
	return nil, core.Invalid(importOp, "serverUrl", "the MCP server's tools/list did not end within %d pages", maxListPages)
}

func (c *client) redact(s string) string { return sandboxroute.NewRedactor(c.token).String(s) }

// fail is a problem naming serverUrl, its detail redacted.
func (c *client) fail(format string, args ...any) error {
	return core.Invalid(importOp, "serverUrl", "%s", c.redact(fmt.Sprintf(format, args...)))
}

// post sends one JSON-RPC message and returns the raw answer; statuses
// the server refused the credential with are a problem naming
// bearerToken, other failures one naming serverUrl.
func (c *client) post(ctx context.Context, method string, msg any) (sandboxroute.Exchanged, error) {
	body, err := json.Marshal(msg)
	if err != nil {
		return sandboxroute.Exchanged{}, core.Internal(importOp, err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json, text/event-stream")
	if c.token != "" {
		h.Set("Authorization", "Bearer "+c.token)
	}
	if c.session != "" {
		h.Set("Mcp-Session-Id", c.session)
	}
	if c.version != "" {
		h.Set("MCP-Protocol-Version", c.version)
	}
	ans, err := c.router.Exchange(ctx, http.MethodPost, c.url, h, body, c.token)
	if err != nil {
		var re *sandboxroute.Error
		if errors.As(err, &re) {
			return ans, c.fail("the MCP server could not be used for %s: %s", method, re.Detail)
		}
		return ans, c.fail("the MCP server could not be used for %s", method)
	}
	switch {
	case ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden:
		what := "without a bearer token"
		if c.token != "" {
			what = "with the bearer token given"
		}
		return ans, core.Invalid(importOp, "bearerToken", "the MCP server refused %s %s (HTTP %d)", method, what, ans.Status)
	case ans.Status < 200 || ans.Status > 299:
		return ans, c.fail("the MCP server answered %s with HTTP %d", method, ans.Status)
	}
	if s := ans.Header.Get("Mcp-Session-Id"); s != "" && c.session == "" {
		c.session = s
	}
	return ans, nil
}

// notify sends a notification; any 2xx will do.
func (c *client) notify(ctx context.Context, method string) error {
	_, err := c.post(ctx, method, map[string]any{"jsonrpc": "2.0", "method": method})
	return err
}

// call sends a request and decodes its result into out.
func (c *client) call(ctx context.Context, method string, params, out any) error {
	c.id++
	id := c.id
	ans, err := c.post(ctx, method, map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	var msgs [][]byte
	mt, _, _ := mime.ParseMediaType(ans.Header.Get("Content-Type"))
	if mt == "text/event-stream" {
		msgs = sseData(ans.Body)
	} else {
		msgs = [][]byte{ans.Body}
	}
	for _, m := range msgs {
		var resp struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *rpcError       `json:"error"`
		}
		if json.Unmarshal(m, &resp) != nil || string(resp.ID) != fmt.Sprint(id) {
			continue // not JSON, or a message about something else (a server request, a notification)
		}
		if resp.Error != nil {
			return c.fail("the MCP server answered %s with JSON-RPC error %d: %s", method, resp.Error.Code, resp.Error.Message)
		}
		if err := json.Unmarshal(resp.Result, out); err != nil {
			return c.fail("the MCP server's %s result is not what MCP defines: %v", method, err)
		}
		return nil
	}
	return c.fail("the MCP server's answer to %s holds no JSON-RPC response to it", method)
}

// sseData splits a text/event-stream into its events' data (each event's
// data lines joined by newlines).
func sseData(body []byte) [][]byte {
	var out [][]byte
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, []byte(strings.Join(cur, "\n")))
			cur = nil
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64*1024), len(body)+1)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "data:"):
			cur = append(cur, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
	flush()
	return out
}
