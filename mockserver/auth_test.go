package mockserver_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/validator"
)

func specBytes() []byte { return validator.FruxonSpec() }

func sign(t *testing.T, secret string, claims map[string]any) string {
	t.Helper()
	tok, err := mockserver.SignHS256([]byte(secret), claims)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func unsigned(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString(b) + ".x"
}

func TestAuthModes(t *testing.T) {
	future := time.Now().Add(time.Hour).Unix()
	past := time.Now().Add(-time.Hour).Unix()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "kid": "k1",
		"n": base64.RawURLEncoding.EncodeToString(rsaKey.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(rsaKey.E)).Bytes()),
	}}})
	rs256 := func(claims map[string]any) string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"k1"}`))
		p, _ := json.Marshal(claims)
		signed := h + "." + base64.RawURLEncoding.EncodeToString(p)
		sum := sha256.Sum256([]byte(signed))
		sig, _ := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, sum[:])
		return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
	}
	tests := []struct {
		name   string
		cfg    mockserver.Config
		header []string
		want   int
	}{
		{"off: nothing needed", mockserver.Config{Auth: mockserver.AuthOff}, []string{"Authorization", ""}, 200},
		{"permissive: no credentials", mockserver.Config{}, []string{"Authorization", ""}, 401},
		{"permissive: any bearer", mockserver.Config{}, []string{"Authorization", "Bearer opaque"}, 200},
		{"permissive: any API key", mockserver.Config{}, []string{"Authorization", "", "X-API-KEY", "k"}, 200},
		{"permissive: JWT for this tenant", mockserver.Config{}, []string{"Authorization", "Bearer " + unsigned(map[string]any{"tenant": "acme"})}, 200},
		{"permissive: JWT for another tenant", mockserver.Config{}, []string{"Authorization", "Bearer " + unsigned(map[string]any{"tenant": "other"})}, 403},
		{"permissive: tenants list", mockserver.Config{}, []string{"Authorization", "Bearer " + unsigned(map[string]any{"tenants": []string{"x", "acme"}})}, 200},
		{"jwt: HS256 ok", hs(), []string{"Authorization", "Bearer " + sign(t, "s3cret", map[string]any{"sub": "u", "exp": future})}, 200},
		{"jwt: HS256 wrong key", hs(), []string{"Authorization", "Bearer " + sign(t, "other", map[string]any{"exp": future})}, 401},
		{"jwt: expired", hs(), []string{"Authorization", "Bearer " + sign(t, "s3cret", map[string]any{"exp": past})}, 401},
		{"jwt: unsigned", hs(), []string{"Authorization", "Bearer " + unsigned(map[string]any{})}, 401},
		{"jwt: other tenant", hs(), []string{"Authorization", "Bearer " + sign(t, "s3cret", map[string]any{"tenant": "other"})}, 403},
		{"jwt: unknown API key", hs(), []string{"Authorization", "", "X-API-KEY", "k"}, 401},
		{"jwt: RS256 via JWKS", mockserver.Config{Auth: mockserver.AuthJWT, JWKS: jwks}, []string{"Authorization", "Bearer " + rs256(map[string]any{"exp": future})}, 200},
		{"jwt: RS256 tampered", mockserver.Config{Auth: mockserver.AuthJWT, JWKS: jwks}, []string{"Authorization", "Bearer " + rs256(map[string]any{"exp": future}) + "x"}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := start(t, tt.cfg)
			a := c.Must(tt.want, "GET", api+"/integrations", "", tt.header...)
			if tt.want >= 400 && len(a.Body) != 0 {
				t.Fatalf("%d has a body: %s", tt.want, a.Body)
			}
		})
	}
}

func hs() mockserver.Config {
	return mockserver.Config{Auth: mockserver.AuthJWT, JWTSecret: []byte("s3cret")}
}
