package assets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/httpapi"
	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
	"github.com/fruxon/fruxon-mock/validator"
)

// OAuth is what assets:authorize and assets:oauthCredentials need of the
// server: its OAuth flow (the consent page the integrations' flow uses
// too) and the consent page's URL for a state.
type OAuth struct {
	Flow       *oauthflow.Flow
	ConsentURL func(r *http.Request, state string) string
	// BaseURL is where the request reached the mock, for webhook URLs.
	BaseURL func(r *http.Request) string
}

// oauthIntegration binds an asset OAuth request (and its key) to a source
// type; integration ids can't contain ':', so the flows never mix.
const oauthIntegration = "assets:"

// Handlers serve the assets room's operations.
type Handlers struct {
	api   httpapi.Server
	store httpapi.StoreFunc[*Store]
	oauth OAuth
}

// NewHandlers returns the room's handlers over the server's plumbing.
func NewHandlers(api httpapi.Server, store httpapi.StoreFunc[*Store], oauth OAuth) *Handlers {
	return &Handlers{api: api, store: store, oauth: oauth}
}

// Operations maps each spec operationId the room serves to its handler.
func (h *Handlers) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"listAssets":               h.handleList,
		"createAsset":              h.handleCreate,
		"getAsset":                 h.handleGet,
		"updateAsset":              h.handleUpdate,
		"deleteAsset":              h.handleDelete,
		"listAssetDocuments":       h.handleDocuments,
		"getAssetDocument":         h.handleDocument,
		"deleteAssetDocument":      h.handleDocumentDelete,
		"listAssetDocumentChunks":  h.handleChunks,
		"listAssetOperations":      h.handleOperations,
		"getAssetOperation":        h.handleOperation,
		"cancelAssetOperation":     h.handleCancel,
		"refreshAsset":             h.handleRefresh,
		"regenerateAssetWebhook":   h.handleRegenerateWebhook,
		"authorizeAssetSource":     h.handleAuthorize,
		"getAssetOAuthCredentials": h.handleOAuthCredentials,
		"uploadAssetFile":          h.handleUpload,
		"importAssetFile":          h.handleImport,
	}
}

func (h *Handlers) tenant(r *http.Request) string { return h.api.PathVar(r, "tenant") }
func (h *Handlers) asset(r *http.Request) string  { return h.api.PathVar(r, "asset") }

func (h *Handlers) paging(w http.ResponseWriter, r *http.Request) (Paging, bool) {
	q := r.URL.Query()
	p, err := NewPaging("List", httpapi.QueryInt(r, "PageSize"), httpapi.QueryInt(r, "PageToken.Skip"), q.Get("PageToken.Cursor"))
	if err != nil {
		h.api.WriteError(w, r, err)
		return p, false
	}
	return p, true
}

// answer writes v, or err as its problem.
func answer[T any](h *Handlers, w http.ResponseWriter, r *http.Request, v T, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.api.WriteJSON(w, http.StatusOK, v)
}

// writeError maps the room's own errors (quota, rate limit) to their
// statuses, the rest through core.
func (h *Handlers) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var qe *QuotaError
	var re *RefreshError
	switch {
	case errors.As(err, &qe):
		h.api.WriteProblem(w, r, validator.NewProblem(http.StatusRequestEntityTooLarge, qe.Error()))
	case errors.As(err, &re):
		p := validator.NewProblem(http.StatusTooManyRequests, re.Error())
		w.Header().Set("Retry-After", "3")
		h.api.WriteProblem(w, r, p)
	default:
		h.api.WriteError(w, r, err)
	}
}

// result writes a wrapped asset, giving a minted webhook its full URL.
func (h *Handlers) result(w http.ResponseWriter, r *http.Request, res Result, err error) {
	if err == nil && res.Webhook != nil {
		res.Webhook.WebhookURL = h.oauth.BaseURL(r) + res.Webhook.WebhookURL
	}
	answer(h, w, r, res, err)
}

func (h *Handlers) handleList(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	pg, ok := h.paging(w, r)
	if !ok {
		return
	}
	out, err := store.List(h.tenant(r), r.URL.Query().Get("search"), pg)
	answer(h, w, r, out, err)
}

func (h *Handlers) handleCreate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in CreateInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	res, err := store.Create(h.tenant(r), in, h.api.Subject(r))
	h.result(w, r, res, err)
}

func (h *Handlers) handleGet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	a, err := store.Get(h.tenant(r), h.asset(r))
	answer(h, w, r, a, err)
}

func (h *Handlers) handleUpdate(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in UpdateInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	res, err := store.Update(h.tenant(r), h.asset(r), in)
	h.result(w, r, res, err)
}

