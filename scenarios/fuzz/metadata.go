package fuzz

import (
	"fmt"
	"math/rand/v2"
)

// paramKind is one shape of declared parameter the chains generate
// metadata for, with values that satisfy it.
type paramKind int

const (
	kindString paramKind = iota
	kindOptions
	kindInteger
	kindFloat
	kindBoolean
	kindCount
)

// genParam is a generated parameter declaration and how to fill it.
type genParam struct {
	name     string
	kind     paramKind
	required bool
	lo, hi   int64
}

func (p genParam) metadata() obj {
	m := obj{"name": p.name, "required": p.required}
	switch p.kind {
	case kindString:
		m["type"] = "String"
	case kindOptions:
		m["type"] = "String"
		m["options"] = []any{obj{"value": "eu"}, obj{"value": "us"}, obj{"value": "ap"}}
	case kindInteger:
		m["type"] = "Integer"
		m["integerRange"] = obj{"min": p.lo, "max": p.hi}
	case kindFloat:
		m["type"] = "Float"
		m["floatRange"] = obj{"min": float64(p.lo), "max": float64(p.hi)}
	case kindBoolean:
		m["type"] = "Boolean"
	}
	return m
}

// value is a value the declaration accepts: its boundaries or between.
func (p genParam) value(r *rand.Rand) any {
	switch p.kind {
	case kindOptions:
		return []string{"eu", "us", "ap"}[r.IntN(3)]
	case kindInteger:
		return []int64{p.lo, p.hi, p.lo + r.Int64N(p.hi-p.lo+1)}[r.IntN(3)]
	case kindFloat:
		return []float64{float64(p.lo), float64(p.hi), float64(p.lo) + 0.5}[r.IntN(3)]
	case kindBoolean:
		return r.IntN(2) == 0
	}
	return fmt.Sprintf("v%d", r.IntN(1000))
}

// genIntegration is the metadata a chain creates an integration with.
type genIntegration struct {
	params   []genParam
	authType string
	secret   []string // names of the auth method's secret parameters
	plain    []string // its non-secret ones
}

func newGenIntegration(r *rand.Rand) genIntegration {
	var gi genIntegration
	for i := range 1 + r.IntN(4) {
		lo := int64(r.IntN(10))
		gi.params = append(gi.params, genParam{
			name: fmt.Sprintf("p%d", i), kind: paramKind(r.IntN(int(kindCount))),
			required: r.IntN(2) == 0, lo: lo, hi: lo + int64(r.IntN(100)),
		})
	}
	gi.authType = []string{"API_KEY", "BEARER_TOKEN", "BASIC"}[r.IntN(3)]
	switch gi.authType {
	case "BASIC":
		gi.plain, gi.secret = []string{"username"}, []string{"password"}
	case "BEARER_TOKEN":
		gi.secret = []string{"token"}
	default:
		gi.secret = []string{"apiKey"}
	}
	return gi
}

// configMetadata is the integration's configMetadata member.
func (gi genIntegration) configMetadata() obj {
	params := make([]any, len(gi.params))
	for i, p := range gi.params {
		params[i] = p.metadata()
	}
	var authParams []any
	for _, n := range gi.plain {
		authParams = append(authParams, obj{"name": n, "type": "String", "required": true})
	}
	for _, n := range gi.secret {
		authParams = append(authParams, obj{"name": n, "type": "String", "required": true, "secret": true})
	}
	method := obj{
		"id": "key", "type": gi.authType, "supportedLevels": []any{"APPLICATION"},
		"configTestSupported": true, "parametersMetadata": authParams,
	}
	if gi.authType == "API_KEY" {
		method["authSettings"] = obj{"parameters": obj{"headerName": "X-Api-Key"}}
	}
	return obj{"parametersMetadata": params, "authMetadata": []any{method}}
}

// configParameters fills the declared parameters: the required ones and
// some of the optional ones.
func (gi genIntegration) configParameters(r *rand.Rand) obj {
	out := obj{}
	for _, p := range gi.params {
		if p.required || r.IntN(2) == 0 {
			out[p.name] = p.value(r)
		}
	}
	return out
}

// auth is a credential for the method; secret values are canaries the
// checker then looks for in every answer.
func (gi genIntegration) auth(f *fuzzer, r *rand.Rand, tag string) obj {
	params := obj{}
	for _, n := range gi.plain {
		params[n] = "user-" + tag
	}
	for _, n := range gi.secret {
		s := fmt.Sprintf("fuzzsecret-%s-%016x", tag, r.Uint64())
		f.checker.remember(s)
		params[n] = s
	}
	return obj{"integrationAuthMetadataId": "key", "parameters": params}
}
