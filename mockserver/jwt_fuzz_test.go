package mockserver

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// FuzzJWT feeds tokens to the verifier: it never panics, and it never
// accepts a token whose signature was not made with the mock's key (the
// HS256 secret or the JWKS key, checked here independently of the JWT
// library); the claims it reads are the token's, by exact name.
func FuzzJWT(f *testing.F) {
	secret := []byte("fuzz-secret")
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &Server{cfg: Config{JWTSecret: secret}, now: func() time.Time { return now }, jwks: jwkSet{"k1": &key.PublicKey}}

	hs := func(c jwt.MapClaims, secret []byte) string {
		tok, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
		return tok
	}
	rs := func(c jwt.MapClaims, kid string) string {
		t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		if kid != "" {
			t.Header["kid"] = kid
		}
		tok, _ := t.SignedString(key)
		return tok
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	for _, c := range []jwt.MapClaims{
		{"sub": "dev", "tenant": "acme"},
		{"sub": "dev", "tenants": []string{"acme", "globex"}, "session": "s1"},
		{"Tenant": "acme"},
		{"tenant": 7},
		{"exp": float64(now.Add(-time.Hour).Unix())},
		{"nbf": float64(now.Add(time.Hour).Unix()), "iat": "x"},
		{},
	} {
		f.Add(hs(c, secret))
		f.Add(hs(c, []byte("other-secret")))
		f.Add(hs(c, pubPEM)) // key confusion: HS256 "signed" with the RSA public key
		f.Add(rs(c, "k1"))
		f.Add(rs(c, ""))
		f.Add(rs(c, "k2"))
		none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
		f.Add(none)
	}
	for _, tok := range []string{"", ".", "..", "a.b.c", "e30.e30.", "eyJhbGciOiJIUzI1NiJ9.e30.", "eyJhbGciOiJIUzI1NiJ9..x"} {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, token string) {
		_, _ = decodeClaims(token)
		c, err := s.verifyJWT(token)
		if err != nil {
			return
		}
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			t.Fatalf("accepted %q: not three parts", token)
		}
		var header struct {
			Alg string `json:"alg"`
		}
		hb, err := decodeSegment(parts[0])
		if err != nil || json.Unmarshal(hb, &header) != nil {
			t.Fatalf("accepted %q: unreadable header", token)
		}
		sig, err := decodeSegment(parts[2])
		if err != nil {
			t.Fatalf("accepted %q: unreadable signature", token)
		}
		signed := []byte(parts[0] + "." + parts[1])
		switch header.Alg {
		case "HS256":
			mac := hmac.New(sha256.New, secret)
			mac.Write(signed)
			if !hmac.Equal(mac.Sum(nil), sig) {
				t.Fatalf("accepted an HS256 token not signed with the secret: %q", token)
			}
		case "RS256":
			sum := sha256.Sum256(signed)
			if rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], sig) != nil {
				t.Fatalf("accepted an RS256 token not signed with the JWKS key: %q", token)
			}
		default:
			t.Fatalf("accepted alg %q: %q", header.Alg, token)
		}
		pb, err := decodeSegment(parts[1])
		var payload map[string]any
		if err != nil || json.Unmarshal(pb, &payload) != nil {
			t.Fatalf("accepted %q: unreadable payload", token)
		}
		if want, _ := payload["tenant"].(string); c.Tenant != want {
			t.Fatalf("accepted %q: tenant %q, payload says %q", token, c.Tenant, want)
		}
	})
}

// decodeSegment reads a JWT segment as base64url, padded or not.
func decodeSegment(s string) ([]byte, error) {
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.URLEncoding.DecodeString(s)
}
