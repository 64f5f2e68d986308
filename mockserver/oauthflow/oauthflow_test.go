package oauthflow_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/oauthflow"
)

type clock struct {
	mu sync.Mutex
	// guards t
	t time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func req() oauthflow.Request {
	return oauthflow.Request{Tenant: "acme", Integration: "github", AuthMethodID: "oauth", Scopes: []string{"repo"}}
}

func TestRedeem(t *testing.T) {
	for _, tt := range []struct {
		name                string
		tenant, integration string
		wait                time.Duration
		twice               bool
		forge               bool
		want                error
	}{
		{name: "valid", tenant: "acme", integration: "github"},
		{name: "reused", tenant: "acme", integration: "github", twice: true, want: oauthflow.ErrUsedKey},
		{name: "expired", tenant: "acme", integration: "github", wait: oauthflow.KeyTTL, want: oauthflow.ErrExpiredKey},
		{name: "just in time", tenant: "acme", integration: "github", wait: oauthflow.KeyTTL - time.Second},
		{name: "other tenant", tenant: "globex", integration: "github", want: oauthflow.ErrForeignKey},
		{name: "other integration", tenant: "acme", integration: "gitlab", want: oauthflow.ErrForeignKey},
		{name: "forged", tenant: "acme", integration: "github", forge: true, want: oauthflow.ErrUnknownKey},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: time.Unix(1_700_000_000, 0)}
			f := oauthflow.New(clk.now)
			key, got, err := f.Approve(f.Start(req()))
			if err != nil || got.Tenant != "acme" {
				t.Fatal(got, err)
			}
			if tt.forge {
				key = "ock_forged"
			}
			clk.add(tt.wait)
			if tt.twice {
				if _, err := f.RedeemOAuthKey(tt.tenant, tt.integration, key); err != nil {
					t.Fatal(err)
				}
			}
			cred, err := f.RedeemOAuthKey(tt.tenant, tt.integration, key)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			if err == nil && (cred.AuthMethodID != "oauth" || cred.Tokens["accessToken"] == "" || len(cred.GrantedScopes) != 1) {
				t.Fatalf("credential %+v", cred)
			}
		})
	}
}

func TestConsentStates(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	f := oauthflow.New(clk.now)
	st := f.Start(req())
	if r, err := f.Lookup(st); err != nil || r.Integration != "github" {
		t.Fatal(r, err)
	}
	if _, err := f.Deny(st); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Approve(st); !errors.Is(err, oauthflow.ErrUnknownState) {
		t.Fatalf("approve after deny: %v", err)
	}
	st = f.Start(req())
	clk.add(oauthflow.RequestTTL)
	if _, err := f.Lookup(st); !errors.Is(err, oauthflow.ErrExpiredState) {
		t.Fatalf("expired lookup: %v", err)
	}
	if _, _, err := f.Approve(st); !errors.Is(err, oauthflow.ErrExpiredState) {
		t.Fatalf("expired approve: %v", err)
	}
	if _, err := f.Lookup("forged"); !errors.Is(err, oauthflow.ErrUnknownState) {
		t.Fatalf("forged: %v", err)
	}
}

func TestConcurrentRedeemIsSingleUse(t *testing.T) {
	f := oauthflow.New(nil)
	key, _, _ := f.Approve(f.Start(req()))
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.RedeemOAuthKey("acme", "github", key); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d redeems succeeded, want 1", ok)
	}
}
