package validator

import (
	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/schema_validation"
)

// RequestSchema returns the compiled schema the validator checks a request
// body of the given JSON media type against, or nil when there is none
// (the operation takes no body, declares no such media type, the type is
// not JSON, or its schema does not compile). The schema is shared: callers
// must treat it as read-only.
func (o *Operation) RequestSchema(mediaType string) *jsonschema.Schema {
	o.prepare()
	if ls := o.reqSchemas[mediaType]; ls != nil {
		return ls.get()
	}
	return compileRequestSchema(o, mediaType)
}

// compileRequestSchema compiles a JSON request media type's schema that
// the fast path doesn't hold (the operation declares a media type that
// isn't JSON beside it); the library's cache keeps it.
func compileRequestSchema(o *Operation, mediaType string) *jsonschema.Schema {
	rb := modelOf(o).op.RequestBody
	if rb == nil || rb.Content == nil || !isJSON(mediaType) {
		return nil
	}
	media, ok := rb.Content.Get(mediaType)
	if !ok || media == nil || media.Schema == nil {
		return nil
	}
	v := o.owner
	v.compileMu.Lock()
	defer v.compileMu.Unlock()
	return compiledLocked(v, media.Schema.Schema(), schema_validation.SchemaValidationPurposeRequestBody)
}
