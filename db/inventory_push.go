package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
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
