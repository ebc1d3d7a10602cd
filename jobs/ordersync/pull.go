package ordersync

import (
	"context"
	"errors"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// StockReader is a Source that can tell what the store has of each SKU.
type StockReader interface {
	// Stock returns the level of each SKU the store knows, keyed by the SKU as given.
	Stock(ctx context.Context, skus []string) (map[string]orders.StockLevel, error)
}

// Pull reads every page of orders matching q from src and ingests it, calling progress after
// each page. When the connection creates missing items as inventory items, it also reads the
// store's stock of the page's SKUs once the page is stored, so each item Ledgerlink creates
// starts in QuickBooks with the right quantity (see openingStock).
func (p *Pipeline) Pull(ctx context.Context, conn *db.StoreConnection, src Source, q Query, progress func(page int, orders int, total Stats)) (Stats, error) {
	settings, err := Settings(conn)
	if err != nil {
		return Stats{}, err
	}
	return p.pull(ctx, conn, settings, src, q, progress)
}

// pull is Pull under the connection's settings, read once by the caller for the whole pull.
func (p *Pipeline) pull(ctx context.Context, conn *db.StoreConnection, settings orders.Settings, src Source, q Query, progress func(page int, orders int, total Stats)) (Stats, error) {
	stock, readsStock := src.(StockReader)
	readsStock = readsStock && settings.MissingProduct == orders.MissingCreate && settings.NewItemType == orders.ItemInventory
	var total Stats
	pages, count := 0, 0
	err := src.Orders(ctx, q, func(page []Fetched) error {
		st, err := p.ingestPage(ctx, conn, settings, stock, readsStock, page)
		total.Add(st)
		pages++
		count += len(page)
		if progress != nil {
			progress(pages, count, total)
		}
		return err
	})
	return total, err
}

// ingestPage ingests one page under settings and, when readsStock, then reads the store's
// stock of its SKUs: after the page is stored, so every order stored before the read is
// already counted in the store's quantity.
func (p *Pipeline) ingestPage(ctx context.Context, conn *db.StoreConnection, settings orders.Settings, stock StockReader, readsStock bool, page []Fetched) (Stats, error) {
	st, err := p.ingest(ctx, conn, connSettings{s: settings}, page)
	if err == nil && readsStock {
		err = p.readStock(ctx, conn, stock, page)
	}
	return st, err
}

// readStock stores what the store says about every SKU on the page. A SKU the store does not
// know, and a custom line without SKU (by its name), are stored as untracked: the store counts
// no stock of them.
func (p *Pipeline) readStock(ctx context.Context, conn *db.StoreConnection, src StockReader, page []Fetched) error {
	seen := map[string]bool{}
	var skus []string
	var custom []db.StoreStock
	for _, f := range page {
		for _, l := range f.Order.Lines {
			switch {
			case l.SKU != "" && !seen[l.SKU]:
				seen[l.SKU] = true
				skus = append(skus, l.SKU)
			case l.SKU == "" && l.Name != "" && !seen[l.Name]:
				// A custom line (no product, so no SKU) posts to an item named after it; the
				// store counts no stock of it.
				seen[l.Name] = true
				custom = append(custom, db.StoreStock{SKU: l.Name, Shipped: true})
			}
		}
	}
	// The read's time is taken before the store is asked: orders stored while the call is on
	// the wire are not in its answer, and another pull's read stored meanwhile is later.
	readAt, err := p.DB.StockReadStart(ctx)
	if err != nil {
		return err
	}
	if len(skus) == 0 {
		return p.DB.SaveStoreStock(ctx, conn.AccountID, conn.ID, custom, readAt)
	}
	levels, err := src.Stock(ctx, skus)
	if err != nil {
		// Stock is a nicety for new items; an order must not wait for it.
		p.logger().WarnContext(ctx, "ordersync: read stock", "connection", conn.ID, "err", err)
		return p.DB.SaveStoreStock(ctx, conn.AccountID, conn.ID, custom, readAt)
	}
	rows := custom
	for _, sku := range skus {
		l := levels[sku]
		rows = append(rows, db.StoreStock{SKU: sku, Quantity: l.Quantity, Tracked: l.Tracked, Shipped: l.Shipped})
	}
	return p.DB.SaveStoreStock(ctx, conn.AccountID, conn.ID, rows, readAt)
}

// openingStock decides how an inventory item Ledgerlink creates for QuickBooks item name
// qbName, sold on order row, starts, from what the store said about its SKU:
//
//   - never read (a channel without stock, or the read failed): as inv, without a quantity;
//   - the store does not track it (gift card, service, no stock management, unknown to the
//     store): a non-inventory part, or a service when it never ships, so that QuickBooks never
//     holds a negative stock of something nobody counts;
//   - tracked: the store's quantity plus the quantities of that store's orders stored before
//     the read and not yet in QuickBooks. The store's quantity is already net of those orders
//     and QuickBooks takes each off again when it posts; orders stored after the read (sold
//     after it) are in neither, and only QuickBooks takes them off. Once every pulled order is
//     posted, QuickBooks' quantity on hand equals the store's.
func (p *Pipeline) openingStock(ctx context.Context, row *db.Order, qbName string, inv qbxml.ItemInventoryAdd, s orders.Settings) qbxml.Request {
	stock, err := p.DB.GetStoreStock(ctx, row.AccountID, storeSKU(row, qbName))
	if err != nil {
		if !errors.Is(err, db.ErrNotFound) {
			p.logger().ErrorContext(ctx, "ordersync: opening stock", "item", qbName, "err", err)
		}
		return inv
	}
	if !stock.Tracked {
		return posting.Untracked(inv, stock.Shipped, s)
	}
	unposted, err := p.DB.UnpostedQuantity(ctx, row.AccountID, stock.ConnectionID, stock.SKU, stock.ReadAt)
	if err != nil {
		p.logger().ErrorContext(ctx, "ordersync: opening stock", "item", qbName, "err", err)
		return inv
	}
	return posting.OpeningStock(inv, int64(stock.Quantity+unposted), p.now())
}
