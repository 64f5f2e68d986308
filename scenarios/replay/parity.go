package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/validator"
)

// Divergence is one way the compare target's answer to a step differs
// from the target's (parity mode, Options.Compare).
type Divergence struct {
	// Where is "status", "transport", "header NAME", "body" (a body that
	// isn't JSON) or the JSON path of a body value ($.items[0].status).
	Where string `json:"where"`
	// What differs there: "status", "value", "type", "missing", "length",
	// "media type".
	What string `json:"what"`
	// A and B are the two sides' values, as JSON where they are JSON.
	A string `json:"a"`
	B string `json:"b"`
}

func (d Divergence) String() string {
	if d.What == d.Where || d.Where == "transport" {
		return fmt.Sprintf("diverged: %s: A %s | B %s", d.Where, d.A, d.B)
	}
	return fmt.Sprintf("diverged: %s (%s): A %s | B %s", d.Where, d.What, d.A, d.B)
}

// side is one target of a replay: A (Options.Target) or, in parity mode,
// B (Options.Compare).
type side struct {
	label string
	base  string
	token string
	// mock: the target answered /_mock/health (set unless KeepSessions),
	// so the sessions a replay made there are deleted after it.
	mock bool
}

// reachable checks that a target answers HTTP at all (any status will
// do), so a target that is down stops a parity run with its URL named
// instead of failing every step.
func reachable(ctx context.Context, client *http.Client, what, base string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	if err != nil {
		return fmt.Errorf("replay: %s %s: %v", what, base, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s is unreachable: %v", what, base, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	return nil
}

// answer is what one side answered to a step.
type answer struct {
	req  *http.Request
	resp *http.Response // nil on a transport error
	body []byte
	err  error // the transport error
}

// compareStep runs a step against both targets, each with its own
// variables (ids minted on one side chain on that side), validates both
// answers and reports how B's differs from A's. captured names the
// variables the scenario captured so far, whose values are masked.
func (x *replayer) compareStep(ctx context.Context, s *scenarios.Scenario, st *scenarios.Step, varsA, varsB scenarios.Vars, captured map[string]bool, session string) (StepReport, bool) {
	ansA, res, probA := x.exchange(ctx, x.a, s, st, varsA, session, true)
	if ansA == nil {
		return res, false
	}
	ansB, resB, probB := x.exchange(ctx, x.b, s, st, varsB, session, false)
	if ansB == nil {
		res.Outcome, res.Reason = Failed, "B: "+resB.Reason
		return res, false
	}
	for _, c := range st.Capture {
		captured[c.Var] = true
	}
	divs := x.diverge(ansA, ansB, varsA, varsB, captured)
	// Only diverged: both sides passed their own checks and captured
	// their variables, so the scenario's later steps can still run.
	goOn := len(probA) == 0 && len(probB) == 0
	if len(divs) > 0 && (divs[0].Where == "status" || divs[0].Where == "transport") {
		// B's answer is another answer altogether: its misses against the
		// step's expectations say the same again; keep its contract breaks.
		probB = slices.DeleteFunc(probB, func(p string) bool { return !strings.HasPrefix(p, "contract:") })
	}
	var reasons []string
	for _, p := range probA {
		reasons = append(reasons, "A: "+p)
	}
	for _, p := range probB {
		reasons = append(reasons, "B: "+p)
	}
	for _, d := range divs {
		reasons = append(reasons, d.String())
	}
	res.Divergences = divs
	if len(reasons) == 0 {
		res.Outcome = Passed
		return res, false
	}
	res.Outcome, res.Reason = Failed, strings.Join(reasons, "\n")
	return res, goOn
}

// diverge compares B's answer with A's: transport, status, declared
// headers, body shape and values, with volatile values masked and
// Options.Ignore's paths left out.
func (x *replayer) diverge(a, b *answer, varsA, varsB scenarios.Vars, captured map[string]bool) []Divergence {
	switch {
	case a.resp == nil && b.resp == nil:
		return nil
	case a.resp == nil:
		return []Divergence{{Where: "transport", What: "error", A: "error: " + a.err.Error(), B: fmt.Sprintf("status %d", b.resp.StatusCode)}}
	case b.resp == nil:
		return []Divergence{{Where: "transport", What: "error", A: fmt.Sprintf("status %d", a.resp.StatusCode), B: "error: " + b.err.Error()}}
	}
	if a.resp.StatusCode != b.resp.StatusCode {
		return []Divergence{{Where: "status", What: "status", A: statusText(a), B: statusText(b)}}
	}
	d := &differ{varsA: varsA, varsB: varsB, captured: captured, baseA: x.a.base, baseB: x.b.base}
	var decl *declared
	if op, _, err := x.opts.Validator.Match(a.req.Method, a.req.URL.Path); err == nil {
		decl = declaredResponse(op, a.resp.StatusCode, a.resp.Header)
	}
	d.headers(a.resp.Header, b.resp.Header, decl)
	d.body(a, b, decl, x.opts.Ignore)
	return d.out
}

// statusText is a status with its problem's detail, if any.
func statusText(a *answer) string {
	s := strconv.Itoa(a.resp.StatusCode)
	if detail := problemDetail(a.body); detail != "" {
		s += fmt.Sprintf(" (%s)", detail)
	}
	return s
}

// declared is what the operation declares for an answer's status: its
// headers, and the schema of the answer's media type (nil: none).
type declared struct {
	headers []string
	schema  *validator.Schema
}

// declaredResponse is the response the operation declares for a status
// (exact, then NXX, then default), or nil.
func declaredResponse(op *validator.Operation, status int, h http.Header) *declared {
	headers, schema, ok := op.Response(status, mediaType(h))
	if !ok {
		return nil
	}
	return &declared{headers: headers, schema: schema}
}

// differ collects the divergences of one step.
type differ struct {
	varsA, varsB scenarios.Vars
	baseA, baseB string // the targets' base URLs, which links in answers hold
	captured     map[string]bool
	out          []Divergence
}

func (d *differ) add(where, what, a, b string) {
	d.out = append(d.out, Divergence{Where: where, What: what, A: a, B: b})
}

// headers compares the media type and every header the response declares
// but ETag (a version tag each server mints its own way).
func (d *differ) headers(a, b http.Header, decl *declared) {
	if ma, mb := mediaType(a), mediaType(b); ma != mb {
		d.add("header Content-Type", "media type", quoteOr(ma), quoteOr(mb))
	}
	if decl == nil {
		return
	}
	var names []string
	for _, name := range decl.headers {
		names = append(names, http.CanonicalHeaderKey(name))
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		if name == "Etag" || name == "Content-Type" {
			continue
		}
		va, oka := headerValue(a, name)
		vb, okb := headerValue(b, name)
		switch {
		case oka != okb:
			d.add("header "+name, "missing", presence(va, oka), presence(vb, okb))
		case d.normalize(va, d.varsA, d.baseA) != d.normalize(vb, d.varsB, d.baseB):
			d.add("header "+name, "value", strconv.Quote(va), strconv.Quote(vb))
		}
	}
}

func headerValue(h http.Header, name string) (string, bool) {
	vals := h.Values(name)
	return strings.Join(vals, ", "), len(vals) > 0
}

func presence(v string, ok bool) string {
	if !ok {
		return "(absent)"
	}
	return strconv.Quote(v)
}

func quoteOr(s string) string {
	if s == "" {
		return "(none)"
	}
	return strconv.Quote(s)
}

func mediaType(h http.Header) string {
	ct := h.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(ct)
	}
	return mt
}

// body compares the bodies: as JSON values when both are JSON, byte for
// byte otherwise.
func (d *differ) body(a, b *answer, decl *declared, ignore []*scenarios.JSONPath) {
	if len(a.body) == 0 && len(b.body) == 0 {
		return
	}
	var docA, docB any
	errA, errB := json.Unmarshal(a.body, &docA), json.Unmarshal(b.body, &docB)
	if errA != nil || errB != nil {
		if string(a.body) != string(b.body) {
			d.add("body", "value", rawText(a.body, errA), rawText(b.body, errB))
		}
		return
	}
	var schema *validator.Schema
	if decl != nil {
		schema = decl.schema
	}
	start := len(d.out)
	d.value("$", "", docA, docB, schema)
	if len(ignore) == 0 {
		return
	}
	var ignored []string
	for _, ig := range ignore {
		ignored = append(ignored, ig.Locate(docA)...)
		ignored = append(ignored, ig.Locate(docB)...)
	}
	kept := d.out[:start]
	for _, dv := range d.out[start:] {
		if !under(dv.Where, ignored) {
			kept = append(kept, dv)
		}
	}
	d.out = kept
}

// under reports whether a normalized path is one of the roots or inside one.
func under(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, r) && (path[len(r)] == '.' || path[len(r)] == '[') {
			return true
		}
	}
	return false
}

