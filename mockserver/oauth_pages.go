package mockserver

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
	"github.com/fruxon/fruxon-mock/validator"
)

// pageData is what the OAuth pages show. html/template escapes every value
// for its context (text, attribute, script).
type pageData struct {
	oauthflow.Request
	State   string
	Key     string
	Message map[string]string // posted to window.opener by the result page
	Nonce   string
}

const pageHead = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{block "title" .}}{{end}}</title>
<style nonce="{{.Nonce}}">
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:10px;padding:1.5rem 1.75rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.2rem;margin:0 0 .75rem}.muted{color:#5d6475;font-size:.85rem}
ul{padding-left:1.2rem}code{background:#eef0f4;padding:.1rem .3rem;border-radius:4px;word-break:break-all}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}
button{flex:1;font:inherit;padding:.6rem;border-radius:6px;border:1px solid #c4c9d4;background:#fff;cursor:pointer}
button[value=approve]{background:#2456d6;border-color:#2456d6;color:#fff}
</style></head><body><main>`

const pageFoot = `<p class="muted">fruxon-mock: a fake OAuth provider. No real account is involved.</p></main></body></html>`

var consentPage = template.Must(template.New("consent").Parse(pageHead + `
{{define "title"}}Authorize {{.IntegrationName}}{{end}}
<h1>Connect {{.IntegrationName}}</h1>
<p>Tenant <code>{{.Tenant}}</code> asks to connect <strong>{{.IntegrationName}}</strong>
with <strong>{{.AuthMethodName}}</strong>.</p>
{{if .Scopes}}<p>It will be allowed to:</p><ul>{{range .Scopes}}<li><code>{{.}}</code></li>{{end}}</ul>{{end}}
<form method="post" action="/_mock/oauth/authorize">
<input type="hidden" name="state" value="{{.State}}">
<div class="actions">
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="approve">Approve</button>
</div></form>` + pageFoot))

var resultPage = template.Must(template.New("result").Parse(pageHead + `
{{define "title"}}{{if .Key}}Authorized{{else}}Not authorized{{end}}{{end}}
<h1>{{if .Key}}{{.IntegrationName}} is connected{{else}}Authorization denied{{end}}</h1>
<p id="closing">You can close this window.</p>
{{if .Key}}<p id="fallback" hidden>No opener window to hand the key to. Pass it as
<code>oAuthCredentialKey</code> when creating or patching a config (it works once, for 10 minutes):
<code>{{.Key}}</code></p>{{end}}
<script nonce="{{.Nonce}}">
(function () {
  var message = {{.Message}};
  var origin = {{.OpenerOrigin}};
  if (window.opener && origin) {
    window.opener.postMessage(message, origin);
    window.close();
    return;
  }
  var fallback = document.getElementById("fallback");
  if (fallback) { fallback.hidden = false; }
})();
</script>` + pageFoot))

// writePage renders an OAuth page with a strict Content Security Policy:
// nothing loads from anywhere, and only the page's own script and style
// (carrying this response's nonce) run.
func writePage(w http.ResponseWriter, r *http.Request, log *slog.Logger, t *template.Template, d pageData) {
	var nonce [16]byte
	rand.Read(nonce[:])
	d.Nonce = base64.RawURLEncoding.EncodeToString(nonce[:]) // no "+" for html/template to escape
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		log.ErrorContext(r.Context(), "rendering an OAuth page", "error", err.Error(), "traceId", traceID(r.Context()))
		writeProblem(w, r, validator.NewProblem(http.StatusInternalServerError, "the page could not be rendered; see the server log for trace "+traceID(r.Context())))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+d.Nonce+"'; style-src 'nonce-"+d.Nonce+
		"'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}
