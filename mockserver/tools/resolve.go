package tools

import (
	"fmt"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/sandboxroute"
)

// checkInput checks what request validation already checks, for Go callers.
func checkInput(in RunToolInput) error {
	f := map[string][]string{}
	if in.ConfigID == "" {
		f["configId"] = []string{"is required"}
	}
	if in.ExecutionMode != sandboxroute.ExecutionModeProduction && in.ExecutionMode != sandboxroute.ExecutionModeSandbox {
		f["executionMode"] = []string{"must be one of: PRODUCTION, SANDBOX"}
	}
	if len(f) > 0 {
		return &core.Error{Kind: core.KindInvalid, Op: "RunTool", Detail: "the request has invalid fields", Fields: f}
	}
	return nil
}

// material is the resolved routing of a run: the published revision, the
// decision made on it, and the variant the decision needs.
type material struct {
	prod     integrations.RunConfig
	use      integrations.RunConfig
	decision sandboxroute.Decision
}

// resolve reads the published revision, decides, and for VENDOR reads its
// sandboxVariant too — again if a publish slipped in between the reads.
func resolve(integ Integrations, in RunInput, action sandboxroute.ActionType) (material, error) {
	for range maxResolves {
		prod, err := integ.ConfigForRun(in.Tenant, in.Integration, in.Input.ConfigID, integrations.RunProduction)
		if err != nil {
			return material{}, configError(integ, in, err)
		}
		d := sandboxroute.Decide(in.Input.ExecutionMode, prod.SandboxMode, action)
		if d.Variant == integrations.RunProduction {
			return material{prod: prod, use: prod, decision: d}, nil
		}
		v, err := integ.ConfigForRun(in.Tenant, in.Integration, in.Input.ConfigID, d.Variant)
		if err != nil {
			return material{}, configError(integ, in, err)
		}
		if v.RevisionID == prod.RevisionID {
			return material{prod: prod, use: v, decision: d}, nil
		}
	}
	return material{}, &core.Error{Kind: core.KindConflict, Op: "RunTool",
		Detail: fmt.Sprintf("config %s was published again while the run read it; retry", in.Input.ConfigID)}
}

// maxResolves bounds the re-reads of a config that keeps being published.
const maxResolves = 3

// configError turns "no such config" into a 400 when the config belongs to
// another integration of the tenant.
func configError(integ Integrations, in RunInput, err error) error {
	if core.KindOf(err) != core.KindNotFound {
		return err
	}
	if owner, ok := integ.ConfigOwner(in.Tenant, in.Input.ConfigID); ok && owner != in.Integration {
		return &core.Error{Kind: core.KindInvalid, Op: "RunTool",
			Detail: fmt.Sprintf("config %s belongs to integration %q, not %q", in.Input.ConfigID, owner, in.Integration),
			Fields: map[string][]string{"configId": {fmt.Sprintf("must be a config of integration %q", in.Integration)}}}
	}
	return err
}

func sandboxModeOf(rc integrations.RunConfig) integrations.SandboxMode {
	if rc.SandboxMode == "" {
		return integrations.SandboxModeUnspecified
	}
	return rc.SandboxMode
}