func rawText(body []byte, err error) string {
	if len(body) == 0 {
		return "(empty)"
	}
	s := fmt.Sprintf("%d bytes", len(body))
	if err != nil {
		s += " (not JSON)"
	}
	return s
}

// value compares two JSON values at path; name is the member name that
// holds them ("" for array elements and the root), schema what the
// contract declares there (nil: unknown).
func (d *differ) value(path, name string, a, b any, schema *validator.Schema) {
	ka, kb := kind(a), kind(b)
	if ka != kb {
		d.add(path, "type", short(a), short(b))
		return
	}
	if d.masked(name, a, b, schema) {
		return
	}
	switch va := a.(type) {
	case map[string]any:
		vb := b.(map[string]any)
		keys := make([]string, 0, len(va)+len(vb))
		for k := range va {
			keys = append(keys, k)
		}
		for k := range vb {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			at := path + scenarios.NormalizedMember(k)
			ea, oka := va[k]
			eb, okb := vb[k]
			switch {
			case !oka:
				d.add(at, "missing", "(absent)", short(eb))
			case !okb:
				d.add(at, "missing", short(ea), "(absent)")
			default:
				d.value(at, k, ea, eb, property(schema, k))
			}
		}
	case []any:
		vb := b.([]any)
		if len(va) != len(vb) {
			d.add(path, "length", fmt.Sprintf("%d items %s", len(va), short(va)), fmt.Sprintf("%d items %s", len(vb), short(vb)))
		}
		elem := items(schema)
		for i := range min(len(va), len(vb)) {
			d.value(path+"["+strconv.Itoa(i)+"]", "", va[i], vb[i], elem)
		}
	case string:
		if d.normalize(va, d.varsA, d.baseA) != d.normalize(b.(string), d.varsB, d.baseB) {
			d.add(path, "value", short(a), short(b))
		}
	default:
		if !reflect.DeepEqual(a, b) {
			d.add(path, "value", short(a), short(b))
		}
	}
}