func (h *Handlers) handleDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if err := store.Delete(h.tenant(r), h.asset(r)); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) handleDocuments(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	pg, ok := h.paging(w, r)
	if !ok {
		return
	}
	out, err := store.Documents(h.tenant(r), h.asset(r), r.URL.Query().Get("search"), pg)
	answer(h, w, r, out, err)
}

func (h *Handlers) handleDocument(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	d, err := store.Document(h.tenant(r), h.asset(r), h.api.PathVar(r, "document"))
	answer(h, w, r, d, err)
}

func (h *Handlers) handleDocumentDelete(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	if err := store.DeleteDocument(h.tenant(r), h.asset(r), h.api.PathVar(r, "document")); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) handleChunks(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	pg, ok := h.paging(w, r)
	if !ok {
		return
	}
	out, err := store.Chunks(h.tenant(r), h.asset(r), h.api.PathVar(r, "document"), pg)
	answer(h, w, r, out, err)
}

func (h *Handlers) handleOperations(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	pg, ok := h.paging(w, r)
	if !ok {
		return
	}
	out, err := store.Operations(h.tenant(r), h.asset(r), pg)
	answer(h, w, r, out, err)
}

func (h *Handlers) handleOperation(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	o, err := store.Operation(h.tenant(r), h.asset(r), h.api.PathVar(r, "operation"))
	answer(h, w, r, o, err)
}

func (h *Handlers) handleCancel(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	o, err := store.Cancel(h.tenant(r), h.asset(r), h.api.PathVar(r, "operation"))
	answer(h, w, r, o, err)
}

func (h *Handlers) handleRefresh(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in RefreshInput
	if hasBody(r) {
		if err := h.api.DecodeJSON(r, &in); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
	}
	res, err := store.Refresh(h.tenant(r), h.asset(r), in, h.api.Subject(r))
	h.result(w, r, res, err)
}

// hasBody reports whether a request carries a body (the optional one of
// :refresh).
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

func (h *Handlers) handleRegenerateWebhook(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	hook, err := store.RegenerateWebhook(h.tenant(r), h.asset(r))
	if err == nil {
		hook.WebhookURL = h.oauth.BaseURL(r) + hook.WebhookURL
	}
	answer(h, w, r, hook, err)
}

func (h *Handlers) handleImport(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in ImportInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	res, err := store.Import(h.tenant(r), in, h.api.Subject(r))
	h.result(w, r, res, err)
}

// ---------------------------------------------------------------- OAuth

type authorizeRequest struct {
	SourceType string `json:"sourceType"`
}

// handleAuthorize serves POST /assets:authorize: a pending request on the
// mock's consent page, for a source type that supports OAuth.
func (h *Handlers) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in authorizeRequest
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	tenant := h.tenant(r)
	if err := store.CheckTenant("AuthorizeAssetSource", tenant); err != nil {
		h.writeError(w, r, err)
		return
	}
	if !IsOAuthSource(in.SourceType) {
		h.writeError(w, r, core.FieldError("AuthorizeAssetSource", "sourceType",
			fmt.Sprintf("'%s' does not support OAuth; OAuth source types: %s", in.SourceType, strings.Join(oauthSourceTypes, ", "))))
		return
	}
	origin := r.Header.Get("Origin")
	if origin == "null" {
		origin = ""
	}
	st := h.oauth.Flow.Start(oauthflow.Request{Tenant: tenant, Integration: oauthIntegration + in.SourceType,
		IntegrationName: in.SourceType, AuthMethodID: "oauth", AuthMethodName: "OAuth", OpenerOrigin: origin, Level: "USER"})
	h.api.WriteJSON(w, http.StatusOK, map[string]string{"authorizationUrl": h.oauth.ConsentURL(r, st)})
}

// handleOAuthCredentials serves GET /assets:oauthCredentials (anonymous):
// a credential key of a completed asset OAuth flow, once, for its tokens.
func (h *Handlers) handleOAuthCredentials(w http.ResponseWriter, r *http.Request) {
	const op = "GetAssetOAuthCredentials"
	key := r.URL.Query().Get("credentialKey")
	if key == "" {
		h.writeError(w, r, core.FieldError(op, "credentialKey", "is required"))
		return
	}
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	cred, err := h.oauth.Flow.RedeemPrefixedKey(h.tenant(r), oauthIntegration, key)
	if err != nil {
		h.writeError(w, r, core.FieldError(op, "credentialKey", err.Error()))
		return
	}
	store.NoteHandedTokens(h.tenant(r), cred.Tokens["accessToken"], cred.Tokens["refreshToken"])
	out := OAuthCredentials{AccessToken: cred.Tokens["accessToken"], TokenType: cred.Details["tokenType"]}
	if rt := cred.Tokens["refreshToken"]; rt != "" {
		out.RefreshToken = &rt
	}
	if t, err := time.Parse(time.RFC3339, cred.Details["expiresAt"]); err == nil {
		out.ExpiresAt = ptr(t.UnixMilli())
	}
	h.api.WriteJSON(w, http.StatusOK, out)
}

