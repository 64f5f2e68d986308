package replay

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/fruxon/fruxon-mock/scenarios"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/validator"
)

// maxAnswer caps how much of an answer's body a step reads.
const maxAnswer = 16 << 20

// step sends one step's request to the target and checks its answer. It
// fills vars with the step's captures.
func (x *replayer) step(ctx context.Context, s *scenarios.Scenario, st *scenarios.Step, vars scenarios.Vars, session string) StepReport {
	ans, res, problems := x.exchange(ctx, x.a, s, st, vars, session, true)
	if ans == nil {
		return res
	}
	if len(problems) > 0 {
		res.Outcome, res.Reason = Failed, strings.Join(problems, "\n")
		return res
	}
	res.Outcome = Passed
	return res
}

// exchange sends a step's request to one side and checks the answer: the
// contract, the step's expectations and, when all hold, its captures into
// vars. The answer is nil when the request couldn't be built (res then
// says why); primary sides count in coverage and fill res.
func (x *replayer) exchange(ctx context.Context, sd *side, s *scenarios.Scenario, st *scenarios.Step, vars scenarios.Vars, session string, primary bool) (*answer, StepReport, []string) {
	res := StepReport{Name: st.Name, Method: st.Request.Method}
	req, err := x.request(ctx, sd, s, st, vars, session)
	if err != nil {
		res.Outcome, res.Reason = Failed, err.Error()
		return nil, res, nil
	}
	res.Path = req.URL.Path
	start := time.Now()
	client := x.opts.Client
	if st.Expect.Error {
		client = x.fresh
	}
	resp, err := client.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
		resp.Body.Close()
	}
	res.Duration = time.Since(start)
	ans := &answer{req: req, body: body, err: err}
	exp := &st.Expect
	var problems []string
	if d := exp.MinDuration; d > 0 && res.Duration < d {
		problems = append(problems, fmt.Sprintf("answered in %s, want at least %s", res.Duration.Round(time.Millisecond), d))
	}
	if d := exp.MaxDuration; d > 0 && res.Duration > d {
		problems = append(problems, fmt.Sprintf("answered in %s, want at most %s", res.Duration.Round(time.Millisecond), d))
	}
	if err != nil {
		if resp != nil {
			res.Status = resp.StatusCode
		}
		if !exp.Error {
			problems = append([]string{"transport error: " + err.Error()}, problems...)
		}
		return ans, res, problems
	}
	ans.resp = resp
	res.Status = resp.StatusCode
	if exp.Error {
		return ans, res, append([]string{fmt.Sprintf("want a transport error (a dropped connection), got status %d", resp.StatusCode)}, problems...)
	}
	problems = append(problems, x.contract(req, resp, body, primary)...)
	problems = append(problems, x.check(exp, vars, resp, body)...)
	if len(problems) == 0 {
		problems = append(problems, capture(st.Capture, vars, resp, body)...)
	}
	return ans, res, problems
}

