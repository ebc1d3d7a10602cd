package woocommerce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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

// CreateWebhook registers deliveryURL for topic ("order.created", "order.updated") with
// secret as its signing secret (POST /webhooks, status active) and returns the webhook's id.
// WooCommerce pings deliveryURL (unsigned "webhook_id=<id>") while creating it.
func (c *Client) CreateWebhook(ctx context.Context, topic, deliveryURL, secret, name string) (string, error) {
	payload, _ := json.Marshal(map[string]string{"name": name, "topic": topic, "delivery_url": deliveryURL, "secret": secret, "status": "active"})
	call := "create webhook " + topic
	r, err := c.do(ctx, call, http.MethodPost, "/webhooks", nil, payload)
	if err != nil {
		return "", err
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if err := c.decode(call, r.body, &out); err != nil {
		return "", err
	}
	return strconv.FormatInt(out.ID, 10), nil
}

// DeleteWebhook removes webhook id (DELETE /webhooks/{id}?force=true); one already gone is not
// an error.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return fmt.Errorf("woocommerce: webhook id %q is not a number", id)
	}
	_, err := c.do(ctx, "delete webhook "+id, http.MethodDelete, "/webhooks/"+id, url.Values{"force": {"true"}}, nil)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
