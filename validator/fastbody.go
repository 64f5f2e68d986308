package validator

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/schema_validation"
)

// prepareResponses keeps, per declared response and JSON media type, the
// schema the library compiles for it (compiled now for a document that is
// not trusted, so one that does not compile leaves the response to the
// library; on first need for a trusted one, whose schemas all compile). libopenapi-validator finds that
// schema again on every call by deep-hashing the schema model (a quarter
// of a response validation); holding the pointer skips that.
func (v *Validator) prepareResponses(op *Operation) {
	for _, d := range op.responses {
		decl := responseDecl(d)
		if decl == nil || decl.Content == nil {
			continue
		}
		found := map[string]*lazySchema{}
		for mt, media := range decl.Content.FromOldest() {
			if !isJSON(mt) || media.Schema == nil || media.Schema.Schema() == nil {
				break
			}
			if ls, ok := lazyLocked(v, media.Schema.Schema(), schema_validation.SchemaValidationPurposeResponseBody); ok {
				found[mt] = ls
			}
			if n := compileJSON(media.Schema); n != nil {
				if d.walks == nil {
					d.walks = map[string]*jnode{}
				}
				d.walks[mt] = n
			}
		}
		// Only a response whose every media type is JSON with a
		// compiled schema takes the fast path.
		if len(found) == decl.Content.Len() {
			d.schemas = found
			d.bareTypes = true
			for mt := range found {
				if parsed, params, err := mime.ParseMediaType(mt); err != nil || parsed != mt || len(params) > 0 {
					d.bareTypes = false
				}
			}
		}
	}
}

func isJSON(mediaType string) bool {
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

// fastBody validates a response whose every declared media type is JSON
// with a compiled schema: headers, content type and body, with the same
// compiled schema the library would use. ok is false when the response
// isn't of that kind, and the library must validate it.
func (d declaredResponse) fastBody(status int, header http.Header, body []byte) (Findings, bool) {
	if len(d.schemas) == 0 {
		return nil, false
	}
	var fs Findings
	for _, h := range d.rules {
		val := header.Get(h.name)
		switch {
		case val == "" && h.required:
			fs = append(fs, Finding{In: "header", Field: h.name, Message: fmt.Sprintf("is required on a %d response", status)})
		case val != "" && h.integer:
			if _, err := strconv.ParseInt(val, 10, 64); err != nil {
				fs = append(fs, Finding{In: "header", Field: h.name, Message: "must be an integer"})
			}
		}
	}
	ct := header.Get("Content-Type")
	// A declared type that parses as itself is its own media type;
	// anything else (a parameter, another case, spaces) is parsed.
	mt, err := ct, error(nil)
	lazy, declared := d.schemas[ct]
	if !declared || !d.bareTypes || strings.IndexByte(ct, ';') >= 0 {
		mt, _, err = mime.ParseMediaType(ct)
		lazy, declared = d.schemas[mt]
	}
	if err != nil || !declared {
		return append(fs, Finding{In: "content-type", Field: "Content-Type",
			Message: fmt.Sprintf("%q is not declared for status %d (declared: %s)", ct, status, strings.Join(d.declaredTypes(), ", "))}), true
	}
	if len(body) == 0 {
		return append(fs, Finding{In: "body", Message: fmt.Sprintf("status %d declares content, but the response body is empty", status)}), true
	}
	if n := d.walks[mt]; n != nil {
		if valid, sure := walkJSON(n, body); valid && sure {
			return fs, true
		}
	}
	schema := lazy.get()
	if schema == nil {
		return nil, false
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return append(fs, Finding{In: "body", Message: "is not valid JSON: " + err.Error()}), true
	}
	if err := schema.Validate(value); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return append(fs, fromSchemaError(ve, "body")...), true
		}
		return append(fs, Finding{In: "body", Message: err.Error()}), true
	}
	return fs, true
}

func (d declaredResponse) declaredTypes() []string {
	out := make([]string, 0, len(d.schemas))
	for mt := range d.schemas {
		out = append(out, mt)
	}
	return out
}
