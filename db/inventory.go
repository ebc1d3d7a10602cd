package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Qty is a QuickBooks quantity in hundred-thousandths (the five decimals of qbXML's QUANTYPE;
// the same scale as qbxml.Quantity, so converting is a cast). Postgres keeps it as numeric.
type Qty int64

// QtyScale is the number of Qty units in one item.
const QtyScale = 100000

// SnapshotItem is what Ledgerlink last read of one QuickBooks inventory item.
type SnapshotItem struct {
	ListID       string    `bun:"list_id"`
	FullName     string    `bun:"full_name"`
	ItemType     string    `bun:"item_type"` // "ItemInventory" or "ItemInventoryAssembly"
	Active       bool      `bun:"active"`
	OnHand       Qty       `bun:"quantity_on_hand"`
	OnSalesOrder Qty       `bun:"quantity_on_sales_order"`
	TimeModified string    `bun:"time_modified"` // QuickBooks' text
	LastSeenAt   time.Time `bun:"last_seen_at"`
	ChangedAt    time.Time `bun:"changed_at"`
}

// InventoryCompany names the QuickBooks company an inventory snapshot and watermark belong to:
// a QuickBooks Desktop connection (QBD) or a QuickBooks Online company (QBO, a qbo_connections
// row). Exactly one is set; the two kinds never share rows.
type InventoryCompany struct{ QBD, QBO int64 }

// DesktopCompany is QuickBooks Desktop connection id as an InventoryCompany.
func DesktopCompany(id int64) InventoryCompany { return InventoryCompany{QBD: id} }

// OnlineCompany is QuickBooks Online company id as an InventoryCompany.
func OnlineCompany(id int64) InventoryCompany { return InventoryCompany{QBO: id} }

// ID is the company's row id in its own table.
func (c InventoryCompany) ID() int64 {
	if c.QBO != 0 {
		return c.QBO
	}
	return c.QBD
}

func (c InventoryCompany) String() string {
	if c.QBO != 0 {
		return fmt.Sprintf("QuickBooks Online company %d", c.QBO)
	}
	return fmt.Sprintf("qbd connection %d", c.QBD)
}

// column is the company's key column in the inventory tables and store_connections.
func (c InventoryCompany) column() bun.Ident {
	if c.QBO != 0 {
		return bun.Ident("qbo_connection_id")
	}
	return bun.Ident("qbd_connection_id")
}

// table is the table of the company's connections (for scoping writes to its account).
func (c InventoryCompany) table() bun.Ident {
	if c.QBO != 0 {
		return bun.Ident("qbo_connections")
	}
	return bun.Ident("qbd_connections")
}

// InventorySnapshotOf returns every item of company co of accountID, in ListID (Online: Id)
// order (empty before the first read).
func InventorySnapshotOf(ctx context.Context, idb bun.IDB, accountID int64, co InventoryCompany) ([]SnapshotItem, error) {
	var items []SnapshotItem
	err := idb.NewRaw(`SELECT list_id, full_name, item_type, active,
			(quantity_on_hand * 100000)::bigint AS quantity_on_hand, (quantity_on_sales_order * 100000)::bigint AS quantity_on_sales_order,
			time_modified, last_seen_at, changed_at
		FROM inventory_snapshot WHERE account_id = ? AND ? = ? ORDER BY list_id`,
		accountID, co.column(), co.ID()).Scan(ctx, &items)
	if err != nil {
		return nil, fmt.Errorf("db: inventory snapshot of %s: %w", co, err)
	}
	return items, nil
}

// SaveInventorySnapshotOf stores items (new or read again) in the snapshot of company co:
// LastSeenAt and ChangedAt are written as given (detection decides them). Items not listed are
// left alone. A company that is not accountID's gives ErrNotFound.
func SaveInventorySnapshotOf(ctx context.Context, idb bun.IDB, accountID int64, co InventoryCompany, items []SnapshotItem) error {
	if len(items) == 0 {
		return nil
	}
	n := len(items)
	ids, names, types := make([]string, n), make([]string, n), make([]string, n)
	active := make([]bool, n)
	onHand, onSO := make([]int64, n), make([]int64, n)
	modified := make([]string, n)
	seen, changed := make([]time.Time, n), make([]time.Time, n)
	for i, it := range items {
		ids[i], names[i], types[i], active[i] = it.ListID, it.FullName, it.ItemType, it.Active
		onHand[i], onSO[i], modified[i] = int64(it.OnHand), int64(it.OnSalesOrder), it.TimeModified
		seen[i], changed[i] = it.LastSeenAt, it.ChangedAt
	}
	col := co.column()
	res, err := idb.NewRaw(`INSERT INTO inventory_snapshot (account_id, ?, list_id, full_name, item_type, active,
			quantity_on_hand, quantity_on_sales_order, time_modified, last_seen_at, changed_at)
		SELECT c.account_id, c.id, u.list_id, u.full_name, u.item_type, u.active, u.on_hand::numeric / 100000, u.on_so::numeric / 100000,
			u.modified, u.seen, u.changed
		FROM ? c,
			unnest(?::text[], ?::text[], ?::text[], ?::boolean[], ?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[])
				AS u(list_id, full_name, item_type, active, on_hand, on_so, modified, seen, changed)
		WHERE c.id = ? AND c.account_id = ?
		ON CONFLICT (?, list_id) DO UPDATE SET full_name = EXCLUDED.full_name, item_type = EXCLUDED.item_type,
			active = EXCLUDED.active, quantity_on_hand = EXCLUDED.quantity_on_hand,
			quantity_on_sales_order = EXCLUDED.quantity_on_sales_order, time_modified = EXCLUDED.time_modified,
			last_seen_at = EXCLUDED.last_seen_at, changed_at = EXCLUDED.changed_at`,
		col, co.table(),
		pgdialect.Array(ids), pgdialect.Array(names), pgdialect.Array(types), pgdialect.Array(active), pgdialect.Array(onHand),
		pgdialect.Array(onSO), pgdialect.Array(modified), pgdialect.Array(seen), pgdialect.Array(changed),
		co.ID(), accountID, col).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save inventory snapshot of %s: %w", co, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return fmt.Errorf("db: save inventory snapshot: %s: %w", co, ErrNotFound)
	}
	return nil
}

