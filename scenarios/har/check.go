package har

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
)

// Result is the verdict on one entry.
type Result struct {
	Index       int    `json:"entry"`
	Method      string `json:"method"`
	URL         string `json:"url"` // without its query, which may hold secrets
	OperationID string `json:"operationId,omitempty"`
	Status      int    `json:"status"`
	// Findings name a body's fields by JSON paths rooted at $
	// ("$.displayName"), as devtools show them.
	Findings []validator.Finding `json:"findings"`
	// Skipped says why the entry was not checked (no operation matches
	// its URL); Notes what of it was not checked; Error why it could not
	// be read.
	Skipped string   `json:"skipped,omitempty"`
	Notes   []string `json:"notes,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// Report is the verdict on a file.
type Report struct {
	Results                                  []Result
	Checked, Skipped, Violations, Unreadable int
}

// Check validates every entry of f whose URL matches an operation of v.
func Check(f *File, v *validator.Validator) *Report {
	rep := &Report{}
	for _, e := range f.Entries {
		res := checkEntry(e, v)
		switch {
		case res.Error != "":
			rep.Unreadable++
		case res.Skipped != "":
			rep.Skipped++
		default:
			rep.Checked++
			if len(res.Findings) > 0 {
				rep.Violations++
			}
		}
		rep.Results = append(rep.Results, res)
	}
	return rep
}

func checkEntry(e Entry, v *validator.Validator) Result {
	res := Result{Index: e.Index, Method: e.Request.Method, Status: e.Response.Status, Findings: []validator.Finding{}}
	if e.Err != nil {
		res.Error = e.Err.Error()
		return res
	}
	u, err := url.Parse(e.Request.URL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		res.URL = e.Request.URL
		if i := strings.IndexByte(res.URL, '?'); i >= 0 {
			res.URL = res.URL[:i]
		}
		res.Error = fmt.Sprintf("request.url %q is not an absolute URL", res.URL)
		return res
	}
	res.URL = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	op, _, err := v.Match(e.Request.Method, u.Path)
	if err != nil {
		if me, ok := err.(*validator.MatchError); ok && me.Status == http.StatusMethodNotAllowed {
			res.Findings = append(res.Findings, validator.Finding{In: "method", Message: err.Error()})
			return res
		}
		res.Skipped = "no operation of the spec matches this path"
		return res
	}
	res.OperationID = op.ID
	req, err := buildRequest(e, u)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	for _, f := range v.ValidateRequest(req, op) {
		res.Findings = append(res.Findings, rooted(f))
	}
	if e.Response.Status == 0 {
		res.Notes = append(res.Notes, "no response was recorded")
		return res
	}
	body, note, err := responseBody(e.Response)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	if note != "" {
		res.Notes = append(res.Notes, note)
		return res
	}
	h := http.Header{}
	for _, nv := range e.Response.Headers {
		if strings.HasPrefix(nv.Name, ":") {
			continue
		}
		h.Add(nv.Name, nv.Value)
	}
	// A HAR holds the decoded body: its coding and length no longer apply.
	h.Del("Content-Encoding")
	h.Del("Content-Length")
	if h.Get("Content-Type") == "" && e.Response.Content.MimeType != "" && len(body) > 0 {
		h.Set("Content-Type", e.Response.Content.MimeType)
	}
	for _, f := range v.ValidateResponse(req, op, e.Response.Status, h, body) {
		res.Findings = append(res.Findings, rooted(f))
	}
	return res
}

// rooted is f with a body field's path rooted at $ ("$.displayName",
// "$" for the whole body).
func rooted(f validator.Finding) validator.Finding {
	if f.In == "body" && f.Field != "" {
		f.Field = "$." + f.Field
	} else if f.In == "body" {
		f.Field = "$"
	}
	return f
}

func buildRequest(e Entry, u *url.URL) (*http.Request, error) {
	var body string
	if pd := e.Request.PostData; pd != nil && pd.Text != nil {
		body = *pd.Text
	}
	req, err := http.NewRequest(e.Request.Method, u.String(), strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("request: %v", err)
	}
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for _, nv := range e.Request.Headers {
		if strings.HasPrefix(nv.Name, ":") || strings.EqualFold(nv.Name, "Content-Length") {
			continue // HTTP/2 pseudo-headers; the length is the body's
		}
		req.Header.Add(nv.Name, nv.Value)
	}
	if pd := e.Request.PostData; pd != nil && req.Header.Get("Content-Type") == "" && pd.MimeType != "" {
		req.Header.Set("Content-Type", pd.MimeType)
	}
	return req, nil
}

// responseBody decodes a response's content; note says why it can't be
// checked (the browser didn't keep it).
func responseBody(r Response) (body []byte, note string, err error) {
	c := r.Content
	if c.Text == nil {
		if c.Size > 0 {
			return nil, fmt.Sprintf("the %d-byte response body was not recorded: only the request was checked", c.Size), nil
		}
		return nil, "", nil
	}
	if strings.EqualFold(c.Encoding, "base64") {
		b, err := base64.StdEncoding.DecodeString(*c.Text)
		if err != nil {
			return nil, "", fmt.Errorf("response.content.text is not valid base64: %v", err)
		}
		return b, "", nil
	}
	if c.Encoding != "" {
		return nil, "", fmt.Errorf("response.content.encoding %q is not supported (want base64 or none)", c.Encoding)
	}
	return []byte(*c.Text), "", nil
}