// ---------------------------------------------------------------- upload

// maxPayload bounds the Payload part (a small JSON object).
const maxPayload = 64 << 10

// uploadPayload is the Payload part; .NET binds its keys
// case-insensitively, and so does encoding/json.
type uploadPayload struct {
	Vectorize            *bool      `json:"Vectorize"`
	EmbeddingConfig      *Embedding `json:"EmbeddingConfig"`
	EmbeddingLlmConfigID *string    `json:"EmbeddingLlmConfigId"`
	DisplayName          *string    `json:"DisplayName"`
}

// handleUpload serves POST /assets:file: the multipart form is read part
// by part, the file through a MaxUpload limit; past it the answer is 413
// and nothing more of the body is read or kept.
func (h *Handlers) handleUpload(w http.ResponseWriter, r *http.Request) {
	const op = "UploadAsset"
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		h.writeError(w, r, core.FieldError(op, "Content-Type", "must be multipart/form-data with a boundary"))
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var in FileInput
	var gotFile, gotPayload bool
	f := core.Findings{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if limit, ok := tooLarge(err); ok {
				h.tooLarge(w, r, limit)
				return
			}
			h.writeError(w, r, core.FieldError(op, "body", "is not a valid multipart form: "+err.Error()))
			return
		}
		switch part.FormName() {
		case "File":
			if gotFile {
				f.Add("File", "must be given once")
				continue
			}
			gotFile = true
			content, err := io.ReadAll(io.LimitReader(part, MaxUpload+1))
			if err != nil {
				if limit, ok := tooLarge(err); ok {
					h.tooLarge(w, r, limit)
					return
				}
				h.writeError(w, r, core.FieldError(op, "File", "could not be read: "+err.Error()))
				return
			}
			if len(content) > MaxUpload {
				h.tooLarge(w, r, 0)
				return
			}
			in.Content = content
			in.FileName = part.FileName()
			if in.FileName == "" {
				in.FileName = "upload"
			}
			in.ContentType = ContentTypeOf(part.Header.Get("Content-Type"), in.FileName)
		case "Payload":
			if gotPayload {
				f.Add("Payload", "must be given once")
				continue
			}
			gotPayload = true
			raw, err := io.ReadAll(io.LimitReader(part, maxPayload+1))
			if err != nil || len(raw) > maxPayload {
				f.Add("Payload", "must be a JSON object of at most %d bytes", maxPayload)
				continue
			}
			var p uploadPayload
			dec := json.NewDecoder(bytes.NewReader(raw))
			if err := dec.Decode(&p); err != nil {
				f.Add("Payload", "must be a JSON object: %v", err)
				continue
			}
			in.Vectorize = p.Vectorize == nil || *p.Vectorize
			in.Embedding, in.EmbeddingID, in.DisplayName = p.EmbeddingConfig, p.EmbeddingLlmConfigID, p.DisplayName
		default:
			f.Add(part.FormName(), "is not a part of this form (File, Payload)")
		}
	}
	if !gotFile {
		f.Add("File", "is required")
	}
	if !gotPayload {
		f.Add("Payload", "is required")
	}
	if err := f.Err(op); err != nil {
		h.writeError(w, r, err)
		return
	}
	res, err := store.Upload(h.tenant(r), in, h.api.Subject(r))
	h.result(w, r, res, err)
}

// tooLarge reports whether err is the server's body limit, and the limit.
func tooLarge(err error) (int64, bool) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return mbe.Limit, true
	}
	return 0, false
}

// tooLarge answers 413: over the documented 50 MB (serverLimit 0), or over
// the server's request body limit when that is lower.
func (h *Handlers) tooLarge(w http.ResponseWriter, r *http.Request, serverLimit int64) {
	// Don't let the server drain the rest of the body to reuse the
	// connection: close it.
	w.Header().Set("Connection", "close")
	detail := fmt.Sprintf("the file exceeds the %d-byte (50 MB) upload limit", MaxUpload)
	if serverLimit > 0 {
		detail = fmt.Sprintf("the request body exceeds this server's %d-byte body limit (start it with a larger --max-body for uploads up to 50 MB)", serverLimit)
	}
	h.api.WriteProblem(w, r, validator.NewProblem(http.StatusRequestEntityTooLarge, detail))
}
