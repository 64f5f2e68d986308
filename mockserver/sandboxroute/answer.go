package sandboxroute

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// prepared is what rendering a run needs: the placeholder values, the
// credential to inject, and every secret text to redact afterwards.
type prepared struct {
	values  Values
	auth    *integrations.RunAuth
	secrets []string
}

// prepare picks the run's material. A SIMULATED run sends nothing, so it
// uses no credential: secret config values and the auth parameters are
// replaced by the redaction marker before rendering, and the rendered
// request only shows the shape the real one would have.
func (r *Router) prepare(in RunInput, tool tools.Tool, it integrations.Integration, m material, params map[string]any) prepared {
	secrets := slices.Concat(m.prod.Secrets, m.use.Secrets)
	for _, p := range tool.ParametersMetadata {
		if v, ok := params[p.Name]; ok && p.Secret {
			secrets = append(secrets, core.SecretTexts(v)...)
		}
	}
	cfg, auth := m.use.Parameters, m.use.Auth
	if m.decision.Route == tools.RouteSimulated {
		cfg, auth = masked(m.use)
	}
	return prepared{
		values: Values{Run: params, Config: cfg, Builtins: map[string]string{
			"tenant":      in.Tenant,
			"integration": in.Integration,
			"config":      in.Input.ConfigID,
		}, Declared: declared(tool, it)},
		auth:    auth,
		secrets: secrets,
	}
}

// declared names the run and config parameters a tool may refer to.
func declared(tool tools.Tool, it integrations.Integration) map[string]bool {
	names := map[string]bool{}
	for _, p := range slices.Concat(tool.ParametersMetadata, it.ConfigMetadata.ParametersMetadata) {
		names[p.Name] = true
	}
	return names
}

// masked returns rc's parameters with every secret value replaced by
// Redacted, and its auth with every parameter so replaced.
func masked(rc integrations.RunConfig) (map[string]any, *integrations.RunAuth) {
	params := maps.Clone(rc.Parameters)
	for name, v := range params {
		if slices.Contains(rc.Secrets, valueText(v)) {
			params[name] = Redacted
		}
	}
	if rc.Auth == nil {
		return params, nil
	}
	a := *rc.Auth
	a.Parameters = make(map[string]any, len(rc.Auth.Parameters))
	for name := range rc.Auth.Parameters {
		a.Parameters[name] = Redacted
	}
	return params, &a
}

// answer is a response before redaction and what produced it.
type answer struct {
	resp StubResponse
	by   AnsweredBy
}

// answer produces the run's response. SIMULATED never leaves the process:
// a matching stub (one naming SIMULATED, or no route), else a generated
// value. Other routes send the
// request only when its target is allowed; otherwise a stub answers, and
// without one the run fails naming the stub to add.
func (r *Router) answer(ctx context.Context, in RunInput, tool tools.Tool, route tools.Route, req Rendered, params map[string]any, red *Redactor) (answer, error) {
	if route == tools.RouteSimulated {
		if s, ok := r.matchStub(in, tool.ID, route); ok {
			resp, err := stubAnswer(s)
			return answer{resp: resp, by: AnsweredByStub}, err
		}
		return answer{resp: Simulate(r.seed, tool, params), by: AnsweredBySimulation}, nil
	}
	u, err := url.Parse(req.URL)
	if err == nil && r.allow.Allows(u) {
		resp, err := r.send(ctx, req, tool.Descriptor.APITool.ResultType, red)
		return answer{resp: resp, by: AnsweredByVendor}, err
	}
	if s, ok := r.matchStub(in, tool.ID, route); ok {
		resp, err := stubAnswer(s)
		return answer{resp: resp, by: AnsweredByStub}, err
	}
	target := "its target"
	if err == nil && u.Host != "" {
		target = hostPort(u)
	}
	return answer{}, &Error{Kind: KindNoStub, Detail: red.String(fmt.Sprintf(
		"no vendor stub for integration %q, tool %q, route %s (tenant %q), and %s is not on --outbound-allow, so nothing was sent; "+
			"add a vendor stub with that integration, tool and route to the fixtures or a scenario, or allow the target",
		in.Integration, tool.ID, route, in.Tenant, target))}
}