// masked reports whether a pair of values of the same kind is volatile,
// so only its kind is compared: a schema format uuid or date-time, a
// member named like a timestamp (createdAt, expiresAt), a trace id or a
// token, or values the scenario captured into the same variable on both
// sides.
func (d *differ) masked(name string, a, b any, schema *validator.Schema) bool {
	if volatileName(name) || volatileFormat(schema, 0) {
		return true
	}
	if _, ok := a.(map[string]any); ok {
		return false
	}
	if _, ok := a.([]any); ok {
		return false
	}
	for v := range d.captured {
		if equalJSON(d.varsA[v], a) && equalJSON(d.varsB[v], b) {
			return true
		}
	}
	return false
}

// volatileName reports whether a member's value is minted per server or
// per moment: traceId, a *Token, a minted key's *KeyPrefix, a timestamp
// named like createdAt.
func volatileName(name string) bool {
	lower := strings.ToLower(name)
	if name == "traceId" || name == "etag" || strings.HasSuffix(lower, "token") || strings.HasSuffix(lower, "keyprefix") {
		return true
	}
	n := len(name)
	return n > 2 && strings.HasSuffix(name, "At") && name[n-3] >= 'a' && name[n-3] <= 'z'
}

// volatileFormat reports whether a schema (or one of its allOf, anyOf,
// oneOf branches) declares format uuid or date-time.
func volatileFormat(s *validator.Schema, depth int) bool {
	if s == nil || depth > 8 {
		return false
	}
	if s.Format == "uuid" || s.Format == "date-time" {
		return true
	}
	for _, group := range [][]*validator.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, b := range group {
			if volatileFormat(b, depth+1) {
				return true
			}
		}
	}
	return false
}

