package integrations_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/internal/roomtest"
)

// The rooms' tests share their fixtures and assertions (package roomtest);
// these are the names this package's tests know them by.

// canary is a secret value that must never show up outside ConfigForRun.
const canary = roomtest.Canary

const t0 = roomtest.T0

var (
	acme        = roomtest.Acme
	apiKeyAuth  = roomtest.APIKeyAuth
	validConfig = roomtest.ValidConfig
	richConfig  = roomtest.RichConfig
	mustConfig  = roomtest.MustConfig
	wantKind    = roomtest.WantKind
	wantFields  = roomtest.WantFields
	mustJSON    = roomtest.MustJSON
)

func newStore(t testing.TB, opts integrations.Options) (*integrations.Store, *roomtest.Clock) {
	t.Helper()
	c := roomtest.Defaults(t, &opts.Now, &opts.Box)
	return integrations.New(opts), c
}

func ptr[T any](v T) *T { return &v }

// withAcme returns a store holding the acme integration.
func withAcme(t testing.TB) (*integrations.Store, *roomtest.Clock) {
	t.Helper()
	s, c := newStore(t, integrations.Options{})
	roomtest.AddAcme(t, s)
	return s, c
}
