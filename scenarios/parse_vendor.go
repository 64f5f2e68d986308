package scenarios

import (
	"slices"

	"gopkg.in/yaml.v3"
)

var (
	vendorStubKeys         = []string{"integration", "tool", "route", "tenant", "response"}
	vendorStubResponseKeys = []string{"status", "headers", "body"}
	vendorStubRoutes       = []string{RouteProduction, RouteVendor, RouteSimulated}
)

func (p *parser) vendorStub(n *yaml.Node, field string) (VendorStub, error) {
	var vs VendorStub
	o, err := p.object(n, field, vendorStubKeys...)
	if err != nil {
		return vs, err
	}
	if err := p.require(o, "integration", "response"); err != nil {
		return vs, err
	}
	vs.Line = o.n.Line
	for _, f := range []struct {
		key string
		dst *string
	}{{"integration", &vs.Integration}, {"tool", &vs.Tool}, {"route", &vs.Route}, {"tenant", &vs.Tenant}} {
		key, dst := f.key, f.dst
		if !o.has(key) {
			continue
		}
		if *dst, err = p.text(o.get(key), o.at(key)); err != nil {
			return vs, err
		}
		if *dst == "" {
			return vs, p.errf(o.get(key), o.at(key), "must not be empty (leave it out to match any)")
		}
	}
	if vs.Route != "" && !slices.Contains(vendorStubRoutes, vs.Route) {
		return vs, p.errf(o.get("route"), o.at("route"), "must be %q, %q or %q", RouteProduction, RouteVendor, RouteSimulated)
	}
	r, err := p.object(o.get("response"), o.at("response"), vendorStubResponseKeys...)
	if err != nil {
		return vs, err
	}
	if err := p.require(r, "status"); err != nil {
		return vs, err
	}
	if vs.Status, err = p.status(r.get("status"), r.at("status")); err != nil {
		return vs, err
	}
	if r.has("headers") {
		if vs.Headers, _, err = p.stringMap(r.get("headers"), r.at("headers")); err != nil {
			return vs, err
		}
	}
	if r.has("body") {
		if vs.Body, err = p.value(r.get("body"), r.at("body"), nil); err != nil {
			return vs, err
		}
	}
	return vs, nil
}