// request builds a step's request with its templates rendered.
func (x *replayer) request(ctx context.Context, sd *side, s *scenarios.Scenario, st *scenarios.Step, vars scenarios.Vars, session string) (*http.Request, error) {
	rq := &st.Request
	path, err := vars.Expand(rq.Path)
	if err != nil {
		return nil, fmt.Errorf("request.path: %v", err)
	}
	u, err := url.Parse(sd.base + path)
	if err != nil {
		return nil, fmt.Errorf("request.path: %v", err)
	}
	if len(rq.Query) > 0 {
		q := url.Values{}
		for _, p := range rq.Query {
			for _, v := range p.Values {
				ev, err := vars.Expand(v)
				if err != nil {
					return nil, fmt.Errorf("request.query.%s: %v", p.Name, err)
				}
				q.Add(p.Name, ev)
			}
		}
		u.RawQuery = q.Encode()
	}
	var body io.Reader
	var contentType string
	switch {
	case rq.HasBody:
		v, err := vars.ExpandValue(rq.Body)
		if err != nil {
			return nil, fmt.Errorf("request.body: %v", err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("request.body: %v", err)
		}
		body, contentType = bytes.NewReader(b), "application/json"
	case rq.RawBody != nil:
		raw, err := vars.Expand(*rq.RawBody)
		if err != nil {
			return nil, fmt.Errorf("request.rawBody: %v", err)
		}
		body = strings.NewReader(raw)
	case rq.Multipart != nil:
		b, ct, err := formBody(rq.Multipart, vars)
		if err != nil {
			return nil, err
		}
		body, contentType = bytes.NewReader(b), ct
	}
	req, err := http.NewRequestWithContext(ctx, rq.Method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("request: %v", err)
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if sd.token != "" && !rq.NoAuth {
		req.Header.Set("Authorization", "Bearer "+sd.token)
	}
	if len(s.Stubs) > 0 || len(s.VendorStubs) > 0 {
		req.Header.Set(scenarios.ScenarioHeader, s.Name)
	}
	req.Header.Set(scenarios.SessionHeader, session)
	for k, v := range rq.Headers {
		ev, err := vars.Expand(v)
		if err != nil {
			return nil, fmt.Errorf("request.headers.%s: %v", k, err)
		}
		if ev == "" {
			req.Header.Del(k) // an empty value leaves the header out
			continue
		}
		req.Header.Set(k, ev)
	}
	if rq.NoAuth {
		req.Header.Del("Authorization")
	}
	if x.opts.ControlToken != "" && scenarios.ControlPath(req.URL.Path) && req.Header.Get(scenarios.ControlTokenHeader) == "" {
		req.Header.Set(scenarios.ControlTokenHeader, x.opts.ControlToken)
	}
	return req, nil
}

// contract validates an answer against the spec. A path that matches no
// operation must be answered 404, a method the path doesn't allow 405. The
// mock's own control plane (/_mock/…, e.g. the tool-run debugger a step
// may use) is no part of the Integrations API's contract: not checked.
func (x *replayer) contract(req *http.Request, resp *http.Response, body []byte, primary bool) []string {
	if scenarios.ControlPath(req.URL.Path) {
		return nil
	}
	op, _, err := x.opts.Validator.Match(req.Method, req.URL.Path)
	if err != nil {
		if primary {
			x.cover(req, nil, resp.StatusCode, resp.Header, body)
		}
		var me *validator.MatchError
		if errors.As(err, &me) && resp.StatusCode != me.Status {
			return []string{fmt.Sprintf("contract: %v, so the answer must be %d, not %d", err, me.Status, resp.StatusCode)}
		}
		return nil
	}
	if primary {
		x.cover(req, op, resp.StatusCode, resp.Header, body)
	}
	if fs := x.opts.Validator.ValidateResponse(req, op, resp.StatusCode, resp.Header, body); len(fs) > 0 {
		return []string{fmt.Sprintf("contract: the %d answer to %s breaks the spec: %s", resp.StatusCode, op.ID, fs)}
	}
	return nil
}

// check compares an answer with the step's expectations.
func (x *replayer) check(exp *scenarios.Expect, vars scenarios.Vars, resp *http.Response, body []byte) []string {
	var out []string
	if exp.Status != 0 && resp.StatusCode != exp.Status {
		msg := fmt.Sprintf("status: want %d, got %d", exp.Status, resp.StatusCode)
		if detail := problemDetail(body); detail != "" {
			msg += " (" + detail + ")"
		}
		out = append(out, msg)
	}
	for _, name := range sortedKeys(exp.Headers) {
		m, err := exp.Headers[name].Expand(vars)
		if err != nil {
			out = append(out, fmt.Sprintf("headers.%s: %v", name, err))
			continue
		}
		vals := resp.Header.Values(name)
		var got any
		if len(vals) > 0 {
			got = strings.Join(vals, ", ")
		}
		if why := m.Match(got, len(vals) > 0); why != "" {
			out = append(out, fmt.Sprintf("header %s: %s", name, why))
		}
	}
	if exp.EmptyBody && len(body) > 0 {
		out = append(out, fmt.Sprintf("body: want none, got %d bytes", len(body)))
	}
	var doc any
	parsed := false
	if exp.HasBody || len(exp.JSONPath) > 0 {
		if err := json.Unmarshal(body, &doc); err != nil {
			out = append(out, fmt.Sprintf("body: not JSON (%v)", err))
		} else {
			parsed = true
		}
	}
	if parsed && exp.HasBody {
		want, err := vars.ExpandValue(exp.Body)
		if err != nil {
			out = append(out, "body: "+err.Error())
		} else {
			out = append(out, scenarios.Subset("$", want, doc, true)...)
		}
	}
	if parsed {
		for _, a := range exp.JSONPath {
			out = append(out, assert(a, vars, doc)...)
		}
	}
	for _, secret := range exp.NoSecretEchoed {
		s, err := vars.Expand(secret)
		if err != nil {
			out = append(out, "noSecretEchoed: "+err.Error())
			continue
		}
		if where := scenarios.Echoed(s, resp.Header, body); where != "" {
			out = append(out, fmt.Sprintf("noSecretEchoed: a secret appears in the %s", where))
		}
	}
	return out
}

// assert checks one JSONPath assertion. A path that selects several values
// ([*]) passes when any of them matches, and "absent" when none exist.
func assert(a scenarios.Assertion, vars scenarios.Vars, doc any) []string {
	want, err := vars.ExpandValue(a.Want)
	if err != nil {
		return []string{a.Path + ": " + err.Error()}
	}
	got := a.Expr().Select(doc)
	if len(got) == 0 {
		return scenarios.Subset(a.Path, want, nil, false)
	}
	var first []string
	for _, g := range got {
		d := scenarios.Subset(a.Path, want, g, true)
		if len(d) == 0 {
			return nil
		}
		if first == nil {
			first = d
		}
	}
	if a.Expr().Wildcard() && len(got) > 1 {
		return []string{fmt.Sprintf("%s: none of the %d values matches (first: %s)", a.Path, len(got), strings.Join(first, "; "))}
	}
	return first
}

// capture stores the step's captures into vars.
func capture(caps []scenarios.Capture, vars scenarios.Vars, resp *http.Response, body []byte) []string {
	if len(caps) == 0 {
		return nil
	}
	var doc any
	parsed := json.Unmarshal(body, &doc) == nil
	var out []string
	for _, c := range caps {
		if c.Header != "" {
			v := resp.Header.Get(c.Header)
			if v == "" {
				out = append(out, fmt.Sprintf("capture %s: the answer has no %s header", c.Var, c.Header))
				continue
			}
			if v, ok := matchCapture(c, v, &out); ok {
				vars[c.Var] = v
			}
			continue
		}
		if !parsed {
			out = append(out, fmt.Sprintf("capture %s: the body is not JSON", c.Var))
			continue
		}
		got := c.Expr().Select(doc)
		if len(got) == 0 {
			out = append(out, fmt.Sprintf("capture %s: %s selects nothing", c.Var, c.Path))
			continue
		}
		v, ok := matchCapture(c, got[0], &out)
		if ok {
			vars[c.Var] = v
		}
	}
	return out
}

// matchCapture applies a capture's match: the value must be a string, and
// its part the regular expression selects (first group, or whole match) is
// kept. A miss is reported into out.
func matchCapture(c scenarios.Capture, v any, out *[]string) (any, bool) {
	if c.Match == nil {
		return v, true
	}
	s, ok := v.(string)
	if !ok {
		*out = append(*out, fmt.Sprintf("capture %s: match needs a string, got %T", c.Var, v))
		return nil, false
	}
	m := c.Match.FindStringSubmatch(s)
	switch {
	case m == nil:
		*out = append(*out, fmt.Sprintf("capture %s: %q does not match %s", c.Var, s, c.Match))
		return nil, false
	case len(m) > 1:
		return m[1], true
	}
	return m[0], true
}

// problemDetail is a problem body's detail, to explain a wrong status.
func problemDetail(body []byte) string {
	var p struct {
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &p) != nil {
		return ""
	}
	if len(p.Detail) > 200 {
		return p.Detail[:197] + "..."
	}
	return p.Detail
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// formBody renders a step's multipart parts: the body and its Content-Type
// (with the boundary).
func formBody(parts []scenarios.FormPart, vars scenarios.Vars) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i, fp := range parts {
		where := fmt.Sprintf("request.multipart[%d]", i)
		value, err := vars.Expand(fp.Value)
		if err != nil {
			return nil, "", fmt.Errorf("%s.value: %v", where, err)
		}
		var w io.Writer
		if fp.FileName == "" {
			w, err = mw.CreateFormField(fp.Name)
		} else {
			var name string
			if name, err = vars.Expand(fp.FileName); err != nil {
				return nil, "", fmt.Errorf("%s.fileName: %v", where, err)
			}
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": fp.Name, "filename": name}))
			h.Set("Content-Type", cmp.Or(fp.ContentType, "application/octet-stream"))
			w, err = mw.CreatePart(h)
		}
		if err == nil {
			_, err = io.WriteString(w, value)
		}
		if err != nil {
			return nil, "", fmt.Errorf("%s: %v", where, err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("request.multipart: %v", err)
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}
