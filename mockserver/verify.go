package mockserver

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/journal"
)

// verifyRequest is the body of POST /_mock/verify.
type verifyRequest struct {
	Session      *string           `json:"session"`
	OperationID  *string           `json:"operationId"`
	Method       *string           `json:"method"`
	Path         *string           `json:"path"`
	BodyContains json.RawMessage   `json:"bodyContains"`
	Headers      map[string]string `json:"headers"`
	Count        *int              `json:"count"`
	AtLeast      *int              `json:"atLeast"`
}

// VerifyResult answers POST /_mock/verify.
type VerifyResult struct {
	Matched    bool       `json:"matched"`
	Count      int        `json:"count"`
	NearMisses []NearMiss `json:"nearMisses"`
}

// NearMiss is a request that did not match a pattern, and why.
type NearMiss struct {
	Request     MissedRequest `json:"request"`
	Differences []string      `json:"differences"`
}

// MissedRequest identifies a near miss.
type MissedRequest struct {
	Method      string  `json:"method"`
	Path        string  `json:"path"`
	OperationID *string `json:"operationId"`
	Time        int64   `json:"time"`
}

// maxNearMisses bounds a verification's near misses.
const maxNearMisses = 5

// pattern is a checked verifyRequest.
type pattern struct {
	operationID, method string
	path                *regexp.Regexp
	pathText            string
	body                any
	hasBody             bool
	headers             map[string]string
}

var (
	pathTemplateSyntax = regexp.MustCompile(`^/[^{}\s?#]*(\{[A-Za-z0-9_]+\}[^{}\s?#]*)*$`)
	methodSyntax       = regexp.MustCompile(`^[A-Z]+$`)
)

// handleVerify serves POST /_mock/verify.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	id, _, ok := s.controlSession(w, r, false)
	if !ok {
		return
	}
	var in verifyRequest
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.checkPattern(in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.Session != nil {
		id = *in.Session
	}
	var entries []journal.Entry
	switch sess := s.sessions.lookup(id); {
	case id == "":
		entries = s.journal.List(journal.Filter{NoSession: true})
	case sess != nil:
		entries = sess.journal.List(journal.Filter{})
	default:
		entries = s.journal.List(journal.Filter{Session: id})
	}
	res := VerifyResult{NearMisses: []NearMiss{}}
	var misses []NearMiss
	for _, e := range entries {
		diffs := s.differences(p, e)
		if len(diffs) == 0 {
			res.Count++
			continue
		}
		misses = append(misses, NearMiss{Request: MissedRequest{Method: e.Method, Path: e.Path, OperationID: e.OperationID, Time: e.Time}, Differences: diffs})
	}
	switch {
	case in.Count != nil:
		res.Matched = res.Count == *in.Count
	case in.AtLeast != nil:
		res.Matched = res.Count >= *in.AtLeast
	default:
		res.Matched = res.Count >= 1
	}
	if !res.Matched {
		// Entries are newest first; a stable sort keeps that among equals.
		slices.SortStableFunc(misses, func(a, b NearMiss) int { return cmp.Compare(len(a.Differences), len(b.Differences)) })
		res.NearMisses = append(res.NearMisses, misses[:min(len(misses), maxNearMisses)]...)
	}
	writeJSON(w, http.StatusOK, res)
}

// checkPattern checks a pattern beyond its schema, naming each bad field.
func (s *Server) checkPattern(in verifyRequest) (pattern, error) {
	f := map[string][]string{}
	add := func(field, msg string) { f[field] = append(f[field], msg) }
	var p pattern
	if in.Session != nil {
		if msg := sessionMessage(*in.Session); msg != "" {
			add("session", msg)
		}
	}
	if in.OperationID != nil {
		p.operationID = *in.OperationID
		if s.api.Operation(p.operationID) == nil && s.control.Operation(p.operationID) == nil {
			add("operationId", fmt.Sprintf("no operation is named %q", p.operationID))
		}
		if in.Method != nil || in.Path != nil {
			add("operationId", "give either operationId or method and path, not both")
		}
	}
	if in.Method != nil {
		p.method = *in.Method
		if !methodSyntax.MatchString(p.method) {
			add("method", "must be an upper-case HTTP method such as GET or POST")
		}
	}
	if in.Path != nil {
		p.pathText = *in.Path
		if !pathTemplateSyntax.MatchString(p.pathText) {
			add("path", "must be a path starting with '/' whose {name} segments are the only braces, without a query")
		} else {
			p.path = regexp.MustCompile("^" + templateRegexp(p.pathText) + "$")
		}
	}
	if len(in.BodyContains) > 0 && string(in.BodyContains) != "null" {
		p.hasBody = true
		if err := json.Unmarshal(in.BodyContains, &p.body); err != nil {
			add("bodyContains", "must be a JSON value")
		}
	}
	for name := range in.Headers {
		if name == "" || strings.ContainsAny(name, " :\r\n") {
			add("headers", fmt.Sprintf("%q is not a header name", name))
		}
	}
	p.headers = in.Headers
	if in.Count != nil && in.AtLeast != nil {
		add("atLeast", "give count or atLeast, not both")
	}
	if in.Count != nil && *in.Count < 0 {
		add("count", "must be at least 0")
	}
	if in.AtLeast != nil && *in.AtLeast < 0 {
		add("atLeast", "must be at least 0")
	}
	if len(f) > 0 {
		return p, &core.Error{Kind: core.KindInvalid, Op: "Verify", Detail: "the verification pattern has invalid fields", Fields: f}
	}
	return p, nil
}

// templateRegexp turns a path template into a regular expression whose
// {name} segments match one path segment (up to a ':' custom method).
func templateRegexp(t string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(t))
			return b.String()
		}
		j := strings.IndexByte(t[i:], '}') + i
		b.WriteString(regexp.QuoteMeta(t[:i]))
		b.WriteString(`[^/:]+`)
		t = t[j+1:]
	}
}