// DeleteInventorySnapshotItemsOf removes items (by ListID / Id) from the snapshot of company co:
// a complete read no longer returned them (deleted in QuickBooks).
func DeleteInventorySnapshotItemsOf(ctx context.Context, idb bun.IDB, accountID int64, co InventoryCompany, listIDs []string) error {
	if len(listIDs) == 0 {
		return nil
	}
	_, err := idb.NewRaw(`DELETE FROM inventory_snapshot WHERE account_id = ? AND ? = ? AND list_id = ANY(?::text[])`,
		accountID, co.column(), co.ID(), pgdialect.Array(listIDs)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: delete inventory snapshot items of %s: %w", co, err)
	}
	return nil
}

// InventoryWatermark is the detection state of one QuickBooks company. Zero times mean
// "never": no complete read of changes, no complete full snapshot.
type InventoryWatermark struct {
	ChangesThrough time.Time
	FullSnapshotAt time.Time
}

// GetInventoryWatermark is GetInventoryWatermarkOf QuickBooks Desktop connection qbdConnectionID.
func GetInventoryWatermark(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64) (InventoryWatermark, error) {
	return GetInventoryWatermarkOf(ctx, idb, accountID, DesktopCompany(qbdConnectionID))
}

// GetInventoryWatermarkOf returns the detection state of company co (zero before the first
// complete read).
func GetInventoryWatermarkOf(ctx context.Context, idb bun.IDB, accountID int64, co InventoryCompany) (InventoryWatermark, error) {
	var rows []struct {
		ChangesThrough *time.Time `bun:"changes_through"`
		FullSnapshotAt *time.Time `bun:"full_snapshot_at"`
	}
	err := idb.NewRaw(`SELECT changes_through, full_snapshot_at FROM inventory_watermarks WHERE account_id = ? AND ? = ?`,
		accountID, co.column(), co.ID()).Scan(ctx, &rows)
	if err != nil {
		return InventoryWatermark{}, fmt.Errorf("db: inventory watermark of %s: %w", co, err)
	}
	var w InventoryWatermark
	if len(rows) == 1 {
		if rows[0].ChangesThrough != nil {
			w.ChangesThrough = *rows[0].ChangesThrough
		}
		if rows[0].FullSnapshotAt != nil {
			w.FullSnapshotAt = *rows[0].FullSnapshotAt
		}
	}
	return w, nil
}

