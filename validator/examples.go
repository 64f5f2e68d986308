package validator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// Example returns the spec's documented response of the operation for a
// status: the example called name, or the first one when name is "". It
// serves "Prefer: code=404, example=notFound" (Prism's convention). The
// status is looked up exactly, then by range ("4XX"), then as default.
//
// header holds what the answer must carry, Content-Type included, with the
// response's declared headers filled in: Retry-After "1",
// WWW-Authenticate "Bearer", ETag "\"1\"", any other header its documented
// example. A response that declares no content (204, 401, 403) has an empty
// body and contentType "". ok is false when the operation doesn't declare
// the status, or declares content without an example (or without one
// called name).
func (o *Operation) Example(status int, name string) (contentType string, body []byte, header http.Header, ok bool) {
	resp := responseOf(o, status)
	if resp == nil {
		return "", nil, nil, false
	}
	header = exampleHeaders(resp)
	if resp.Content == nil || resp.Content.Len() == 0 {
		if name != "" {
			return "", nil, nil, false
		}
		return "", nil, header, true
	}
	for mt, media := range resp.Content.FromOldest() {
		body, ok = mediaExample(media, name)
		if !ok {
			continue
		}
		header.Set("Content-Type", mt)
		return mt, body, header, true
	}
	return "", nil, nil, false
}

// ExampleNames lists the named examples of the response documented for
// status, in the spec's order across its media types; declared is false
// when the operation documents no response for status.
func (o *Operation) ExampleNames(status int) (names []string, declared bool) {
	resp := responseOf(o, status)
	if resp == nil {
		return nil, false
	}
	if resp.Content != nil {
		for _, media := range resp.Content.FromOldest() {
			if media == nil || media.Examples == nil {
				continue
			}
			for key := range media.Examples.FromOldest() {
				if !slices.Contains(names, key) {
					names = append(names, key)
				}
			}
		}
	}
	return names, true
}

// responseOf finds the declared response for a status in the high-level model.
func responseOf(o *Operation, status int) *v3.Response {
	op := modelOf(o).op
	if op == nil || op.Responses == nil {
		return nil
	}
	if op.Responses.Codes != nil {
		for _, key := range []string{strconv.Itoa(status), fmt.Sprintf("%dXX", status/100), fmt.Sprintf("%dxx", status/100)} {
			if r, found := op.Responses.Codes.Get(key); found && r != nil {
				return r
			}
		}
	}
	return op.Responses.Default
}

// mediaExample renders the named (or first) example of a media type as
// JSON; a media type's single "example" counts as the first one.
func mediaExample(m *v3.MediaType, name string) ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	if m.Examples != nil {
		for key, ex := range m.Examples.FromOldest() {
			if ex == nil || ex.Value == nil || (name != "" && key != name) {
				continue
			}
			var v any
			if err := ex.Value.Decode(&v); err != nil {
				return nil, false
			}
			return exampleJSON(v)
		}
	}
	if name == "" && m.Example != nil {
		var v any
		if err := m.Example.Decode(&v); err != nil {
			return nil, false
		}
		return exampleJSON(v)
	}
	return nil, false
}

func exampleJSON(v any) ([]byte, bool) {
	b, err := json.Marshal(v)
	return b, err == nil
}

// exampleHeaders fills the response's declared headers with values that
// satisfy their schemas.
func exampleHeaders(r *v3.Response) http.Header {
	h := http.Header{}
	if r.Headers == nil {
		return h
	}
	for name, decl := range r.Headers.FromOldest() {
		switch http.CanonicalHeaderKey(name) {
		case "Retry-After":
			h.Set(name, "1")
		case "Www-Authenticate":
			h.Set(name, "Bearer")
		case "Etag":
			h.Set(name, `"1"`)
		default:
			if decl == nil || decl.Example == nil {
				continue
			}
			var v any
			if err := decl.Example.Decode(&v); err == nil && v != nil {
				h.Set(name, fmt.Sprint(v))
			}
		}
	}
	return h
}
