package tools

import (
	"maps"
	"slices"
	"strings"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

var (
	actionTypes = []sandboxroute.ActionType{sandboxroute.ActionTypeReadOnly, sandboxroute.ActionTypeReversible, sandboxroute.ActionTypeIrreversible}
	resultTypes = []sandboxroute.ResultType{sandboxroute.ResultTypeJSON, sandboxroute.ResultTypeString, sandboxroute.ResultTypeBoolean, sandboxroute.ResultTypeInteger}
	httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
)

// checkTool checks a tool's fields (not its id) and returns its normalised
// deep copy: actionType defaults to READ_ONLY; findings go under prefix.
func checkTool(f core.Findings, prefix string, t Tool) Tool {
	core.CheckText(f, prefix, t.DisplayName, t.Description)
	t.DisplayName = core.ClonePtr(t.DisplayName)
	t.Description = core.ClonePtr(t.Description)
	t.ActionType = core.DefaultEnum(f, core.Join(prefix, "actionType"), t.ActionType, sandboxroute.ActionTypeReadOnly, actionTypes)
	t.Descriptor = checkDescriptor(f, prefix, t.Descriptor)
	t.ParametersMetadata = integrations.NormalizeParameters(f, core.Join(prefix, "parametersMetadata"), t.ParametersMetadata)
	return t
}

// checkDescriptor checks a tool descriptor and returns its normalised copy:
// resultType defaults to JSON, headers and queryParameters to {}.
func checkDescriptor(f core.Findings, prefix string, d ToolDescriptor) ToolDescriptor {
	d = cloneDescriptor(d)
	a := &d.APITool
	path := core.Join(prefix, "descriptor.apiTool")
	switch {
	case a.HTTPMethod == "":
		f.Add(path+".httpMethod", "is required")
	case !slices.Contains(httpMethods, a.HTTPMethod):
		f.Add(path+".httpMethod", "%s", core.OneOf(httpMethods...))
	}
	if a.URL == "" {
		f.Add(path+".url", "is required")
	}
	a.ResultType = core.DefaultEnum(f, path+".resultType", a.ResultType, sandboxroute.ResultTypeJSON, resultTypes)
	if a.Headers == nil {
		a.Headers = map[string]string{}
	}
	for _, name := range slices.Sorted(maps.Keys(a.Headers)) {
		switch {
		case !isToken(name):
			f.Add(path+".headers."+name, "is not a valid HTTP header name (RFC 9110 token: letters, digits and !#$%%&'*+-.^_`|~)")
		case strings.IndexFunc(a.Headers[name], isCTL) >= 0:
			f.Add(path+".headers."+name, "holds a control character (NUL, a line break, DEL …), which no header value may carry")
		}
	}
	if a.QueryParameters == nil {
		a.QueryParameters = map[string]string{}
	}
	return d
}

// isToken reports whether s is an RFC 9110 token (a header field name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// isCTL reports a control character a header value may not hold (a
// horizontal tab is allowed).
func isCTL(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }
