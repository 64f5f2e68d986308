package integrations_test

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

// canary is a secret value that must never show up outside ConfigForRun.
const canary = "CANARY-sk-7f3a9e"

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	// guards now
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const t0 = int64(1_700_000_000_000)

func newStore(t testing.TB, opts integrations.Options) (*integrations.Store, *clock) {
	t.Helper()
	c := &clock{now: time.UnixMilli(t0)}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.Box == nil {
		b, err := secretbox.NewRandom()
		if err != nil {
			t.Fatal(err)
		}
		opts.Box = b
	}
	return integrations.New(opts), c
}

func ptr[T any](v T) *T { return &v }

// acme is an integration whose metadata exercises every check.
func acme() integrations.CreateIntegrationInput {
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

// apiKeyAuth is valid auth for acme.
func apiKeyAuth(key string) *integrations.AuthInput {
	return &integrations.AuthInput{IntegrationAuthMetadataID: "apiKey", Parameters: map[string]any{"apiKey": key, "accountId": "acct-1"}}
}

// validConfig is a valid create body for acme, with canary secrets.
func validConfig() integrations.CreateConfigInput {
	return integrations.CreateConfigInput{
		DisplayName: ptr("Prod"),
		Parameters:  map[string]any{"region": "us", "pageLimit": 100.0, "webhookSecret": canary + "-webhook"},
		Auth:        apiKeyAuth(canary),
	}
}

// withAcme returns a store holding the acme integration.
func withAcme(t testing.TB) (*integrations.Store, *clock) {
	t.Helper()
	s, c := newStore(t, integrations.Options{})
	if _, _, err := s.CreateIntegration("t1", acme()); err != nil {
		t.Fatal(err)
	}
	return s, c
}

func mustConfig(t testing.TB, s *integrations.Store, in integrations.CreateConfigInput) integrations.Config {
	t.Helper()
	c, _, err := s.CreateConfig("t1", "acme", in, "alice")
	if err != nil {
		t.Fatalf("CreateConfig: %v", err)
	}
	return c
}

func wantKind(t testing.TB, err error, want core.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want kind %v", want)
	}
	if got := core.KindOf(err); got != want {
		t.Fatalf("kind = %v, want %v (err: %v)", got, want, err)
	}
}

// wantFields checks that err is KindInvalid with exactly the given fields,
// each with a message containing the given text.
func wantFields(t testing.TB, err error, want map[string]string) {
	t.Helper()
	wantKind(t, err, core.KindInvalid)
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

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
