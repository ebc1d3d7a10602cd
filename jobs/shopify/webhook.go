package shopify

import (
	"context"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
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
	return storenet.VerifySignature(body, header, secret)
}

// Webhook topics Ledgerlink subscribes to, as the WebhookSubscriptionTopic enum names them.
const (
	TopicOrdersCreate  = "ORDERS_CREATE"
	TopicOrdersUpdated = "ORDERS_UPDATED"
	TopicRefundsCreate = "REFUNDS_CREATE"
)

const webhookCreateMutation = `mutation WebhookCreate($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id }
    userErrors { field message }
  }
}`

const webhookDeleteMutation = `mutation WebhookDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`

type userError struct {
	Field   []string `json:"field"`
	Message string   `json:"message"`
}

// SubscribeWebhook registers callbackURL for topic (webhookSubscriptionCreate, JSON format)
// and returns the subscription's id (a gid). Shopify signs the deliveries with the app's
// client secret.
func (c *Client) SubscribeWebhook(ctx context.Context, topic, callbackURL string) (string, error) {
	call := "subscribe to " + topic
	var data struct {
		Create struct {
			Sub *struct {
				ID string `json:"id"`
			} `json:"webhookSubscription"`
			UserErrors []userError `json:"userErrors"`
		} `json:"webhookSubscriptionCreate"`
	}
	vars := map[string]any{"topic": topic, "sub": map[string]any{"callbackUrl": callbackURL, "format": "JSON"}}
	if err := c.query(ctx, call, webhookCreateMutation, vars, 10, &data); err != nil {
		return "", err
	}
	if len(data.Create.UserErrors) > 0 {
		return "", fmt.Errorf("shopify: %s: %s", call, data.Create.UserErrors[0].Message)
	}
	if data.Create.Sub == nil || data.Create.Sub.ID == "" {
		return "", fmt.Errorf("shopify: %s: the answer names no subscription", call)
	}
	return data.Create.Sub.ID, nil
}

// DeleteWebhook removes subscription id (webhookSubscriptionDelete); one already gone is not
// an error.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	call := "remove webhook " + legacyID(id)
	var data struct {
		Delete struct {
			UserErrors []userError `json:"userErrors"`
		} `json:"webhookSubscriptionDelete"`
	}
	if err := c.query(ctx, call, webhookDeleteMutation, map[string]any{"id": id}, 10, &data); err != nil {
		return err
	}
	for _, e := range data.Delete.UserErrors {
		if !strings.Contains(strings.ToLower(e.Message), "not exist") && !strings.Contains(strings.ToLower(e.Message), "not found") {
			return fmt.Errorf("shopify: %s: %s", call, e.Message)
		}
	}
	return nil
}
