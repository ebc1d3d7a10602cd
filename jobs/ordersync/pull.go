package ordersync

import (
	"context"
	"errors"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// StockReader is a Source that can tell how many of each SKU the store has.
type StockReader interface {
	Stock(ctx context.Context, skus []string) (map[string]int, error)
}

// Pull reads every page of orders matching q from src and ingests it, calling progress after
// each page. When the connection creates missing items as inventory items, it also reads the
// store's stock of the page's SKUs, so each item starts in QuickBooks with the store's quantity.
func (p *Pipeline) Pull(ctx context.Context, conn *db.StoreConnection, src Source, q Query, progress func(page int, orders int, total Stats)) (Stats, error) {
	settings, err := Settings(conn)
	if err != nil {
		return Stats{}, err
	}
	stock, readsStock := src.(StockReader)
	readsStock = readsStock && settings.MissingProduct == orders.MissingCreate && settings.NewItemType == orders.ItemInventory
	var total Stats
	pages, count := 0, 0
	err = src.Orders(ctx, q, func(page []Fetched) error {
		if readsStock {
			if err := p.readStock(ctx, conn, stock, page); err != nil {
				return err
			}
		}
		st, err := p.Ingest(ctx, conn, page)
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

// readStock stores the store's stock of every SKU on the page.
func (p *Pipeline) readStock(ctx context.Context, conn *db.StoreConnection, src StockReader, page []Fetched) error {
	seen := map[string]bool{}
	var skus []string
	for _, f := range page {
		for _, l := range f.Order.Lines {
			if l.SKU != "" && !seen[l.SKU] {
				seen[l.SKU] = true
				skus = append(skus, l.SKU)
			}
		}
	}
	if len(skus) == 0 {
		return nil
	}
	levels, err := src.Stock(ctx, skus)
	if err != nil {
		// Stock is a nicety for new items; an order must not wait for it.
		p.logger().WarnContext(ctx, "ordersync: read stock", "connection", conn.ID, "err", err)
		return nil
	}
	return p.DB.SaveStoreStock(ctx, conn.AccountID, levels, p.now())
}

// openingQuantity is the store's stock of the SKU behind QuickBooks item name qbName, if known.
func (p *Pipeline) openingQuantity(ctx context.Context, row *db.Order, qbName string) (int, bool) {
	qty, err := p.DB.GetStoreStock(ctx, row.AccountID, storeSKU(row, qbName))
	if errors.Is(err, db.ErrNotFound) || err != nil {
		return 0, false
	}
	return qty, true
}
