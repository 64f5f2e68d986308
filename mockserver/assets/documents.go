package assets

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// indexed finds an asset whose documents can be read: vectorized, and
// ingested at least once (else KindNotFound, as the documents page says).
// mu must be held.
func (s *Store) indexed(op, tenant, asset string) (*assetRec, error) {
	_, rec, err := s.asset(op, tenant, asset)
	if err != nil {
		return nil, err
	}
	switch {
	case !rec.a.Vectorized:
		return nil, core.Errorf(core.KindNotFound, op, "asset '%s' is not vectorized, so it has no indexed documents", asset)
	case !rec.ingested:
		return nil, core.Errorf(core.KindNotFound, op, "asset '%s' has not completed an ingestion yet; follow it through its operations", asset)
	}
	return rec, nil
}

func (s *Store) document(op, tenant, asset, id string) (*assetRec, int, error) {
	rec, err := s.indexed(op, tenant, asset)
	if err != nil {
		return nil, 0, err
	}
	for i, d := range rec.docs {
		if d.d.ID == id {
			return rec, i, nil
		}
	}
	return nil, 0, core.Errorf(core.KindNotFound, op, "document '%s' was not found in asset '%s'", id, asset)
}

func (d *docRec) view() Document {
	v := d.d
	v.FileName, v.ContentType, v.SourceURL = clonePtr(v.FileName), clonePtr(v.ContentType), clonePtr(v.SourceURL)
	v.ErrorMessage, v.ProcessedAt = clonePtr(v.ErrorMessage), clonePtr(v.ProcessedAt)
	return v
}

// Documents answers a page of an asset's documents, in ingestion order,
// whose fileName contains search (case-insensitive).
func (s *Store) Documents(tenant, asset, search string, pg Paging) (List[Document], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.indexed("ListDocuments", tenant, asset)
	if err != nil {
		return List[Document]{}, err
	}
	var all []*docRec
	for _, d := range rec.docs {
		if search == "" || strings.Contains(strings.ToLower(strOr(d.d.FileName, "")), strings.ToLower(search)) {
			all = append(all, d)
		}
	}
	page, next := pg.slice(len(all))
	out := List[Document]{Items: make([]Document, 0, len(page)), NextPageToken: next, TotalCount: len(all)}
	for _, i := range page {
		out.Items = append(out.Items, all[i].view())
	}
	return out, nil
}

// Document answers one document.
func (s *Store) Document(tenant, asset, id string) (Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, i, err := s.document("GetDocument", tenant, asset, id)
	if err != nil {
		return Document{}, err
	}
	return rec.docs[i].view(), nil
}

// DeleteDocument removes a document and its chunks from the index.
func (s *Store) DeleteDocument(tenant, asset, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, i, err := s.document("DeleteDocument", tenant, asset, id)
	if err != nil {
		return err
	}
	rec.docs = append(rec.docs[:i:i], rec.docs[i+1:]...)
	return nil
}

// Chunks answers a page of a document's chunks, in order.
func (s *Store) Chunks(tenant, asset, id string, pg Paging) (ChunkList, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, i, err := s.document("ListChunks", tenant, asset, id)
	if err != nil {
		return ChunkList{}, err
	}
	d := rec.docs[i]
	page, next := pg.slice(len(d.chunks))
	out := ChunkList{DocumentID: id, Chunks: make([]Chunk, 0, len(page)), TotalChunks: len(d.chunks), NextPageToken: next}
	for _, j := range page {
		c := d.chunks[j]
		c.ContextText, c.HeadingPath, c.PageNumber = clonePtr(c.ContextText), clonePtr(c.HeadingPath), clonePtr(c.PageNumber)
		out.Chunks = append(out.Chunks, c)
	}
	return out, nil
}

// ---------------------------------------------------------------- webhooks

// hookURL is a webhook's URL, without the mock's base URL (the handlers
// prefix it).
func hookURL(base, tenant string, h *hookRec, key string) string {
	return base + "/v1/tenants/" + tenant + "/webhooks/" + strOr(h.provider, "asset") + "/" + h.id + "/" + key
}

// mintHook gives an asset a new webhook, answered whole once. The key and
// secret are kept only for redaction (nothing verifies deliveries to
// asset webhooks in the mock). mu must be held.
func (s *Store) mintHook(tenant string, rec *assetRec, now int64) *Webhook {
	h := &hookRec{id: s.newID(), provider: ptr(rec.a.Type), createdAt: now, modified: now}
	rec.hook = h
	return s.hookAnswer(tenant, h)
}

func (s *Store) hookAnswer(tenant string, h *hookRec) *Webhook {
	key, secret := "whk_"+randomHex(16), "whsec_"+randomHex(16)
	// Earlier keys stay listed (a few), so the journal entry that showed
	// one stays redacted after a rotation.
	h.prefix, h.secrets = key[:8], append(h.secrets, key, secret)
	if n := len(h.secrets) - 16; n > 0 {
		h.secrets = h.secrets[n:]
	}
	return &Webhook{ID: h.id, Provider: clonePtr(h.provider), AuthMode: "API_KEY", Status: "ACTIVE",
		CreatedAt: h.createdAt, ModifiedAt: h.modified,
		WebhookURL: hookURL("", tenant, h, key), SigningSecret: ptr(secret)}
}

// RegenerateWebhook rotates an asset's webhook key and secret, answered
// whole only here. An asset without webhook auto-update is KindInvalid.
func (s *Store) RegenerateWebhook(tenant, asset string) (Webhook, error) {
	const op = "RegenerateWebhook"
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec, err := s.asset(op, tenant, asset)
	if err != nil {
		return Webhook{}, err
	}
	if rec.hook == nil {
		return Webhook{}, core.Invalid(op, "asset", "asset '%s' has no webhook: enable auto-update with the WEBHOOK strategy first", asset)
	}
	rec.hook.modified = s.millis()
	return *s.hookAnswer(tenant, rec.hook), nil
}

// WebhookPrefix is the first characters of an asset's current webhook key
// ("" when it has none), for tests of rotation.
func (s *Store) WebhookPrefix(tenant, asset string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tenants[tenant]; t != nil {
		if rec := t.assets[asset]; rec != nil && rec.hook != nil {
			return rec.hook.prefix
		}
	}
	return ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ---------------------------------------------------------------- paging

// Paging is a decoded page request: an offset and a size.
type Paging struct {
	Skip, Size int
}

// NewPaging reads PageSize, PageToken.Skip and PageToken.Cursor. A size
// that is absent or not positive is 50, over 100 is 100; the cursor (a
// nextPageToken: the decimal offset) wins over Skip.
func NewPaging(op string, size, skip int, cursor string) (Paging, error) {
	p := Paging{Skip: skip, Size: size}
	if p.Size <= 0 {
		p.Size = core.DefaultPageSize
	}
	p.Size = min(p.Size, core.MaxPageSize)
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return p, core.Invalid(op, "PageToken.Cursor", "is not a page token this server issued")
		}
		p.Skip = n
	}
	if p.Skip < 0 {
		return p, core.Invalid(op, "PageToken.Skip", "must not be negative")
	}
	return p, nil
}

// slice is the indexes of the page out of n items, and the next page's
// token (nil on the last page).
func (p Paging) slice(n int) ([]int, *string) {
	var out []int
	for i := p.Skip; i < n && i < p.Skip+p.Size; i++ {
		out = append(out, i)
	}
	if p.Skip+p.Size < n {
		return out, ptr(strconv.Itoa(p.Skip + p.Size))
	}
	return out, nil
}
