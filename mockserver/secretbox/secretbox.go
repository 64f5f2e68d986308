// Package secretbox seals secret strings with AES-256-GCM so the state store
// can keep credentials encrypted at rest. A sealed string is opaque and
// self-describing: "enc:v1:" followed by the standard base64 of
// nonce|ciphertext|tag.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Prefix starts every sealed string; it names the format version.
const Prefix = "enc:v1:"

// KeySize is the key length New takes: 32 bytes, for AES-256.
const KeySize = 32

// Errors Open reports. GCM cannot tell a wrong key from a tampered
// ciphertext, so both are ErrDecrypt.
var (
	ErrMalformed = errors.New("secretbox: not a sealed value")
	ErrDecrypt   = errors.New("secretbox: cannot open sealed value (wrong key or tampered)")
)

// Box seals and opens secrets with one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secretbox: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	return &Box{aead: aead}, nil
}

// NewRandom returns a Box with a fresh random key, for a process whose
// secrets need not outlive it.
func NewRandom() (*Box, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	return New(key)
}

// KeyFromString turns a --secret-key value into a 32-byte key:
//   - 64 hex characters are the key itself;
//   - base64 (standard or URL alphabet, padded or not) that decodes to
//     exactly 32 bytes is the key itself;
//   - any other non-empty string is a passphrase, and the key is its SHA-256.
//
// The same string always gives the same key, so state exported by one
// process can be imported by another started with the same value.
func KeyFromString(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("secretbox: empty key")
	}
	if len(s) == 2*KeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil && len(key) == KeySize {
			return key, nil
		}
	}
	sum := sha256.Sum256([]byte(s))
	return sum[:], nil
}

// Seal encrypts plaintext and returns the sealed string. Sealing the same
// plaintext twice gives different strings (the nonce is random).
func (b *Box) Seal(plaintext string) (string, error) {
	return Text(b.SealRaw(plaintext)), nil
}

// Open decrypts a string made by Seal with the same key.
func (b *Box) Open(sealed string) (string, error) {
	raw, err := Raw(sealed)
	if err != nil {
		return "", err
	}
	return b.OpenRaw(raw)
}

// SealRaw is Seal's raw form: nonce|ciphertext|tag as bytes (held in a
// string), without the prefix and base64 that make it text; about three
// quarters of Seal's length, for keeping many sealed values in memory.
// Text turns it into what Seal returns, Raw turns that back.
func (b *Box) SealRaw(plaintext string) string {
	return string(b.aead.Seal(nil, nil, []byte(plaintext), []byte(Prefix)))
}

// OpenRaw decrypts a value made by SealRaw with the same key.
func (b *Box) OpenRaw(raw string) (string, error) {
	if len(raw) < b.aead.Overhead() {
		return "", ErrMalformed
	}
	pt, err := b.aead.Open(nil, nil, []byte(raw), []byte(Prefix))
	if err != nil {
		return "", ErrDecrypt
	}
	return string(pt), nil
}

// Text is the sealed string (Seal's form) of a raw sealed value.
func Text(raw string) string {
	return Prefix + base64.StdEncoding.EncodeToString([]byte(raw))
}

// Raw is the raw form (SealRaw's) of a sealed string. It does not check
// that the value opens.
func Raw(sealed string) (string, error) {
	body, ok := strings.CutPrefix(sealed, Prefix)
	if !ok {
		return "", ErrMalformed
	}
	ct, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return "", ErrMalformed
	}
	return string(ct), nil
}

// IsSealed reports whether s has the shape of a sealed string. It does not
// check that s opens.
func IsSealed(s string) bool {
	return strings.HasPrefix(s, Prefix)
}