// SetInventoryWatermarkOf stores the detection state of company co. A zero time leaves the
// stored value unchanged, and neither time ever moves backwards (two detections finishing out
// of order keep the later one). A company that is not accountID's gives ErrNotFound.
func SetInventoryWatermarkOf(ctx context.Context, idb bun.IDB, accountID int64, co InventoryCompany, w InventoryWatermark) error {
	col := co.column()
	res, err := idb.NewRaw(`INSERT INTO inventory_watermarks (?, account_id, changes_through, full_snapshot_at)
		SELECT c.id, c.account_id, ?, ? FROM ? c WHERE c.id = ? AND c.account_id = ?
		ON CONFLICT (?) DO UPDATE SET
			changes_through = GREATEST(inventory_watermarks.changes_through, EXCLUDED.changes_through),
			full_snapshot_at = GREATEST(inventory_watermarks.full_snapshot_at, EXCLUDED.full_snapshot_at),
			updated_at = now()`,
		col, nullTime(w.ChangesThrough), nullTime(w.FullSnapshotAt), co.table(), co.ID(), accountID, col).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: set inventory watermark of %s: %w", co, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return fmt.Errorf("db: set inventory watermark: %s: %w", co, ErrNotFound)
	}
	return nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// UpdateStatus is the state of one row of the inventory update queue.
type UpdateStatus string

const (
	// UpdatePending waits for a worker (from NextAttemptAt).
	UpdatePending UpdateStatus = "pending"
	// UpdatePushing is claimed by a worker.
	UpdatePushing UpdateStatus = "pushing"
	// UpdateDone: the store has the target quantity.
	UpdateDone UpdateStatus = "done"
	// UpdateFailed: the push failed for good (LastError says why); a new target retries it.
	UpdateFailed UpdateStatus = "failed"
	// UpdateMismatched: the store has no product with this SKU. Kept until
	// RequeueMismatchedInventoryUpdates (the SKU map or the store changed), never retried by
	// itself; new targets are recorded meanwhile.
	UpdateMismatched UpdateStatus = "mismatched"
)

// InventoryTarget is the quantity one store connection should have for one SKU.
type InventoryTarget struct {
	StoreConnectionID int64
	SKU               string // as the store spells it; the queue matches it case-insensitively
	Quantity          int64
	QBDConnectionID   int64 // the QuickBooks company it came from (0: none)
	QBListID          string
	QBFullName        string
}

// InventoryUpdate is one row of the update queue.
type InventoryUpdate struct {
	ID                int64        `bun:"id"`
	StoreConnectionID int64        `bun:"store_connection_id"`
	SKU               string       `bun:"sku"`
	QBDConnectionID   int64        `bun:"qbd_connection_id"`
	QBListID          string       `bun:"qb_list_id"`
	QBFullName        string       `bun:"qb_full_name"`
	TargetQuantity    int64        `bun:"target_quantity"`
	TargetVersion     int64        `bun:"target_version"`
	Status            UpdateStatus `bun:"status"`
	Attempts          int          `bun:"attempts"`
	NextAttemptAt     time.Time    `bun:"next_attempt_at"`
	LastError         string       `bun:"last_error"`
	PushedQuantity    *int64       `bun:"pushed_quantity"`
	PushedAt          *time.Time   `bun:"pushed_at"`
	UpdatedAt         time.Time    `bun:"updated_at"`
	// Set on claimed rows: what the worker pushes, and the token Settle needs.
	ClaimToken      int64 `bun:"claim_token"`
	PushingQuantity int64 `bun:"pushing_quantity"`
}

