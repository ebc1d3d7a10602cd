package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// inventoryOn is the SQL condition "inventory sync is on" over store_connections (alias sc):
// the connection is enabled and its settings say {"inventory":{"enabled":true}} (see
// orders.InventorySettings; connections stored before the setting have it off).
const inventoryOn = `sc.enabled AND coalesce((sc.settings->'inventory'->>'enabled')::boolean, false)`

// InventorySyncOn reports whether an enabled store connection of accountID with inventory sync
// on posts to QuickBooks Desktop connection qbdConnectionID.
func (d *DB) InventorySyncOn(ctx context.Context, accountID, qbdConnectionID int64) (bool, error) {
	var on bool
	err := d.bun.NewRaw(`SELECT EXISTS (SELECT 1 FROM store_connections sc
		WHERE sc.account_id = ? AND sc.qbd_connection_id = ? AND `+inventoryOn+`)`, accountID, qbdConnectionID).Scan(ctx, &on)
	if err != nil {
		return false, fmt.Errorf("db: inventory sync on: %w", err)
	}
	return on, nil
}

// StoreConnectionsOfCompany returns accountID's enabled store connections that post to company
// co (Desktop or Online), in id order.
func StoreConnectionsOfCompany(ctx context.Context, idb bun.IDB, accountID int64, co InventoryCompany) ([]StoreConnection, error) {
	return selectRows[StoreConnection](ctx, idb, fmt.Sprintf("store connections of %s", co), func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("sc.account_id = ? AND sc.? = ? AND sc.enabled", accountID, co.column(), co.ID()).
			Order("sc.id")
	})
}

// QBDInventoryConnection is a QuickBooks Desktop connection with at least one store connection
// whose inventory sync is on.
type QBDInventoryConnection struct {
	AccountID       int64 `bun:"account_id"`
	QBDConnectionID int64 `bun:"qbd_connection_id"`
}

// QBDConnectionsWithInventorySync lists, over every account, the QuickBooks Desktop connections
// that some enabled store connection with inventory sync on posts to.
func (d *DB) QBDConnectionsWithInventorySync(ctx context.Context) ([]QBDInventoryConnection, error) {
	var out []QBDInventoryConnection
	err := d.bun.NewRaw(`SELECT DISTINCT sc.account_id, sc.qbd_connection_id FROM store_connections sc
		WHERE sc.qbd_connection_id IS NOT NULL AND `+inventoryOn+` ORDER BY 1, 2`).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("db: qbd connections with inventory sync: %w", err)
	}
	return out, nil
}

// QBOInventoryCompany is a QuickBooks Online company with at least one store connection whose
// inventory sync is on.
type QBOInventoryCompany struct {
	AccountID       int64 `bun:"account_id"`
	QBOConnectionID int64 `bun:"qbo_connection_id"`
}

// QBOCompaniesWithInventorySync lists, over every account, the connected QuickBooks Online
// companies that some enabled store connection with inventory sync on posts to.
func (d *DB) QBOCompaniesWithInventorySync(ctx context.Context) ([]QBOInventoryCompany, error) {
	return d.QBOCompaniesWithInventorySyncOfRealm(ctx, "")
}

// QBOCompaniesWithInventorySyncOfRealm is QBOCompaniesWithInventorySync limited to QuickBooks
// realm realmID ("" for every realm): the companies a webhook about that realm concerns (one
// per account that connected it).
func (d *DB) QBOCompaniesWithInventorySyncOfRealm(ctx context.Context, realmID string) ([]QBOInventoryCompany, error) {
	var out []QBOInventoryCompany
	err := d.bun.NewRaw(`SELECT DISTINCT sc.account_id, sc.qbo_connection_id FROM store_connections sc
		JOIN qbo_connections qo ON qo.id = sc.qbo_connection_id AND qo.account_id = sc.account_id
		WHERE qo.status = ? AND (? = '' OR qo.realm_id = ?) AND `+inventoryOn+` ORDER BY 1, 2`,
		QBOStatusConnected, realmID, realmID).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("db: QuickBooks Online companies with inventory sync: %w", err)
	}
	return out, nil
}

// InventoryPushDue is a store connection with inventory updates waiting for a push.
type InventoryPushDue struct {
	AccountID         int64 `bun:"account_id"`
	StoreConnectionID int64 `bun:"store_connection_id"`
}

// StoreConnectionsWithDueInventoryUpdates lists, over every account, the store connections
// with a pending inventory update due at now, or one claimed before now−lease and never
// settled: the ones a push task should be running for.
func (d *DB) StoreConnectionsWithDueInventoryUpdates(ctx context.Context, now time.Time, lease time.Duration) ([]InventoryPushDue, error) {
	var out []InventoryPushDue
	err := d.bun.NewRaw(`SELECT DISTINCT account_id, store_connection_id FROM inventory_updates
		WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'pushing' AND claimed_at < ?) ORDER BY 1, 2`,
		now, now.Add(-lease)).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("db: store connections with due inventory updates: %w", err)
	}
	return out, nil
}

// InventorySnapshotItemsOf returns the items of listIDs in the snapshot of company co of
// accountID, in ListID order: what detection compares one page of reads with, without loading
// a large company's whole snapshot for every page.
func InventorySnapshotItemsOf(ctx context.Context, idb bun.IDB, accountID int64, co InventoryCompany, listIDs []string) ([]SnapshotItem, error) {
	if len(listIDs) == 0 {
		return nil, nil
	}
	var items []SnapshotItem
	err := idb.NewRaw(`SELECT list_id, full_name, item_type, active,
			(quantity_on_hand * 100000)::bigint AS quantity_on_hand, (quantity_on_sales_order * 100000)::bigint AS quantity_on_sales_order,
			time_modified, last_seen_at, changed_at
		FROM inventory_snapshot WHERE account_id = ? AND ? = ? AND list_id = ANY(?::text[]) ORDER BY list_id`,
		accountID, co.column(), co.ID(), pgdialect.Array(listIDs)).Scan(ctx, &items)
	if err != nil {
		return nil, fmt.Errorf("db: inventory snapshot items of %s: %w", co, err)
	}
	return items, nil
}

// TryLockQBOInventoryDetection takes, for the rest of tx, the advisory lock that serializes the
// inventory detections of QuickBooks Online company qboConnectionID, and reports whether it got
// it (false: another detection holds it). An advisory lock, not the company's row: the token
// refresh inside a detection's reads locks that row.
func TryLockQBOInventoryDetection(ctx context.Context, tx bun.IDB, qboConnectionID int64) (bool, error) {
	var got bool
	if err := tx.NewRaw(`SELECT pg_try_advisory_xact_lock(hashtext('inventory:qbo'), ?::int)`, qboConnectionID).Scan(ctx, &got); err != nil {
		return false, fmt.Errorf("db: lock QuickBooks Online company %d's inventory detection: %w", qboConnectionID, err)
	}
	return got, nil
}
