package integrations

import "net/http"

// authSetting is one parameter of an auth type, as GET
// /v1/authMetadata:settings renders it (lowercase type, every member).
type authSetting struct {
	Name         string  `json:"name"`
	Index        int     `json:"index"`
	Type         string  `json:"type"`
	TypeName     *string `json:"typeName"`
	IntegerRange any     `json:"integerRange"`
	FloatRange   any     `json:"floatRange"`
	Options      any     `json:"options"`
	Asset        any     `json:"asset"`
	DisplayName  string  `json:"displayName"`
	Description  string  `json:"description"`
	Required     bool    `json:"required"`
	Secret       bool    `json:"secret"`
	DefaultValue *string `json:"defaultValue"`
	JSONSchema   any     `json:"jsonSchema"`
	UIHint       string  `json:"uiHint"`
	Rules        []any   `json:"rules"`
}

func setting(i int, name, display, desc string, required, secret bool, def string) authSetting {
	s := authSetting{Name: name, Index: i, Type: "string", DisplayName: display, Description: desc,
		Required: required, Secret: secret, UIHint: "UNSPECIFIED", Rules: []any{}}
	if def != "" {
		s.DefaultValue = &def
	}
	return s
}

type authTypeSettings struct {
	ParametersMetadata []authSetting `json:"parametersMetadata"`
}

// authSettings is what the mock answers for every auth type it knows: the
// parameters its tool runs read (AuthType's values, and NONE, which the
// reference's example lists).
var authSettings = map[string]authTypeSettings{
	"UNSPECIFIED": {ParametersMetadata: []authSetting{}},
	"NONE":        {ParametersMetadata: []authSetting{}},
	"API_KEY": {ParametersMetadata: []authSetting{
		setting(0, "apiKey", "API key", "The key sent with every request.", true, true, ""),
		setting(1, "headerName", "Header name", "The header that carries the key (authSettings).", false, false, "X-Api-Key"),
		setting(2, "queryParameter", "Query parameter", "Send the key as this query parameter instead (authSettings).", false, false, ""),
	}},
	"BEARER_TOKEN": {ParametersMetadata: []authSetting{
		setting(0, "token", "Token", "Sent as Authorization: Bearer <token>.", true, true, ""),
	}},
	"BASIC": {ParametersMetadata: []authSetting{
		setting(0, "username", "Username", "The basic-auth user.", true, false, ""),
		setting(1, "password", "Password", "The basic-auth password.", true, true, ""),
	}},
	"OAUTH2": {ParametersMetadata: []authSetting{
		setting(0, "clientId", "Client ID", "The OAuth client id.", false, false, ""),
		setting(1, "clientSecret", "Client secret", "The OAuth client secret.", false, true, ""),
	}},
}

// handleAuthMetadataSettings serves GET /v1/authMetadata:settings.
func (h *Handlers) handleAuthMetadataSettings(w http.ResponseWriter, r *http.Request) {
	h.api.WriteJSON(w, http.StatusOK, authSettings)
}
