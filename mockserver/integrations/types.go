// Package integrations is the room of the Core and Configs groups of the
// Integrations API: which tenants exist, and their integrations and configs
// with draft and published revisions, secrets sealed, in memory; the
// material of a config for a tool run; OAuth credential keys redeemed into
// a config's auth. Other rooms' records hang off it (tools and their runs),
// reached through WithIntegration, WithConfig and Hooks. Its domain files
// know nothing of HTTP; the JSON tags are the API's wire shapes, so
// handlers decode into the *Input types and encode the returned values.
package integrations

// IntegrationType says where an integration comes from.
type IntegrationType string

// Integration types. CUSTOM is set for tenant-created integrations, SYSTEM
// for catalog entries loaded from fixtures.
const (
	IntegrationTypeUnspecified IntegrationType = "UNSPECIFIED"
	IntegrationTypeSystem      IntegrationType = "SYSTEM"
	IntegrationTypeCustom      IntegrationType = "CUSTOM"
)

// AuthType is the kind of credential an auth method takes.
type AuthType string

// Auth types; the run injects credentials according to these.
const (
	AuthTypeUnspecified AuthType = "UNSPECIFIED"
	AuthTypeAPIKey      AuthType = "API_KEY"
	AuthTypeBearerToken AuthType = "BEARER_TOKEN"
	AuthTypeBasic       AuthType = "BASIC"
	AuthTypeOAuth2      AuthType = "OAUTH2"
)

// Sensitivity classifies an auth method's parameters. Every parameter of a
// method whose sensitivity is SENSITIVE or SECRET is treated as secret.
type Sensitivity string

// Sensitivity values.
const (
	SensitivityUnspecified Sensitivity = "UNSPECIFIED"
	SensitivityPublic      Sensitivity = "PUBLIC"
	SensitivitySensitive   Sensitivity = "SENSITIVE"
	SensitivitySecret      Sensitivity = "SECRET"
)

// AuthLevel says who an auth credential belongs to.
type AuthLevel string

// Auth levels.
const (
	AuthLevelUnspecified AuthLevel = "UNSPECIFIED"
	AuthLevelApplication AuthLevel = "APPLICATION"
	AuthLevelUser        AuthLevel = "USER"
)

// SandboxMode is the per-config sandbox behaviour, resolved only when a tool
// runs in SANDBOX execution mode.
type SandboxMode string

// Sandbox modes. UNSPECIFIED behaves as NONE.
const (
	SandboxModeUnspecified SandboxMode = "UNSPECIFIED"
	SandboxModeNone        SandboxMode = "NONE"
	SandboxModeVendor      SandboxMode = "VENDOR"
	SandboxModeSimulated   SandboxMode = "SIMULATED"
	SandboxModeReadThrough SandboxMode = "READ_THROUGH"
)

// ParameterType is a parameter's value type; the API spells it PascalCase.
type ParameterType string

// Parameter types.
const (
	ParameterTypeString  ParameterType = "String"
	ParameterTypeInteger ParameterType = "Integer"
	ParameterTypeFloat   ParameterType = "Float"
	ParameterTypeBoolean ParameterType = "Boolean"
	ParameterTypeJSON    ParameterType = "Json"
	ParameterTypeAsset   ParameterType = "Asset"
)

// Integration is a connection to an external system, as the API shows it.
type Integration struct {
	ID             string          `json:"id"`
	DisplayName    *string         `json:"displayName"`
	Description    *string         `json:"description"`
	Type           IntegrationType `json:"type"`
	ConfigMetadata ConfigMetadata  `json:"configMetadata"`
	Tags           []string        `json:"tags"`
	IsInternal     bool            `json:"isInternal"`
	CreatedAt      int64           `json:"createdAt"`
	ModifiedAt     int64           `json:"modifiedAt"`
}

// ConfigMetadata describes what a config of an integration holds.
type ConfigMetadata struct {
	ParametersMetadata []ParameterMetadata `json:"parametersMetadata"`
	AuthMetadata       []AuthMetadata      `json:"authMetadata"`
}

