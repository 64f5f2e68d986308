package secretbox_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

func mustBox(t *testing.T) *secretbox.Box {
	t.Helper()
	b, err := secretbox.NewRandom()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	b := mustBox(t)
	for _, pt := range []string{"", "sk-live-123", strings.Repeat("x", 10000), "ünïcødé 🔑"} {
		sealed, err := b.Seal(pt)
		if err != nil {
			t.Fatal(err)
		}
		if !secretbox.IsSealed(sealed) {
			t.Errorf("Seal(%q) = %q, want prefix %q", pt, sealed, secretbox.Prefix)
		}
		got, err := b.Open(sealed)
		if err != nil || got != pt {
			t.Errorf("Open(Seal(%q)) = %q, %v", pt, got, err)
		}
	}
}

func TestCiphertextHidesPlaintext(t *testing.T) {
	b := mustBox(t)
	const canary = "CANARY-SECRET-7f3a"
	s1, _ := b.Seal(canary)
	s2, _ := b.Seal(canary)
	if strings.Contains(s1, canary) || strings.Contains(s1, base64.StdEncoding.EncodeToString([]byte(canary))) {
		t.Errorf("sealed %q reveals the plaintext", s1)
	}
	if s1 == s2 {
		t.Errorf("two seals of the same plaintext are equal: %q", s1)
	}
}

func TestTamperDetected(t *testing.T) {
	b := mustBox(t)
	sealed, _ := b.Seal("secret")
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, secretbox.Prefix))
	for i := range raw {
		mod := bytes.Clone(raw)
		mod[i] ^= 0x01
		_, err := b.Open(secretbox.Prefix + base64.StdEncoding.EncodeToString(mod))
		if !errors.Is(err, secretbox.ErrDecrypt) {
			t.Fatalf("flipping byte %d: err = %v, want ErrDecrypt", i, err)
		}
	}
}

func TestOpenRejects(t *testing.T) {
	b := mustBox(t)
	other := mustBox(t)
	sealed, _ := b.Seal("secret")
	tests := []struct {
		name   string
		sealed string
		want   error
	}{
		{"wrong key", func() string { s, _ := other.Seal("secret"); return s }(), secretbox.ErrDecrypt},
		{"no prefix", strings.TrimPrefix(sealed, secretbox.Prefix), secretbox.ErrMalformed},
		{"plaintext", "secret", secretbox.ErrMalformed},
		{"bad base64", secretbox.Prefix + "!!!", secretbox.ErrMalformed},
		{"too short", secretbox.Prefix + "AAAA", secretbox.ErrMalformed},
		{"truncated", sealed[:len(sealed)-8], secretbox.ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := b.Open(tt.sealed); !errors.Is(err, tt.want) {
				t.Errorf("Open(%q) err = %v, want %v", tt.sealed, err, tt.want)
			}
		})
	}
}

func TestNewKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := secretbox.New(make([]byte, n)); err == nil {
			t.Errorf("New(%d-byte key) succeeded, want error", n)
		}
	}
	if _, err := secretbox.New(make([]byte, 32)); err != nil {
		t.Errorf("New(32-byte key): %v", err)
	}
}

func TestKeyFromString(t *testing.T) {
	raw := bytes.Repeat([]byte{0xAB}, 32)
	tests := []struct {
		name string
		in   string
		want []byte // nil: derived, checked for length and stability only
	}{
		{"hex", hex.EncodeToString(raw), raw},
		{"base64", base64.StdEncoding.EncodeToString(raw), raw},
		{"base64url raw", base64.RawURLEncoding.EncodeToString(raw), raw},
		{"passphrase", "correct horse battery staple", nil},
		{"short hex is a passphrase", "abcd", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := secretbox.KeyFromString(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 32 {
				t.Fatalf("len = %d, want 32", len(got))
			}
			if tt.want != nil && !bytes.Equal(got, tt.want) {
				t.Errorf("key = %x, want %x", got, tt.want)
			}
			again, _ := secretbox.KeyFromString(tt.in)
			if !bytes.Equal(got, again) {
				t.Error("same string gave different keys")
			}
		})
	}
	if _, err := secretbox.KeyFromString(""); err == nil {
		t.Error("empty key accepted")
	}
	// A key derived from a string opens what the same string sealed.
	k1, _ := secretbox.KeyFromString("pass")
	k2, _ := secretbox.KeyFromString("pass")
	b1, _ := secretbox.New(k1)
	b2, _ := secretbox.New(k2)
	s, _ := b1.Seal("v")
	if got, err := b2.Open(s); err != nil || got != "v" {
		t.Errorf("cross-box open = %q, %v", got, err)
	}
}

// TestRawForm: the raw form opens, is a quarter shorter than the text,
// converts to and from the text form losslessly, and is still checked
// (short or tampered raw values are refused).
func TestRawForm(t *testing.T) {
	b := mustBox(t)
	const secret = `"sk_live_CANARY_0123456789"`
	raw := b.SealRaw(secret)
	if strings.Contains(raw, "CANARY") {
		t.Fatal("raw form holds the plaintext")
	}
	if pt, err := b.OpenRaw(raw); err != nil || pt != secret {
		t.Fatalf("OpenRaw = %q, %v", pt, err)
	}
	text := secretbox.Text(raw)
	if !secretbox.IsSealed(text) || len(raw) >= len(text)*4/5 {
		t.Errorf("text %q (%d bytes) for raw of %d bytes", text, len(text), len(raw))
	}
	if pt, err := b.Open(text); err != nil || pt != secret {
		t.Fatalf("Open(Text(raw)) = %q, %v", pt, err)
	}
	sealed, _ := b.Seal(secret)
	back, err := secretbox.Raw(sealed)
	if err != nil || secretbox.Text(back) != sealed {
		t.Fatalf("Raw(Seal) does not round-trip: %v", err)
	}
	if pt, err := b.OpenRaw(back); err != nil || pt != secret {
		t.Fatalf("OpenRaw(Raw(Seal)) = %q, %v", pt, err)
	}
	if _, err := b.OpenRaw(raw[:10]); !errors.Is(err, secretbox.ErrMalformed) {
		t.Errorf("short raw: err %v, want ErrMalformed", err)
	}
	tampered := []byte(raw)
	tampered[len(tampered)-1] ^= 1
	if _, err := b.OpenRaw(string(tampered)); !errors.Is(err, secretbox.ErrDecrypt) {
		t.Errorf("tampered raw: err %v, want ErrDecrypt", err)
	}
	if _, err := secretbox.Raw("nope"); !errors.Is(err, secretbox.ErrMalformed) {
		t.Errorf("Raw of a non-sealed string: err %v, want ErrMalformed", err)
	}
}
