package assets

import (
	"maps"
	"regexp"
	"slices"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// Section is one tenant's assets in a state snapshot (export, import, the
// fixtures baseline, a session's adoption of a tenant): every asset with
// its source content, documents and chunks, ingestion operations (each
// with the position of its own clock), webhook and the OAuth connection.
// Secret texts (a source's auth values, webhook keys and signing secrets,
// OAuth tokens handed out) are kept sealed with the store's box, never in
// the clear; the room keeps them only to redact them.
type Section struct {
	// TakenAt is when (on the mock's clock, epoch ms) the operations'
	// clocks were read.
	TakenAt int64           `json:"takenAt"`
	Assets  []AssetSnapshot `json:"assets,omitempty"`
	// HandedTokensSealed are the OAuth tokens assets:oauthCredentials
	// gave out, kept for redaction.
	HandedTokensSealed []string `json:"handedTokensSealed,omitempty"`
}

// AssetSnapshot is one asset as a snapshot holds it.
type AssetSnapshot struct {
	// Asset is the asset as the API answers it, without its budget (whose
	// usage is computed): budget must be null, its limits are
	// BudgetLimits.
	Asset        Asset   `json:"asset"`
	BudgetLimits *Budget `json:"budgetLimits,omitempty"`
	// File is the uploaded file of an assets:file asset.
	File *FileSnapshot `json:"file,omitempty"`
	// Sources are the readable documents of a declared source (fixtures).
	Sources []SourceSnapshot `json:"sources,omitempty"`
	// HasAuth says the source was connected with credentials (an OAuth
	// source's tokens); AuthSealed are their texts, sealed.
	HasAuth    bool     `json:"hasAuth,omitempty"`
	AuthSealed []string `json:"authSealed,omitempty"`
	// Ingested says an ingestion ran to its end (documents are readable).
	Ingested   bool                `json:"ingested,omitempty"`
	Documents  []DocumentSnapshot  `json:"documents,omitempty"`
	Operations []OperationSnapshot `json:"operations,omitempty"`
	Webhook    *WebhookSnapshot    `json:"webhook,omitempty"`
}

// FileSnapshot is an uploaded file (its content base64 in JSON).
type FileSnapshot struct {
	FileName    string `json:"fileName"`
	ContentType string `json:"contentType"`
	Content     []byte `json:"content"`
}

// SourceSnapshot is one readable document of a declared source.
type SourceSnapshot struct {
	DocumentID  string  `json:"documentId"`
	FileName    string  `json:"fileName"`
	ContentType string  `json:"contentType"`
	SourceURL   *string `json:"sourceUrl,omitempty"`
	Content     []byte  `json:"content"`
}

// DocumentSnapshot is a document and its chunks.
type DocumentSnapshot struct {
	Document Document `json:"document"`
	Chunks   []Chunk  `json:"chunks"`
}

// OperationSnapshot is an operation: as answered, plus its clock and what
// it will produce while it has not ended.
type OperationSnapshot struct {
	Operation Operation `json:"operation"`
	CreatedAt int64     `json:"createdAt"`
	// ClockMs is the position of its own clock at TakenAt; Stalled stops
	// it.
	ClockMs   int64 `json:"clockMs"`
	Stalled   bool  `json:"stalled,omitempty"`
	PendingMs int64 `json:"pendingMs"`
	RunningMs int64 `json:"runningMs"`
	// FailAtMs is an armed failure's point on its clock, FailMessage its
	// message.
	FailAtMs    *int64 `json:"failAtMs,omitempty"`
	FailMessage string `json:"failMessage,omitempty"`
	// CancelRequestedAt is when a pending cancel was signalled (epoch ms).
	CancelRequestedAt *int64 `json:"cancelRequestedAt,omitempty"`
	// Partial says a refresh of DocumentIDs only.
	Partial     bool     `json:"partial,omitempty"`
	DocumentIDs []string `json:"documentIds,omitempty"`
	// Result is what it produces when it completes (not yet ended only);
	// Failure is its source's read failure.
	Result  []DocumentSnapshot `json:"result,omitempty"`
	Failure string             `json:"failure,omitempty"`
}

// WebhookSnapshot is an asset's auto-update webhook: its key shows only as
// its prefix; the key and secret texts are sealed.
type WebhookSnapshot struct {
	ID            string   `json:"id"`
	Provider      *string  `json:"provider"`
	CreatedAt     int64    `json:"createdAt"`
	ModifiedAt    int64    `json:"modifiedAt"`
	KeyPrefix     string   `json:"keyPrefix"`
	SecretsSealed []string `json:"secretsSealed,omitempty"`
}

// Snapshot returns every tenant's section (tenants with assets or handed
// tokens), the operations settled first.
func (s *Store) Snapshot() map[string]Section {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	out := map[string]Section{}
	for _, name := range slices.Sorted(maps.Keys(s.tenants)) {
		t := s.tenants[name]
		if len(t.assets) == 0 && len(t.handed) == 0 {
			continue
		}
		sec := Section{TakenAt: now.UnixMilli(), HandedTokensSealed: s.seal(t.handed)}
		for _, id := range t.order {
			rec := t.assets[id]
			s.settle(rec)
			sec.Assets = append(sec.Assets, s.assetSnapshot(rec, now))
		}
		out[name] = sec
	}
	return out
}

func (s *Store) seal(texts []string) []string {
	var out []string
	for _, t := range texts {
		sealed, _ := s.box.Seal(t)
		out = append(out, sealed)
	}
	return out
}

func (s *Store) assetSnapshot(rec *assetRec, now time.Time) AssetSnapshot {
	a := s.view(rec)
	a.Budget = nil
	as := AssetSnapshot{Asset: a, HasAuth: rec.hasAuth, AuthSealed: s.seal(rec.secrets), Ingested: rec.ingested}
	if limits := limitsOf(rec.limits); limits != (Budget{}) {
		as.BudgetLimits = &limits
	}
	if rec.content != nil {
		as.File = &FileSnapshot{FileName: rec.fileName, ContentType: rec.ctype, Content: slices.Clone(rec.content)}
	}
	for _, src := range rec.source {
		as.Sources = append(as.Sources, SourceSnapshot{DocumentID: src.id, FileName: src.fileName, ContentType: src.ctype,
			SourceURL: clonePtr(src.url), Content: slices.Clone(src.content)})
	}
	as.Documents = docSnapshots(rec.docs)
	for _, o := range rec.ops {
		os := OperationSnapshot{Operation: o.view(), CreatedAt: o.created.UnixMilli(), ClockMs: o.elapsed(now).Milliseconds(),
			Stalled: o.stalled, PendingMs: o.pending.Milliseconds(), RunningMs: o.running.Milliseconds(),
			FailMessage: o.failMsg, Partial: o.docIDs != nil, DocumentIDs: slices.Clone(o.docIDs),
			Result: docSnapshots(o.result), Failure: o.failure}
		if o.failAt != nil {
			os.FailAtMs = ptr(o.failAt.Milliseconds())
		}
		if o.cancelAt != nil {
			os.CancelRequestedAt = ptr(o.cancelAt.UnixMilli())
		}
		as.Operations = append(as.Operations, os)
	}
	if h := rec.hook; h != nil {
		as.Webhook = &WebhookSnapshot{ID: h.id, Provider: clonePtr(h.provider), CreatedAt: h.createdAt, ModifiedAt: h.modified,
			KeyPrefix: h.prefix, SecretsSealed: s.seal(h.secrets)}
	}
	return as
}

func docSnapshots(docs []*docRec) []DocumentSnapshot {
	var out []DocumentSnapshot
	for _, d := range docs {
		out = append(out, DocumentSnapshot{Document: d.view(), Chunks: cloneChunks(d.chunks)})
	}
	return out
}

func cloneChunks(cs []Chunk) []Chunk {
	out := make([]Chunk, len(cs))
	for i, c := range cs {
		c.ContextText, c.HeadingPath, c.PageNumber = clonePtr(c.ContextText), clonePtr(c.HeadingPath), clonePtr(c.PageNumber)
		c.CodeIntel = core.CloneJSONMap(c.CodeIntel)
		out[i] = c
	}
	return out
}

// Prepared is a checked document, ready to commit.
type Prepared struct {
	tenants map[string]*tenantAssets
	takenAt map[string]time.Time
	// ops are the operations whose clocks Commit or Adopt anchor.
	ops map[string][]*opRec
}

// uuidRE is the form of the ids the paths take (the spec's format: uuid).
var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isUUID(s string) bool { return uuidRE.MatchString(s) }

var (
	opStatuses  = []string{StatusPending, StatusRunning, StatusCompleted, StatusFailed, StatusCancelled}
	opTypes     = []string{OpIngest, OpRefresh}
	docStatuses = opStatuses
)

// Prepare checks sections strictly (findings under
// "tenants.<name>.assets…": ids present and unique, references inside an
// asset agree, operations' states and clocks are consistent, every sealed
// value opens with this store's box, and each tenant's content stays
// within the content cap) and builds them. Nothing of the store changes.
func (s *Store) Prepare(f core.Findings, doc map[string]Section) *Prepared {
	p := &Prepared{tenants: map[string]*tenantAssets{}, takenAt: map[string]time.Time{}, ops: map[string][]*opRec{}}
	for _, name := range slices.Sorted(maps.Keys(doc)) {
		sec := doc[name]
		base := "tenants." + name + ".assets"
		t := &tenantAssets{assets: map[string]*assetRec{}}
		t.handed = s.open(f, core.Join(base, "handedTokensSealed"), sec.HandedTokensSealed)
		if n := len(t.handed) - maxHanded; n > 0 {
			t.handed = slices.Delete(t.handed, 0, n)
		}
		for i, as := range sec.Assets {
			path := core.Index(core.Join(base, "assets"), i)
			rec, ops := s.prepareAsset(f, path, name, as)
			if rec == nil {
				continue
			}
			if t.assets[rec.a.ID] != nil {
				f.Add(path+".asset.id", "repeats %q", rec.a.ID)
				continue
			}
			t.assets[rec.a.ID] = rec
			t.order = append(t.order, rec.a.ID)
			t.bytes += rec.size()
			p.ops[name] = append(p.ops[name], ops...)
		}
		if t.bytes > s.cap {
			f.Add(core.Join(base, "assets"), "keeps %d bytes of uploaded content, past the mock's cap of %d bytes per tenant", t.bytes, s.cap)
		}
		p.tenants[name] = t
		p.takenAt[name] = time.UnixMilli(sec.TakenAt)
	}
	return p
}

// open opens sealed texts, reporting each that doesn't open at its index.
func (s *Store) open(f core.Findings, path string, sealed []string) []string {
	var out []string
	for i, v := range sealed {
		text, err := s.box.Open(v)
		if err != nil {
			f.Add(core.Index(path, i), "does not open with this server's secret key (a sealed value, \"enc:v1:…\", exported by a server with the same --secret-key)")
			continue
		}
		out = append(out, text)
	}
	return out
}

func (s *Store) prepareAsset(f core.Findings, path, tenant string, as AssetSnapshot) (*assetRec, []*opRec) {
	a := as.Asset
	bad := false
	add := func(field, format string, args ...any) {
		f.Add(core.Join(path, field), format, args...)
		bad = true
	}
	switch {
	case a.ID == "":
		add("asset.id", "is required")
	case !isUUID(a.ID):
		add("asset.id", "must be a UUID")
	}
	if a.Type == "" {
		add("asset.type", "is required")
	}
	if a.Config.SourceType == nil || *a.Config.SourceType != a.Type {
		add("asset.config.sourceType", "must equal asset.type (%q)", a.Type)
	}
	if a.Budget != nil {
		add("asset.budget", "must be null: usage is computed; the limits go in budgetLimits")
	}
	if a.Vectorized != (a.Embedding != nil) {
		add("asset.embedding", "must be set exactly when asset.vectorized is true")
	}
	if a.Embedding != nil {
		ef := core.Findings{}
		checkEmbedding(ef, "asset.embedding", a.Embedding)
		for field, msgs := range ef {
			for _, m := range msgs {
				add(field, "%s", m)
			}
		}
	}
	if a.AutoUpdate != (a.AutoUpdateConfig != nil) {
		add("asset.autoUpdateConfig", "must be set exactly when asset.autoUpdate is true")
	}
	if as.File != nil && as.Sources != nil {
		add("sources", "must be absent when file is set (an asset reads an uploaded file or declared sources)")
	}
	if as.File != nil && as.File.FileName == "" {
		add("file.fileName", "is required")
	}
	if !as.HasAuth && len(as.AuthSealed) > 0 {
		add("authSealed", "must be absent without hasAuth")
	}
	if !as.Ingested && len(as.Documents) > 0 {
		add("documents", "must be absent while ingested is false (documents appear when an ingestion completes)")
	}
	if len(as.Operations) > MaxOperationsPerAsset {
		add("operations", "holds %d operations; an asset keeps at most %d", len(as.Operations), MaxOperationsPerAsset)
	}
	rec := &assetRec{hasAuth: as.HasAuth, ingested: as.Ingested, secrets: s.open(f, core.Join(path, "authSealed"), as.AuthSealed)}
	if len(rec.secrets) != len(as.AuthSealed) {
		bad = true
	}
	a.Config.SourceType = clonePtr(a.Config.SourceType)
	a.Config.Parameters = core.CloneJSONMap(a.Config.Parameters)
	if a.Config.Parameters == nil {
		a.Config.Parameters = map[string]any{}
	}
	rec.a = s.view(&assetRec{a: a}) // a deep copy
	rec.a.Budget = nil
	if as.BudgetLimits != nil {
		rec.limits = limitsOf(*as.BudgetLimits)
	}
	if as.File != nil {
		rec.content, rec.fileName, rec.ctype = slices.Clone(as.File.Content), as.File.FileName, as.File.ContentType
		if rec.content == nil {
			rec.content = []byte{}
		}
	}
	seen := map[string]bool{}
	for i, src := range as.Sources {
		sp := core.Index(core.Join(path, "sources"), i)
		if !uniqueID(f, sp+".documentId", src.DocumentID, seen) {
			bad = true
		}
		rec.source = append(rec.source, sourceDoc{id: src.DocumentID, fileName: src.FileName, ctype: src.ContentType,
			url: clonePtr(src.SourceURL), content: slices.Clone(src.Content)})
	}
	var ok bool
	if rec.docs, ok = prepareDocs(f, core.Join(path, "documents"), a.ID, as.Documents); !ok {
		bad = true
	}
	var ops []*opRec
	opIDs := map[string]bool{}
	for j, os := range as.Operations {
		op := core.Index(core.Join(path, "operations"), j)
		o, ok := prepareOp(f, op, tenant, a.ID, os)
		if !ok {
			bad = true
			continue
		}
		if opIDs[o.op.ID] {
			f.Add(op+".operation.id", "repeats %q", o.op.ID)
			bad = true
			continue
		}
		opIDs[o.op.ID] = true
		ops = append(ops, o)
	}
	rec.ops = ops
	if w := as.Webhook; w != nil {
		wp := core.Join(path, "webhook")
		if w.ID == "" {
			f.Add(wp+".id", "is required")
			bad = true
		}
		secrets := s.open(f, wp+".secretsSealed", w.SecretsSealed)
		if len(secrets) != len(w.SecretsSealed) {
			bad = true
		}
		rec.hook = &hookRec{id: w.ID, provider: clonePtr(w.Provider), createdAt: w.CreatedAt, modified: w.ModifiedAt,
			prefix: w.KeyPrefix, secrets: secrets}
	}
	if bad {
		return nil, nil
	}
	return rec, ops
}

func prepareDocs(f core.Findings, path, asset string, docs []DocumentSnapshot) ([]*docRec, bool) {
	ok := true
	seen := map[string]bool{}
	var out []*docRec
	for i, ds := range docs {
		dp := core.Index(path, i)
		d := ds.Document
		if !uniqueID(f, dp+".document.id", d.ID, seen) {
			ok = false
		}
		if d.AssetID != asset {
			f.Add(dp+".document.assetId", "must be the asset's id (%q)", asset)
			ok = false
		}
		if !slices.Contains(docStatuses, d.Status) {
			f.Add(dp+".document.status", "must be one of PENDING, RUNNING, COMPLETED, FAILED, CANCELLED")
			ok = false
		}
		if d.ChunkCount != len(ds.Chunks) {
			f.Add(dp+".document.chunkCount", "is %d, but the document has %d chunks", d.ChunkCount, len(ds.Chunks))
			ok = false
		}
		for j, c := range ds.Chunks {
			if c.ChunkIndex != j {
				f.Add(core.Index(dp+".chunks", j)+".chunkIndex", "must be %d (chunks are kept in order)", j)
				ok = false
			}
		}
		dr := &docRec{d: d, chunks: cloneChunks(ds.Chunks)}
		dr.d = dr.view()
		out = append(out, dr)
	}
	return out, ok
}

func prepareOp(f core.Findings, path, tenant, asset string, os OperationSnapshot) (*opRec, bool) {
	ok := true
	add := func(field, format string, args ...any) {
		f.Add(path+"."+field, format, args...)
		ok = false
	}
	v := os.Operation
	switch {
	case v.ID == "":
		add("operation.id", "is required")
	case !isUUID(v.ID):
		add("operation.id", "must be a UUID")
	}
	if v.AssetID != asset {
		add("operation.assetId", "must be the asset's id (%q)", asset)
	}
	if v.TenantID != tenant {
		add("operation.tenantId", "must be the tenant (%q)", tenant)
	}
	if !slices.Contains(opTypes, v.Type) {
		add("operation.type", "must be one of INGEST, REFRESH")
	}
	final := v.Status == StatusCompleted || v.Status == StatusFailed || v.Status == StatusCancelled
	if !slices.Contains(opStatuses, v.Status) {
		add("operation.status", "must be one of PENDING, RUNNING, COMPLETED, FAILED, CANCELLED")
	} else if v.Done != final {
		add("operation.done", "must be %t for status %s", final, v.Status)
	}
	if v.ItemsProcessed < 0 || v.ItemsProcessed > max(v.ItemsTotal, 0) {
		add("operation.itemsProcessed", "must be between 0 and itemsTotal (%d)", v.ItemsTotal)
	}
	for _, m := range []struct {
		name string
		v    int64
	}{{"clockMs", os.ClockMs}, {"pendingMs", os.PendingMs}, {"runningMs", os.RunningMs}} {
		if m.v < 0 || time.Duration(m.v)*time.Millisecond > 2*maxPhase {
			add(m.name, "must be between 0 and %d", (2 * maxPhase).Milliseconds())
		}
	}
	if os.FailAtMs != nil && (*os.FailAtMs < 0 || time.Duration(*os.FailAtMs)*time.Millisecond > 2*maxPhase) {
		add("failAtMs", "must be between 0 and %d", (2 * maxPhase).Milliseconds())
	}
	if final && (len(os.Result) > 0 || os.CancelRequestedAt != nil) {
		add("result", "must be absent, as must cancelRequestedAt, once the operation has ended")
	}
	if !os.Partial && len(os.DocumentIDs) > 0 {
		add("documentIds", "go with partial: true only")
	}
	result, rok := prepareDocs(f, path+".result", asset, os.Result)
	if !ok || !rok {
		return nil, false
	}
	o := &opRec{op: v, created: time.UnixMilli(os.CreatedAt), base: time.Duration(os.ClockMs) * time.Millisecond,
		stalled: os.Stalled, pending: time.Duration(os.PendingMs) * time.Millisecond, running: time.Duration(os.RunningMs) * time.Millisecond,
		failMsg: os.FailMessage, final: final, result: result, failure: os.Failure}
	o.op = o.view()
	if os.FailAtMs != nil {
		o.failAt = ptr(time.Duration(*os.FailAtMs) * time.Millisecond)
	}
	if os.CancelRequestedAt != nil {
		o.cancelAt = ptr(time.UnixMilli(*os.CancelRequestedAt))
	}
	if os.Partial {
		o.docIDs = append([]string{}, os.DocumentIDs...)
	}
	return o, true
}

// Commit replaces the whole store with p. The operations' clocks resume
// from their positions now: a restore (a reset to the fixtures, a state
// import) finds an operation that was in progress in progress again, as
// far along as when the snapshot was taken.
func (s *Store) Commit(p *Prepared) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.tenants = map[string]*tenantAssets{}
	for name, t := range p.tenants {
		for _, o := range p.ops[name] {
			o.anchor = now
		}
		s.tenants[name] = t
	}
}

// Adopt sets tenant name's assets from p (a session's first write to a
// fixtures tenant). The operations' clocks run on from when the snapshot
// was taken, so the session sees them where the fixtures' readers do.
func (s *Store) Adopt(name string, p *Prepared) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := p.tenants[name]
	if t == nil {
		delete(s.tenants, name)
		return
	}
	for _, o := range p.ops[name] {
		o.anchor = p.takenAt[name]
	}
	s.tenants[name] = t
}

// uniqueID checks that the id at field is given and not among seen, which
// it joins; it reports to f and says whether the id is good.
func uniqueID(f core.Findings, field, id string, seen map[string]bool) bool {
	switch {
	case id == "":
		f.Add(field, "is required")
		return false
	case seen[id]:
		f.Add(field, "repeats %q", id)
		return false
	}
	seen[id] = true
	return true
}