const updateColumns = `id, store_connection_id, sku, coalesce(qbd_connection_id, 0) AS qbd_connection_id, qb_list_id, qb_full_name,
	target_quantity, target_version, status, attempts, next_attempt_at, last_error, pushed_quantity, pushed_at, updated_at,
	coalesce(claim_token, 0) AS claim_token, coalesce(pushing_quantity, 0) AS pushing_quantity`

// updateColumnsU is updateColumns qualified with the alias u, for UPDATE … FROM … RETURNING.
const updateColumnsU = `u.id, u.store_connection_id, u.sku, coalesce(u.qbd_connection_id, 0) AS qbd_connection_id, u.qb_list_id,
	u.qb_full_name, u.target_quantity, u.target_version, u.status, u.attempts, u.next_attempt_at, u.last_error, u.pushed_quantity,
	u.pushed_at, u.updated_at, coalesce(u.claim_token, 0) AS claim_token, coalesce(u.pushing_quantity, 0) AS pushing_quantity`

// EnqueueInventoryUpdates records targets in accountID's update queue, coalescing per store
// connection and SKU (case-insensitive):
//   - no row yet: a pending row;
//   - a pending row: its target is replaced (its place in the queue, attempts and next attempt
//     time are kept, so a throttled SKU stays throttled);
//   - a row being pushed: the new target is recorded and stays queued behind the push — Settle
//     puts the row back to pending because the version pushed is no longer the latest;
//   - a done or failed row: pending again, unless done with this very quantity already;
//   - a mismatched row: the target is recorded, the row stays mismatched (see UpdateMismatched).
//
// Targets of another account's store connections are ignored. It returns how many rows now
// wait for a push because of this call.
func EnqueueInventoryUpdates(ctx context.Context, idb bun.IDB, accountID int64, targets []InventoryTarget) (int, error) {
	// One statement per chunk (detection hands over hundreds of SKUs at once); a SKU given
	// twice keeps its last target, since one INSERT … ON CONFLICT cannot update a row twice.
	last := map[string]int{}
	var uniq []InventoryTarget
	for _, t := range targets {
		k := fmt.Sprintf("%d\x00%s", t.StoreConnectionID, strings.ToLower(t.SKU))
		if i, ok := last[k]; ok {
			uniq[i] = t
			continue
		}
		last[k] = len(uniq)
		uniq = append(uniq, t)
	}
	queued := 0
	const chunk = 1000
	for lo := 0; lo < len(uniq); lo += chunk {
		part := uniq[lo:min(lo+chunk, len(uniq))]
		n := len(part)
		stores, qbds, qty := make([]int64, n), make([]int64, n), make([]int64, n)
		skus, listIDs, names := make([]string, n), make([]string, n), make([]string, n)
		for i, t := range part {
			stores[i], qbds[i], qty[i] = t.StoreConnectionID, t.QBDConnectionID, t.Quantity
			skus[i], listIDs[i], names[i] = t.SKU, t.QBListID, t.QBFullName
		}
		var rows []struct {
			Status UpdateStatus `bun:"status"`
		}
		err := idb.NewRaw(`INSERT INTO inventory_updates AS u (account_id, store_connection_id, sku, qbd_connection_id, qb_list_id, qb_full_name, target_quantity)
			SELECT s.account_id, s.id, t.sku, nullif(t.qbd, 0), t.list_id, t.full_name, t.qty
			FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[]) AS t(store, sku, qbd, list_id, full_name, qty)
			JOIN store_connections s ON s.id = t.store AND s.account_id = ?
			ON CONFLICT (store_connection_id, lower(sku)) DO UPDATE SET
				sku = EXCLUDED.sku, qbd_connection_id = EXCLUDED.qbd_connection_id, qb_list_id = EXCLUDED.qb_list_id,
				qb_full_name = EXCLUDED.qb_full_name, target_quantity = EXCLUDED.target_quantity,
				target_version = u.target_version + 1,
				status = CASE WHEN u.status IN ('done', 'failed') THEN 'pending' ELSE u.status END,
				attempts = CASE WHEN u.status IN ('done', 'failed') THEN 0 ELSE u.attempts END,
				next_attempt_at = CASE WHEN u.status IN ('done', 'failed') THEN now() ELSE u.next_attempt_at END,
				updated_at = now()
			WHERE u.account_id = EXCLUDED.account_id AND (u.target_quantity <> EXCLUDED.target_quantity OR u.status = 'failed'
				OR (u.status = 'done' AND u.pushed_quantity IS DISTINCT FROM EXCLUDED.target_quantity))
			RETURNING u.status`,
			pgdialect.Array(stores), pgdialect.Array(skus), pgdialect.Array(qbds), pgdialect.Array(listIDs), pgdialect.Array(names),
			pgdialect.Array(qty), accountID).Scan(ctx, &rows)
		if err != nil {
			return queued, fmt.Errorf("db: enqueue %d inventory updates: %w", n, err)
		}
		for _, r := range rows {
			if r.Status == UpdatePending || r.Status == UpdatePushing {
				queued++
			}
		}
	}
	return queued, nil
}

