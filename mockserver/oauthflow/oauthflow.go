// Package oauthflow is the mock's application-level OAuth provider: pending
// authorization requests (the consent page's state parameter) and the
// single-use credential keys an approval yields. A key is bound to tenant,
// integration and auth method, expires after KeyTTL, and is redeemed by the
// integrations store (Flow is its OAuthRedeemer) for fake tokens. It
// imports nothing of the mock's state, so the rooms can use it.
package oauthflow

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
)

// Lifetimes of a pending request and of an issued key.
const (
	RequestTTL = 10 * time.Minute
	KeyTTL     = 10 * time.Minute
)

// maxPending bounds the pending requests and issued keys kept; beyond it the
// oldest are dropped, so a client that starts flows in a loop can't grow
// the mock without bound.
const maxPending = 10_000

// Errors of the consent flow (on the state parameter) and of redeeming a key
// (on oAuthCredentialKey). Their texts read after the field's name.
var (
	ErrUnknownState = errors.New("is unknown or was already used; start the flow again with :authorize")
	ErrExpiredState = errors.New("has expired; start the flow again with :authorize")
	ErrUnknownKey   = errors.New("is not a key this server issued")
	ErrUsedKey      = errors.New("was already used; OAuth credential keys are single-use")
	ErrExpiredKey   = errors.New("has expired; OAuth credential keys are valid for 10 minutes")
	ErrForeignKey   = errors.New("was issued for another tenant or integration")
)

// Request is a pending authorization: what the consent page shows and what
// the key it yields is bound to.
type Request struct {
	Tenant          string
	Integration     string
	IntegrationName string
	AuthMethodID    string
	AuthMethodName  string
	// OpenerOrigin is the origin of the window that opened the popup, where
	// the success page posts the key; "" when unknown.
	OpenerOrigin string
	// Scopes are granted on approval.
	Scopes []string
	// Level is the credential's auth level (default APPLICATION).
	Level   string
	expires time.Time
}

type grant struct {
	req     Request
	expires time.Time
	used    bool
}

// Flow holds pending requests and issued keys. It is safe for concurrent
// use; the zero value is not usable, call New.
type Flow struct {
	now func() time.Time

	mu sync.Mutex
	// guards pending, keys and their order
	pending map[string]*Request
	keys    map[string]*grant
	order   []string // pending states and keys, oldest first, for eviction
}

// New returns an empty Flow on the given clock (time.Now when nil).
func New(now func() time.Time) *Flow {
	if now == nil {
		now = time.Now
	}
	return &Flow{now: now, pending: map[string]*Request{}, keys: map[string]*grant{}}
}

// Start records a pending request and returns its state parameter.
func (f *Flow) Start(req Request) string {
	st := "st_" + random()
	req.Scopes = slices.Clone(req.Scopes)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sweep()
	req.expires = f.now().Add(RequestTTL)
	f.pending[st] = &req
	f.order = append(f.order, st)
	return st
}

// Lookup returns the pending request of a state parameter.
func (f *Flow) Lookup(st string) (Request, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, err := f.request(st)
	if err != nil {
		return Request{}, err
	}
	return r.clone(), nil
}

// Approve ends a pending request with a new single-use key bound to it.
func (f *Flow) Approve(st string) (string, Request, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, err := f.request(st)
	if err != nil {
		return "", Request{}, err
	}
	delete(f.pending, st)
	key := "ock_" + random()
	f.keys[key] = &grant{req: *r, expires: f.now().Add(KeyTTL)}
	f.order = append(f.order, key)
	return key, r.clone(), nil
}

// Deny ends a pending request without a key.
func (f *Flow) Deny(st string) (Request, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, err := f.request(st)
	if err != nil {
		return Request{}, err
	}
	delete(f.pending, st)
	return r.clone(), nil
}

// Credential is what a redeemed key yields; the store keeps it as the
// config's auth, every token sealed.
type Credential struct {
	AuthMethodID string
	Level        string // an auth level; empty means APPLICATION
	// Tokens are the secrets (accessToken, refreshToken).
	Tokens map[string]string
	// Details describe them and are not secret (tokenType "Bearer",
	// expiresAt): sealed, they would be redacted wherever they show.
	Details       map[string]string
	GrantedScopes []string
}

// RedeemOAuthKey consumes a key for a config of tenant's integration and
// returns its credential: fake tokens and the granted scopes. It is the
// integrations store's OAuthRedeemer; it never calls into the store.
func (f *Flow) RedeemOAuthKey(tenant, integration, key string) (Credential, error) {
	return f.redeem(tenant, key, func(bound string) bool { return bound == integration })
}

// RedeemPrefixedKey is RedeemOAuthKey for a key whose request named an
// Integration starting with prefix (the assets room binds its flows to
// "assets:<sourceType>", which no integration id can be).
func (f *Flow) RedeemPrefixedKey(tenant, prefix, key string) (Credential, error) {
	return f.redeem(tenant, key, func(bound string) bool { return strings.HasPrefix(bound, prefix) })
}

func (f *Flow) redeem(tenant, key string, integrationOK func(string) bool) (Credential, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.keys[key]
	switch {
	case !ok:
		return Credential{}, ErrUnknownKey
	case g.used:
		return Credential{}, ErrUsedKey
	case !f.now().Before(g.expires):
		return Credential{}, ErrExpiredKey
	case g.req.Tenant != tenant || !integrationOK(g.req.Integration):
		return Credential{}, ErrForeignKey
	}
	g.used = true // kept until it expires, so a reuse is named as such
	return Credential{
		AuthMethodID: g.req.AuthMethodID,
		Level:        g.req.Level,
		Tokens: map[string]string{
			"accessToken":  "fake_at_" + random(),
			"refreshToken": "fake_rt_" + random(),
		},
		Details: map[string]string{
			"tokenType": "Bearer",
			"expiresAt": f.now().Add(time.Hour).UTC().Format(time.RFC3339),
		},
		GrantedScopes: slices.Clone(g.req.Scopes),
	}, nil
}

// request finds a live pending request. mu must be held.
func (f *Flow) request(st string) (*Request, error) {
	r, ok := f.pending[st]
	if !ok {
		return nil, ErrUnknownState
	}
	if !f.now().Before(r.expires) {
		return nil, ErrExpiredState // sweep forgets it later
	}
	return r, nil
}

// sweep forgets expired requests and keys, and the oldest beyond
// maxPending. mu must be held.
func (f *Flow) sweep() {
	now := f.now()
	kept := f.order[:0]
	for _, id := range f.order {
		if r, ok := f.pending[id]; ok && now.Before(r.expires.Add(RequestTTL)) {
			kept = append(kept, id)
			continue
		}
		if g, ok := f.keys[id]; ok && now.Before(g.expires) {
			kept = append(kept, id)
			continue
		}
		delete(f.pending, id)
		delete(f.keys, id)
	}
	for len(kept) >= maxPending {
		delete(f.pending, kept[0])
		delete(f.keys, kept[0])
		kept = kept[1:]
	}
	f.order = kept
}

func (r *Request) clone() Request {
	out := *r
	out.Scopes = slices.Clone(r.Scopes)
	return out
}

// random is 24 random bytes, base64url.
func random() string {
	var b [24]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
