package shipstation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Webhook events Ledgerlink subscribes to.
const (
	EventShipNotify = "SHIP_NOTIFY"
)

// ErrForeignResource is returned for a webhook resource_url that is not on this client's
// ShipStation host and API path: fetching it would let whoever knows the webhook URL make
// Ledgerlink call (with the merchant's credentials) any address they like.
var ErrForeignResource = errors.New("shipstation: resource_url is not on the connection's ShipStation host")

// Notification is the body of a ShipStation webhook delivery.
type Notification struct {
	ResourceURL  string `json:"resource_url"`
	ResourceType string `json:"resource_type"`
}

// ResourceShipments GETs every page of a SHIP_NOTIFY resource_url (a /shipments listing
// ShipStation built, e.g. …/shipments?storeID=1&batchId=2&includeShipmentItems=False) and
// returns its shipments. The URL must have this client's scheme, host and base path followed by
// /shipments; anything else is refused with ErrForeignResource before any request is made, so
// the credentials only ever go to the configured host.
func (c *Client) ResourceShipments(ctx context.Context, resourceURL string) ([]Shipment, error) {
	u, err := checkResource(c.base, resourceURL)
	if err != nil {
		return nil, err
	}
	// Keep ShipStation's filters; page through them ourselves.
	v := url.Values{}
	for k, vals := range u.Query() {
		switch strings.ToLower(k) {
		case "page", "pagesize":
			continue
		}
		for _, x := range vals {
			v.Add(k, x)
		}
	}
	return walkItems[Shipment](ctx, c, "read SHIP_NOTIFY shipments", "/shipments", "shipments", v)
}

// CheckResourceURL refuses (ErrForeignResource) a resource_url that ResourceShipments of a
// client with baseURL (default DefaultBaseURL) would not fetch.
func CheckResourceURL(baseURL, resourceURL string) error {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return fmt.Errorf("shipstation: base URL: %w", err)
	}
	_, err = checkResource(base, resourceURL)
	return err
}

func checkResource(base *url.URL, resourceURL string) (*url.URL, error) {
	u, err := url.Parse(resourceURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrForeignResource, err)
	}
	path := strings.TrimRight(base.Path, "/") + "/shipments"
	if u.Scheme != base.Scheme || !strings.EqualFold(u.Host, base.Host) || u.User != nil || u.Path != path || u.Fragment != "" {
		return nil, fmt.Errorf("%w (%s://%s%s)", ErrForeignResource, u.Scheme, u.Host, u.Path)
	}
	return u, nil
}

// Webhook is one subscription (GET /webhooks).
type Webhook struct {
	ID      int64  `json:"WebHookID"`
	Event   string `json:"HookType"`
	URL     string `json:"Url"`
	Name    string `json:"Name"`
	StoreID *int64 `json:"StoreID"`
	Active  bool   `json:"Active"`
}

// Webhooks lists the account's webhook subscriptions.
func (c *Client) Webhooks(ctx context.Context) ([]Webhook, error) {
	var out struct {
		Webhooks []Webhook `json:"webhooks"`
	}
	if err := c.getJSON(ctx, "list webhooks", "/webhooks", nil, &out); err != nil {
		return nil, err
	}
	return out.Webhooks, nil
}

// SubscribeWebhook subscribes target to event for every store (POST /webhooks/subscribe) and
// returns the subscription's id. The target (which holds a secret token) goes in the request
// body only: storenet logs calls and URLs, not bodies.
func (c *Client) SubscribeWebhook(ctx context.Context, target, event, name string) (int64, error) {
	body, err := json.Marshal(map[string]any{"target_url": target, "event": event, "store_id": nil, "friendly_name": name})
	if err != nil {
		return 0, err
	}
	answer, err := c.do(ctx, "subscribe webhook", http.MethodPost, "/webhooks/subscribe", nil, body)
	if err != nil {
		return 0, err
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if err := c.decode("subscribe webhook", answer, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// UnsubscribeWebhook deletes subscription id; one ShipStation no longer has is not an error.
func (c *Client) UnsubscribeWebhook(ctx context.Context, id int64) error {
	_, err := c.do(ctx, "unsubscribe webhook", http.MethodDelete, "/webhooks/"+strconv.FormatInt(id, 10), nil, nil)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
