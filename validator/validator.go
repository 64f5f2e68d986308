// Package validator holds the Integrations API contract (an embedded
// OpenAPI 3.1 document) and checks HTTP exchanges against it with
// libopenapi-validator. Routing is the caller's job: requests are validated
// against an operation the caller already resolved, because the library's
// own path lookup mistakes "{config}:publish" for "{config}".
//
// A Validator is built once and is safe for concurrent use; validating one
// *http.Request from two goroutines at once is not (the library rewrites it
// temporarily).
package validator

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pb33f/libopenapi"
	libvalidator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	lowv3 "github.com/pb33f/libopenapi/datamodel/low/v3"
)

// Validator checks requests and responses against one OpenAPI document.
type Validator struct {
	// parts is the *libParts: libopenapi-validator's validator, its schema
	// cache and compile options (see model.go for why it is an any).
	parts    any
	ops      []*Operation
	byID     map[string]*Operation
	verdicts *verdictCache
	title    string
	version  string
	// trusted: an embedded document, whose schemas all compile.
	trusted bool
	// compileMu serializes every compilation (see prepare.go).
	compileMu sync.Mutex
}

// Operation is one method on one path of the spec.
type Operation struct {
	ID     string
	Method string
	Path   string // the template, e.g. /v1/tenants/{tenant}/integrations
	// model is the *opModel: the operation and path item in libopenapi's
	// high-level model (see model.go for why it is an any).
	model any
	// What the operation declares, read from the model when indexed.
	anonymous    bool
	jsonrpc      bool
	ownKeyOnly   bool
	maxUpload    int64
	sourceKind   string
	sourceDetail string
	requestTypes []string
	segs         []segment
	// responses maps declared status codes ("200", "4XX", "default") to
	// what each declares.
	responses map[string]declaredResponse
	hasBody   bool
	// reqSchemas maps each JSON request media type to its compiled
	// schema, when every declared one is JSON (see validateRequestFast).
	reqSchemas map[string]*lazySchema
	reqWalks   map[string]*jnode
	// headerParams are the canonical names of declared header parameters:
	// with the URL, all a body-less request's verdict depends on.
	headerParams []string
	// fastParams are the declared parameters, compiled for paramsValid;
	// paramsFast says every one of them could be.
	fastParams []fastParam
	paramsFast bool
	// ready guards the fields above that prepare fills (reqSchemas,
	// reqWalks, fastParams, paramsFast and each response's compiled
	// schemas): they are read only after prepare ran.
	ready    atomic.Bool // prepared
	reqWarm  atomic.Bool
	respWarm atomic.Bool
	owner    *Validator
}

type declaredResponse struct {
	hasContent bool
	headers    []string // canonical names of declared headers
	// rules are the declared headers' checks, for fastBody.
	rules []headerRule
	// decl is the *v3.Response, to compile its schemas (an any for the
	// reason model.go gives).
	decl any
	// compiledResponse is filled by the operation's prepare: the values in
	// Operation.responses are copied, and share it.
	*compiledResponse
}

// compiledResponse is a declared response's schemas, compiled.
type compiledResponse struct {
	// schemas maps each declared JSON media type to the schema the
	// library compiles for it; fastBody validates against these.
	schemas map[string]*lazySchema
	// bareTypes says every key of schemas is a media type exactly as
	// mime.ParseMediaType returns it (lower case, no parameters).
	bareTypes bool
	// walks maps each declared JSON media type to its schema compiled for
	// walkJSON, when it could be.
	walks map[string]*jnode
}

// headerRule is what a declared response header requires.
type headerRule struct {
	name     string
	required bool
	integer  bool
}

// Option tunes a Validator.
type Option func(*options)

type options struct {
	cacheSize int
}

// WithResponseCache sets how many valid response verdicts are remembered
// (default 4096); 0 turns the cache off.
func WithResponseCache(n int) Option { return func(o *options) { o.cacheSize = n } }

// New builds a validator from an OpenAPI 3.1 document. It compiles every
// request and response schema up front, so a document whose schemas don't
// compile is refused here with the operation and reason instead of failing
// every request later.
func New(spec []byte, opts ...Option) (*Validator, error) { return build(spec, false, opts...) }

