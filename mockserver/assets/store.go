// Package assets is the room of the Integrations › Assets group: knowledge
// assets (RAG sources), their documents and chunks, their ingestion
// operations (a state machine on the mock's clock), their auto-update
// webhooks, file uploads, and the asset-source OAuth flow. State is in
// memory, per tenant, per sandbox (the shared state or a session's); the
// bytes a tenant's uploads keep are capped (TenantContentCap).
package assets

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// Limits and timings of the room.
const (
	// MaxUpload is the documented cap of an assets:file upload (50 MB).
	MaxUpload = 50 << 20
	// DefaultTenantContentCap bounds the uploaded bytes a tenant's assets
	// keep in one sandbox: the mock's own bound, not the API's.
	DefaultTenantContentCap = 64 << 20
	// PendingFor and RunningFor are how long an operation stays PENDING,
	// then RUNNING, on the mock's clock before it ends, at the default
	// pace (PaceWatch).
	PendingFor = time.Second
	RunningFor = 2 * time.Second
	// MaxOperationsPerAsset bounds the history kept; the oldest finished
	// ones go first.
	MaxOperationsPerAsset = 100
	// DefaultChunkSize is the chunk size (characters) when the asset's
	// embedding names none.
	DefaultChunkSize = 800
	// PricePerMillionTokens is the mock's embedding price (USD).
	PricePerMillionTokens = 0.02
)

// oauthSourceTypes are the source types whose descriptor advertises OAuth.
var oauthSourceTypes = []string{"confluence", "github", "google_drive", "jira", "notion", "zendesk"}

// IsOAuthSource reports whether a source type supports the OAuth flow.
func IsOAuthSource(sourceType string) bool { return slices.Contains(oauthSourceTypes, sourceType) }

// Options configure a Store. Zero values pick the defaults.
type Options struct {
	// Now is the clock; default time.Now.
	Now func() time.Time
	// NewID mints ids; default a random UUID v4.
	NewID func() string
	// TenantKnown, when set, makes every operation on a tenant it does not
	// know fail with KindNotFound (strict tenants).
	TenantKnown func(tenant string) bool
	// TenantContentCap bounds the uploaded bytes per tenant; default
	// DefaultTenantContentCap.
	TenantContentCap int64
	// Pace is the ingestion pace new operations take; default PaceWatch.
	Pace *Pace
	// Box seals the room's secret texts in a state snapshot; default a
	// Box with a random key.
	Box *secretbox.Box
}

// Store holds every tenant's assets. It is safe for concurrent use; the
// values it returns are copies.
type Store struct {
	now   func() time.Time
	newID func() string
	known func(string) bool
	cap   int64
	box   *secretbox.Box

	mu sync.Mutex
	// guards tenants and everything reachable from it, and pace
	tenants map[string]*tenantAssets
	pace    Pace
}

type tenantAssets struct {
	assets map[string]*assetRec
	order  []string // asset ids, oldest first
	bytes  int64    // uploaded content kept
	// handed are the OAuth tokens assets:oauthCredentials gave out, newest
	// last, at most maxHanded: kept only so the journal can redact them.
	handed []string
}

// maxHanded bounds the OAuth tokens a tenant's record remembers.
const maxHanded = 256

type assetRec struct {
	a        Asset
	content  []byte // the uploaded file, nil for other sources
	fileName string
	ctype    string
	// source is the content of a non-upload source the mock can read
	// (fixtures declare it): one document each, under a fixed id.
	source   []sourceDoc
	hasAuth  bool
	ingested bool // an ingestion ran to its end
	docs     []*docRec
	ops      []*opRec // oldest first
	hook     *hookRec
	limits   Budget // the budget limits as set (usage is computed)
	// secrets are the texts of the source's auth values and of the current
	// webhook's key and secret: never answered, listed for redaction.
	secrets []string
}

// sourceDoc is one document of a source the mock can read.
type sourceDoc struct {
	id       string
	fileName string
	ctype    string
	url      *string
	content  []byte
}

// sources are what an ingestion of the asset reads: the uploaded file, or
// the declared source documents.
func (rec *assetRec) sources() []sourceDoc {
	if rec.content != nil {
		return []sourceDoc{{fileName: rec.fileName, ctype: rec.ctype, content: rec.content}}
	}
	return rec.source
}

