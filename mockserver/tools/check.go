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
	actionTypes = []sandboxroute.ActionType{sandboxroute.ActionTypeUnspecified, sandboxroute.ActionTypeReadOnly, sandboxroute.ActionTypeReversible, sandboxroute.ActionTypeIrreversible}
	resultTypes = []sandboxroute.ResultType{sandboxroute.ResultTypeUnspecified, sandboxroute.ResultTypeString, sandboxroute.ResultTypeJSON,
		sandboxroute.ResultTypeBoolean, sandboxroute.ResultTypeInteger, sandboxroute.ResultTypeTool}
	toolTypes = []ToolType{ToolTypeUnspecified, ToolTypeAPI, ToolTypePredefined, ToolTypeAgentTool, ToolTypePythonScript, ToolTypeLLMBuiltIn, ToolTypeMCP}
	// httpMethods are the methods the mock renders and sends.
	httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
)

// Bounds of a code tool's timeout (the Fruxon plugin docs: 1–120, default
// 60); 0 means the default.
const (
	minCodeTimeout = 1
	maxCodeTimeout = 120
)

// checkTool checks a tool's fields (not its id) and returns its normalised
// deep copy: actionType absent or UNSPECIFIED is READ_ONLY; toolType and
// resultType follow the descriptor; findings go under prefix.
func checkTool(f core.Findings, prefix string, t Tool) Tool {
	t.DisplayName = core.ClonePtr(t.DisplayName)
	t.Description = core.ClonePtr(t.Description)
	t.ActionType = checkAction(f, core.Join(prefix, "actionType"), t.ActionType)
	t.Descriptor, t.ToolType, t.ResultType = checkDescriptor(f, prefix, t.Descriptor)
	t.ParametersMetadata = integrations.NormalizeParameters(f, core.Join(prefix, "parametersMetadata"), t.ParametersMetadata)
	t.Pricing = clonePricing(t.Pricing)
	t.AuthSettings = cloneAuthSettings(t.AuthSettings)
	return t
}

// checkAction reports an action type outside the enum and maps the zero
// sentinel (absent or UNSPECIFIED) to READ_ONLY.
func checkAction(f core.Findings, path string, a sandboxroute.ActionType) sandboxroute.ActionType {
	if a == "" || a == sandboxroute.ActionTypeUnspecified {
		return sandboxroute.ActionTypeReadOnly
	}
	if !slices.Contains(actionTypes, a) {
		f.Add(path, "%s", core.OneOf(actionTypes...))
	}
	return a
}

// checkDescriptor checks a tool descriptor and returns its normalised copy
// with the tool type and result type it implies. Exactly one member must be
// set. An apiTool needs httpMethod and url; its resultType defaults to
// JSON, its maps to {}.
func checkDescriptor(f core.Findings, prefix string, d ToolDescriptor) (ToolDescriptor, ToolType, sandboxroute.ResultType) {
	d = cloneDescriptor(d)
	path := core.Join(prefix, "descriptor")
	set := 0
	for _, ok := range []bool{d.APITool != nil, d.PredefinedTool != nil, d.MCPTool != nil, d.CodeTool != nil} {
		if ok {
			set++
		}
	}
	if set != 1 {
		f.Add(path, "must set exactly one of apiTool, predefinedTool, mcpTool, codeTool (%d set)", set)
		return d, ToolTypeUnspecified, sandboxroute.ResultTypeUnspecified
	}
	result := func(p string, rt *sandboxroute.ResultType, def sandboxroute.ResultType) sandboxroute.ResultType {
		*rt = core.DefaultEnum(f, p+".resultType", *rt, def, resultTypes)
		return *rt
	}
	switch {
	case d.APITool != nil:
		checkAPITool(f, path+".apiTool", d.APITool)
		return d, ToolTypeAPI, result(path+".apiTool", &d.APITool.ResultType, sandboxroute.ResultTypeJSON)
	case d.PredefinedTool != nil:
		return d, ToolTypePredefined, result(path+".predefinedTool", &d.PredefinedTool.ResultType, sandboxroute.ResultTypeUnspecified)
	case d.MCPTool != nil:
		return d, ToolTypeMCP, result(path+".mcpTool", &d.MCPTool.ResultType, sandboxroute.ResultTypeUnspecified)
	default:
		c := d.CodeTool
		if c.Code == nil || strings.TrimSpace(*c.Code) == "" {
			f.Add(path+".codeTool.code", "is required")
		}
		if c.TimeoutSeconds != 0 && (c.TimeoutSeconds < minCodeTimeout || c.TimeoutSeconds > maxCodeTimeout) {
			f.Add(path+".codeTool.timeoutSeconds", "must be between %d and %d (0 means the default, 60)", minCodeTimeout, maxCodeTimeout)
		}
		if c.Packages == nil {
			c.Packages = []string{}
		}
		return d, ToolTypePythonScript, result(path+".codeTool", &c.ResultType, sandboxroute.ResultTypeUnspecified)
	}
}

// checkAPITool checks an HTTP request template in place.
func checkAPITool(f core.Findings, path string, a *APITool) {
	switch {
	case a.HTTPMethod == "":
		f.Add(path+".httpMethod", "is required")
	case !slices.Contains(httpMethods, a.HTTPMethod):
		f.Add(path+".httpMethod", "%s", core.OneOf(httpMethods...))
	}
	if a.URL == "" {
		f.Add(path+".url", "is required")
	}
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
	if a.FormParameters == nil {
		a.FormParameters = map[string]string{}
	}
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
