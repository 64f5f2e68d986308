// Package roomtest holds what the tests of the state's rooms share: a
// settable clock, an integration whose metadata exercises every check,
// valid config bodies holding canary secrets, and assertions on store
// errors. It is for tests only.
package roomtest

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/integrations"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// Canary is a secret value that must never show up outside ConfigForRun.
const Canary = "CANARY-sk-7f3a9e"

// T0 is where every test clock starts, in epoch milliseconds.
const T0 = int64(1_700_000_000_000)

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	// guards now
	now time.Time
}

// NewClock returns a clock at T0.
func NewClock() *Clock { return &Clock{now: time.UnixMilli(T0)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Defaults fills the Now and Box options of a store that a test left
// unset: a clock at T0, which it returns, and a box with a random key.
func Defaults(t testing.TB, now *func() time.Time, box **secretbox.Box) *Clock {
	t.Helper()
	c := NewClock()
	if *now == nil {
		*now = c.Now
	}
	if *box == nil {
		*box = Box(t)
	}
	return c
}

// Box is a fresh secretbox with a random key.
func Box(t testing.TB) *secretbox.Box {
	t.Helper()
	b, err := secretbox.NewRandom()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

// Acme is an integration whose metadata exercises every check.
func Acme() integrations.CreateIntegrationInput {
	return integrations.CreateIntegrationInput{
		ID:          ptr("acme"),
		DisplayName: ptr("Acme CRM"),
		Description: ptr("Customers and deals"),
		ConfigMetadata: &integrations.ConfigMetadata{
			ParametersMetadata: []integrations.ParameterMetadata{
				{Name: "region", Type: integrations.ParameterTypeString, Required: true, Options: []integrations.Option{{Value: "us"}, {Value: "eu"}}},
				{Name: "pageLimit", Type: integrations.ParameterTypeInteger, IntegerRange: &integrations.IntegerRange{Min: ptr(int64(1)), Max: ptr(int64(500))}},
				{Name: "ratio", Type: integrations.ParameterTypeFloat, FloatRange: &integrations.FloatRange{Min: ptr(0.0), Max: ptr(1.0)}},
				{Name: "verbose", Type: integrations.ParameterTypeBoolean},
				{Name: "extra", Type: integrations.ParameterTypeJSON},
				{Name: "webhookSecret", Type: integrations.ParameterTypeString, Secret: true},
			},
			AuthMetadata: []integrations.AuthMetadata{
				{
					ID: "apiKey", Type: integrations.AuthTypeAPIKey, ConfigTestSupported: true,
					SupportedLevels: []integrations.AuthLevel{integrations.AuthLevelApplication},
					AuthSettings:    integrations.AuthSettings{Parameters: map[string]string{"headerName": "X-Api-Key"}},
					ParametersMetadata: []integrations.ParameterMetadata{
						{Name: "apiKey", Type: integrations.ParameterTypeString, Required: true, Secret: true},
						{Name: "accountId", Type: integrations.ParameterTypeString},
					},
				},
				{
					ID: "bearer", Type: integrations.AuthTypeBearerToken, Sensitivity: integrations.SensitivitySecret,
					ParametersMetadata: []integrations.ParameterMetadata{{Name: "token", Type: integrations.ParameterTypeString, Required: true}},
				},
				{
					ID: "mapped", Type: integrations.AuthTypeAPIKey,
					AuthMap: integrations.AuthMapMetadata{UseMap: true, KeyTemplate: ptr("{{accountId}}"), ParametersMetadata: []integrations.ParameterMetadata{
						{Name: "accountId", Type: integrations.ParameterTypeString, Required: true},
					}},
					ParametersMetadata: []integrations.ParameterMetadata{{Name: "apiKey", Type: integrations.ParameterTypeString, Secret: true}},
				},
			},
		},
	}
}

// APIKeyAuth is valid auth for Acme.
func APIKeyAuth(key string) *integrations.AuthInput {
	return &integrations.AuthInput{IntegrationAuthMetadataID: "apiKey", Parameters: map[string]any{"apiKey": key, "accountId": "acct-1"}}
}

// ValidConfig is a valid create body for Acme, with canary secrets.
func ValidConfig() integrations.CreateConfigInput {
	return integrations.CreateConfigInput{
		DisplayName: ptr("Prod"),
		Parameters:  map[string]any{"region": "us", "pageLimit": 100.0, "webhookSecret": Canary + "-webhook"},
		Auth:        APIKeyAuth(Canary),
	}
}

// RichConfig puts canary secrets everywhere a secret can go.
func RichConfig() integrations.CreateConfigInput {
	in := ValidConfig()
	in.SandboxMode = ptr(integrations.SandboxModeVendor)
	in.SandboxVariant = &integrations.SandboxVariant{
		Parameters: map[string]any{"region": "eu", "webhookSecret": Canary + "-sandbox-webhook"},
		Auth:       &integrations.AuthInput{IntegrationAuthMetadataID: "bearer", Parameters: map[string]any{"token": Canary + "-sandbox"}},
	}
	return in
}

// AddAcme creates the Acme integration in tenant t1.
func AddAcme(t testing.TB, s *integrations.Store) {
	t.Helper()
	if _, _, err := s.CreateIntegration("t1", Acme()); err != nil {
		t.Fatal(err)
	}
}

// MustConfig creates a config of Acme in t1, created by alice.
func MustConfig(t testing.TB, s *integrations.Store, in integrations.CreateConfigInput) integrations.Config {
	t.Helper()
	c, _, err := s.CreateConfig("t1", "acme", in, "alice")
	if err != nil {
		t.Fatalf("CreateConfig: %v", err)
	}
	return c
}

// WantKind checks that err is a store error of kind want.
func WantKind(t testing.TB, err error, want core.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want kind %v", want)
	}
	if got := core.KindOf(err); got != want {
		t.Fatalf("kind = %v, want %v (err: %v)", got, want, err)
	}
}

// WantFields checks that err is KindInvalid with exactly the given fields,
// each with a message containing the given text.
func WantFields(t testing.TB, err error, want map[string]string) {
	t.Helper()
	WantKind(t, err, core.KindInvalid)
	var e *core.Error
	if !errors.As(err, &e) {
		t.Fatalf("err is %T, want *core.Error", err)
	}
	for field, text := range want {
		if !slices.ContainsFunc(e.Fields[field], func(m string) bool { return strings.Contains(m, text) }) {
			t.Errorf("field %q: messages %q, want one containing %q (all: %v)", field, e.Fields[field], text, e.Fields)
		}
	}
	for field := range e.Fields {
		if _, ok := want[field]; !ok {
			t.Errorf("unexpected field %q: %q", field, e.Fields[field])
		}
	}
}

// MustJSON is v's JSON.
func MustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