// ParameterMetadata declares one parameter: its type, limits and whether it
// is required or secret.
type ParameterMetadata struct {
	Name         string         `json:"name"`
	Index        int            `json:"index"`
	Type         ParameterType  `json:"type"`
	TypeName     *string        `json:"typeName"`
	IntegerRange *IntegerRange  `json:"integerRange"`
	FloatRange   *FloatRange    `json:"floatRange"`
	Options      []Option       `json:"options"`
	Asset        *Asset         `json:"asset"`
	DisplayName  *string        `json:"displayName"`
	Description  *string        `json:"description"`
	Required     bool           `json:"required"`
	Secret       bool           `json:"secret"`
	DefaultValue *string        `json:"defaultValue"`
	JSONSchema   map[string]any `json:"jsonSchema"`
	UIHint       *string        `json:"uiHint"`
	Rules        []Rule         `json:"rules"`
}

// IntegerRange bounds an Integer parameter; either end may be open.
type IntegerRange struct {
	Min *int64 `json:"min"`
	Max *int64 `json:"max"`
}

// FloatRange bounds a Float parameter; either end may be open.
type FloatRange struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
}

// Option is one allowed value of a parameter.
type Option struct {
	Value       string  `json:"value"`
	DisplayName *string `json:"displayName"`
}

// Asset describes what an Asset parameter accepts.
type Asset struct {
	AssetType         *string  `json:"assetType"`
	AllowedExtensions []string `json:"allowedExtensions"`
}

// Rule is a UI validation rule on a parameter (informational for the mock).
type Rule struct {
	Kind    string  `json:"kind"`
	Value   *string `json:"value"`
	Message *string `json:"message"`
}

// AuthMetadata declares one auth method an integration supports.
type AuthMetadata struct {
	ID                  string              `json:"id"`
	DisplayName         *string             `json:"displayName"`
	Description         *string             `json:"description"`
	Type                AuthType            `json:"type"`
	Sensitivity         Sensitivity         `json:"sensitivity"`
	AuthProviderName    *string             `json:"authProviderName"`
	ConfigTestSupported bool                `json:"configTestSupported"`
	SupportedLevels     []AuthLevel         `json:"supportedLevels"`
	AuthMap             AuthMapMetadata     `json:"authMap"`
	AuthSettings        AuthSettings        `json:"authSettings"`
	ParametersMetadata  []ParameterMetadata `json:"parametersMetadata"`
	AvailableScopes     []string            `json:"availableScopes"`
}

// AuthMapMetadata says whether a method keeps several credentials keyed by a
// template over parameters.
type AuthMapMetadata struct {
	UseMap             bool                `json:"useMap"`
	KeyTemplate        *string             `json:"keyTemplate"`
	ParametersMetadata []ParameterMetadata `json:"parametersMetadata"`
}

// AuthSettings are method-specific settings, e.g. {"headerName": "X-Api-Key"}
// or {"queryParameter": "api_key"} for API_KEY.
type AuthSettings struct {
	Parameters map[string]string `json:"parameters"`
}

// Config is a tenant's configuration of an integration, as the API shows it:
// the draft's public view plus the published revision's id. Secret values
// never appear in it.
type Config struct {
	ID                  string          `json:"id"`
	IntegrationID       string          `json:"integrationId"`
	DisplayName         *string         `json:"displayName"`
	Parameters          map[string]any  `json:"parameters"`
	HasAuth             bool            `json:"hasAuth"`
	HasAuthMap          bool            `json:"hasAuthMap"`
	AuthMethodID        *string         `json:"authMethodId"`
	Auth                *AuthView       `json:"auth"`
	AuthMapEntries      []AuthMapView   `json:"authMapEntries"`
	SandboxMode         SandboxMode     `json:"sandboxMode"`
	SandboxVariant      *SandboxVariant `json:"sandboxVariant"`
	PublishedRevisionID *string         `json:"publishedRevisionId"`
	CreatedBy           *string         `json:"createdBy"`
	CreatedAt           int64           `json:"createdAt"`
	ModifiedAt          int64           `json:"modifiedAt"`
	// WeakSecrets is set only on the Config a create or update returns:
	// the secrets it stored whose text can't be redacted wherever it shows
	// (see WeakSecret), as "path: why", for the caller to flag. Never
	// part of the answer.
	WeakSecrets []string `json:"-"`
}

