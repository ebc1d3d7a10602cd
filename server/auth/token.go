package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// APIKeyPrefix starts every API key so leaked keys are recognisable by secret scanners.
const APIKeyPrefix = "llk_"

// newToken returns 32 random bytes, base64url-encoded.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error()) // the OS CSPRNG never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what we store for session tokens and API keys: they are high-entropy, so a fast
// hash is enough (unlike passwords).
func hashToken(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}

// NewAPIKey returns a fresh key, its display prefix and the hash to store.
func NewAPIKey() (key, prefix string, hash []byte) {
	key = APIKeyPrefix + newToken()
	return key, key[:len(APIKeyPrefix)+6], hashToken(key)
}