// property is the schema of a member: declared in properties (of the
// schema or one of its branches), else additionalProperties.
func property(s *validator.Schema, name string) *validator.Schema {
	return searchSchema(s, 0, func(s *validator.Schema) (*validator.Schema, bool) {
		for _, p := range s.Properties {
			if p.Name == name {
				return p.Schema, true
			}
		}
		return nil, false
	}, func(s *validator.Schema) (*validator.Schema, bool) {
		return s.AdditionalProperties, s.AdditionalProperties != nil
	})
}

// items is the schema of an array's elements.
func items(s *validator.Schema) *validator.Schema {
	return searchSchema(s, 0, func(s *validator.Schema) (*validator.Schema, bool) {
		return s.Items, s.Items != nil
	}, nil)
}

// searchSchema answers what own finds in s, else, depth first, in its
// allOf/anyOf/oneOf branches, else what after (when given) finds in s;
// nil when none does within 8 levels.
func searchSchema(s *validator.Schema, depth int, own, after func(*validator.Schema) (*validator.Schema, bool)) *validator.Schema {
	if s == nil || depth > 8 {
		return nil
	}
	if found, ok := own(s); ok {
		return found
	}
	for _, group := range [][]*validator.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, b := range group {
			if found := searchSchema(b, depth+1, own, after); found != nil {
				return found
			}
		}
	}
	if after != nil {
		if found, ok := after(s); ok {
			return found
		}
	}
	return nil
}

var (
	uuidPattern = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// volatileQuery is a URL's query parameter minted per request: an
	// OAuth state or nonce, a code, a token.
	volatileQuery = regexp.MustCompile(`([?&](?:state|nonce|code|[A-Za-z_]*[Tt]oken)=)[^&#\s"]*`)
	// mintedKey is a key the mock mints per server, whole or cut to its
	// prefix (an inbound webhook key in a URL or a problem's instance,
	// an MCP key, an asset webhook's key or signing secret).
	mintedKey = regexp.MustCompile(`\b(whk|whsec|fx_mcp)_[A-Za-z0-9_-]+…?`)
)

// normalize masks the volatile parts of a string: the target's own base
// URL (a link the server built from its address), the values of captured
// variables (an id inside a URL), UUIDs, and query parameters minted per
// request (state, nonce, code, *token), and keys the mock mints (whk_,
// whsec_, fx_mcp_), whole or cut to their prefix.
func (d *differ) normalize(s string, vars scenarios.Vars, base string) string {
	if base != "" {
		s = strings.ReplaceAll(s, base, "{{base}}")
	}
	s = volatileQuery.ReplaceAllString(s, "${1}{{volatile}}")
	s = mintedKey.ReplaceAllString(s, "${1}_{{volatile}}")
	type sub struct{ val, name string }
	var subs []sub
	for name := range d.captured {
		if v, ok := vars[name].(string); ok && len(v) >= 4 {
			subs = append(subs, sub{v, name})
		}
	}
	// Longest first, so an id that contains another is replaced whole.
	slices.SortFunc(subs, func(a, b sub) int {
		if c := len(b.val) - len(a.val); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	for _, r := range subs {
		s = strings.ReplaceAll(s, r.val, "{{"+r.name+"}}")
	}
	return uuidPattern.ReplaceAllString(s, "{{uuid}}")
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func equalJSON(a, b any) bool {
	if a == nil {
		return false
	}
	if reflect.DeepEqual(a, b) {
		return true
	}
	// A captured number may be an int or float64 depending on its source.
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// short is a value as compact JSON, cut to 80 characters.
func short(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}
