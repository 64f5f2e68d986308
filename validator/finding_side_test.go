package validator_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/validator"
)

// TestFindingSides: request findings are on the request side, render with
// it first, and travel as the proxy's journal shows them.
func TestFindingSides(t *testing.T) {
	v := api(t)
	r, op := request(t, v, "POST", base+"/integrations", `{"displayName":"`+strings.Repeat("x", 101)+`"}`)
	fs := v.ValidateRequest(r, op)
	if len(fs) != 1 || fs[0].Side != validator.Request {
		t.Fatalf("request findings %#v, want one on the request side", fs)
	}
	if got, want := fs[0].String(), "request body displayName: must be at most 100 characters"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	out := validator.Finding{Side: validator.Response, In: "status", Message: "status 418 is not declared for getIntegration"}
	b, err := json.Marshal([]validator.Finding{fs[0], out})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"side":"request","in":"body","field":"displayName","message":"must be at most 100 characters"},` +
		`{"side":"response","in":"status","message":"status 418 is not declared for getIntegration"}]`
	if string(b) != want {
		t.Fatalf("JSON %s, want %s", b, want)
	}
	var back []validator.Finding
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 2 || back[1] != out || back[0].String() != fs[0].String() {
		t.Errorf("read back: %v %#v", err, back)
	}
	if err := json.Unmarshal([]byte(`{"side":"both","message":"m"}`), new(validator.Finding)); err == nil {
		t.Error("a side other than request or response was accepted")
	}
}
