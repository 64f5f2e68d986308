package sandboxroute

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// Values fill a tool's {{name}} placeholders: run parameters first, then
// config parameters, then built-ins (tenant, integration, config). A
// declared parameter without a value renders empty; any other name has no
// value.
type Values struct {
	Run      map[string]any
	Config   map[string]any
	Builtins map[string]string
	// Declared names the parameters the tool and the integration declare.
	Declared map[string]bool
}

// lookup finds a placeholder's value as text.
func (v Values) lookup(name string) (string, bool) {
	if x, ok := v.Run[name]; ok && x != nil {
		return valueText(x), true
	}
	if x, ok := v.Config[name]; ok && x != nil {
		return valueText(x), true
	}
	if x, ok := v.Builtins[name]; ok {
		return x, true
	}
	return "", v.Declared[name]
}

// Rendered is a tool's request with its placeholders filled and, after
// InjectAuth, its credential: secrets in the clear, for sending only.
type Rendered struct {
	Method  string
	URL     string
	Headers map[string]string
	Body    *string
}

// placeholder matches {{name}}, spaces inside the braces allowed.
var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}`)

// Render fills the tool's url, headers, query values and body; a query
// parameter whose value renders empty from placeholders is left out. Values go
// into the URL escaped for where they land (path segment or query), except
// a placeholder that starts the URL, which is a base URL and goes in as
// is; query parameters are encoded; headers and body take the text as is
// (a string as itself, anything else as JSON). A JSON body without a
// Content-Type header gets application/json. A placeholder without a
// value is a KindInvalid error naming each such placeholder.
func Render(t Template, v Values) (Rendered, error) {
	r := renderer{v: v, missing: map[string][]string{}}
	out := Rendered{Method: t.HTTPMethod, Headers: make(map[string]string, len(t.Headers))}
	out.URL = r.url(t.URL)
	if u, err := url.Parse(out.URL); err == nil && u.User != nil {
		// It would travel as a Basic credential, outside the auth the
		// config declares and its redaction.
		r.bad = append(r.bad, "the rendered URL carries userinfo (user:password@ before the host); credentials belong in the config's auth")
	}
	if len(t.QueryParameters) > 0 {
		q := url.Values{}
		for name, tmpl := range t.QueryParameters {
			// A parameter that is only a placeholder is left out when empty.
			if val := r.text(tmpl, "descriptor.apiTool.queryParameters."+name); val != "" || !placeholder.MatchString(tmpl) {
				q.Set(name, val)
			}
		}
		if len(q) > 0 {
			sep := "?"
			if strings.Contains(out.URL, "?") {
				sep = "&"
			}
			out.URL += sep + q.Encode()
		}
	}
	for name, tmpl := range t.Headers {
		val := r.text(tmpl, "descriptor.apiTool.headers."+name)
		if strings.IndexFunc(val, func(c rune) bool { return c < 0x20 && c != '\t' || c == 0x7f }) >= 0 {
			r.bad = append(r.bad, "header "+name+" renders to a value with a control character (NUL, a line break, DEL …), which no header value may carry")
		}
		out.Headers[name] = val
	}
	if t.Body != nil {
		body := r.text(*t.Body, "descriptor.apiTool.body")
		out.Body = &body
		if !hasHeader(out.Headers, "Content-Type") && json.Valid([]byte(body)) {
			out.Headers["Content-Type"] = "application/json"
		}
	}
	return out, r.err()
}

type renderer struct {
	v       Values
	missing map[string][]string // placeholder name → where it is used
	bad     []string
}

// url renders a URL template, escaping each value for its position.
func (r *renderer) url(tmpl string) string {
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(tmpl, -1) {
		b.WriteString(tmpl[last:m[0]])
		last = m[1]
		val, ok := r.value(tmpl[m[2]:m[3]], "descriptor.apiTool.url")
		switch {
		case !ok:
		case m[0] == 0:
			b.WriteString(val)
		case strings.ContainsAny(b.String(), "?#"):
			b.WriteString(url.QueryEscape(val))
		default:
			b.WriteString(url.PathEscape(val))
		}
	}
	b.WriteString(tmpl[last:])
	return b.String()
}

// text renders a template as plain text.
func (r *renderer) text(tmpl, where string) string {
	return placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		val, _ := r.value(placeholder.FindStringSubmatch(m)[1], where)
		return val
	})
}

func (r *renderer) value(name, where string) (string, bool) {
	val, ok := r.v.lookup(name)
	if !ok && !slices.Contains(r.missing[name], where) {
		r.missing[name] = append(r.missing[name], where)
	}
	return val, ok
}

// err reports the missing placeholders under parameters.<name>, the field
// a caller can fix.
func (r *renderer) err() error {
	if len(r.missing) == 0 && len(r.bad) == 0 {
		return nil
	}
	f := map[string][]string{}
	names := slices.Sorted(maps.Keys(r.missing))
	for _, name := range names {
		f["parameters."+name] = []string{fmt.Sprintf(
			"is required by the placeholder {{%s}} in %s, and is not a run parameter, config parameter or built-in (tenant, integration, config)",
			name, strings.Join(r.missing[name], ", "))}
	}
	if len(r.bad) > 0 {
		f["parameters"] = append(f["parameters"], r.bad...)
	}
	detail := "the tool's request could not be rendered"
	if len(names) > 0 {
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = "{{" + n + "}}"
		}
		detail = "the tool's request has placeholders without a value: " + strings.Join(quoted, ", ")
	}
	return &core.Error{Kind: core.KindInvalid, Op: "RunTool", Detail: detail, Fields: f}
}

// valueText is a parameter value as template text: a string as itself,
// anything else as its JSON text.
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
