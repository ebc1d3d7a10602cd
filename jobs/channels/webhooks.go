package channels

import (
	"context"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// WebhookTopics are the order webhooks Ledgerlink keeps registered per channel, named as the
// store names them on each delivery (X-Shopify-Topic, X-WC-Webhook-Topic, resource_type).
var WebhookTopics = map[string][]string{
	"shopify":     {"orders/create", "orders/updated", "refunds/create"},
	"woocommerce": {"order.created", "order.updated"},
	"shipstation": {shipstation.EventOrderNotify},
}

// Subscriber registers and removes a store's webhooks.
type Subscriber interface {
	// Subscribe registers url for topic (one of WebhookTopics) and returns the store's id of
	// the subscription. secret is the signing secret where the store lets the subscriber
	// choose it (WooCommerce); Shopify signs with the app's client secret, ShipStation not
	// at all.
	Subscribe(ctx context.Context, topic, url, secret string) (string, error)
	// Unsubscribe removes subscription id; one already gone is not an error.
	Unsubscribe(ctx context.Context, id string) error
}

// Webhooks builds the Subscriber of a channel, its client made as Sources makes it.
func Webhooks(channel, baseURL string, creds ordersync.Credentials) (Subscriber, error) {
	switch channel {
	case "shopify":
		c, err := newShopify(baseURL, creds)
		if err != nil {
			return nil, err
		}
		return shopifyHooks{c}, nil
	case "woocommerce":
		c, err := newWooCommerce(baseURL, creds)
		if err != nil {
			return nil, err
		}
		return wooHooks{c}, nil
	case "shipstation":
		c, err := newShipStation(baseURL, creds)
		if err != nil {
			return nil, err
		}
		return shipStationHooks{c}, nil
	default:
		return nil, fmt.Errorf("unknown channel %q", channel)
	}
}

const hookName = "Ledgerlink orders"

type shopifyHooks struct{ c *shopify.Client }

// Subscribe maps "orders/create" to the WebhookSubscriptionTopic ORDERS_CREATE.
func (h shopifyHooks) Subscribe(ctx context.Context, topic, url, _ string) (string, error) {
	return h.c.SubscribeWebhook(ctx, strings.ToUpper(strings.ReplaceAll(topic, "/", "_")), url)
}
func (h shopifyHooks) Unsubscribe(ctx context.Context, id string) error {
	return h.c.DeleteWebhook(ctx, id)
}

type wooHooks struct{ c *woocommerce.Client }

func (h wooHooks) Subscribe(ctx context.Context, topic, url, secret string) (string, error) {
	return h.c.CreateWebhook(ctx, topic, url, secret, hookName+" ("+topic+")")
}
func (h wooHooks) Unsubscribe(ctx context.Context, id string) error {
	return h.c.DeleteWebhook(ctx, id)
}

type shipStationHooks struct{ c *shipstation.Client }

func (h shipStationHooks) Subscribe(ctx context.Context, topic, url, _ string) (string, error) {
	return h.c.Subscribe(ctx, topic, url, hookName)
}
func (h shipStationHooks) Unsubscribe(ctx context.Context, id string) error {
	return h.c.Unsubscribe(ctx, id)
}
