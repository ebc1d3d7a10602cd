package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// NextInventoryUpdateDue returns when the earliest row of store connection storeConnectionID
// that waits for a push becomes due: a pending row's NextAttemptAt, or a claimed row's claim
// time plus lease (its worker may have died). ok is false when no row waits (done, failed and
// mismatched rows do not).
func NextInventoryUpdateDue(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, lease time.Duration) (due time.Time, ok bool, err error) {
	var rows []struct {
		Due *time.Time `bun:"due"`
	}
	err = idb.NewRaw(`SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE claimed_at + ?::interval END) AS due
		FROM inventory_updates WHERE account_id = ? AND store_connection_id = ? AND status IN ('pending', 'pushing')`,
		fmt.Sprintf("%d milliseconds", lease.Milliseconds()), accountID, storeConnectionID).Scan(ctx, &rows)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("db: next inventory update due of store connection %d: %w", storeConnectionID, err)
	}
	if len(rows) == 0 || rows[0].Due == nil {
		return time.Time{}, false, nil
	}
	return *rows[0].Due, true, nil
}

// MismatchedForRecheck returns up to limit SKUs of store connection storeConnectionID whose
// rows are mismatched and whose SKU was last searched for in the store before checkedBefore,
// least recently checked first.
func MismatchedForRecheck(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, checkedBefore time.Time, limit int) ([]string, error) {
	var skus []string
	err := idb.NewRaw(`SELECT sku FROM inventory_updates
		WHERE account_id = ? AND store_connection_id = ? AND status = 'mismatched'
			AND coalesce(mismatch_checked_at, updated_at) < ?
		ORDER BY coalesce(mismatch_checked_at, updated_at), id LIMIT ?`,
		accountID, storeConnectionID, checkedBefore, limit).Scan(ctx, &skus)
	if err != nil {
		return nil, fmt.Errorf("db: mismatched inventory updates of store connection %d: %w", storeConnectionID, err)
	}
	return skus, nil
}

// MarkMismatchChecked records that the store was searched for these SKUs (case-insensitive)
// at checkedAt and still has none of them.
func MarkMismatchChecked(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, skus []string, checkedAt time.Time) error {
	if len(skus) == 0 {
		return nil
	}
	lower := make([]string, len(skus))
	for i, s := range skus {
		lower[i] = strings.ToLower(s)
	}
	_, err := idb.NewRaw(`UPDATE inventory_updates SET mismatch_checked_at = ?
		WHERE account_id = ? AND store_connection_id = ? AND status = 'mismatched' AND lower(sku) = ANY(?::text[])`,
		checkedAt, accountID, storeConnectionID, pgdialect.Array(lower)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: mark mismatched SKUs checked for store connection %d: %w", storeConnectionID, err)
	}
	return nil
}
