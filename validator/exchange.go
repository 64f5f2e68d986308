package validator

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// ValidateRequest checks a request against the operation it was routed to:
// path, query and header parameters, content type and body. The body is read
// and put back, so the handler can read it again; cap its size first (the
// library sets no limit).
func (v *Validator) ValidateRequest(r *http.Request, op *Operation) Findings {
	if op == nil {
		return Findings{{Message: "no operation", kind: kindMissingPath}}
	}
	if op.Method != r.Method {
		return Findings{{Message: fmt.Sprintf("%s is not allowed here", r.Method), kind: kindMissingOperation}}
	}
	op.prepare()
	if lr := asRouted(r, op); lr != r {
		// The library reads the body of the copy; the handler reads r's.
		defer func(orig *http.Request) { orig.Body = lr.Body }(r)
		r = lr
	}
	// A body-less operation's verdict depends only on the URL and the
	// declared header parameters, so repeats (polling) skip the library.
	key, cacheable := verdictKey{}, false
	if !op.hasBody {
		key, cacheable = v.verdicts.requestKey(op, r)
		if cacheable && v.verdicts.known(key) {
			return nil
		}
	}
	paramsOK := op.paramsValid(r)
	if paramsOK && !op.hasBody {
		if cacheable {
			v.verdicts.remember(key)
		}
		return nil
	}
	if op.reqSchemas != nil {
		return v.validateRequestFast(r, op, paramsOK)
	}
	op.warmRequest()
	ok, errs := libOf(v).lib.ValidateHttpRequestSyncWithPathItem(r, modelOf(op).pathItem, op.Path)
	if ok {
		if cacheable {
			v.verdicts.remember(key)
		}
		return nil
	}
	return fromLibErrors(errs, "")
}

// ValidateResponse checks a response (status, headers and body) against the
// operation it answers. r is the request it answers; it is only read. A body
// byte-identical to one already found valid for the same operation, status,
// content type and declared header values is not validated again.
func (v *Validator) ValidateResponse(r *http.Request, op *Operation, status int, header http.Header, body []byte) Findings {
	op.prepare()
	d, declared := op.declared(status)
	if !declared {
		return Findings{{Side: Response, In: "status", Message: fmt.Sprintf("status %d is not declared for %s", status, op.ID)}}
	}
	if !d.hasContent {
		if len(body) > 0 {
			return Findings{{Side: Response, In: "body", Message: fmt.Sprintf("status %d declares no content, but the response has a %d-byte body", status, len(body))}}
		}
		if len(d.headers) == 0 {
			return nil
		}
	}
	key, cacheable := v.verdicts.key(op, status, header, d.headers, body)
	if cacheable && v.verdicts.known(key) {
		return nil
	}
	if fs, ok := d.fastBody(status, header, body); ok {
		if len(fs) == 0 {
			if cacheable {
				v.verdicts.remember(key)
			}
			return nil
		}
		for i := range fs {
			fs[i].Side = Response
		}
		return fs
	}
	op.warmResponse()
	resp := &http.Response{
		StatusCode: status,
		Header:     header,
		Body:       io.NopCloser(bytes.NewReader(body)),
		Request:    r,
	}
	ok, errs := libOf(v).lib.GetResponseBodyValidator().ValidateResponseBodyWithPathItem(r, resp, modelOf(op).pathItem, op.Path)
	if ok {
		if cacheable {
			v.verdicts.remember(key)
		}
		return nil
	}
	fs := fromLibErrors(errs, "response")
	for i := range fs {
		fs[i].Side = Response
	}
	return fs
}

// verdictCache remembers exchanges found valid. The verdict is a pure
// function of the key's inputs, so a hit needs no second validation.
type verdictCache struct {
	seed maphash.Seed
	max  int
	mu   sync.RWMutex
	// guards seen
	seen map[verdictKey]struct{}
}

type verdictKey struct {
	op     *Operation
	status int // 0 for a request
	sum    uint64
}

func newVerdictCache(n int) *verdictCache {
	return &verdictCache{seed: maphash.MakeSeed(), max: n, seen: make(map[verdictKey]struct{})}
}

