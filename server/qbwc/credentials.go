package qbwc

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// NewCredentials fills a new connection's Web Connector username, password hash and GUIDs, and
// returns the password to show once.
func NewCredentials(c *db.QBDConnection) (password string, err error) {
	var hash string
	if password, hash, err = NewPassword(); err != nil {
		return "", err
	}
	c.WCPasswordHash = hash
	c.WCUsername = "ledgerlink-" + randomHex(5)
	c.OwnerID, c.FileID = newGUID(), newGUID()
	return password, nil
}

// NewPassword returns a random Web Connector password and its argon2id hash.
func NewPassword() (password, hash string, err error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("qbwc: password: %w", err)
	}
	password = base64.RawURLEncoding.EncodeToString(b)
	hash, err = auth.HashPassword(password)
	return password, hash, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newGUID returns a random (version 4) UUID in lower-case canonical form.
func newGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
