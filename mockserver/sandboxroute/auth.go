package sandboxroute

import (
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// Auth parameter names that hold a credential, by role, in the order they
// are tried. When none is present, the first (by name) parameter with a
// value stands in for a token or key.
var (
	tokenParams    = []string{"token", "bearerToken", "accessToken", "access_token"}
	apiKeyParams   = []string{"apiKey", "api_key", "key", "token"}
	accessParams   = []string{"accessToken", "access_token", "token"}
	usernameParams = []string{"username", "user", "login", "clientId", "client_id"}
	passwordParams = []string{"password", "pass", "secret", "clientSecret", "client_secret"}
)

// API_KEY authSettings.parameters that say where the key goes.
const (
	settingHeaderName     = "headerName"
	settingQueryParameter = "queryParameter"
	defaultAPIKeyHeader   = "X-Api-Key"
)

// Injected says where InjectAuth put a credential.
type Injected struct {
	// Header is the header carrying it, or "".
	Header string
	// Query is the query parameter carrying it, or "".
	Query string
	// Values are the secret texts it used, to redact wherever they appear.
	Values []string
}

// InjectAuth adds a's credential to req according to its method's type —
// never through templates, so a tool can't place a credential anywhere
// else:
//
//	BEARER_TOKEN  Authorization: Bearer <token>
//	API_KEY       <headerName, default X-Api-Key>: <key>, or ?<queryParameter>=<key>
//	BASIC         Authorization: Basic base64(<username>:<password>)
//	OAUTH2        Authorization: Bearer <accessToken>
//
// Nothing is injected without auth, for another type, or when the
// credential's parameter is missing.
func InjectAuth(req *Rendered, a *integrations.RunAuth) Injected {
	if a == nil {
		return Injected{}
	}
	if req.Headers == nil {
		req.Headers = map[string]string{}
	}
	switch a.Type {
	case integrations.AuthTypeBearerToken, integrations.AuthTypeOAuth2:
		names := tokenParams
		if a.Type == integrations.AuthTypeOAuth2 {
			names = accessParams
		}
		if tok := credential(a.Parameters, names, true); tok != "" {
			return setHeader(req, "Authorization", "Bearer "+tok, tok)
		}
	case integrations.AuthTypeAPIKey:
		key := credential(a.Parameters, apiKeyParams, true)
		if key == "" {
			break
		}
		if q := a.Settings[settingQueryParameter]; q != "" {
			sep := "?"
			if strings.Contains(req.URL, "?") {
				sep = "&"
			}
			req.URL += sep + url.QueryEscape(q) + "=" + url.QueryEscape(key)
			return Injected{Query: q, Values: []string{key}}
		}
		name := a.Settings[settingHeaderName]
		if name == "" {
			name = defaultAPIKeyHeader
		}
		return setHeader(req, name, key, key)
	case integrations.AuthTypeBasic:
		user := credential(a.Parameters, usernameParams, false)
		pass := credential(a.Parameters, passwordParams, false)
		if user == "" && pass == "" {
			break
		}
		enc := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
		return setHeader(req, "Authorization", "Basic "+enc, enc, user, pass)
	}
	return Injected{}
}

// setHeader sets a credential header, replacing a template header of the
// same name in any case.
func setHeader(req *Rendered, name, value string, secrets ...string) Injected {
	for k := range req.Headers {
		if strings.EqualFold(k, name) {
			delete(req.Headers, k)
		}
	}
	req.Headers[name] = value
	return Injected{Header: name, Values: secrets}
}

// credential is the first of names present in params; with fallback, else
// the first parameter by name that has a value.
func credential(params map[string]any, names []string, fallback bool) string {
	for _, n := range names {
		if v, ok := params[n]; ok && v != nil {
			return valueText(v)
		}
	}
	if !fallback {
		return ""
	}
	for _, n := range slices.Sorted(maps.Keys(params)) {
		if v := params[n]; v != nil {
			return valueText(v)
		}
	}
	return ""
}
