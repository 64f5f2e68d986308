package validator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// prepareRequest keeps, for an operation whose every request media type
// is JSON, the request-body schemas the library compiles for them, so a
// request body is validated without the library's per-call schema hash,
// decode-and-copy and second read.
func (v *Validator) prepareRequest(op *Operation) {
	rb := modelOf(op).op.RequestBody
	if rb == nil || rb.Content == nil || rb.Content.Len() == 0 {
		return
	}
	found := map[string]*lazySchema{}
	walks := map[string]*jnode{}
	for mt, media := range rb.Content.FromOldest() {
		if !isJSON(mt) || media.Schema == nil || media.Schema.Schema() == nil {
			break
		}
		if ls, ok := lazyLocked(v, media.Schema.Schema(), schema_validation.SchemaValidationPurposeRequestBody); ok {
			found[mt] = ls
		}
		if n := compileJSON(media.Schema); n != nil {
			walks[mt] = n
		}
	}
	if len(found) == rb.Content.Len() {
		op.reqSchemas = found
		if len(walks) > 0 {
			op.reqWalks = walks
		}
	}
}

// validateRequestFast validates an operation with a JSON request body:
// its parameters as the library does, in the library's order, and its
// body against the held compiled schema. A body the fast path does not
// find valid (or cannot judge: no or another content type, empty, not
// JSON, a read error) goes to the library, so every verdict and every
// finding of a bad request is the library's own.
//
// paramsOK says paramsValid found every parameter valid: the library's
// parameter checks would find nothing, so they are skipped.
func (v *Validator) validateRequestFast(r *http.Request, op *Operation, paramsOK bool) Findings {
	bodyOK := fastRequestBody(r, op)
	if paramsOK && bodyOK {
		return nil
	}
	op.warmRequest()
	var errs []*liberrors.ValidationError
	lib, item := libOf(v).lib, modelOf(op).pathItem
	if !paramsOK {
		pv := lib.GetParameterValidator()
		for _, check := range [...]func(*http.Request, *v3.PathItem, string) (bool, []*liberrors.ValidationError){
			pv.ValidatePathParamsWithPathItem,
			pv.ValidateCookieParamsWithPathItem,
			pv.ValidateHeaderParamsWithPathItem,
			pv.ValidateSecurityWithPathItem,
			pv.ValidateQueryParamsWithPathItem,
		} {
			if ok, e := check(r, item, op.Path); !ok {
				errs = append(errs, e...)
			}
		}
	}
	if !bodyOK {
		if ok, e := lib.GetRequestBodyValidator().ValidateRequestBodyWithPathItem(r, item, op.Path); !ok {
			errs = append(errs, e...)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fromLibErrors(errs, "")
}

// fastRequestBody reports whether r's body is a JSON value its declared
// schema accepts. false means "ask the library", not "invalid". The body
// is put back for the library and the handler.
func fastRequestBody(r *http.Request, op *Operation) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" || r.Body == nil || r.Body == http.NoBody {
		return false
	}
	mt, _, _ := helpers.ExtractContentType(ct)
	lazy := op.reqSchemas[mt]
	if lazy == nil {
		return false
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		// Replay what was read, then the same error, to the library.
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(body) == 0 {
		return false
	}
	if n := op.reqWalks[mt]; n != nil {
		if valid, sure := walkJSON(n, body); valid && sure {
			return true
		}
	}
	schema := lazy.get()
	if schema == nil {
		return false
	}
	var value any
	if json.Unmarshal(body, &value) != nil {
		return false
	}
	return schema.Validate(value) == nil
}