// ClaimInventoryUpdates claims up to n rows of store connection storeConnectionID that are due
// (pending with NextAttemptAt ≤ now, or claimed before now−lease by a worker that never
// settled them), oldest due first, skipping rows other workers hold locked. Each returned row
// carries PushingQuantity (push that) and ClaimToken (give it to SettleInventoryUpdates);
// Attempts counts this attempt.
func ClaimInventoryUpdates(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, n int, now time.Time, lease time.Duration) ([]InventoryUpdate, error) {
	var rows []InventoryUpdate
	err := idb.NewRaw(`WITH due AS (
			SELECT id FROM inventory_updates
			WHERE account_id = ? AND store_connection_id = ?
				AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'pushing' AND claimed_at < ?))
			ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
		UPDATE inventory_updates u SET status = 'pushing', claim_token = nextval('inventory_claim_seq'), claimed_at = ?,
			pushing_version = u.target_version, pushing_quantity = u.target_quantity, attempts = u.attempts + 1, updated_at = now()
		FROM due WHERE u.id = due.id
		RETURNING `+updateColumnsU,
		accountID, storeConnectionID, now, now.Add(-lease), n, now).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("db: claim inventory updates of store connection %d: %w", storeConnectionID, err)
	}
	return rows, nil
}

// PushOutcome is how one push of one SKU ended.
type PushOutcome string

const (
	// PushDone: the store now has the quantity.
	PushDone PushOutcome = "pushed"
	// PushRetry: a temporary failure (429, Retry-After, a timeout); try again at RetryAt.
	PushRetry PushOutcome = "retry"
	// PushFailed: failed for good; Reason says why.
	PushFailed PushOutcome = "failed"
	// PushMismatched: the store has no product with this SKU; Reason says which name was
	// looked for and where.
	PushMismatched PushOutcome = "mismatched"
)

// PushResult settles one claimed row.
type PushResult struct {
	UpdateID   int64
	ClaimToken int64
	Quantity   int64 // what was sent: the claimed row's PushingQuantity
	Outcome    PushOutcome
	Reason     string    // plain words, shown to people
	RetryAt    time.Time // PushRetry only
}

