package validator

import "github.com/pb33f/jsonschema/v6"

// RequestSchema returns the compiled schema the validator checks a request
// body of the given media type against, or nil when it holds none (the
// operation takes no body, or one of its media types is not JSON). The
// schema is shared: callers must treat it as read-only.
func (o *Operation) RequestSchema(mediaType string) *jsonschema.Schema {
	o.prepare()
	if ls := o.reqSchemas[mediaType]; ls != nil {
		return ls.get()
	}
	return nil
}
