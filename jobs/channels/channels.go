// Package channels builds the order source of each store channel (Shopify, WooCommerce,
// ShipStation) for the order pipeline, adapting each client's own paging to ordersync.Source.
package channels

import (
	"context"
	"fmt"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// Sources is the ordersync.Sources of the channels Ledgerlink supports. Their HTTP goes through
// storenet.HTTPClient, which refuses addresses inside Ledgerlink's network unless the operator
// allows them.
func Sources(channel, baseURL string, creds ordersync.Credentials) (ordersync.Source, error) {
	switch channel {
	case "shopify":
		c, err := shopify.New(shopify.Config{BaseURL: baseURL, AccessToken: creds.AccessToken, HTTPClient: storenet.HTTPClient()})
		if err != nil {
			return nil, err
		}
		return shopifySource{c}, nil
	case "woocommerce":
		c, err := woocommerce.New(woocommerce.Config{BaseURL: baseURL, ConsumerKey: creds.ConsumerKey, ConsumerSecret: creds.ConsumerSecret, HTTPClient: storenet.HTTPClient()})
		if err != nil {
			return nil, err
		}
		return wooSource{c}, nil
	case "shipstation":
		c, err := shipstation.New(shipstation.Config{BaseURL: baseURL, APIKey: creds.APIKey, APISecret: creds.APISecret, HTTPClient: storenet.HTTPClient()})
		if err != nil {
			return nil, err
		}
		return shipStationSource{c}, nil
	default:
		return nil, fmt.Errorf("unknown channel %q", channel)
	}
}

type shipStationSource struct{ c *shipstation.Client }

func (s shipStationSource) Check(ctx context.Context) error { return s.c.Check(ctx) }

func (s shipStationSource) Orders(ctx context.Context, q ordersync.Query, fn func([]ordersync.Fetched) error) error {
	return s.c.Orders(ctx, shipstation.Query{UpdatedFrom: q.UpdatedFrom, UpdatedTo: q.UpdatedTo, Statuses: q.Statuses},
		func(p shipstation.Page) error {
			page := make([]ordersync.Fetched, len(p.Orders))
			for i, f := range p.Orders {
				page[i] = ordersync.Fetched{Raw: f.Raw, Order: f.Order, Err: f.Err}
			}
			return fn(page)
		})
}

type shopifySource struct{ c *shopify.Client }

func (s shopifySource) Check(ctx context.Context) error { return s.c.Check(ctx) }

func (s shopifySource) Orders(ctx context.Context, q ordersync.Query, fn func([]ordersync.Fetched) error) error {
	return s.c.Orders(ctx, shopify.Query{UpdatedFrom: q.UpdatedFrom, UpdatedTo: q.UpdatedTo, Statuses: q.Statuses},
		func(p shopify.Page) error {
			page := make([]ordersync.Fetched, len(p.Orders))
			for i, f := range p.Orders {
				page[i] = ordersync.Fetched{Raw: f.Raw, Order: f.Order, Err: f.Err}
			}
			return fn(page)
		})
}

type wooSource struct{ c *woocommerce.Client }

func (s wooSource) Check(ctx context.Context) error { return s.c.Check(ctx) }

func (s wooSource) Orders(ctx context.Context, q ordersync.Query, fn func([]ordersync.Fetched) error) error {
	return s.c.Orders(ctx, woocommerce.Query{UpdatedFrom: q.UpdatedFrom, UpdatedTo: q.UpdatedTo, Statuses: q.Statuses},
		func(p woocommerce.Page) error {
			page := make([]ordersync.Fetched, len(p.Orders))
			for i, f := range p.Orders {
				page[i] = ordersync.Fetched{Raw: f.Raw, Order: f.Order, Err: f.Err}
			}
			return fn(page)
		})
}

func (s shopifySource) Stock(ctx context.Context, skus []string) (map[string]orders.StockLevel, error) {
	return s.c.Stock(ctx, skus)
}

func (s wooSource) Stock(ctx context.Context, skus []string) (map[string]orders.StockLevel, error) {
	return s.c.Stock(ctx, skus)
}