// differences lists how an entry differs from a pattern; none means it
// matches.
func (s *Server) differences(p pattern, e journal.Entry) []string {
	var d []string
	op := ""
	if e.OperationID != nil {
		op = *e.OperationID
	}
	if p.operationID != "" && op != p.operationID {
		d = append(d, fmt.Sprintf("operationId: expected %q, got %q", p.operationID, op))
	}
	if p.method != "" && e.Method != p.method {
		d = append(d, fmt.Sprintf("method: expected %q, got %q", p.method, e.Method))
	}
	if p.path != nil && !p.path.MatchString(e.Path) {
		d = append(d, fmt.Sprintf("path: expected %s, got %s", p.pathText, e.Path))
	}
	if len(p.headers) > 0 || p.hasBody {
		c := s.capturedOf(e)
		if len(p.headers) > 0 {
			d = append(d, headerDifferences(p.headers, c)...)
		}
		if p.hasBody {
			d = append(d, bodyDifferences(p.body, c)...)
		}
	}
	return d
}

// captured is what verification compares of a request beyond its method
// and path.
type captured struct {
	// header maps lower-case names to their first value; secret values
	// (secretHeaders) are digests.
	header map[string]string
	// body is the request's body as read; nil when there is none to
	// compare, and then note says why.
	body []byte
	note string
}

// capturedOf reads an entry's request for verification: from its kept
// exchange, or, when exchanges are not kept (Config.NoExchangeCapture),
// from its sealed capture. nil header: nothing was kept.
func (s *Server) capturedOf(e journal.Entry) captured {
	if x := e.Exchange; x != nil && e.Capture == nil {
		c := captured{header: captureHeader(x.RequestHeader)}
		switch {
		case x.Request.Truncated:
			c.note = "the body was over 64 KiB and was not kept"
		case len(x.Request.Bytes) > 0:
			c.body = x.Request.Bytes
		}
		return c
	}
	capt := e.Capture
	if capt == nil {
		return captured{}
	}
	c := captured{header: capt.Header, note: capt.BodyNote}
	if capt.SealedBody != "" {
		raw, err := s.box.Open(capt.SealedBody)
		if err != nil {
			c.note = "could not be read back"
		} else {
			c.body = []byte(raw)
		}
	}
	return c
}

func headerDifferences(want map[string]string, c captured) []string {
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	var d []string
	for _, name := range names {
		lower := strings.ToLower(name)
		w := want[name]
		got, ok := c.header[lower]
		switch {
		case !ok:
			d = append(d, fmt.Sprintf("header %s: expected %q, got nothing", name, w))
		case secretHeaders[lower]:
			if digest(w) != got {
				d = append(d, fmt.Sprintf("header %s: differs (a secret, not shown)", name))
			}
		case got != w:
			d = append(d, fmt.Sprintf("header %s: expected %q, got %q", name, w, got))
		}
	}
	return d
}

// bodyDifferences puts digests in place of the captured body's secrets,
// and compares.
func bodyDifferences(want any, c captured) []string {
	if c.body == nil {
		why := "the request had no body"
		if c.note != "" {
			why = c.note
		}
		return []string{"body: " + why}
	}
	var got any
	if err := json.Unmarshal(c.body, &got); err != nil {
		return []string{"body: not JSON"}
	}
	return jsonDifferences("body", want, hideSecrets(got, false), true)
}

// secretValue is a secret of a captured body, kept as its digest.
type secretValue string

// hideSecrets replaces the values of auth parameters, auth maps and
// credential keys with digests, wherever they sit in a body.
func hideSecrets(v any, secret bool) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			inner := secret || k == "authMap" || k == "oAuthCredentialKey" || (k == "parameters" && t["integrationAuthMetadataId"] != nil)
			t[k] = hideSecrets(x, inner)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = hideSecrets(x, secret)
		}
		return t
	case string:
		if secret {
			return secretValue(digest(t))
		}
	case float64, bool:
		if secret {
			b, _ := json.Marshal(t)
			return secretValue(digest(string(b)))
		}
	}
	return v
}

// jsonDifferences compares a JSON value with an expected subset: objects
// by the members listed, arrays element by element (same length), other
// values equal.
func jsonDifferences(at string, want, got any, present bool) []string {
	if !present {
		return []string{fmt.Sprintf("%s: expected %s, got nothing", at, show(want))}
	}
	if sv, ok := got.(secretValue); ok {
		wantText, isString := want.(string)
		if !isString {
			b, _ := json.Marshal(want)
			wantText = string(b)
		}
		if digest(wantText) != string(sv) {
			return []string{at + ": differs (a secret, not shown)"}
		}
		return nil
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: expected an object, got %s", at, show(got))}
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var d []string
		for _, k := range keys {
			gv, ok := g[k]
			d = append(d, jsonDifferences(at+"."+k, w[k], gv, ok)...)
		}
		return d
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: expected an array, got %s", at, show(got))}
		}
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: expected %d elements, got %d", at, len(w), len(g))}
		}
		var d []string
		for i := range w {
			d = append(d, jsonDifferences(fmt.Sprintf("%s[%d]", at, i), w[i], g[i], true)...)
		}
		return d
	}
	if show(want) != show(got) {
		return []string{fmt.Sprintf("%s: expected %s, got %s", at, show(want), show(got))}
	}
	return nil
}

// show renders a JSON value for a difference; secrets never get here.
func show(v any) string {
	if _, ok := v.(secretValue); ok {
		return "(a secret, not shown)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 120 {
		return string(b[:117]) + "…"
	}
	return string(b)
}
