package ordersync

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Notice is what one store webhook said changed: an order by the store's id (Shopify,
// WooCommerce), or a resource to read (ShipStation's ORDER_NOTIFY resource_url). A webhook is
// only a hint: the order itself is always read from the store's API.
type Notice struct {
	OrderID     string `json:"orderId,omitempty"`
	ResourceURL string `json:"resourceUrl,omitempty"`
}

// OrderReader is a Source that reads one order by the store's id.
type OrderReader interface {
	Order(ctx context.Context, id string) (Fetched, error)
}

// ResourceReader is a Source whose webhooks name a list of orders to read (ShipStation). It
// reads only resources on the connection's own host.
type ResourceReader interface {
	ResourceOrders(ctx context.Context, resourceURL string, fn func([]Fetched) error) error
}

// ErrNoticeUnsupported is returned for a notice the connection's source cannot read.
var ErrNoticeUnsupported = errors.New("this store's client cannot read what the webhook names")

// PullNotice reads what n names from src and ingests it like a scheduled pull's page (rules,
// matching, queue, stock for new items), under the connection's settings: an order whose
// store status the connection does not sync is left alone, as a pull would. An order the
// store no longer has (deleted since the webhook) is not an error. The connection's pull
// cursor is not moved: scheduled pulls stay the safety net.
func (p *Pipeline) PullNotice(ctx context.Context, conn *db.StoreConnection, src Source, n Notice) (Stats, error) {
	settings, err := Settings(conn)
	if err != nil {
		return Stats{}, err
	}
	stock, readsStock := src.(StockReader)
	readsStock = readsStock && settings.MissingProduct == orders.MissingCreate && settings.NewItemType == orders.ItemInventory
	wanted := func(page []Fetched) []Fetched {
		if len(settings.Statuses) == 0 {
			return page
		}
		return slices.DeleteFunc(slices.Clone(page), func(f Fetched) bool {
			// An order that cannot be read is kept: it is recorded in error, as a pull does.
			return f.Err == nil && !slices.Contains(settings.Statuses, f.Order.Status)
		})
	}
	defer p.filling(ctx, conn)()
	var total Stats
	ingest := func(page []Fetched) error {
		page = wanted(page)
		if len(page) == 0 {
			return nil
		}
		st, err := p.ingestPage(ctx, conn, settings, stock, readsStock, page)
		total.Add(st)
		return err
	}
	switch {
	case n.ResourceURL != "":
		rr, ok := src.(ResourceReader)
		if !ok {
			return total, fmt.Errorf("ordersync: %s: %w", conn.Channel, ErrNoticeUnsupported)
		}
		err = rr.ResourceOrders(ctx, n.ResourceURL, ingest)
	case n.OrderID != "":
		or, ok := src.(OrderReader)
		if !ok {
			return total, fmt.Errorf("ordersync: %s: %w", conn.Channel, ErrNoticeUnsupported)
		}
		var f Fetched
		f, err = or.Order(ctx, n.OrderID)
		if errors.Is(err, storenet.ErrNotFound) {
			return total, nil
		}
		if err == nil {
			err = ingest([]Fetched{f})
		}
	default:
		return total, errors.New("ordersync: the notice names nothing to read")
	}
	return total, err
}
