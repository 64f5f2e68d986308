package validator

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// A fastParam is one declared path, query or header parameter, compiled
// once so a request's parameters are checked without the library (whose
// parameter validation re-renders schemas, builds regexps and maps per
// call: a quarter of a GET's cost). It only ever answers "valid": a value
// it cannot judge, or judges invalid, sends the whole request to the
// library, so every finding and problem body stays the library's own.
type fastParam struct {
	in       string // "path", "query" or "header"
	name     string // canonical for a header
	required bool
	kind     paramKind
	enum     bool // the schema has an enum: the library compares trimmed text
	// schema is the parameter's schema compiled as the library compiles it
	// for parameters (purpose "generic"); nil for booleans and string
	// arrays, which the library checks without it.
	schema *jsonschema.Schema
	// walk is the same schema compiled for walkJSON's checks, when it is
	// that simple: it spares the engine's per-call overhead.
	walk   *jnode
	seg    int    // path: index of the template segment holding it
	suffix string // path: literal after the parameter ("{config}:publish")
}

type paramKind int

const (
	paramString paramKind = iota
	paramInteger
	paramBoolean
	paramStringArray // form-exploded query array of unconstrained strings
)

// prepareParams compiles an operation's parameters. An operation with a
// parameter outside what the fast path understands (cookies, content
// parameters, objects, non-default styles, constrained arrays, integer
// enums) keeps fastParams nil and is checked by the library.
func (v *Validator) prepareParams(op *Operation) {
	var ps []fastParam
	m := modelOf(op)
	for _, p := range slices.Concat(m.pathItem.Parameters, m.op.Parameters) {
		fp, good := compileParamLocked(v, p, op)
		if !good {
			return
		}
		ps = append(ps, fp)
	}
	op.fastParams = ps
	op.paramsFast = true
}

// compileParamLocked compiles one parameter; the caller holds v.compileMu.
func compileParamLocked(v *Validator, p *v3.Parameter, op *Operation) (fastParam, bool) {
	if p == nil || p.Schema == nil || p.Content != nil && p.Content.Len() > 0 {
		return fastParam{}, false
	}
	s := p.Schema.Schema()
	if s == nil || len(s.Type) != 1 {
		return fastParam{}, false
	}
	fp := fastParam{in: p.In, name: p.Name, required: p.Required != nil && *p.Required, enum: s.Enum != nil}
	switch p.In {
	case "path":
		if p.Style != "" && p.Style != "simple" || p.IsExploded() {
			return fastParam{}, false
		}
		fp.seg = -1
		for i, sg := range op.segs {
			if sg.param == p.Name {
				fp.seg, fp.suffix = i, sg.suffix
			}
		}
		if fp.seg < 0 {
			return fastParam{}, false
		}
	case "query":
		if p.Style != "" && p.Style != "form" || p.AllowReserved {
			return fastParam{}, false
		}
	case "header":
		if p.Style != "" && p.Style != "simple" {
			return fastParam{}, false
		}
		fp.name = http.CanonicalHeaderKey(p.Name)
	default: // cookies
		return fastParam{}, false
	}
	switch s.Type[0] {
	case "string":
		fp.kind = paramString
	case "integer":
		if fp.enum {
			return fastParam{}, false // the library compares parsed numbers
		}
		fp.kind = paramInteger
	case "boolean":
		fp.kind = paramBoolean
		return fp, true
	case "array":
		if p.In != "query" || s.Items == nil || !s.Items.IsA() || s.MaxItems != nil || s.MinItems != nil || s.UniqueItems != nil {
			return fastParam{}, false
		}
		is := s.Items.A.Schema()
		if is == nil || len(is.Type) != 1 || is.Type[0] != "string" || is.Enum != nil {
			return fastParam{}, false
		}
		fp.kind = paramStringArray
		return fp, true
	default:
		return fastParam{}, false
	}
	if fp.schema = compiledLocked(v, s, schema_validation.SchemaValidationPurposeGeneric); fp.schema == nil {
		return fastParam{}, false
	}
	if n := compileJSON(p.Schema); fp.kind == paramString && n.simple(jtString) || fp.kind == paramInteger && n.simple(jtInteger) {
		fp.walk = n
	}
	return fp, true
}

