package db

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// StoreStock is what a store connection last said about one SKU's stock.
type StoreStock struct {
	SKU          string    `bun:"sku"` // lower-cased
	ConnectionID int64     `bun:"connection_id"`
	Quantity     int       `bun:"quantity"` // available, net of the orders the store already took
	Tracked      bool      `bun:"tracked"`  // the store counts this SKU's stock
	Shipped      bool      `bun:"shipped"`  // a physical product
	ReadAt       time.Time `bun:"read_at"`  // Postgres' clock, like orders.created_at
}

// StockReadStart returns Postgres' clock now: the time of a stock read about to be asked of a
// store, for SaveStoreStock (orders stored after it are not in the levels the store answers).
func (d *DB) StockReadStart(ctx context.Context) (time.Time, error) {
	var now time.Time
	if err := d.bun.NewRaw("SELECT clock_timestamp()").Scan(ctx, &now); err != nil {
		return time.Time{}, fmt.Errorf("db: clock: %w", err)
	}
	return now, nil
}

// SaveStoreStock records what store connection connectionID reported for each SKU in a read
// asked at readAt (StockReadStart: Postgres' clock, so that it compares with the times orders
// were stored, UnpostedQuantity). An SKU's latest read wins, whichever connection of the
// account made it: a read answered after a later one was stored (two pulls at once) is not
// written over it.
func (d *DB) SaveStoreStock(ctx context.Context, accountID, connectionID int64, levels []StoreStock, readAt time.Time) error {
	for _, l := range levels {
		_, err := d.bun.NewRaw(`INSERT INTO store_stock AS s (account_id, sku, connection_id, quantity, tracked, shipped, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, sku) DO UPDATE SET connection_id = EXCLUDED.connection_id, quantity = EXCLUDED.quantity,
				tracked = EXCLUDED.tracked, shipped = EXCLUDED.shipped, read_at = EXCLUDED.read_at
			WHERE s.read_at <= EXCLUDED.read_at`,
			accountID, strings.ToLower(l.SKU), connectionID, l.Quantity, l.Tracked, l.Shipped, readAt).Exec(ctx)
		if err != nil {
			return fmt.Errorf("db: save stock of %q: %w", l.SKU, err)
		}
	}
	return nil
}

// GetStoreStock returns the last stock read for sku (any case), or ErrNotFound.
func (d *DB) GetStoreStock(ctx context.Context, accountID int64, sku string) (*StoreStock, error) {
	var rows []StoreStock
	err := d.bun.NewRaw(`SELECT sku, coalesce(connection_id, 0) AS connection_id, quantity, tracked, shipped, read_at
		FROM store_stock WHERE account_id = ? AND sku = ?`, accountID, strings.ToLower(sku)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("db: stock of %q: %w", sku, translate(err))
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("db: stock of %q: %w", sku, ErrNotFound)
	}
	return &rows[0], nil
}

// UnpostedQuantity sums the quantity of sku (any case) on the lines of connectionID's orders
// that Ledgerlink stored at or before until and that are neither in QuickBooks (posted, or
// adopted as a duplicate) nor excluded: the store took them off its stock, and QuickBooks will
// when they post.
func (d *DB) UnpostedQuantity(ctx context.Context, accountID, connectionID int64, sku string, until time.Time) (int, error) {
	var n int
	err := d.bun.NewRaw(`SELECT coalesce(sum((l->>'quantity')::bigint), 0)
		FROM orders o, jsonb_array_elements(o.normalized->'lines') l
		WHERE o.account_id = ? AND o.connection_id = ? AND o.created_at <= ? AND o.state NOT IN (?, ?, ?)
			AND lower(l->>'sku') = ?`,
		accountID, connectionID, until, OrderPosted, OrderSkippedDuplicate, OrderExcluded, strings.ToLower(sku)).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("db: unposted quantity of %q: %w", sku, err)
	}
	return n, nil
}