// SettleInventoryUpdates records the results of pushes of rows claimed by
// ClaimInventoryUpdates: every result goes to the push log (the push happened, whatever
// became of the row), and each row still held by that claim moves on —
//   - pushed: done, or pending again right away when a newer target arrived during the push;
//   - retry: pending at RetryAt (with the newer target, if any);
//   - failed: failed, or pending when a newer target arrived;
//   - mismatched: mismatched (a newer target is recorded, not pushed).
//
// A row whose claim expired and was claimed again is left to its new holder. It returns how
// many rows this call settled.
func SettleInventoryUpdates(ctx context.Context, idb bun.IDB, accountID int64, results []PushResult) (int, error) {
	for _, r := range results {
		switch r.Outcome {
		case PushDone, PushRetry, PushFailed, PushMismatched:
		default:
			return 0, fmt.Errorf("db: settle inventory update %d: unknown outcome %q", r.UpdateID, r.Outcome)
		}
	}
	// One statement per chunk: a push round settles hundreds of rows at once, and a round
	// trip per row would cost more than the store's answer. A row given twice is settled by
	// its first result (the second finds it no longer held); both are logged.
	const chunk = 1000
	settled := 0
	now := time.Now()
	for lo := 0; lo < len(results); lo += chunk {
		part := results[lo:min(lo+chunk, len(results))]
		n := len(part)
		ids, tokens, qtys := make([]int64, n), make([]int64, n), make([]int64, n)
		outcomes, reasons := make([]string, n), make([]string, n)
		retryAt := make([]time.Time, n)
		for i, r := range part {
			ids[i], tokens[i], qtys[i] = r.UpdateID, r.ClaimToken, r.Quantity
			outcomes[i], reasons[i], retryAt[i] = string(r.Outcome), r.Reason, r.RetryAt
			if r.RetryAt.IsZero() {
				retryAt[i] = now
			}
		}
		var rows []struct {
			ID int64 `bun:"id"`
		}
		err := idb.NewRaw(`WITH r AS (
				SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::timestamptz[])
					WITH ORDINALITY AS r(update_id, claim_token, quantity, outcome, reason, retry_at, ord)),
			locked AS (
				SELECT u.id, u.account_id, u.store_connection_id, u.sku, u.target_version <> u.pushing_version AS newer,
					u.claim_token, u.status
				FROM inventory_updates u WHERE u.account_id = ? AND u.id IN (SELECT update_id FROM r)
				ORDER BY u.id FOR UPDATE),
			logged AS (
				INSERT INTO inventory_push_log (account_id, store_connection_id, update_id, sku, quantity, outcome, reason)
				SELECT l.account_id, l.store_connection_id, l.id, l.sku, r.quantity, r.outcome, r.reason
				FROM r JOIN locked l ON l.id = r.update_id ORDER BY r.ord),
			first AS (
				SELECT DISTINCT ON (r.update_id) r.*, l.newer, l.claim_token IS NOT DISTINCT FROM r.claim_token AND l.status = 'pushing' AS held
				FROM r JOIN locked l ON l.id = r.update_id ORDER BY r.update_id, r.ord)
			UPDATE inventory_updates u SET
				status = CASE
					WHEN c.outcome = 'mismatched' THEN 'mismatched'
					WHEN c.newer THEN 'pending'
					WHEN c.outcome = 'pushed' THEN 'done'
					WHEN c.outcome = 'retry' THEN 'pending'
					ELSE 'failed' END,
				next_attempt_at = CASE WHEN c.outcome = 'retry' THEN c.retry_at ELSE now() END,
				attempts = CASE WHEN c.newer AND c.outcome <> 'retry' THEN 0 ELSE u.attempts END,
				pushed_quantity = CASE WHEN c.outcome = 'pushed' THEN u.pushing_quantity ELSE u.pushed_quantity END,
				pushed_at = CASE WHEN c.outcome = 'pushed' THEN now() ELSE u.pushed_at END,
				last_error = CASE WHEN c.outcome = 'pushed' THEN '' ELSE c.reason END,
				mismatch_checked_at = CASE WHEN c.outcome = 'mismatched' THEN now() ELSE NULL END,
				claim_token = NULL, claimed_at = NULL, pushing_version = NULL, pushing_quantity = NULL, updated_at = now()
			FROM first c WHERE u.id = c.update_id AND c.held
			RETURNING u.id`,
			pgdialect.Array(ids), pgdialect.Array(tokens), pgdialect.Array(qtys), pgdialect.Array(outcomes), pgdialect.Array(reasons),
			pgdialect.Array(retryAt), accountID).Scan(ctx, &rows)
		if err != nil {
			return settled, fmt.Errorf("db: settle %d inventory updates: %w", n, err)
		}
		settled += len(rows)
	}
	return settled, nil
}

