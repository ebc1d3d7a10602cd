// Package channels builds the order source of each store channel (Shopify, WooCommerce,
// ShipStation) for the order pipeline. The clients all deliver pages of orders.Fetched and take
// the same window and statuses, so one generic adapter serves them; what differs per channel —
// the client's Config from the credentials, and whether the store reports stock — is its entry
// in Sources.
package channels

import (
	"context"
	"fmt"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// Sources is the ordersync.Sources of the channels Ledgerlink supports. Their HTTP goes through
// storenet.HTTPClient, which refuses addresses inside Ledgerlink's network unless the operator
// allows them. The Shopify and WooCommerce sources are also ordersync.StockReaders.
func Sources(channel, baseURL string, creds ordersync.Credentials) (ordersync.Source, error) {
	switch channel {
	case "shopify":
		c, err := newShopify(baseURL, creds)
		if err != nil {
			return nil, err
		}
		src := source[shopify.Query, shopify.Page]{c: c, page: func(p shopify.Page) []orders.Fetched { return p.Orders },
			query: func(q ordersync.Query) shopify.Query {
				// A backfill (a window longer than shopify.BulkWindow) is one bulk operation;
				// incremental pulls stay paged.
				return shopify.Query{UpdatedFrom: q.UpdatedFrom, UpdatedTo: q.UpdatedTo, Statuses: q.Statuses,
					Bulk: shopify.UseBulk(q.UpdatedFrom, q.UpdatedTo, time.Now())}
			}}
		return stockSource[shopify.Query, shopify.Page]{src, c}, nil
	case "woocommerce":
		c, err := newWooCommerce(baseURL, creds)
		if err != nil {
			return nil, err
		}
		src := source[woocommerce.Query, woocommerce.Page]{c: c, page: func(p woocommerce.Page) []orders.Fetched { return p.Orders },
			query: func(q ordersync.Query) woocommerce.Query {
				return woocommerce.Query{UpdatedFrom: q.UpdatedFrom, UpdatedTo: q.UpdatedTo, Statuses: q.Statuses}
			}}
		return stockSource[woocommerce.Query, woocommerce.Page]{src, c}, nil
	case "shipstation":
		c, err := newShipStation(baseURL, creds)
		if err != nil {
			return nil, err
		}
		src := source[shipstation.Query, shipstation.Page]{c: c, page: func(p shipstation.Page) []orders.Fetched { return p.Orders },
			query: func(q ordersync.Query) shipstation.Query {
				return shipstation.Query{UpdatedFrom: q.UpdatedFrom, UpdatedTo: q.UpdatedTo, Statuses: q.Statuses}
			}}
		return resourceSource{src, c}, nil
	default:
		return nil, fmt.Errorf("unknown channel %q", channel)
	}
}

// newShopify, newWooCommerce and newShipStation make a channel's client from the connection's
// address and credentials, its HTTP going through storenet.HTTPClient, which refuses addresses
// inside Ledgerlink's network unless the operator allows them.
func newShopify(baseURL string, creds ordersync.Credentials) (*shopify.Client, error) {
	return shopify.New(shopify.Config{BaseURL: baseURL, AccessToken: creds.AccessToken, HTTPClient: storenet.HTTPClient()})
}

func newWooCommerce(baseURL string, creds ordersync.Credentials) (*woocommerce.Client, error) {
	return woocommerce.New(woocommerce.Config{BaseURL: baseURL, ConsumerKey: creds.ConsumerKey, ConsumerSecret: creds.ConsumerSecret,
		HTTPClient: storenet.HTTPClient()})
}

func newShipStation(baseURL string, creds ordersync.Credentials) (*shipstation.Client, error) {
	return shipstation.New(shipstation.Config{BaseURL: baseURL, APIKey: creds.APIKey, APISecret: creds.APISecret, HTTPClient: storenet.HTTPClient()})
}

// client is a store client as the adapter needs it: Q is its Query, P its Page.
type client[Q, P any] interface {
	Check(ctx context.Context) error
	Orders(ctx context.Context, q Q, fn func(P) error) error
	Order(ctx context.Context, id string) (orders.Fetched, error)
}

// source adapts a client to ordersync.Source. What differs between the clients is only the
// type of their query and page: query puts the pipeline's window and statuses into the
// client's Query (its other fields left zero), page reads a page's orders.
type source[Q, P any] struct {
	c     client[Q, P]
	query func(ordersync.Query) Q
	page  func(P) []orders.Fetched
}

func (s source[Q, P]) Check(ctx context.Context) error { return s.c.Check(ctx) }

func (s source[Q, P]) Orders(ctx context.Context, q ordersync.Query, fn func([]ordersync.Fetched) error) error {
	return s.c.Orders(ctx, s.query(q), func(p P) error { return fn(s.page(p)) })
}

// Order reads one order by the store's id (a webhook's hint): ordersync.OrderReader.
func (s source[Q, P]) Order(ctx context.Context, id string) (orders.Fetched, error) {
	return s.c.Order(ctx, id)
}

// resourceSource is the ShipStation source, whose webhooks name a list of orders to read:
// an ordersync.ResourceReader.
type resourceSource struct {
	source[shipstation.Query, shipstation.Page]
	ss *shipstation.Client
}

func (s resourceSource) ResourceOrders(ctx context.Context, resourceURL string, fn func([]orders.Fetched) error) error {
	return s.ss.ResourceOrders(ctx, resourceURL, func(p shipstation.Page) error { return fn(p.Orders) })
}

// stockReader is a client whose store reports stock.
type stockReader interface {
	Stock(ctx context.Context, skus []string) (map[string]orders.StockLevel, error)
}

// stockSource is a source whose store also reports stock: an ordersync.StockReader.
type stockSource[Q, P any] struct {
	source[Q, P]
	stock stockReader
}

func (s stockSource[Q, P]) Stock(ctx context.Context, skus []string) (map[string]orders.StockLevel, error) {
	return s.stock.Stock(ctx, skus)
}

// The pipeline reads stock from the sources that can tell (ordersync.StockReader).
var (
	_ ordersync.StockReader    = stockSource[shopify.Query, shopify.Page]{}
	_ ordersync.StockReader    = stockSource[woocommerce.Query, woocommerce.Page]{}
	_ ordersync.OrderReader    = source[shopify.Query, shopify.Page]{}
	_ ordersync.ResourceReader = resourceSource{}
)
