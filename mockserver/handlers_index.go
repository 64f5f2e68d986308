package mockserver

import (
	"net/http"
	"strconv"
)

// indexPage is what a browser opened on the mock's address shows: where
// to go next, not a bare 404.
const indexPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fruxon-mock</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>fruxon-mock</h1>
<p>A stateful, contract-true fake of the Fruxon Integrations API. The API is under <code>/v1/tenants/{tenant}/…</code>
(any bearer token works by default); tenant <code>demo</code> holds example data.</p>
<ul>
<li><a href="/_mock/ui">Dashboard</a>: requests, findings, coverage, scenarios</li>
<li>Spec: <a href="/openapi.yaml">openapi.yaml</a> · <a href="/openapi.json">openapi.json</a></li>
<li><a href="/_mock/journal">Journal</a> (recent requests, JSON) · <a href="/_mock/coverage">Coverage</a> · <a href="/_mock/health">Health</a></li>
<li><a href="https://github.com/fruxon/fruxon-mock#readme">Documentation</a></li>
</ul>
</body></html>
`

// handleIndex serves GET /.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(indexPage)))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(indexPage))
}
