package assets

// The wire shapes of the assets room, as validator/openapi/fruxon.yaml
// names them (KnowledgeAsset…: the spec's Asset is parameter metadata).

// Asset is a knowledge asset as the API answers it.
type Asset struct {
	ID                          string            `json:"id"`
	DisplayName                 *string           `json:"displayName"`
	Type                        string            `json:"type"`
	Vectorized                  bool              `json:"vectorized"`
	Config                      SourceConfig      `json:"config"`
	IntegrationID               *string           `json:"integrationId"`
	AssetLink                   *string           `json:"assetLink"`
	CreatedAt                   int64             `json:"createdAt"`
	ModifiedAt                  int64             `json:"modifiedAt"`
	AutoUpdate                  bool              `json:"autoUpdate"`
	AutoUpdateConfig            *AutoUpdateConfig `json:"autoUpdateConfig"`
	LastPolledAt                *int64            `json:"lastPolledAt"`
	EmbeddingLlmConfigID        *string           `json:"embeddingLlmConfigId"`
	SupportsAutoUpdate          bool              `json:"supportsAutoUpdate"`
	SupportsWebhookRegistration bool              `json:"supportsWebhookRegistration"`
	SupportsPollSchedule        bool              `json:"supportsPollSchedule"`
	Embedding                   *Embedding        `json:"embedding"`
	Budget                      *Budget           `json:"budget"`
}

// SourceConfig is an asset's source: its type and parameters.
type SourceConfig struct {
	SourceType *string        `json:"sourceType"`
	Parameters map[string]any `json:"parameters"`
}

// AutoUpdateConfig is how an asset is kept up to date.
type AutoUpdateConfig struct {
	Strategy        string  `json:"strategy"`
	Provider        *string `json:"provider"`
	ExternalContext *string `json:"externalContext"`
	Filter          *string `json:"filter"`
	PollFrequency   *string `json:"pollFrequency"`
	PollDay         *string `json:"pollDay"`
	PollDayOfMonth  *string `json:"pollDayOfMonth"`
	PollHour        *string `json:"pollHour"`
	PollMinute      *string `json:"pollMinute"`
	Timezone        *string `json:"timezone"`
}

// Embedding is an asset's embedding and chunking settings. A request's
// other members (an API key) are accepted and never kept.
type Embedding struct {
	Provider     *string `json:"provider"`
	Model        *string `json:"model"`
	ChunkSize    *int    `json:"chunkSize"`
	ChunkOverlap *int    `json:"chunkOverlap"`
}

// Budget is an asset's budget limits (as set) and usage (computed).
type Budget struct {
	TokenBudget           *float64 `json:"tokenBudget"`
	MonthlyTokenBudget    *float64 `json:"monthlyTokenBudget"`
	DailyTokenBudget      *float64 `json:"dailyTokenBudget"`
	TotalTokenCount       *float64 `json:"totalTokenCount"`
	MonthlyTokensUsed     *float64 `json:"monthlyTokensUsed"`
	DailyTokensUsed       *float64 `json:"dailyTokensUsed"`
	CostBudget            *float64 `json:"costBudget"`
	MonthlyCostBudget     *float64 `json:"monthlyCostBudget"`
	DailyCostBudget       *float64 `json:"dailyCostBudget"`
	TotalCost             *float64 `json:"totalCost"`
	MonthlyCostUsed       *float64 `json:"monthlyCostUsed"`
	DailyCostUsed         *float64 `json:"dailyCostUsed"`
	PricePerMillionTokens *float64 `json:"pricePerMillionTokens"`
}

// Result wraps an asset in the answers of create, PATCH, :refresh,
// assets:file and assets:import; Webhook is set only in the answer that
// minted one.
type Result struct {
	Asset   Asset    `json:"asset"`
	Webhook *Webhook `json:"webhook,omitempty"`
}

// Webhook is an asset's auto-update webhook, whole only when minted.
type Webhook struct {
	ID            string  `json:"id"`
	Provider      *string `json:"provider"`
	AuthMode      string  `json:"authMode"`
	Status        string  `json:"status"`
	ExpiresAt     *int64  `json:"expiresAt"`
	CreatedAt     int64   `json:"createdAt"`
	ModifiedAt    int64   `json:"modifiedAt"`
	WebhookURL    string  `json:"webhookUrl"`
	SigningSecret *string `json:"signingSecret"`
}

// Document is one file or URL ingested into an asset.
type Document struct {
	ID           string  `json:"id"`
	AssetID      string  `json:"assetId"`
	FileName     *string `json:"fileName"`
	ContentType  *string `json:"contentType"`
	SourceURL    *string `json:"sourceUrl"`
	FileSize     int64   `json:"fileSize"`
	ChunkCount   int     `json:"chunkCount"`
	Status       string  `json:"status"`
	ErrorMessage *string `json:"errorMessage"`
	CreatedAt    int64   `json:"createdAt"`
	ModifiedAt   int64   `json:"modifiedAt"`
	ProcessedAt  *int64  `json:"processedAt"`
}

