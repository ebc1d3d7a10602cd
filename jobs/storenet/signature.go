package storenet

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// VerifySignature reports whether header is base64(HMAC-SHA256(body, secret)) for the raw
// request body, compared in constant time: how Shopify and WooCommerce sign the webhooks they
// send Ledgerlink (each client's VerifyWebhook says which header and which secret). An empty
// secret or header never verifies.
func VerifySignature(body []byte, header, secret string) bool {
	if secret == "" || header == "" {
		return false
	}
	given, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(given, mac.Sum(nil))
}
