package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// HMACHeader is the header Shopify signs webhook deliveries in.
const HMACHeader = "X-Shopify-Hmac-Sha256"

// VerifyWebhook reports whether header (the X-Shopify-Hmac-Sha256 value) is
// base64(HMAC-SHA256(body, secret)) for the raw request body, compared in
// constant time. secret is the app's client secret. After a secret
// rotation Shopify may sign with the old secret for up to an hour: call it
// with both. An empty secret or header never verifies. Deduplicate
// deliveries on X-Shopify-Webhook-Id: delivery is at least once.
func VerifyWebhook(body []byte, header, secret string) bool {
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