// build builds a validator. A trusted document is one embedded in the
// binary, whose syntax, OpenAPI validity and schemas the tests check
// (TestEmbeddedSpecsCompile): it skips those checks and compiles each
// operation's schemas on the operation's first use instead of all of them
// here, which is most of a server's start-up time.
func build(spec []byte, trusted bool, opts ...Option) (*Validator, error) {
	o := options{cacheSize: 4096}
	for _, opt := range opts {
		opt(&o)
	}
	if !trusted {
		if err := checkYAML(spec); err != nil {
			return nil, err
		}
	}
	// libopenapi logs what it can't resolve as JSON on stdout; the problem
	// comes back as an error too, with its line, so its log is dropped.
	docCfg := datamodel.NewDocumentConfiguration()
	docCfg.Logger = slog.New(slog.DiscardHandler)
	doc, err := libopenapi.NewDocumentWithConfiguration(spec, docCfg)
	if err != nil {
		return nil, &SpecError{Line: 1, Reason: "not an OpenAPI document: " + err.Error()}
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1") {
		return nil, &SpecError{Line: 1, Reason: fmt.Sprintf("openapi version %q is not supported (want 3.1.x)", v)}
	}
	model, buildErr := doc.BuildV3Model()
	if buildErr != nil {
		return nil, &SpecError{Line: refLine(spec, buildErr.Error()), Reason: "invalid OpenAPI document: " + buildErr.Error()}
	}
	schemas := &lazyCache{SchemaCache: cache.NewDefaultCache()}
	libOpts := []config.Option{
		config.WithSchemaCache(schemas),
		// One cache of the document's rendered schema resources, shared by
		// the library's compiles and prepare's.
		config.WithSchemaResourceCache(cache.NewDefaultSchemaResourceCache()),
		config.WithFormatAssertions(),
		config.WithRegexCache(&sync.Map{}),
		// Authentication is the server's middleware's job (it knows the
		// --auth mode); the spec's security only documents it.
		config.WithoutSecurityValidation(),
	}
	// The library compiles every schema of the document while it builds
	// (warmSchemaCaches); prepare compiles them per operation instead.
	schemas.skipWarm.Store(true)
	lib := libvalidator.NewValidatorFromV3Model(&model.Model, libOpts...)
	schemas.skipWarm.Store(false)
	lib.SetDocument(doc)
	if !trusted {
		if ok, errs := lib.ValidateDocument(); !ok {
			return nil, documentError(errs)
		}
	}
	compileOpts := config.NewValidationOptions(libOpts...)
	compileOpts.SchemaCache = nil
	v := &Validator{parts: &libParts{lib: lib, schemas: schemas, compileOpts: compileOpts},
		byID: map[string]*Operation{}, verdicts: newVerdictCache(o.cacheSize), trusted: trusted}
	if model.Model.Info != nil {
		v.title, v.version = model.Model.Info.Title, model.Model.Info.Version
	}
	if err := indexOperations(v, &model.Model); err != nil {
		return nil, err
	}
	if trusted {
		return v, nil
	}
	v.WarmUp()
	if err := compileAll(&model.Model, schemas, libOpts); err != nil {
		return nil, err
	}
	return v, nil
}

// SpecError says why a document can't be used, and where.
type SpecError struct {
	Line   int
	Reason string
}

func (e *SpecError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

func documentError(errs []*liberrors.ValidationError) error {
	first := &SpecError{Line: 1}
	var reasons []string
	for _, e := range errs {
		line, reason := e.SpecLine, e.Reason
		for _, s := range e.SchemaValidationErrors {
			if s.Line > 0 {
				line = s.Line
			}
			reason = s.Reason
			if s.FieldPath != "" {
				reason += " at " + s.FieldPath
			}
			break
		}
		if len(reasons) == 0 && line > 0 {
			first.Line = line
		}
		reasons = append(reasons, reason)
		if len(reasons) == 5 {
			break
		}
	}
	first.Reason = strings.Join(reasons, "; ")
	return first
}

func indexOperations(v *Validator, m *v3.Document) error {
	if m.Paths == nil {
		return &SpecError{Line: 1, Reason: "the document declares no paths"}
	}
	for path, item := range m.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			o := &Operation{
				ID: op.OperationId, Method: strings.ToUpper(method), Path: path,
				model: &opModel{pathItem: item, op: op}, segs: parseTemplate(path), owner: v,
				responses: map[string]declaredResponse{},
				hasBody:   op.RequestBody != nil,
			}
			for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
				if p != nil && p.In == "header" {
					o.headerParams = append(o.headerParams, http.CanonicalHeaderKey(p.Name))
				}
			}
			if o.ID == "" {
				return &SpecError{Line: lineOf(op.GoLow()), Reason: fmt.Sprintf("%s %s has no operationId", o.Method, path)}
			}
			if _, dup := v.byID[o.ID]; dup {
				return &SpecError{Line: lineOf(op.GoLow()), Reason: fmt.Sprintf("operationId %q is used twice", o.ID)}
			}
			if op.Responses != nil {
				for code, r := range op.Responses.Codes.FromOldest() {
					o.responses[strings.ToUpper(code)] = declare(r)
				}
				if op.Responses.Default != nil {
					o.responses["DEFAULT"] = declare(op.Responses.Default)
				}
			}
			readDeclarations(o, op)
			v.ops = append(v.ops, o)
			v.byID[o.ID] = o
		}
	}
	return nil
}

