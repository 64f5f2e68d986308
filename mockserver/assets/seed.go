package assets

import (
	"cmp"
	"crypto/sha1"
	"fmt"
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// SeedInput is an asset as fixtures declare it: its fields as the API
// shows them, the documents of its source (read by the same splitter
// uploads go through; their chunks get ids derived from the document's,
// the same on every load) and the state of its first ingestion.
type SeedInput struct {
	ID                   string
	DisplayName          *string
	SourceType           string
	Parameters           map[string]any
	Vectorized           bool
	Embedding            *Embedding
	EmbeddingLlmConfigID *string
	AssetLink            *string
	AutoUpdateConfig     *AutoUpdateConfig
	Budget               *Budget
	// Auth are the source's credentials (an OAuth source's tokens): kept
	// sealed, never answered.
	Auth      map[string]any
	Documents []SeedDocument
	Ingestion SeedIngestion
}

// chunkID is a seeded document's i-th chunk id: a name-based UUID
// (version 5 layout over SHA-1), the same on every load.
func chunkID(doc string, i int) string {
	h := sha1.Sum([]byte("fruxon-mock/assets/chunk\x00" + doc + "\x00" + strconv.Itoa(i)))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// SeedDocument is one document of a seeded source.
type SeedDocument struct {
	ID          string
	FileName    string
	ContentType string
	SourceURL   *string
	Content     string
}

// SeedIngestion is the state of a seeded asset's ingestion.
type SeedIngestion struct {
	// OperationID is the operation's id; "" mints one.
	OperationID string
	// Status is PENDING, RUNNING (just started running), COMPLETED or
	// FAILED.
	Status       string
	ErrorMessage *string
	// Hold keeps a PENDING or RUNNING operation where it is until the
	// control plane moves it; otherwise it proceeds at the store's pace.
	Hold bool
}

// Seed adds an asset as fixtures declare it, its ingestion in the state
// given: PENDING and RUNNING operations then move on the mock's clock at
// the store's pace (unless held), COMPLETED ones have their documents
// readable, FAILED ones end with the message and no documents. Findings
// name the field relative to the asset (documents[1].content).
func (s *Store) Seed(tenant string, in SeedInput) error {
	const op = "SeedAsset"
	f := core.Findings{}
	if !isUUID(in.ID) {
		f.Add("id", "must be a UUID")
	}
	sourceType := strings.TrimSpace(in.SourceType)
	if sourceType == "" {
		f.Add("type", "is required")
	}
	if in.Embedding != nil {
		if !in.Vectorized {
			f.Add("embedding", "goes with vectorized: true only")
		}
		checkEmbedding(f, "embedding", in.Embedding)
	}
	if in.AutoUpdateConfig != nil {
		checkAutoUpdate(f, "autoUpdateConfig", in.AutoUpdateConfig)
	}
	if len(in.Documents) > 0 && !in.Vectorized {
		f.Add("documents", "need vectorized: true (a non-vectorized asset has no index to read documents from)")
	}
	st := in.Ingestion
	switch st.Status {
	case StatusPending, StatusRunning, StatusCompleted, StatusFailed:
	default:
		f.Add("ingestion.status", "must be one of PENDING, RUNNING, COMPLETED, FAILED")
	}
	if st.ErrorMessage != nil && st.Status != StatusFailed {
		f.Add("ingestion.errorMessage", "goes with status FAILED only")
	}
	if st.Hold && st.Status != StatusPending && st.Status != StatusRunning {
		f.Add("ingestion.hold", "goes with status PENDING or RUNNING only")
	}
	if st.OperationID != "" && !isUUID(st.OperationID) {
		f.Add("ingestion.operationId", "must be a UUID")
	}
	var srcs []sourceDoc
	e := embeddingOf(in.Embedding)
	size, overlap := core.Deref(e.ChunkSize), core.Deref(e.ChunkOverlap)
	seen := map[string]bool{}
	for i, d := range in.Documents {
		p := core.Index("documents", i)
		if !isUUID(d.ID) {
			f.Add(p+".id", "must be a UUID")
		} else if seen[d.ID] {
			f.Add(p+".id", "repeats %q", d.ID)
		}
		seen[d.ID] = true
		if d.FileName == "" {
			f.Add(p+".fileName", "is required")
		}
		ctype := ContentTypeOf(d.ContentType, d.FileName)
		if _, fail := split(ctype, d.FileName, []byte(d.Content), size, overlap); fail != "" {
			f.Add(p+".content", "%s", fail)
		}
		srcs = append(srcs, sourceDoc{id: d.ID, fileName: d.FileName, ctype: ctype, url: clonePtr(d.SourceURL), content: []byte(d.Content)})
	}
	if err := f.Err(op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenant(op, tenant, true)
	if err != nil {
		return err
	}
	if t.assets[in.ID] != nil {
		return core.Invalid(op, "id", "asset '%s' is already in tenant '%s'", in.ID, tenant)
	}
	rec := &assetRec{source: srcs, hasAuth: len(in.Auth) > 0}
	if n := rec.size(); t.bytes+n > s.cap {
		return core.Invalid(op, "documents", "%s", (&QuotaError{Tenant: tenant, Used: t.bytes, Size: n, Cap: s.cap}).Error())
	}
	for _, v := range in.Auth {
		rec.secrets = append(rec.secrets, redactable(v)...)
	}
	now := s.millis()
	rec.a = Asset{
		ID: in.ID, DisplayName: cmp.Or(clonePtr(in.DisplayName), ptr(sourceType)), Type: sourceType, Vectorized: in.Vectorized,
		Config:    SourceConfig{SourceType: ptr(sourceType), Parameters: core.CloneJSONMap(in.Parameters)},
		AssetLink: clonePtr(in.AssetLink),
		CreatedAt: now, ModifiedAt: now, EmbeddingLlmConfigID: clonePtr(in.EmbeddingLlmConfigID),
		SupportsAutoUpdate: sourceType != "file", SupportsPollSchedule: sourceType != "file",
	}
	if rec.a.Config.Parameters == nil {
		rec.a.Config.Parameters = map[string]any{}
	}
	if in.Vectorized {
		rec.a.Embedding = embeddingOf(in.Embedding)
	}
	if in.Budget != nil {
		rec.limits = limitsOf(*in.Budget)
	}
	if in.AutoUpdateConfig != nil {
		rec.a.AutoUpdate, rec.a.AutoUpdateConfig = true, cloneAutoUpdate(in.AutoUpdateConfig)
		if in.AutoUpdateConfig.Strategy == "WEBHOOK" {
			s.mintHook(tenant, rec, now) // its key is shown nowhere: :regenerateWebhook mints one to read
		}
	}
	o := s.startOp(tenant, rec, OpIngest, nil, "")
	if st.OperationID != "" {
		o.op.ID = st.OperationID
	}
	for _, d := range o.result {
		for i := range d.chunks {
			d.chunks[i].ChunkID = chunkID(d.d.ID, i)
		}
	}
	switch st.Status {
	case StatusRunning:
		o.base = o.pending
	case StatusCompleted:
		o.base = o.end()
	case StatusFailed:
		o.failAt = ptr(o.pending + o.running/2)
		o.failMsg = strOr(st.ErrorMessage, "ingestion failed")
		o.base = o.end()
	}
	o.stalled = o.stalled || st.Hold
	s.settle(rec)
	t.assets[rec.a.ID] = rec
	t.order = append(t.order, rec.a.ID)
	t.bytes += rec.size()
	return nil
}