// Chunk is one indexed piece of a document.
type Chunk struct {
	ChunkID      string         `json:"chunkId"`
	ChunkIndex   int            `json:"chunkIndex"`
	Content      string         `json:"content"`
	ContextText  *string        `json:"contextText"`
	HeadingPath  *string        `json:"headingPath"`
	PageNumber   *string        `json:"pageNumber"`
	StartCharIdx int            `json:"startCharIdx"`
	EndCharIdx   int            `json:"endCharIdx"`
	StartLine    int            `json:"startLine"`
	EndLine      int            `json:"endLine"`
	TokenCount   int            `json:"tokenCount"`
	CodeIntel    map[string]any `json:"codeIntel"`
}

// Operation states.
const (
	StatusPending   = "PENDING"
	StatusRunning   = "RUNNING"
	StatusCompleted = "COMPLETED"
	StatusFailed    = "FAILED"
	StatusCancelled = "CANCELLED"
)

// Operation types the mock answers.
const (
	OpIngest  = "INGEST"
	OpRefresh = "REFRESH"
)

// Operation is a long-running ingestion operation of an asset.
type Operation struct {
	ID             string  `json:"id"`
	AssetID        string  `json:"assetId"`
	TenantID       string  `json:"tenantId"`
	Type           string  `json:"type"`
	Status         string  `json:"status"`
	Done           bool    `json:"done"`
	StartedAt      *int64  `json:"startedAt"`
	CompletedAt    *int64  `json:"completedAt"`
	ItemsProcessed int     `json:"itemsProcessed"`
	ItemsTotal     int     `json:"itemsTotal"`
	TokenCount     int64   `json:"tokenCount"`
	ChunkCount     int     `json:"chunkCount"`
	Cost           float64 `json:"cost"`
	ErrorMessage   *string `json:"errorMessage"`
	CreatedBy      *string `json:"createdBy"`
}

// List is one page of a list answer.
type List[T any] struct {
	Items         []T     `json:"items"`
	NextPageToken *string `json:"nextPageToken"`
	TotalCount    int     `json:"totalCount"`
}

// ChunkList is one page of a document's chunks.
type ChunkList struct {
	DocumentID    string  `json:"documentId"`
	Chunks        []Chunk `json:"chunks"`
	TotalChunks   int     `json:"totalChunks"`
	NextPageToken *string `json:"nextPageToken"`
}

// OAuthCredentials are the tokens of a completed asset OAuth flow.
type OAuthCredentials struct {
	AccessToken  string  `json:"accessToken"`
	RefreshToken *string `json:"refreshToken"`
	TokenType    string  `json:"tokenType"`
	ExpiresAt    *int64  `json:"expiresAt"`
}

// CreateInput is the body of POST /assets.
type CreateInput struct {
	Config               SourceConfig      `json:"config"`
	Name                 *string           `json:"name"`
	Auth                 map[string]any    `json:"auth"`
	Embedding            *Embedding        `json:"embedding"`
	Budget               *Budget           `json:"budget"`
	CurrencyBudget       map[string]any    `json:"currencyBudget"`
	AutoUpdate           *AutoUpdateConfig `json:"autoUpdate"`
	EmbeddingLLMConfigID *string           `json:"embeddingLLMConfigId"`
}

// UpdateInput is the body of PATCH /assets/{asset}.
type UpdateInput struct {
	DisplayName          *string           `json:"displayName"`
	Budget               *Budget           `json:"budget"`
	CurrencyBudget       map[string]any    `json:"currencyBudget"`
	Embedding            *Embedding        `json:"embedding"`
	SourceConfig         map[string]any    `json:"sourceConfig"`
	EmbeddingLlmConfigID *string           `json:"embeddingLlmConfigId"`
	AutoUpdate           *AutoUpdateConfig `json:"autoUpdate"`
	DisableAutoUpdate    bool              `json:"disableAutoUpdate"`
}

// RefreshInput is the optional body of :refresh.
type RefreshInput struct {
	DocumentIDs []string `json:"documentIds"`
	Force       *bool    `json:"force"`
}

// ImportInput is the body of assets:import.
type ImportInput struct {
	FileID               string     `json:"fileId"`
	Vectorize            *bool      `json:"vectorize"`
	EmbeddingConfig      *Embedding `json:"embeddingConfig"`
	EmbeddingLlmConfigID *string    `json:"embeddingLlmConfigId"`
}

// FileInput is an assets:file upload: the file and its Payload.
type FileInput struct {
	FileName    string
	ContentType string
	Content     []byte
	DisplayName *string
	Vectorize   bool
	Embedding   *Embedding
	EmbeddingID *string
}