// size is the content the asset keeps, counted against its tenant's cap.
func (rec *assetRec) size() int64 {
	n := int64(len(rec.content))
	for _, d := range rec.source {
		n += int64(len(d.content))
	}
	return n
}

type docRec struct {
	d      Document
	chunks []Chunk
}

type opRec struct {
	op      Operation
	created time.Time
	// The operation's own clock (see elapsed): at anchor it was at base,
	// and it runs with the mock's clock unless stalled.
	base    time.Duration
	anchor  time.Time
	stalled bool
	// pending and running are the pace it was created with.
	pending, running time.Duration
	// failAt, when set, is the point of its clock where it fails with
	// failMsg (armed by the control plane).
	failAt    *time.Duration
	failMsg   string
	cancelAt  *time.Time
	final     bool
	docIDs    []string  // a partial refresh's documents; nil: all
	result    []*docRec // what the operation produces when it completes
	failure   string
	createdBy *string
}

type hookRec struct {
	id        string
	provider  *string
	createdAt int64
	modified  int64
	prefix    string   // the key's first characters
	secrets   []string // the current key and secret, for redaction only
}

// New returns an empty Store.
func New(opts Options) *Store {
	s := &Store{now: opts.Now, newID: opts.NewID, known: opts.TenantKnown, cap: opts.TenantContentCap,
		tenants: map[string]*tenantAssets{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = core.NewUUID
	}
	if s.cap <= 0 {
		s.cap = DefaultTenantContentCap
	}
	s.box = opts.Box
	if s.box == nil {
		box, err := secretbox.NewRandom()
		if err != nil {
			panic("assets: no random key for the secret box: " + err.Error())
		}
		s.box = box
	}
	s.pace = PaceOf(PaceWatch)
	if opts.Pace != nil {
		s.pace = *opts.Pace
	}
	return s
}

// Reset empties the store. The pace, a setting rather than state, stays.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants = map[string]*tenantAssets{}
}

// ContentBytes is the uploaded content a tenant's assets keep.
func (s *Store) ContentBytes(tenant string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tenants[tenant]; t != nil {
		return t.bytes
	}
	return 0
}

// tenant returns a tenant's record (made when create); nil when it has
// none. mu must be held.
func (s *Store) tenant(op, name string, create bool) (*tenantAssets, error) {
	if s.known != nil && !s.known(name) {
		return nil, core.Errorf(core.KindNotFound, op, "tenant '%s' was not found", name)
	}
	t := s.tenants[name]
	if t == nil && create {
		t = &tenantAssets{assets: map[string]*assetRec{}}
		s.tenants[name] = t
	}
	return t, nil
}

// CheckTenant fails with KindNotFound for a tenant strict tenancy doesn't
// know.
func (s *Store) CheckTenant(op, tenant string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.tenant(op, tenant, false)
	return err
}

// asset finds an asset and settles its operations. mu must be held.
func (s *Store) asset(op, tenant, id string) (*tenantAssets, *assetRec, error) {
	t, err := s.tenant(op, tenant, false)
	if err != nil {
		return nil, nil, err
	}
	var rec *assetRec
	if t != nil {
		rec = t.assets[id]
	}
	if rec == nil {
		return nil, nil, core.Errorf(core.KindNotFound, op, "asset '%s' was not found in tenant '%s'", id, tenant)
	}
	s.settle(rec)
	return t, rec, nil
}

func (s *Store) millis() int64 { return s.now().UnixMilli() }

func ptr[T any](v T) *T { return &v }

func strOr(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}

// redactable is the texts of a secret value worth redacting.
func redactable(v any) []string {
	var out []string
	for _, t := range core.SecretTexts(v) {
		if core.WeakSecret(t) == "" {
			out = append(out, t)
		}
	}
	return out
}

// SecretTexts lists every secret text the room holds (source auth values,
// webhook keys and secrets, OAuth tokens handed out), so the server can
// redact them wherever it shows an exchange.
func (s *Store) SecretTexts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, t := range s.tenants {
		out = append(out, t.handed...)
		for _, rec := range t.assets {
			out = append(out, rec.secrets...)
			if rec.hook != nil {
				out = append(out, rec.hook.secrets...)
			}
		}
	}
	return out
}