// paramsValid reports whether every declared parameter of r is present
// when required and valid. false means "ask the library", not "invalid".
func (op *Operation) paramsValid(r *http.Request) bool {
	if !op.paramsFast || r.URL.Fragment != "" {
		return false
	}
	var segBuf [12]string
	var segs []string
	var query []queryPair
	queryRead := false
	for i := range op.fastParams {
		p := &op.fastParams[i]
		switch p.in {
		case "path":
			if segs == nil {
				segs = pathSegments(segBuf[:0], r.URL.EscapedPath())
				if !literalsMatch(op.segs, segs) {
					return false
				}
			}
			raw, found := strings.CutSuffix(segs[p.seg], p.suffix)
			if !found || p.suffix != "" && strings.Contains(raw, p.suffix) {
				return false
			}
			val, err := url.PathUnescape(raw)
			if err != nil || val == "" || !p.valueValid(val) {
				return false
			}
		case "query":
			if !queryRead {
				var ok bool
				if query, ok = parseQuery(r.URL.RawQuery); !ok {
					return false
				}
				queryRead = true
			}
			seen := false
			for _, q := range query {
				if q.key != p.name {
					continue
				}
				seen = true
				if p.kind != paramStringArray && !p.valueValid(q.value) {
					return false
				}
			}
			if !seen && p.required {
				return false
			}
		case "header":
			val := r.Header.Get(p.name)
			if val == "" {
				if p.required {
					return false
				}
				continue
			}
			if !p.valueValid(val) {
				return false
			}
		}
	}
	return true
}

// valueValid checks one decoded value as the library does for its type.
func (p *fastParam) valueValid(val string) bool {
	switch p.kind {
	case paramString:
		if p.enum && strings.TrimSpace(val) != val {
			return false
		}
		if p.walk != nil {
			return p.walk.textOK(val)
		}
		return p.schema.Validate(val) == nil
	case paramInteger:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return false
		}
		if p.walk != nil && n > -1<<53 && n < 1<<53 {
			return p.walk.numberOK(float64(n))
		}
		return p.schema.Validate(n) == nil
	case paramBoolean:
		_, err := strconv.ParseBool(val)
		return err == nil
	}
	return true
}

// pathSegments splits an escaped path into its non-empty segments, as the
// library does.
func pathSegments(out []string, path string) []string {
	for s := range strings.SplitSeq(path, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func literalsMatch(tmpl []segment, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, s := range tmpl {
		if s.param == "" && s.literal != segs[i] {
			return false
		}
	}
	return true
}

type queryPair struct{ key, value string }

// parseQuery decodes a raw query whose keys are plain names and whose
// values hold only unreserved characters, '+' and percent escapes; any
// other query (reserved characters the library flags or splits on,
// deep-object keys, malformed escapes, ';') is left to the library.
func parseQuery(raw string) ([]queryPair, bool) {
	if raw == "" {
		return nil, true
	}
	out := make([]queryPair, 0, 4)
	for piece := range strings.SplitSeq(raw, "&") {
		if piece == "" {
			continue
		}
		k, val, _ := strings.Cut(piece, "=")
		if k == "" || !plain(k, false) || !plain(val, true) {
			return nil, false
		}
		if strings.ContainsAny(val, "%+") {
			d, err := url.QueryUnescape(val)
			if err != nil || strings.ContainsAny(d, ",") {
				return nil, false
			}
			val = d
		}
		out = append(out, queryPair{k, val})
	}
	return out, true
}

func plain(s string, escapes bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
		case escapes && (c == '%' || c == '+'):
		default:
			return false
		}
	}
	return true
}
