package mockserver_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/fruxon/fruxon-mock/mockserver"
)

// TestJWTAttacks sends the tokens a JWT library exists to refuse.
func TestJWTAttacks(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "kid": "k1", "use": "sig",
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}}})
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	future := time.Now().Add(time.Hour).Unix()

	mint := func(m jwt.SigningMethod, header map[string]any, claims jwt.MapClaims, k any) string {
		t.Helper()
		tok := jwt.NewWithClaims(m, claims)
		for h, v := range header {
			tok.Header[h] = v
		}
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rs := func(header map[string]any, claims jwt.MapClaims) string {
		return mint(jwt.SigningMethodRS256, header, claims, key)
	}
	hsWith := func(secret []byte, claims jwt.MapClaims) string {
		return mint(jwt.SigningMethodHS256, map[string]any{"kid": "k1"}, claims, secret)
	}
	none := mint(jwt.SigningMethodNone, nil, jwt.MapClaims{"exp": future}, jwt.UnsafeAllowNoneSignatureType)
	// A token that says RS256 but carries an HMAC made with the public key.
	hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"k1"}`))
	body := base64.RawURLEncoding.EncodeToString([]byte(`{"exp":` + big.NewInt(future).String() + `}`))
	sig, _ := jwt.SigningMethodHS256.Sign(hdr+"."+body, pubPEM)
	rsLabelHMAC := hdr + "." + body + "." + base64.RawURLEncoding.EncodeToString(sig)

	rsOnly := mockserver.Config{Auth: mockserver.AuthJWT, JWKS: jwks}
	both := mockserver.Config{Auth: mockserver.AuthJWT, JWKS: jwks, JWTSecret: []byte("s3cret")}
	tests := []struct {
		name  string
		cfg   mockserver.Config
		token string
		want  int
	}{
		{"baseline: RS256 with kid", rsOnly, rs(map[string]any{"kid": "k1"}, jwt.MapClaims{"exp": future}), 200},
		{"baseline: RS256 without kid, one key", rsOnly, rs(nil, jwt.MapClaims{"exp": future}), 200},
		{"alg none, empty signature", both, none, 401},
		{"alg none, upper case", both, "eyJhbGciOiJOT05FIn0." + body + ".", 401},
		{"HS256 signed with the RSA public key (PEM)", rsOnly, hsWith(pubPEM, jwt.MapClaims{"exp": future}), 401},
		{"HS256 signed with the RSA public key (DER)", both, hsWith(der, jwt.MapClaims{"exp": future}), 401},
		{"RS256 label, HMAC signature", both, rsLabelHMAC, 401},
		{"unknown kid", rsOnly, rs(map[string]any{"kid": "k2"}, jwt.MapClaims{"exp": future}), 401},
		{"kid path traversal", rsOnly, rs(map[string]any{"kid": "../../../../dev/null"}, jwt.MapClaims{"exp": future}), 401},
		{"kid not a string", rsOnly, rs(map[string]any{"kid": 1}, jwt.MapClaims{"exp": future}), 401},
		{"kid empty with a kid-only key", rsOnly, rs(map[string]any{"kid": ""}, jwt.MapClaims{"exp": future}), 200},
		{"RS384 with the right key", rsOnly, mint(jwt.SigningMethodRS384, map[string]any{"kid": "k1"}, jwt.MapClaims{"exp": future}, key), 401},
		{"nbf in the future", both, hsWith([]byte("s3cret"), jwt.MapClaims{"nbf": future}), 401},
		{"iat in the future", both, hsWith([]byte("s3cret"), jwt.MapClaims{"iat": future}), 401},
		{"exp as a string", both, hsWith([]byte("s3cret"), jwt.MapClaims{"exp": "4102444800"}), 401},
		{"tenant of the wrong type", both, hsWith([]byte("s3cret"), jwt.MapClaims{"tenant": 7}), 401},
		{"tenants of the wrong type", both, hsWith([]byte("s3cret"), jwt.MapClaims{"tenants": []any{"acme", 7}}), 401},
		// Claim names are exact: "Tenant" is some other claim.
		{"Tenant does not bind", both, hsWith([]byte("s3cret"), jwt.MapClaims{"Tenant": "other"}), 200},
		{"tenant binds even beside Tenant", both, hsWith([]byte("s3cret"), jwt.MapClaims{"tenant": "other", "Tenant": "acme"}), 403},
		{"tenant admits beside Tenant", both, hsWith([]byte("s3cret"), jwt.MapClaims{"tenant": "acme", "Tenant": "other"}), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := start(t, tt.cfg)
			c.Must(tt.want, "GET", api+"/integrations", "", "Authorization", "Bearer "+tt.token)
		})
	}
}

func TestParseJWKS(t *testing.T) {
	n := base64.RawURLEncoding.EncodeToString(big.NewInt(0).Lsh(big.NewInt(1), 2047).Bytes())
	tests := []struct {
		name, doc string
		ok        bool
	}{
		{"rsa signing key", `{"keys":[{"kty":"RSA","kid":"a","n":"` + n + `","e":"AQAB"}]}`, true},
		{"only an encryption key", `{"keys":[{"kty":"RSA","use":"enc","n":"` + n + `","e":"AQAB"}]}`, false},
		{"only an RS512 key", `{"keys":[{"kty":"RSA","alg":"RS512","n":"` + n + `","e":"AQAB"}]}`, false},
		{"only an EC key", `{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`, false},
		{"kid twice", `{"keys":[{"kty":"RSA","kid":"a","n":"` + n + `","e":"AQAB"},{"kty":"RSA","kid":"a","n":"` + n + `","e":"AQAB"}]}`, false},
		{"bad base64", `{"keys":[{"kty":"RSA","n":"!!","e":"AQAB"}]}`, false},
		{"not JSON", `keys`, false},
	}
	for _, tt := range tests {
		if _, err := mockserver.ParseJWKS([]byte(tt.doc)); (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}
