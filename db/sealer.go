package db

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// ErrSealed is returned when sealed data cannot be opened: wrong key or tampered bytes.
var ErrSealed = errors.New("sealed credentials cannot be opened with this LEDGERLINK_SECRET_KEY")

// sealVersion prefixes every sealed value so the format (and key) can change later.
const sealVersion byte = 1

// Sealer encrypts store credentials at rest with AES-256-GCM. The key is derived from
// LEDGERLINK_SECRET_KEY; data sealed with one key cannot be opened with another.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer derives the key from secret, which must have at least 32 characters.
func NewSealer(secret string) (*Sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New("LEDGERLINK_SECRET_KEY must have at least 32 characters (e.g. `openssl rand -hex 32`)")
	}
	key := sha256.Sum256([]byte("ledgerlink credentials v1\x00" + secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, fmt.Errorf("db: sealer: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("db: sealer: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext; aad binds it to its row (e.g. "store_connection:42") so sealed
// values cannot be swapped between rows.
func (s *Sealer) Seal(plaintext []byte, aad string) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("db: crypto/rand failed: " + err.Error())
	}
	out := append([]byte{sealVersion}, nonce...)
	return s.aead.Seal(out, nonce, plaintext, []byte(aad))
}

// Open decrypts what Seal produced with the same aad, or returns ErrSealed.
func (s *Sealer) Open(sealed []byte, aad string) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != sealVersion {
		return nil, ErrSealed
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(aad))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}