func declare(r *v3.Response) declaredResponse {
	d := declaredResponse{hasContent: r.Content != nil && r.Content.Len() > 0, decl: r, compiledResponse: &compiledResponse{}}
	if r.Headers != nil {
		for name, h := range r.Headers.FromOldest() {
			d.headers = append(d.headers, http.CanonicalHeaderKey(name))
			rule := headerRule{name: http.CanonicalHeaderKey(name), required: h.Required}
			if h.Schema != nil {
				if s := h.Schema.Schema(); s != nil && slices.Contains(s.Type, "integer") {
					rule.integer = true
				}
			}
			d.rules = append(d.rules, rule)
		}
		sort.Strings(d.headers)
	}
	return d
}

// Title and Version are the document's info.title and info.version.
func (v *Validator) Title() string   { return v.title }
func (v *Validator) Version() string { return v.version }

// Operations lists every operation in document order.
func (v *Validator) Operations() []*Operation { return slices.Clone(v.ops) }

// Operation returns the operation with the given operationId, or nil.
func (v *Validator) Operation(id string) *Operation { return v.byID[id] }

// MatchError says why no operation fits a request: Status is 404 (no such
// path) or 405 (the path exists, not with this method; Allow lists those
// that do).
type MatchError struct {
	Status int
	Allow  []string
	Method string
	Path   string
}

func (e *MatchError) Error() string {
	if e.Status == http.StatusMethodNotAllowed {
		return fmt.Sprintf("%s is not allowed on %s (allowed: %s)", e.Method, e.Path, strings.Join(e.Allow, ", "))
	}
	return fmt.Sprintf("no operation matches %s", e.Path)
}

// Match finds the operation for a method and path, the way the server's
// router does: literal segments win over parameters, and a parameter never
// contains ':' so custom methods (":publish") route to their own operation.
func (v *Validator) Match(method, path string) (*Operation, map[string]string, error) {
	var best *Operation
	var bestParams map[string]string
	bestLiterals := -1
	var allow []string
	for _, o := range v.ops {
		params, literals, ok := matchSegments(o.segs, path)
		if !ok {
			continue
		}
		if o.Method != method {
			if !slices.Contains(allow, o.Method) {
				allow = append(allow, o.Method)
			}
			continue
		}
		if literals > bestLiterals {
			best, bestParams, bestLiterals = o, params, literals
		}
	}
	if best != nil {
		return best, bestParams, nil
	}
	if len(allow) > 0 {
		sort.Strings(allow)
		return nil, nil, &MatchError{Status: http.StatusMethodNotAllowed, Allow: allow, Method: method, Path: path}
	}
	return nil, nil, &MatchError{Status: http.StatusNotFound, Method: method, Path: path}
}

// Declares reports whether the operation declares the status code, either
// exactly, by its range ("4XX") or through a default response.
func (o *Operation) Declares(status int) bool {
	_, ok := o.declared(status)
	return ok
}

// DeclaredStatuses lists the status codes the operation declares, sorted.
func (o *Operation) DeclaredStatuses() []int {
	var codes []int
	for k := range o.responses {
		if n, err := strconv.Atoi(k); err == nil {
			codes = append(codes, n)
		}
	}
	sort.Ints(codes)
	return codes
}

func (o *Operation) declared(status int) (declaredResponse, bool) {
	// Keys are built on the stack: this runs on every request.
	var buf [8]byte
	if d, ok := o.responses[string(strconv.AppendInt(buf[:0], int64(status), 10))]; ok {
		return d, true
	}
	if status >= 100 && status <= 999 {
		key := append(strconv.AppendInt(buf[:0], int64(status/100), 10), 'X', 'X')
		if d, ok := o.responses[string(key)]; ok {
			return d, true
		}
	}
	d, ok := o.responses["DEFAULT"]
	return d, ok
}

// lineOf is the source line of a low-level model node, or 1.
func lineOf(low *lowv3.Operation) int {
	if low != nil && low.KeyNode != nil {
		return low.KeyNode.Line
	}
	return 1
}