// NoteHandedTokens remembers OAuth tokens given out to a tenant, for
// redaction.
func (s *Store) NoteHandedTokens(tenant string, tokens ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[tenant]
	if t == nil {
		t = &tenantAssets{assets: map[string]*assetRec{}}
		s.tenants[tenant] = t
	}
	for _, tok := range tokens {
		t.handed = append(t.handed, redactable(tok)...)
	}
	if n := len(t.handed) - maxHanded; n > 0 {
		t.handed = slices.Delete(t.handed, 0, n)
	}
}

// ---------------------------------------------------------------- assets

// Create makes an asset from a source configuration and starts its first
// ingestion. createdBy is the caller's subject ("" for none).
func (s *Store) Create(tenant string, in CreateInput, createdBy string) (Result, error) {
	const op = "CreateAsset"
	f := core.Findings{}
	sourceType := strings.TrimSpace(strOr(in.Config.SourceType, ""))
	if sourceType == "" {
		f.Add("config.sourceType", "is required")
	}
	if in.AutoUpdate != nil {
		checkAutoUpdate(f, "autoUpdate", in.AutoUpdate)
	}
	if in.Embedding != nil {
		checkEmbedding(f, "embedding", in.Embedding)
	}
	if err := f.Err(op); err != nil {
		return Result{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenant(op, tenant, true)
	if err != nil {
		return Result{}, err
	}
	now := s.millis()
	rec := &assetRec{hasAuth: len(in.Auth) > 0}
	for _, v := range in.Auth {
		rec.secrets = append(rec.secrets, redactable(v)...)
	}
	rec.a = Asset{
		ID: s.newID(), DisplayName: cmp.Or(in.Name, ptr(sourceType)), Type: sourceType,
		Vectorized: in.Embedding != nil || in.EmbeddingLLMConfigID != nil,
		Config:     SourceConfig{SourceType: ptr(sourceType), Parameters: core.CloneJSONMap(in.Config.Parameters)},
		CreatedAt:  now, ModifiedAt: now, EmbeddingLlmConfigID: in.EmbeddingLLMConfigID,
		SupportsAutoUpdate: sourceType != "file", SupportsPollSchedule: sourceType != "file",
	}
	if rec.a.Config.Parameters == nil {
		rec.a.Config.Parameters = map[string]any{}
	}
	if rec.a.Vectorized {
		rec.a.Embedding = embeddingOf(in.Embedding)
	}
	if in.Budget != nil {
		rec.limits = limitsOf(*in.Budget)
	}
	applyCurrency(&rec.limits, in.CurrencyBudget)
	var hook *Webhook
	if in.AutoUpdate != nil {
		rec.a.AutoUpdate, rec.a.AutoUpdateConfig = true, cloneAutoUpdate(in.AutoUpdate)
		if in.AutoUpdate.Strategy == "WEBHOOK" {
			hook = s.mintHook(tenant, rec, now)
		}
	}
	s.startOp(tenant, rec, OpIngest, nil, createdBy)
	t.assets[rec.a.ID] = rec
	t.order = append(t.order, rec.a.ID)
	return Result{Asset: s.view(rec), Webhook: hook}, nil
}

// Import makes a file asset from a storage file. The mock has no storage
// service: the asset has no content, and its ingestion yields no
// documents.
func (s *Store) Import(tenant string, in ImportInput, createdBy string) (Result, error) {
	const op = "ImportAsset"
	vectorize := in.Vectorize == nil || *in.Vectorize
	f := core.Findings{}
	if strings.TrimSpace(in.FileID) == "" {
		f.Add("fileId", "is required")
	}
	if vectorize && in.EmbeddingConfig == nil {
		f.Add("embeddingConfig", "is required when vectorize is true (the default)")
	}
	if in.EmbeddingConfig != nil {
		checkEmbedding(f, "embeddingConfig", in.EmbeddingConfig)
	}
	if err := f.Err(op); err != nil {
		return Result{}, err
	}
	return s.createFile(op, tenant, FileInput{FileName: in.FileID, DisplayName: ptr(in.FileID), Vectorize: vectorize,
		Embedding: in.EmbeddingConfig, EmbeddingID: in.EmbeddingLlmConfigID}, map[string]any{"fileId": in.FileID}, createdBy)
}

// Upload makes a file asset from an uploaded file and starts its
// ingestion. The file's bytes count against the tenant's content cap; past
// it, a *QuotaError.
func (s *Store) Upload(tenant string, in FileInput, createdBy string) (Result, error) {
	const op = "UploadAsset"
	f := core.Findings{}
	if in.Vectorize && in.Embedding == nil {
		f.Add("Payload.EmbeddingConfig", "is required when Vectorize is true")
	}
	if in.Embedding != nil {
		checkEmbedding(f, "Payload.EmbeddingConfig", in.Embedding)
	}
	if err := f.Err(op); err != nil {
		return Result{}, err
	}
	return s.createFile(op, tenant, in, map[string]any{"fileName": in.FileName}, createdBy)
}

// QuotaError says an upload would take a tenant past its content cap.
type QuotaError struct {
	Tenant     string
	Used, Size int64
	Cap        int64
}

func (e *QuotaError) Error() string {
	return "tenant '" + e.Tenant + "' keeps " + strconv.FormatInt(e.Used, 10) + " bytes of uploaded asset content; this file's " +
		strconv.FormatInt(e.Size, 10) + " bytes would pass the mock's cap of " + strconv.FormatInt(e.Cap, 10) +
		" bytes per tenant. Delete assets to free it."
}

func (s *Store) createFile(op, tenant string, in FileInput, params map[string]any, createdBy string) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenant(op, tenant, true)
	if err != nil {
		return Result{}, err
	}
	size := int64(len(in.Content))
	if t.bytes+size > s.cap {
		return Result{}, &QuotaError{Tenant: tenant, Used: t.bytes, Size: size, Cap: s.cap}
	}
	now := s.millis()
	rec := &assetRec{content: in.Content, fileName: in.FileName, ctype: in.ContentType}
	rec.a = Asset{
		ID: s.newID(), DisplayName: cmp.Or(in.DisplayName, ptr(in.FileName)), Type: "file",
		Vectorized: in.Vectorize,
		Config:     SourceConfig{SourceType: ptr("file"), Parameters: params},
		CreatedAt:  now, ModifiedAt: now, EmbeddingLlmConfigID: in.EmbeddingID,
	}
	if in.Vectorize {
		rec.a.Embedding = embeddingOf(in.Embedding)
	}
	t.bytes += size
	s.startOp(tenant, rec, OpIngest, nil, createdBy)
	t.assets[rec.a.ID] = rec
	t.order = append(t.order, rec.a.ID)
	return Result{Asset: s.view(rec)}, nil
}

// List answers a page of the tenant's assets, newest first, whose
// displayName contains search (case-insensitive).
func (s *Store) List(tenant, search string, pg Paging) (List[Asset], error) {
	const op = "ListAssets"
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenant(op, tenant, false)
	if err != nil {
		return List[Asset]{}, err
	}
	var all []*assetRec
	if t != nil {
		for i := len(t.order) - 1; i >= 0; i-- {
			rec := t.assets[t.order[i]]
			if search == "" || strings.Contains(strings.ToLower(strOr(rec.a.DisplayName, "")), strings.ToLower(search)) {
				all = append(all, rec)
			}
		}
	}
	page, next := pg.slice(len(all))
	out := List[Asset]{Items: make([]Asset, 0, len(page)), NextPageToken: next, TotalCount: len(all)}
	for _, i := range page {
		s.settle(all[i])
		out.Items = append(out.Items, s.view(all[i]))
	}
	return out, nil
}

// Get answers one asset.
func (s *Store) Get(tenant, id string) (Asset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec, err := s.asset("GetAsset", tenant, id)
	if err != nil {
		return Asset{}, err
	}
	return s.view(rec), nil
}

// Update applies a PATCH: absent and null fields keep their value.
func (s *Store) Update(tenant, id string, in UpdateInput) (Result, error) {
	const op = "UpdateAsset"
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec, err := s.asset(op, tenant, id)
	if err != nil {
		return Result{}, err
	}
	f := core.Findings{}
	vectorizing := !rec.a.Vectorized && in.EmbeddingLlmConfigID != nil
	if !rec.a.Vectorized && !vectorizing {
		for field, set := range map[string]bool{"embedding": in.Embedding != nil, "budget": in.Budget != nil, "currencyBudget": in.CurrencyBudget != nil} {
			if set {
				f.Add(field, "cannot be changed: asset '%s' is not vectorized", id)
			}
		}
	}
	if in.Embedding != nil {
		checkEmbedding(f, "embedding", in.Embedding)
	}
	if in.AutoUpdate != nil && !in.DisableAutoUpdate {
		checkAutoUpdate(f, "autoUpdate", in.AutoUpdate)
		if !rec.a.SupportsAutoUpdate {
			f.Add("autoUpdate", "is not supported by source type '%s'", rec.a.Type)
		}
	}
	if err := f.Err(op); err != nil {
		return Result{}, err
	}
	now := s.millis()
	if in.DisplayName != nil {
		rec.a.DisplayName = ptr(*in.DisplayName)
	}
	if in.SourceConfig != nil {
		for k, v := range core.CloneJSONMap(in.SourceConfig) {
			rec.a.Config.Parameters[k] = v
		}
	}
	if in.EmbeddingLlmConfigID != nil {
		rec.a.EmbeddingLlmConfigID = ptr(*in.EmbeddingLlmConfigID)
		if !rec.a.Vectorized {
			rec.a.Vectorized, rec.a.Embedding = true, embeddingOf(in.Embedding)
		}
	}
	reingest := false
	if in.Embedding != nil && rec.a.Embedding != nil {
		reingest = mergeEmbedding(rec.a.Embedding, in.Embedding)
	}
	if in.Budget != nil {
		mergeLimits(&rec.limits, limitsOf(*in.Budget))
	}
	applyCurrency(&rec.limits, in.CurrencyBudget)
	var hook *Webhook
	switch {
	case in.DisableAutoUpdate:
		rec.a.AutoUpdate, rec.a.AutoUpdateConfig, rec.hook = false, nil, nil
	case in.AutoUpdate != nil:
		rec.a.AutoUpdate, rec.a.AutoUpdateConfig = true, cloneAutoUpdate(in.AutoUpdate)
		if in.AutoUpdate.Strategy == "WEBHOOK" && rec.hook == nil {
			hook = s.mintHook(tenant, rec, now)
		} else if in.AutoUpdate.Strategy != "WEBHOOK" {
			rec.hook = nil
		}
	}
	rec.a.ModifiedAt = now
	if reingest || vectorizing {
		s.startOp(tenant, rec, OpRefresh, nil, "")
	}
	return Result{Asset: s.view(rec), Webhook: hook}, nil
}

// Delete removes an asset, its documents, chunks, operations and webhook,
// and frees its content.
func (s *Store) Delete(tenant, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, rec, err := s.asset("DeleteAsset", tenant, id)
	if err != nil {
		return err
	}
	t.bytes -= rec.size()
	delete(t.assets, id)
	t.order = slices.DeleteFunc(t.order, func(x string) bool { return x == id })
	return nil
}

// view is the answer form of an asset. mu must be held.
func (s *Store) view(rec *assetRec) Asset {
	a := rec.a
	a.DisplayName = clonePtr(a.DisplayName)
	a.Config.SourceType = clonePtr(a.Config.SourceType)
	a.Config.Parameters = core.CloneJSONMap(a.Config.Parameters)
	a.AutoUpdateConfig = cloneAutoUpdate(a.AutoUpdateConfig)
	a.EmbeddingLlmConfigID = clonePtr(a.EmbeddingLlmConfigID)
	if a.Embedding != nil {
		e := *a.Embedding
		e.Provider, e.Model, e.ChunkSize, e.ChunkOverlap = clonePtr(e.Provider), clonePtr(e.Model), clonePtr(e.ChunkSize), clonePtr(e.ChunkOverlap)
		a.Embedding = &e
	}
	if a.Vectorized {
		b := rec.limits
		var tokens int64
		for _, o := range rec.ops {
			if o.op.Status == StatusCompleted {
				tokens += o.op.TokenCount
			}
		}
		used, cost := float64(tokens), float64(tokens)*PricePerMillionTokens/1e6
		b.TotalTokenCount, b.MonthlyTokensUsed, b.DailyTokensUsed = ptr(used), ptr(used), ptr(used)
		b.TotalCost, b.MonthlyCostUsed, b.DailyCostUsed = ptr(cost), ptr(cost), ptr(cost)
		b.PricePerMillionTokens = ptr(PricePerMillionTokens)
		a.Budget = &b
	}
	return a
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneAutoUpdate(c *AutoUpdateConfig) *AutoUpdateConfig {
	if c == nil {
		return nil
	}
	out := *c
	for _, p := range []**string{&out.Provider, &out.ExternalContext, &out.Filter, &out.PollFrequency, &out.PollDay,
		&out.PollDayOfMonth, &out.PollHour, &out.PollMinute, &out.Timezone} {
		*p = clonePtr(*p)
	}
	if out.Strategy == "" {
		out.Strategy = "UNSPECIFIED"
	}
	return &out
}

func checkAutoUpdate(f core.Findings, path string, c *AutoUpdateConfig) {
	if strings.TrimSpace(c.Strategy) == "" {
		f.Add(core.Join(path, "strategy"), "is required")
	}
}

func checkEmbedding(f core.Findings, path string, e *Embedding) {
	if e.ChunkSize != nil && *e.ChunkSize < 1 {
		f.Add(core.Join(path, "chunkSize"), "must be at least 1")
	}
	if e.ChunkOverlap != nil && *e.ChunkOverlap < 0 {
		f.Add(core.Join(path, "chunkOverlap"), "must not be negative")
	}
	if e.ChunkSize != nil && e.ChunkOverlap != nil && *e.ChunkOverlap >= *e.ChunkSize {
		f.Add(core.Join(path, "chunkOverlap"), "must be less than chunkSize")
	}
}

func embeddingOf(in *Embedding) *Embedding {
	e := &Embedding{Provider: ptr("openai"), Model: ptr("text-embedding-3-small"), ChunkSize: ptr(DefaultChunkSize), ChunkOverlap: ptr(0)}
	if in != nil {
		mergeEmbedding(e, in)
	}
	return e
}

// mergeEmbedding applies the set fields of in; it reports whether any
// changed (which re-ingests).
func mergeEmbedding(e, in *Embedding) bool {
	changed := false
	for _, p := range []struct{ dst, src **string }{{&e.Provider, &in.Provider}, {&e.Model, &in.Model}} {
		if *p.src != nil && (*p.dst == nil || **p.dst != **p.src) {
			*p.dst, changed = ptr(**p.src), true
		}
	}
	for _, p := range []struct{ dst, src **int }{{&e.ChunkSize, &in.ChunkSize}, {&e.ChunkOverlap, &in.ChunkOverlap}} {
		if *p.src != nil && (*p.dst == nil || **p.dst != **p.src) {
			*p.dst, changed = ptr(**p.src), true
		}
	}
	return changed
}

// limitsOf keeps the limits of a budget (usage is computed).
func limitsOf(b Budget) Budget {
	return Budget{TokenBudget: clonePtr(b.TokenBudget), MonthlyTokenBudget: clonePtr(b.MonthlyTokenBudget),
		DailyTokenBudget: clonePtr(b.DailyTokenBudget), CostBudget: clonePtr(b.CostBudget),
		MonthlyCostBudget: clonePtr(b.MonthlyCostBudget), DailyCostBudget: clonePtr(b.DailyCostBudget)}
}

func mergeLimits(dst *Budget, src Budget) {
	for _, p := range []struct{ d, s **float64 }{{&dst.TokenBudget, &src.TokenBudget}, {&dst.MonthlyTokenBudget, &src.MonthlyTokenBudget},
		{&dst.DailyTokenBudget, &src.DailyTokenBudget}, {&dst.CostBudget, &src.CostBudget},
		{&dst.MonthlyCostBudget, &src.MonthlyCostBudget}, {&dst.DailyCostBudget, &src.DailyCostBudget}} {
		if *p.s != nil {
			*p.d = *p.s
		}
	}
}

// applyCurrency sets cost limits from a currency budget, and the token
// limits they buy at the mock's price.
func applyCurrency(dst *Budget, cur map[string]any) {
	for _, m := range []struct {
		name       string
		cost, toks **float64
	}{{"costBudget", &dst.CostBudget, &dst.TokenBudget}, {"monthlyCostBudget", &dst.MonthlyCostBudget, &dst.MonthlyTokenBudget},
		{"dailyCostBudget", &dst.DailyCostBudget, &dst.DailyTokenBudget}} {
		if v, ok := cur[m.name].(float64); ok {
			*m.cost, *m.toks = ptr(v), ptr(v/PricePerMillionTokens*1e6)
		}
	}
}
