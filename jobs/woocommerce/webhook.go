package woocommerce

import (
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// SignatureHeader is the header WooCommerce signs webhook deliveries in.
const SignatureHeader = "X-WC-Webhook-Signature"

// VerifyWebhook reports whether header (the X-WC-Webhook-Signature value)
// is base64(HMAC-SHA256(body, secret)) for the raw request body, compared in
// constant time. WooCommerce decodes HTML entities in the stored secret
// before signing (wp_specialchars_decode), so the same is done to secret:
// a secret given either as typed ("a&b") or as stored ("a&amp;b") works.
// An empty secret or header never verifies. WooCommerce's creation ping
// (a form body "webhook_id=<id>") is unsigned: answer it 200 without
// verifying and without acting on it.
func VerifyWebhook(body []byte, header, secret string) bool {
	return storenet.VerifySignature(body, header, specialcharsDecode(secret))
}

// specialcharsDecode is wp_specialchars_decode($s, ENT_QUOTES).
func specialcharsDecode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#039;", "'", "&#39;", "'",
		"&#x27;", "'", "&#x22;", `"`, "&#34;", `"`).Replace(s)
}