func (c *verdictCache) key(op *Operation, status int, h http.Header, declared []string, body []byte) (verdictKey, bool) {
	if c.max <= 0 {
		return verdictKey{}, false
	}
	var mh maphash.Hash
	mh.SetSeed(c.seed)
	mh.WriteString(h.Get("Content-Type"))
	for _, name := range declared {
		mh.WriteByte(0)
		mh.WriteString(name)
		for _, val := range h.Values(name) {
			mh.WriteByte(1)
			mh.WriteString(val)
		}
	}
	mh.WriteByte(0)
	mh.Write(body)
	return verdictKey{op: op, status: status, sum: mh.Sum64()}, true
}

func (c *verdictCache) requestKey(op *Operation, r *http.Request) (verdictKey, bool) {
	if c.max <= 0 {
		return verdictKey{}, false
	}
	var mh maphash.Hash
	mh.SetSeed(c.seed)
	mh.WriteString(r.URL.EscapedPath())
	mh.WriteByte('?')
	mh.WriteString(r.URL.RawQuery)
	for _, name := range op.headerParams {
		mh.WriteByte(0)
		mh.WriteString(name)
		for _, val := range r.Header.Values(name) {
			mh.WriteByte(1)
			mh.WriteString(val)
		}
	}
	return verdictKey{op: op, sum: mh.Sum64()}, true
}

func (c *verdictCache) known(k verdictKey) bool {
	c.mu.RLock()
	_, ok := c.seen[k]
	c.mu.RUnlock()
	return ok
}

func (c *verdictCache) remember(k verdictKey) {
	c.mu.Lock()
	if len(c.seen) >= c.max {
		clear(c.seen) // crude but bounded; a cold cache only costs time
	}
	c.seen[k] = struct{}{}
	c.mu.Unlock()
}

// compileAll makes sure every request-body and response schema compiled,
// so one the JSON Schema engine can't compile fails New with its location
// instead of failing every request later. The library compiled them into
// schemas while warming up (and drops failures silently): only a schema
// missing from that cache is compiled again, to learn why.
func compileAll(m *v3.Document, schemas cache.SchemaCache, libOpts []config.Option) error {
	opts := config.NewValidationOptions(libOpts...)
	opts.SchemaCache = nil
	version := float32(3.1)
	seen := map[uint64]bool{}
	check := func(where string, s *base.SchemaProxy, purpose schema_validation.SchemaValidationPurpose) error {
		if s == nil {
			return nil
		}
		schema := s.Schema()
		if schema == nil {
			if err := s.GetBuildError(); err != nil {
				return &SpecError{Line: 1, Reason: where + ": " + err.Error()}
			}
			return &SpecError{Line: 1, Reason: where + ": schema could not be built"}
		}
		h := schema.GoLow().Hash() ^ uint64(purpose)
		if seen[h] {
			return nil
		}
		seen[h] = true
		if e, ok := schemas.Load(schema_validation.SchemaCacheKey(schema.GoLow().Hash(), version, purpose)); ok && e != nil && e.CompiledSchema != nil {
			return nil
		}
		if _, err := schema_validation.CompileSchemaForValidation(schema, purpose, opts, version); err != nil {
			line := 1
			if low := s.GoLow(); low != nil && low.GetValueNode() != nil {
				line = low.GetValueNode().Line
			}
			return &SpecError{Line: line, Reason: fmt.Sprintf("%s: schema does not compile: %v", where, err)}
		}
		return nil
	}
	for path, item := range m.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			where := strings.ToUpper(method) + " " + path
			if op.RequestBody != nil && op.RequestBody.Content != nil {
				for mt, media := range op.RequestBody.Content.FromOldest() {
					if err := check(where+" request "+mt, media.Schema, schema_validation.SchemaValidationPurposeRequestBody); err != nil {
						return err
					}
				}
			}
			if op.Responses == nil {
				continue
			}
			for code, resp := range op.Responses.Codes.FromOldest() {
				if resp.Content == nil {
					continue
				}
				for mt, media := range resp.Content.FromOldest() {
					if err := check(where+" response "+code+" "+mt, media.Schema, schema_validation.SchemaValidationPurposeResponseBody); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}
