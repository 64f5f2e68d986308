package validator

import (
	"slices"
	"sync/atomic"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// What a validator compiles, it compiles on first need, under one lock:
//
//   - prepare, on an operation's first use: its parameters' checks, its
//     bodies' walkJSON forms and lazySchemas (cheap: no rendering);
//   - a lazySchema, when a body is not found valid by walkJSON: the
//     library's compiled schema for it;
//   - warmRequest and warmResponse, before the library itself validates a
//     request or a response of an operation: every schema of it the
//     library's constructor would have compiled (warmSchemaCaches), so the
//     library finds them all in its cache, as it did when they were
//     compiled up front.
//
// The lock is needed, not just tidy: libopenapi renders a schema by
// writing to its model (DynamicValue's inline flag), so two compilations
// of schemas that share a component race.

// lazyCache is the library's cache of compiled schemas. While skipWarm is
// set it reports every schema as already compiled, so the library's
// constructor, which compiles every schema of the document into the cache
// (warmSchemaCaches; 70% of a validator's build), compiles none; otherwise
// it is the plain cache.
type lazyCache struct {
	cache.SchemaCache
	skipWarm atomic.Bool
}

func (c *lazyCache) Load(key uint64) (*cache.SchemaCacheEntry, bool) {
	if c.skipWarm.Load() {
		return nil, true
	}
	return c.SchemaCache.Load(key)
}

// schemaVersion is the OpenAPI version the schemas are compiled for (the
// validator accepts 3.1 documents only).
const schemaVersion = float32(3.1)

// compiledLocked returns the library's compiled schema for s and purpose,
// from the cache, compiling and storing it there first when missing, as
// the library's warm-up does; nil when it does not compile. The caller
// holds v.compileMu.
func compiledLocked(v *Validator, s *base.Schema, purpose schema_validation.SchemaValidationPurpose) *jsonschema.Schema {
	if s == nil || s.GoLow() == nil {
		return nil
	}
	key := schema_validation.SchemaCacheKey(s.GoLow().Hash(), schemaVersion, purpose)
	lp := libOf(v)
	if e, ok := lp.schemas.Load(key); ok && e != nil && e.CompiledSchema != nil {
		return e.CompiledSchema
	}
	c, err := schema_validation.CompileSchemaForValidation(s, purpose, lp.compileOpts, schemaVersion)
	if err != nil || c == nil || c.CompiledSchema == nil {
		return nil
	}
	lp.schemas.Store(key, c.ToCacheEntry(s))
	return c.CompiledSchema
}

// A lazySchema is a request or response body schema, compiled by the
// library's compiler on its first get. The fast paths need it only for a
// body walkJSON does not find valid, so a server answering valid traffic
// seldom compiles one before its warm-up does.
type lazySchema struct {
	ready atomic.Pointer[jsonschema.Schema]
	v     *Validator
	// schema is the *base.Schema (an any for the reason model.go gives).
	schema  any
	purpose schema_validation.SchemaValidationPurpose
	failed  bool // guarded by v.compileMu
}

// lazyLocked makes the lazySchema of s. For a document that is not
// trusted it compiles it now (ok is false when it does not compile, and
// the body is left to the library); a trusted document's schemas all
// compile (TestEmbeddedSpecsCompile). The caller holds v.compileMu.
func lazyLocked(v *Validator, s *base.Schema, purpose schema_validation.SchemaValidationPurpose) (l *lazySchema, ok bool) {
	l = &lazySchema{v: v, schema: s, purpose: purpose}
	if !v.trusted && l.getLocked() == nil {
		return nil, false
	}
	return l, true
}

// get is the compiled schema, nil when it does not compile (then the
// library validates, and reports).
func (l *lazySchema) get() *jsonschema.Schema {
	if s := l.ready.Load(); s != nil {
		return s
	}
	l.v.compileMu.Lock()
	defer l.v.compileMu.Unlock()
	return l.getLocked()
}

func (l *lazySchema) getLocked() *jsonschema.Schema {
	if s := l.ready.Load(); s != nil || l.failed {
		return s
	}
	s := compiledLocked(l.v, l.schema.(*base.Schema), l.purpose)
	if s == nil {
		l.failed = true
		return nil
	}
	l.ready.Store(s)
	return s
}

// prepare fills, once, on the operation's first use, what its fast paths
// hold (reqSchemas, reqWalks, fastParams, paramsFast, each response's
// schemas and walks). Every reader of those fields calls it first.
func (op *Operation) prepare() {
	if op.ready.Load() {
		return
	}
	v := op.owner
	v.compileMu.Lock()
	defer v.compileMu.Unlock()
	op.prepareLocked()
}

func (op *Operation) prepareLocked() {
	if op.ready.Load() {
		return
	}
	v := op.owner
	v.prepareParams(op)
	v.prepareRequest(op)
	v.prepareResponses(op)
	op.ready.Store(true)
}

// warmRequest compiles, once, every schema the library's request
// validation of the operation uses (its parameters', every request media
// type's), before the library validates a request of it; warmResponse
// does the same for its responses. The library then finds them all in
// its cache, as it did when its constructor compiled them all. Each
// schema is compiled under the lock on its own, so a request waits for
// at most one compilation of another's.
func (op *Operation) warmRequest() {
	if op.reqWarm.Load() {
		return
	}
	op.prepare()
	v, m := op.owner, modelOf(op)
	if rb := m.op.RequestBody; rb != nil && rb.Content != nil {
		for _, media := range rb.Content.FromOldest() {
			warmMedia(v, media, schema_validation.SchemaValidationPurposeRequestBody)
		}
	}
	for _, p := range slices.Concat(m.op.Parameters, m.pathItem.Parameters) {
		warmParam(v, p)
	}
	for _, l := range op.reqSchemas {
		l.get()
	}
	op.reqWarm.Store(true)
}

func (op *Operation) warmResponse() {
	if op.respWarm.Load() {
		return
	}
	op.prepare()
	v := op.owner
	if rs := modelOf(op).op.Responses; rs != nil {
		if rs.Codes != nil {
			for _, r := range rs.Codes.FromOldest() {
				if r != nil && r.Content != nil {
					for _, media := range r.Content.FromOldest() {
						warmMedia(v, media, schema_validation.SchemaValidationPurposeResponseBody)
					}
				}
			}
		}
		if rs.Default != nil && rs.Default.Content != nil {
			for _, media := range rs.Default.Content.FromOldest() {
				warmMedia(v, media, schema_validation.SchemaValidationPurposeResponseBody)
			}
		}
	}
	for _, d := range op.responses {
		for _, l := range d.schemas {
			l.get()
		}
	}
	op.respWarm.Store(true)
}

func compile(v *Validator, s *base.Schema, purpose schema_validation.SchemaValidationPurpose) {
	v.compileMu.Lock()
	defer v.compileMu.Unlock()
	compiledLocked(v, s, purpose)
}

func warmMedia(v *Validator, media *v3.MediaType, purpose schema_validation.SchemaValidationPurpose) {
	if media != nil && media.Schema != nil {
		compile(v, media.Schema.Schema(), purpose)
	}
}

func warmParam(v *Validator, p *v3.Parameter) {
	if p == nil {
		return
	}
	var s *base.Schema
	if p.Schema != nil {
		s = p.Schema.Schema()
	} else if p.Content != nil {
		for _, media := range p.Content.FromOldest() {
			if media.Schema != nil {
				s = media.Schema.Schema()
				break
			}
		}
	}
	compile(v, s, schema_validation.SchemaValidationPurposeGeneric)
}

// lazySchemas lists the operation's lazySchemas; it must be prepared.
func (op *Operation) lazySchemas() []*lazySchema {
	var out []*lazySchema
	for _, l := range op.reqSchemas {
		out = append(out, l)
	}
	for _, d := range op.responses {
		for _, l := range d.schemas {
			out = append(out, l)
		}
	}
	return out
}

// Prepare builds every operation's fast checks now rather than on its
// first use, and compiles nothing for the library: what a valid request
// and answer need, cheaply. Safe to call at any time, from any goroutine,
// more than once.
func (v *Validator) Prepare() {
	for _, op := range v.ops {
		op.prepare()
	}
}

// WarmUp compiles every operation and every schema now rather than on
// first need; a server calls it once it is listening, so that a first
// request seldom pays for a compilation. Safe to call at any time, from
// any goroutine, more than once.
func (v *Validator) WarmUp() {
	for _, op := range v.ops {
		op.warmRequest()
		op.warmResponse()
	}
}
