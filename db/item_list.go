package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// The queries of reading a QuickBooks company's item list through the Web Connector
// (jobs/ordersync/itemlist.go). Each takes a bun.IDB so it runs in the transaction that
// settles the page QuickBooks answered, and each is scoped to the account that owns the
// connection: a connection id of another account finds and changes nothing.

// UnfinishedWork reports whether QuickBooks Desktop connection qbdConnectionID of account
// accountID has work whose document key starts with prefix that is queued, in flight or in
// doubt.
func UnfinishedWork(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64, prefix string) (bool, error) {
	busy, err := idb.NewSelect().Model((*QBDWorkItem)(nil)).
		Where("account_id = ? AND connection_id = ? AND doc_key LIKE ? AND status IN (?)", accountID, qbdConnectionID, escapeLike(prefix)+"%",
			bun.List([]string{WorkQueued, WorkInFlight, WorkInDoubt})).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("db: unfinished %s work: %w", prefix, err)
	}
	return busy, nil
}

// CountItemsRead counts the items of account accountID's qbdConnectionID that read readKey saw.
func CountItemsRead(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64, readKey string) (int, error) {
	var n int
	if err := idb.NewSelect().Model((*QBItem)(nil)).ColumnExpr("count(*)").
		Where("account_id = ? AND qbd_connection_id = ? AND read_key = ?", accountID, qbdConnectionID, readKey).Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("db: count items read: %w", err)
	}
	return n, nil
}

// DropItemsNotRead removes from the item list of account accountID's qbdConnectionID the items
// that whole read readKey did not see and that did not change since it started (deleted in
// QuickBooks), and returns how many.
func DropItemsNotRead(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64, readKey string, started time.Time) (int64, error) {
	res, err := idb.NewDelete().Model((*QBItem)(nil)).
		Where("account_id = ? AND qbd_connection_id = ? AND read_key IS DISTINCT FROM ? AND updated_at < ?",
			accountID, qbdConnectionID, readKey, started).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: drop items deleted in QuickBooks: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// SetItemsRead records that a read of the item list of account accountID's qbdConnectionID that
// started at started has finished; wholeAt, when set, is when a whole read finished (the list is
// known).
func SetItemsRead(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64, started time.Time, wholeAt *time.Time) error {
	upd := idb.NewUpdate().Model((*QBDConnection)(nil)).Set("items_read_at = ?", started).
		Where("id = ? AND account_id = ?", qbdConnectionID, accountID)
	if wholeAt != nil {
		upd = upd.Set("item_list_at = ?", *wholeAt)
	}
	if _, err := upd.Exec(ctx); err != nil {
		return fmt.Errorf("db: item list read time: %w", err)
	}
	return nil
}

// ContactedQBDConnections returns every QuickBooks Desktop connection, of every account, that
// a Web Connector has reached at least once, by id.
func (d *DB) ContactedQBDConnections(ctx context.Context) ([]QBDConnection, error) {
	return selectRows[QBDConnection](ctx, d.bun, "contacted QuickBooks connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("qc.last_contact_at IS NOT NULL").OrderExpr("qc.id")
	})
}

// UnknownQBItemsIfKnown is UnknownQBItems when the item list of account accountID's
// qbdConnectionID is known (ItemListKnown); otherwise known is false and nothing can be said.
func (d *DB) UnknownQBItemsIfKnown(ctx context.Context, accountID, qbdConnectionID int64, names []string) (unknown []string, known bool, err error) {
	if known, err = ItemListKnown(ctx, d.bun, accountID, qbdConnectionID); err != nil || !known {
		return nil, known, err
	}
	unknown, err = UnknownQBItems(ctx, d.bun, accountID, qbdConnectionID, names)
	return unknown, true, err
}