// RequeueMismatchedInventoryUpdates puts mismatched rows of storeConnectionID back to pending
// (the SKU map or the store's products changed): all of them when skus is empty, else those
// SKUs (case-insensitive). It returns how many.
func RequeueMismatchedInventoryUpdates(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, skus []string) (int, error) {
	lower := make([]string, len(skus))
	for i, s := range skus {
		lower[i] = strings.ToLower(s)
	}
	res, err := idb.NewRaw(`UPDATE inventory_updates SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
		WHERE account_id = ? AND store_connection_id = ? AND status = 'mismatched' AND (cardinality(?::text[]) = 0 OR lower(sku) = ANY(?::text[]))`,
		accountID, storeConnectionID, pgdialect.Array(lower), pgdialect.Array(lower)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: requeue mismatched inventory updates of store connection %d: %w", storeConnectionID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// InventoryUpdateFilter narrows ListInventoryUpdates; zero fields do not filter.
type InventoryUpdateFilter struct {
	StoreConnectionID int64
	Statuses          []UpdateStatus
	SKU               string // case-insensitive substring
	Limit             int    // default 100, at most 1000
}

// ListInventoryUpdates returns accountID's queue rows matching f, most recently changed first.
func ListInventoryUpdates(ctx context.Context, idb bun.IDB, accountID int64, f InventoryUpdateFilter) ([]InventoryUpdate, error) {
	w := f.where(accountID, "")
	q := idb.NewSelect().TableExpr("inventory_updates").ColumnExpr(updateColumns).Where(w.sql(), w.args...)
	var rows []InventoryUpdate
	if err := q.OrderExpr("updated_at DESC, id DESC").Limit(clampLimit(f.Limit)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("db: list inventory updates: %w", err)
	}
	return rows, nil
}

// PushLogEntry is one push of one SKU to one store.
type PushLogEntry struct {
	ID                int64       `bun:"id"`
	StoreConnectionID int64       `bun:"store_connection_id"`
	UpdateID          *int64      `bun:"update_id"`
	SKU               string      `bun:"sku"`
	Quantity          int64       `bun:"quantity"`
	Outcome           PushOutcome `bun:"outcome"`
	Reason            string      `bun:"reason"`
	CreatedAt         time.Time   `bun:"created_at"`
}

// PushLogFilter narrows ListInventoryPushLog; zero fields do not filter.
type PushLogFilter struct {
	StoreConnectionID int64
	SKU               string // exact, case-insensitive
	Outcomes          []PushOutcome
	Limit             int // default 100, at most 1000
}

// ListInventoryPushLog returns accountID's push log entries matching f, newest first.
func ListInventoryPushLog(ctx context.Context, idb bun.IDB, accountID int64, f PushLogFilter) ([]PushLogEntry, error) {
	q := idb.NewSelect().TableExpr("inventory_push_log").
		ColumnExpr("id, store_connection_id, update_id, sku, quantity, outcome, reason, created_at")
	w := f.where(accountID, "")
	q = q.Where(w.sql(), w.args...)
	var rows []PushLogEntry
	if err := q.OrderExpr("created_at DESC, id DESC").Limit(clampLimit(f.Limit)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("db: list inventory push log: %w", err)
	}
	return rows, nil
}

func clampLimit(n int) int64 {
	switch {
	case n <= 0:
		return 100
	case n > 1000:
		return 1000
	}
	return int64(n)
}
