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

// EventOrderNotify is the webhook event ShipStation sends when orders are imported: its body
// is {"resource_url": ".../orders?storeID=…&importBatch=…", "resource_type": "ORDER_NOTIFY"}.
const EventOrderNotify = "ORDER_NOTIFY"

// ResourceQuery reads the Query an ORDER_NOTIFY resource_url names, checking that it points at
// base's scheme, host and /orders path; only storeID and importBatch are taken from it. base
// is the connection's API root.
func ResourceQuery(base, resourceURL string) (Query, error) {
	b, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return Query{}, fmt.Errorf("shipstation: base URL: %w", err)
	}
	u, err := url.Parse(resourceURL)
	if err != nil || len(resourceURL) > 2000 {
		return Query{}, fmt.Errorf("shipstation: %w", ErrForeignResource)
	}
	if !strings.EqualFold(u.Scheme, b.Scheme) || !strings.EqualFold(u.Host, b.Host) || u.User != nil ||
		!strings.EqualFold(strings.TrimRight(u.Path, "/"), b.Path+"/orders") {
		return Query{}, fmt.Errorf("shipstation: %w", ErrForeignResource)
	}
	var q Query
	// Query keys are case-insensitive in ShipStation (storeID, storeId).
	for k, vs := range u.Query() {
		if len(vs) == 0 {
			continue
		}
		switch strings.ToLower(k) {
		case "storeid":
			if q.StoreID, err = strconv.ParseInt(vs[0], 10, 64); err != nil {
				return Query{}, fmt.Errorf("shipstation: storeID %q: %w", vs[0], ErrForeignResource)
			}
		case "importbatch":
			q.ImportBatch = vs[0]
		}
	}
	if q.ImportBatch == "" {
		// Without a batch the URL would name every order of the account: that is what
		// scheduled pulls are for.
		return Query{}, fmt.Errorf("shipstation: resource_url names no importBatch: %w", ErrForeignResource)
	}
	return q, nil
}

// ResourceOrders walks the orders an ORDER_NOTIFY resource_url names (see ResourceQuery),
// on this client's own host only, calling fn with each page.
func (c *Client) ResourceOrders(ctx context.Context, resourceURL string, fn func(Page) error) error {
	q, err := ResourceQuery(c.base.String(), resourceURL)
	if err != nil {
		return err
	}
	return c.Orders(ctx, q, fn)
}

// Subscribe registers targetURL for event (POST /webhooks/subscribe) and returns the
// webhook's id.
func (c *Client) Subscribe(ctx context.Context, event, targetURL, name string) (string, error) {
	payload, _ := json.Marshal(map[string]any{"target_url": targetURL, "event": event, "store_id": nil, "friendly_name": name})
	call := "subscribe to " + event
	body, err := c.do(ctx, call, http.MethodPost, "/webhooks/subscribe", nil, payload)
	if err != nil {
		return "", err
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if err := c.decode(call, body, &out); err != nil {
		return "", err
	}
	return strconv.FormatInt(out.ID, 10), nil
}

// Unsubscribe removes webhook id (DELETE /webhooks/{id}); one already gone is not an error.
func (c *Client) Unsubscribe(ctx context.Context, id string) error {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return fmt.Errorf("shipstation: webhook id %q is not a number", id)
	}
	_, err := c.do(ctx, "remove webhook "+id, http.MethodDelete, "/webhooks/"+id, nil, nil)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
