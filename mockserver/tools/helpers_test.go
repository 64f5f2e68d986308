package tools_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
	"github.com/fruxon/fruxon-mock/mockserver/tools"
)

// The rooms' tests share their fixtures and assertions (package roomtest);
// these are the names this package's tests know them by.

const t0 = roomtest.T0

var (
	validConfig = roomtest.ValidConfig
	mustConfig  = roomtest.MustConfig
	wantKind    = roomtest.WantKind
	wantFields  = roomtest.WantFields
	mustJSON    = roomtest.MustJSON
)

func ptr[T any](v T) *T { return &v }

// withAcme returns a tools store over an integrations store holding the
// acme integration, wired as package state wires them (less the delete
// hooks, which state's tests cover).
func withAcme(t testing.TB) (*tools.Store, *integrations.Store) {
	t.Helper()
	c, versions := roomtest.NewClock(), &core.Versions{}
	integ := integrations.New(integrations.Options{Now: c.Now, Box: roomtest.Box(t), Versions: versions})
	roomtest.AddAcme(t, integ)
	return tools.New(tools.Options{Integrations: integ, Now: c.Now, Versions: versions}), integ
}
