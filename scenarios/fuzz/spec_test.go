package fuzz

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/fruxon/fruxon-mock/validator"
)

// TestEmbeddedSpecRequestsValidate generates requests for every operation
// of the embedded spec: the valid ones must pass the validator, and every
// body or parameter variant the fuzzer keeps must fail it.
func TestEmbeddedSpecRequestsValidate(t *testing.T) {
	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	f := &fuzzer{ctx: context.Background(), opts: Options{Validator: v, Tenant: "acme", IDPrefix: "fz-", Token: "tok"}, pool: pool{{}}}
	for _, o := range v.Operations() {
		op := newOperation(o)
		t.Run(op.id, func(t *testing.T) {
			if op.opaqueBody {
				t.Skip("its body is not JSON; the fuzzer does not generate it")
			}
			r := rand.New(rand.NewPCG(11, 12))
			negatives := 0
			for i := range 12 {
				c := f.positive(op, r, modeFor(i))
				if keys, invalid := f.locallyInvalid(c); invalid {
					t.Fatalf("example %d is invalid (%v):\n%s", i, keys, c.req.Curl("http://mock"))
				}
				limit := 4
				if i == 0 {
					limit = -1
				}
				for _, n := range f.negatives(c, r, i == 0, limit) {
					if n.expect == expectField {
						negatives++
						if len(n.fields) < 2 {
							t.Errorf("%s: the validator names no field", n.describe())
						}
					}
				}
			}
			// A body schema of {} (receiveWebhook's raw provider payload)
			// admits every JSON value: no variant of it is invalid.
			if op.body != nil && !unconstrained(op.body) && negatives == 0 {
				t.Errorf("no invalid variant of a body")
			}
		})
	}
}

// unconstrained reports whether a schema admits every JSON value: no type,
// enum, composition, member, bound or format.
func unconstrained(n *node) bool {
	return len(n.types) == 0 && n.format == "" && n.pattern == "" && len(n.enum) == 0 &&
		n.minLen < 0 && n.maxLen < 0 && !n.hasMin && !n.hasMax && len(n.props) == 0 &&
		!n.closed && n.addl == nil && n.items == nil && n.minItem == 0 && n.maxItem < 0 && len(n.oneOf) == 0
}
