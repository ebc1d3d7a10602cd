package shopify

import "github.com/ledgerlink/ledgerlink/jobs/storenet"

// HMACHeader is the header Shopify signs webhook deliveries in.
const HMACHeader = "X-Shopify-Hmac-Sha256"

// VerifyWebhook reports whether header (the X-Shopify-Hmac-Sha256 value) is
// base64(HMAC-SHA256(body, secret)) for the raw request body, compared in
// constant time. secret is the app's client secret. After a secret
// rotation Shopify may sign with the old secret for up to an hour: call it
// with both. An empty secret or header never verifies. Deduplicate
// deliveries on X-Shopify-Webhook-Id: delivery is at least once.
func VerifyWebhook(body []byte, header, secret string) bool {
	return storenet.VerifySignature(body, header, secret)
}
