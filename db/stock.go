package db

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// SaveStoreStock records the stock the store reported for each SKU.
func (d *DB) SaveStoreStock(ctx context.Context, accountID int64, stock map[string]int, at time.Time) error {
	for sku, qty := range stock {
		_, err := d.bun.NewRaw(`INSERT INTO store_stock (account_id, sku, quantity, read_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (account_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity, read_at = EXCLUDED.read_at`,
			accountID, strings.ToLower(sku), qty, at).Exec(ctx)
		if err != nil {
			return fmt.Errorf("db: save stock of %q: %w", sku, err)
		}
	}
	return nil
}

// GetStoreStock returns the last stock read for sku (any case), or ErrNotFound.
func (d *DB) GetStoreStock(ctx context.Context, accountID int64, sku string) (int, error) {
	var qty int
	err := d.bun.NewRaw(`SELECT quantity FROM store_stock WHERE account_id = ? AND sku = ?`, accountID, strings.ToLower(sku)).Scan(ctx, &qty)
	if err != nil {
		return 0, fmt.Errorf("db: stock of %q: %w", sku, translate(err))
	}
	return qty, nil
}
