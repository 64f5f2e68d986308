package state_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
	"github.com/fruxon/fruxon-mock/mockserver/state"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// The rooms' tests share their fixtures and assertions (package roomtest);
// these are the names this package's tests know them by.

const canary = roomtest.Canary

var (
	acme        = roomtest.Acme
	validConfig = roomtest.ValidConfig
	richConfig  = roomtest.RichConfig
	mustConfig  = roomtest.MustConfig
	wantKind    = roomtest.WantKind
	mustJSON    = roomtest.MustJSON
)

func newStore(t testing.TB, opts state.Options) (*state.Store, *roomtest.Clock) {
	t.Helper()
	c := roomtest.Defaults(t, &opts.Now, &opts.Box)
	return state.New(opts), c
}

func ptr[T any](v T) *T { return &v }

// withAcme returns a store holding the acme integration.
func withAcme(t testing.TB) (*state.Store, *roomtest.Clock) {
	t.Helper()
	s, c := newStore(t, state.Options{})
	roomtest.AddAcme(t, s.Integrations())
	return s, c
}

func getTool() tools.ToolDescriptor {
	return tools.ToolDescriptor{APITool: &tools.APITool{HTTPMethod: "GET", URL: "https://api.acme.test/{{region}}/customers"}}
}