// AuthView is the public face of a stored credential: never its values.
type AuthView struct {
	Level                     AuthLevel `json:"level"`
	IntegrationAuthMetadataID string    `json:"integrationAuthMetadataId"`
	GrantedScopes             []string  `json:"grantedScopes"`
}

// AuthMapView is the public face of one auth-map entry: its non-secret
// parameters only.
type AuthMapView struct {
	Parameters map[string]any `json:"parameters"`
}

// SandboxVariant is the (parameters, auth, authMap) bundle used by the
// VENDOR sandbox mode. In responses, secret auth parameters are left out.
type SandboxVariant struct {
	Parameters map[string]any `json:"parameters"`
	Auth       *AuthInput     `json:"auth"`
	AuthMap    []AuthMapEntry `json:"authMap"`
}

// AuthInput is a chosen auth method with its filled-in parameters.
type AuthInput struct {
	IntegrationAuthMetadataID string         `json:"integrationAuthMetadataId"`
	Level                     *AuthLevel     `json:"level"`
	Parameters                map[string]any `json:"parameters"`
}

// AuthMapEntry is one keyed credential of an auth map.
type AuthMapEntry struct {
	Parameters map[string]any `json:"parameters"`
	AuthConfig *AuthInput     `json:"authConfig"`
}

// Revision is an immutable snapshot of a config's draft, frozen by :publish.
// Secret auth parameters are left out. Note is always null: :publish takes
// no body.
type Revision struct {
	ID             string          `json:"id"`
	TenantID       string          `json:"tenantId"`
	ConfigID       string          `json:"configId"`
	Version        int             `json:"version"`
	Parameters     map[string]any  `json:"parameters"`
	Auth           *AuthInput      `json:"auth"`
	AuthMap        []AuthMapEntry  `json:"authMap"`
	SandboxMode    SandboxMode     `json:"sandboxMode"`
	SandboxVariant *SandboxVariant `json:"sandboxVariant"`
	Note           *string         `json:"note"`
	CreatedBy      *string         `json:"createdBy"`
	CreatedAt      int64           `json:"createdAt"`
}

// CreateIntegrationInput is the create-integration request body.
type CreateIntegrationInput struct {
	ID             *string         `json:"id"`
	DisplayName    *string         `json:"displayName"`
	Description    *string         `json:"description"`
	ConfigMetadata *ConfigMetadata `json:"configMetadata"`
}

// UpdateIntegrationInput is the integration PUT body: a full replace, nil
// clears a field (configMetadata to an empty one).
type UpdateIntegrationInput struct {
	DisplayName    *string         `json:"displayName"`
	Description    *string         `json:"description"`
	ConfigMetadata *ConfigMetadata `json:"configMetadata"`
}

// CreateConfigInput is the create-config request body.
type CreateConfigInput struct {
	// IntegrationID is overwritten by the route's integration (the
	// documented behaviour): it is read and ignored.
	IntegrationID      *string         `json:"integrationId"`
	DisplayName        *string         `json:"displayName"`
	Parameters         map[string]any  `json:"parameters"`
	Auth               *AuthInput      `json:"auth"`
	AuthMap            []AuthMapEntry  `json:"authMap"`
	SandboxMode        *SandboxMode    `json:"sandboxMode"`
	SandboxVariant     *SandboxVariant `json:"sandboxVariant"`
	OAuthCredentialKey *string         `json:"oAuthCredentialKey"`
}

// UpdateConfigInput is the config PATCH body. Null or absent keeps a field
// (this is not JSON Merge Patch: null never deletes).
type UpdateConfigInput struct {
	DisplayName        *string         `json:"displayName"`
	Parameters         map[string]any  `json:"parameters"`
	Auth               *AuthInput      `json:"auth"`
	AuthMap            []AuthMapEntry  `json:"authMap"`
	SandboxMode        *SandboxMode    `json:"sandboxMode"`
	SandboxVariant     *SandboxVariant `json:"sandboxVariant"`
	OAuthCredentialKey *string         `json:"oAuthCredentialKey"`
}

// ConfigTestResult answers :test.
type ConfigTestResult struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}
