package sandboxroute

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
)

// Call is one tool run for the router to render and answer. The caller
// (the tools room) has found the tool, checked the parameters, decided the
// route and read the config's material.
type Call struct {
	Tenant string
	Config string
	Tool   Tool
	Route  Route
	// Params are the run's parameters, checked against the tool's.
	Params map[string]any
	// SecretParams names the run parameters the tool declares secret.
	SecretParams []string
	// Declared names every parameter the tool and its integration declare:
	// a placeholder may name one that has no value.
	Declared map[string]bool
	// Prod is the published revision's material; Use is what the route
	// uses (Prod, or the revision's sandboxVariant for VENDOR).
	Prod, Use integrations.RunConfig
	// Stubs are vendor stubs for this call only (the scenarios that apply
	// to the request); any of them that matches takes precedence over the
	// router's stubs, however specific those are.
	Stubs []VendorStub
}

// Outcome is what a call rendered and what answered it, secrets redacted.
type Outcome struct {
	Request    Rendered
	Response   StubResponse
	AnsweredBy AnsweredBy
}

// Answer renders a call's request, injects its credential, and sends it or
// answers it in place (see answer); what it returns has every secret
// redacted. Errors are *core.Error (a bad placeholder: 400) or *Error
// (502, 504).
func (r *Router) Answer(ctx context.Context, c Call) (Outcome, error) {
	p := prepare(c)
	req, err := Render(c.Tool.Template, p.values)
	if err != nil {
		return Outcome{}, err
	}
	inj := InjectAuth(&req, p.auth)
	red := NewRedactor(append(p.secrets, inj.Values...)...)
	ans, err := r.answer(ctx, c, req, red)
	if e := (*Error)(nil); errors.As(err, &e) {
		e.Detail = red.String(e.Detail)
	}
	if err != nil {
		r.log.WarnContext(ctx, "tool run failed", slog.String("tenant", c.Tenant), slog.String("integration", c.Tool.Integration),
			slog.String("tool", c.Tool.ID), slog.String("config", c.Config), slog.String("route", string(c.Route)),
			slog.String("error", red.String(err.Error())))
		return Outcome{}, err
	}
	return Outcome{Request: red.Request(req, inj), Response: red.Response(ans.resp), AnsweredBy: ans.by}, nil
}

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
func prepare(c Call) prepared {
	secrets := slices.Concat(c.Prod.Secrets, c.Use.Secrets)
	for _, name := range c.SecretParams {
		if v, ok := c.Params[name]; ok {
			secrets = append(secrets, core.SecretTexts(v)...)
		}
	}
	cfg, auth := c.Use.Parameters, c.Use.Auth
	if c.Route == RouteSimulated {
		cfg, auth = masked(c.Use)
	}
	return prepared{
		values: Values{Run: c.Params, Config: cfg, Builtins: map[string]string{
			"tenant":      c.Tenant,
			"integration": c.Tool.Integration,
			"config":      c.Config,
		}, Declared: c.Declared},
		auth:    auth,
		secrets: secrets,
	}
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
func (r *Router) answer(ctx context.Context, c Call, req Rendered, red *Redactor) (answer, error) {
	tool := c.Tool
	if c.Route == RouteSimulated {
		if s, ok := r.matchStub(c, tool.ID, c.Route); ok {
			resp, err := stubAnswer(s)
			return answer{resp: resp, by: AnsweredByStub}, err
		}
		return answer{resp: Simulate(r.seed, tool, c.Params), by: AnsweredBySimulation}, nil
	}
	u, err := url.Parse(req.URL)
	if err == nil && r.allow.Allows(u) {
		resp, err := r.send(ctx, req, tool.ResultType, red)
		return answer{resp: resp, by: AnsweredByVendor}, err
	}
	if s, ok := r.matchStub(c, tool.ID, c.Route); ok {
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
		tool.Integration, tool.ID, c.Route, c.Tenant, target))}
}
