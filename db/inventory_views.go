package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// InventoryUpdateView is one row of the update queue with what the Inventory page shows next
// to it: the store connection's name and channel, and the QuickBooks quantities of the item the
// target came from (a Desktop connection's, or for a row naming none the QuickBooks Online
// company the store posts to) as the last read saw them (nil when that item is no longer in the
// snapshot, e.g. deleted in QuickBooks or its connection gone).
type InventoryUpdateView struct {
	InventoryUpdate
	StoreName      string `bun:"store_name"`
	Channel        string `bun:"channel"`
	QBOnHand       *Qty   `bun:"qb_on_hand"`
	QBOnSalesOrder *Qty   `bun:"qb_on_sales_order"`
}

// PageInventoryUpdates pages through accountID's update queue rows matching f (f.Limit is
// ignored: p sets the page), newest row first.
//
// A row from a QuickBooks Online company names no Desktop connection (so): its item, by Id, is
// in the snapshot of the company the store posts to, the one its target came from.
func (d *DB) PageInventoryUpdates(ctx context.Context, accountID int64, f InventoryUpdateFilter, p Page) (Result[InventoryUpdateView], error) {
	return pageRaw[InventoryUpdateView](ctx, d.bun, p, "inventory updates", "inventory_updates", "u", `SELECT `+updateColumnsU+`, sc.name AS store_name, sc.channel,
			(COALESCE(sd.quantity_on_hand, so.quantity_on_hand) * 100000)::bigint AS qb_on_hand,
			(COALESCE(sd.quantity_on_sales_order, so.quantity_on_sales_order) * 100000)::bigint AS qb_on_sales_order
		FROM inventory_updates u
		JOIN store_connections sc ON sc.id = u.store_connection_id
		LEFT JOIN inventory_snapshot sd ON sd.qbd_connection_id = u.qbd_connection_id AND sd.list_id = u.qb_list_id
		LEFT JOIN inventory_snapshot so ON u.qbd_connection_id IS NULL AND so.qbo_connection_id = sc.qbo_connection_id AND so.list_id = u.qb_list_id`,
		f.where(accountID, "u."))
}

// PushLogView is one push log entry with its store connection's name and channel.
type PushLogView struct {
	PushLogEntry
	StoreName string `bun:"store_name"`
	Channel   string `bun:"channel"`
}

// PageInventoryPushLog pages through accountID's push log entries matching f (f.Limit is
// ignored: p sets the page), newest first.
func (d *DB) PageInventoryPushLog(ctx context.Context, accountID int64, f PushLogFilter, p Page) (Result[PushLogView], error) {
	return pageRaw[PushLogView](ctx, d.bun, p, "inventory push log", "inventory_push_log", "l", `SELECT l.id, l.store_connection_id, l.update_id, l.sku, l.quantity, l.outcome, l.reason, l.created_at,
			sc.name AS store_name, sc.channel
		FROM inventory_push_log l JOIN store_connections sc ON sc.id = l.store_connection_id`, f.where(accountID, "l."))
}

// rawWhere collects the conditions (joined with AND) and their arguments of a raw query.
type rawWhere struct {
	conds []string
	args  []any
}

func (w *rawWhere) add(cond string, arg any) {
	w.conds, w.args = append(w.conds, cond), append(w.args, arg)
}

// sql is the conditions joined with AND.
func (w rawWhere) sql() string {
	return strings.Join(w.conds, " AND ")
}

// where is f's conditions, accountID's rows only, on the columns of a table named by prefix
// ("u." for alias u, "" for none).
func (f InventoryUpdateFilter) where(accountID int64, prefix string) rawWhere {
	w := rawWhere{conds: []string{prefix + "account_id = ?"}, args: []any{accountID}}
	if f.StoreConnectionID != 0 {
		w.add(prefix+"store_connection_id = ?", f.StoreConnectionID)
	}
	if len(f.Statuses) > 0 {
		w.add(prefix+"status = ANY(?::text[])", pgdialect.Array(texts(f.Statuses)))
	}
	if f.SKU != "" {
		w.add(prefix+"sku ILIKE ?", "%"+escapeLike(f.SKU)+"%")
	}
	return w
}

// where is f's conditions, accountID's rows only, on the columns of a table named by prefix
// ("l." for alias l, "" for none).
func (f PushLogFilter) where(accountID int64, prefix string) rawWhere {
	w := rawWhere{conds: []string{prefix + "account_id = ?"}, args: []any{accountID}}
	if f.StoreConnectionID != 0 {
		w.add(prefix+"store_connection_id = ?", f.StoreConnectionID)
	}
	if f.SKU != "" {
		w.add("lower("+prefix+"sku) = ?", strings.ToLower(f.SKU))
	}
	if len(f.Outcomes) > 0 {
		w.add(prefix+"outcome = ANY(?::text[])", pgdialect.Array(texts(f.Outcomes)))
	}
	return w
}

// pageRaw pages through the rows of table (aliased alias, keyed by alias.id) that w selects,
// newest first: it counts them, then reads page p with selectFrom (a SELECT … FROM … JOIN …
// without WHERE). what names the rows in errors.
func pageRaw[T any](ctx context.Context, idb bun.IDB, p Page, what, table, alias, selectFrom string, w rawWhere) (Result[T], error) {
	cond, args := w.sql(), w.args
	var total int
	if err := idb.NewRaw("SELECT count(*) FROM "+table+" "+alias+" WHERE "+cond, args...).Scan(ctx, &total); err != nil {
		return Result[T]{}, fmt.Errorf("db: count %s: %w", what, err)
	}
	if p.AfterID > 0 {
		cond, args = cond+" AND "+alias+".id < ?", append(args, p.AfterID)
	}
	args = append(args, p.limit()+1)
	var rows []T
	if err := idb.NewRaw(selectFrom+"\n\t\tWHERE "+cond+" ORDER BY "+alias+".id DESC LIMIT ?", args...).Scan(ctx, &rows); err != nil {
		return Result[T]{}, fmt.Errorf("db: page %s: %w", what, err)
	}
	return trim(p, rows, int64(total)), nil
}

// texts converts string-typed values (statuses, outcomes) for a text[] argument.
func texts[S ~string](vs []S) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// RequeueInventoryUpdates puts storeConnectionID's queue rows back to pending, due now, with
// their current target and a fresh attempt count ("Push now"): all of them when skus is
// empty, else those SKUs (case-insensitive). Done rows are pushed again even though the store
// should already have their quantity (someone may have changed it in the store), and mismatched
// ones are tried again (the store may have the product by now). Rows being pushed are left to
// their worker. It returns how many rows now wait for a push.
func (d *DB) RequeueInventoryUpdates(ctx context.Context, accountID, storeConnectionID int64, skus []string, now time.Time) (int, error) {
	lower := make([]string, len(skus))
	for i, s := range skus {
		lower[i] = strings.ToLower(strings.TrimSpace(s))
	}
	res, err := d.bun.NewRaw(`UPDATE inventory_updates SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = now()
		WHERE account_id = ? AND store_connection_id = ? AND status <> 'pushing'
			AND (cardinality(?::text[]) = 0 OR lower(sku) = ANY(?::text[]))`,
		now, accountID, storeConnectionID, pgdialect.Array(lower), pgdialect.Array(lower)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: requeue inventory updates of store connection %d: %w", storeConnectionID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
