package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// The queries of the order pipeline (jobs/ordersync): storing what a store returned, moving
// orders through their states and recording why. Each takes a bun.IDB, so a caller runs it on
// the pool (the DB methods of the same names below) or inside the transaction that also queues or settles
// QuickBooks work, and the order's state can never disagree with the queue. Every read and
// write is scoped to the account: by an accountID argument, or by the AccountID of the row the
// caller holds; inserts store the account of their rows.

// FindStoreOrder returns the order the store knows as externalID on store connection
// connectionID of account accountID, or ErrNotFound.
func FindStoreOrder(ctx context.Context, idb bun.IDB, accountID, connectionID int64, externalID string) (*Order, error) {
	return getRow[Order](ctx, idb, fmt.Sprintf("order %q of connection %d", externalID, connectionID),
		"o.account_id = ? AND o.connection_id = ? AND o.external_id = ?", accountID, connectionID, externalID)
}

// InsertStoreOrder stores a new order and fills o from the stored row. It reports false, and
// leaves o.ID zero, when the connection already has an order of the same external id (another
// pull stored it a moment ago).
func InsertStoreOrder(ctx context.Context, idb bun.IDB, o *Order) (bool, error) {
	if _, err := idb.NewInsert().Model(o).On("CONFLICT (connection_id, external_id) DO NOTHING").Returning("*").Exec(ctx); err != nil {
		return false, fmt.Errorf("db: store order %s: %w", o.Number, translate(err))
	}
	return o.ID != 0, nil
}

// UpdateOrder writes columns of o (found by its id within o.AccountID).
func UpdateOrder(ctx context.Context, idb bun.IDB, o *Order, columns ...string) error {
	if _, err := idb.NewUpdate().Model(o).Column(columns...).WherePK().Where("o.account_id = ?", o.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: update order %d: %w", o.ID, translate(err))
	}
	return nil
}

// OrdersByID returns the orders of accountID among ids, in no particular order; ids of other
// accounts and unknown ids are left out.
func OrdersByID(ctx context.Context, idb bun.IDB, accountID int64, ids []int64) ([]Order, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return selectRows[Order](ctx, idb, "orders by id", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("o.account_id = ? AND o.id IN (?)", accountID, bun.List(ids))
	})
}

// LockOrder reads order id of accountID and locks its row until tx ends (SELECT … FOR
// UPDATE), so that one answer from QuickBooks at a time changes it; ErrNotFound when absent.
func LockOrder(ctx context.Context, tx bun.Tx, accountID, id int64) (*Order, error) {
	return lockRow[Order](ctx, tx, fmt.Sprintf("order %d", id), "o.id = ? AND o.account_id = ?", id, accountID)
}

// OrderConnections maps each order of accountID among ids to its store connection.
func OrderConnections(ctx context.Context, idb bun.IDB, accountID int64, ids []int64) (map[int64]int64, error) {
	var rows []Order
	if err := idb.NewSelect().Model(&rows).Column("id", "connection_id").
		Where("o.account_id = ? AND o.id IN (?)", accountID, bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: order connections: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.ConnectionID
	}
	return out, nil
}

// MarkOrdersSent moves the orders of accountID among ids that are ready to sent, with reason,
// as of now. Orders in any other state (answered meanwhile, withdrawn) are left alone.
func MarkOrdersSent(ctx context.Context, idb bun.IDB, accountID int64, ids []int64, reason string, now time.Time) error {
	_, err := idb.NewUpdate().Model((*Order)(nil)).
		Set("state = ?", OrderSent).Set("state_reason = ?", reason).Set("updated_at = ?", now).
		Where("id IN (?) AND account_id = ? AND state = ?", bun.List(ids), accountID, OrderReady).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: mark orders sent: %w", err)
	}
	return nil
}

// InsertOrderEvent adds a line to an order's audit trail.
func InsertOrderEvent(ctx context.Context, idb bun.IDB, e *OrderEvent) error {
	if _, err := idb.NewInsert().Model(e).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("db: add order event: %w", translate(err))
	}
	return nil
}

// StoreConnectionOf returns store connection id of account accountID (the caller holds an
// order or work item of that account), or ErrNotFound.
func StoreConnectionOf(ctx context.Context, idb bun.IDB, accountID, id int64) (*StoreConnection, error) {
	return getRow[StoreConnection](ctx, idb, fmt.Sprintf("store connection %d", id), "sc.id = ? AND sc.account_id = ?", id, accountID)
}

// StoresSharingNumbers returns the names of the store connections of accountID among others
// that have pulled an order number that connectionID has among its latest sample orders (so the
// check stays cheap on a large account), each once.
func (d *DB) StoresSharingNumbers(ctx context.Context, accountID, connectionID int64, others []int64, sample int) ([]string, error) {
	var shared []string
	err := d.bun.NewRaw(`SELECT DISTINCT sc.name FROM store_connections sc
		WHERE sc.account_id = ? AND sc.id IN (?) AND EXISTS (
			SELECT 1 FROM (SELECT number FROM orders WHERE account_id = ? AND connection_id = ? ORDER BY id DESC LIMIT ?) a
			JOIN orders b ON b.account_id = ? AND b.number = a.number WHERE b.connection_id = sc.id)`,
		accountID, bun.List(others), accountID, connectionID, sample, accountID).Scan(ctx, &shared)
	if err != nil {
		return nil, fmt.Errorf("db: shared order numbers: %w", err)
	}
	return shared, nil
}

// Pool-bound forms of the functions above, for callers outside a transaction.

// FindStoreOrder is FindStoreOrder on the pool.
func (d *DB) FindStoreOrder(ctx context.Context, accountID, connectionID int64, externalID string) (*Order, error) {
	return FindStoreOrder(ctx, d.bun, accountID, connectionID, externalID)
}

// InsertStoreOrder is InsertStoreOrder on the pool.
func (d *DB) InsertStoreOrder(ctx context.Context, o *Order) (bool, error) {
	return InsertStoreOrder(ctx, d.bun, o)
}

// UpdateOrder is UpdateOrder on the pool.
func (d *DB) UpdateOrder(ctx context.Context, o *Order, columns ...string) error {
	return UpdateOrder(ctx, d.bun, o, columns...)
}

// OrdersByID is OrdersByID on the pool.
func (d *DB) OrdersByID(ctx context.Context, accountID int64, ids []int64) ([]Order, error) {
	return OrdersByID(ctx, d.bun, accountID, ids)
}

// Batched forms, for a page of orders ingested in one transaction (jobs/ordersync): each is one
// statement whatever the number of rows, so a page costs a handful of statements rather than
// several per order.

// FindStoreOrders returns the orders connection connectionID of account accountID already has
// among externalIDs, keyed by external id; ids it does not have are absent from the map.
func FindStoreOrders(ctx context.Context, idb bun.IDB, accountID, connectionID int64, externalIDs []string) (map[string]*Order, error) {
	out := make(map[string]*Order, len(externalIDs))
	if len(externalIDs) == 0 {
		return out, nil
	}
	var rows []Order
	if err := idb.NewSelect().Model(&rows).
		Where("o.account_id = ? AND o.connection_id = ? AND o.external_id IN (?)", accountID, connectionID, bun.List(externalIDs)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: find %d orders of connection %d: %w", len(externalIDs), connectionID, err)
	}
	for i := range rows {
		out[rows[i].ExternalID] = &rows[i]
	}
	return out, nil
}

// InsertStoreOrders stores new orders in one statement and returns those it stored, each filled
// with its id and timestamps, in the order given. An order whose connection already has its
// external id (another pull stored it a moment ago) is left out and keeps a zero ID. Every row
// must belong to one account.
func InsertStoreOrders(ctx context.Context, idb bun.IDB, rows []*Order) ([]*Order, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	var back []Order
	// RETURNING goes to its own slice: with DO NOTHING it has fewer rows than rows has, so
	// bun must not match them to rows by position.
	if _, err := idb.NewInsert().Model(&rows).On("CONFLICT (connection_id, external_id) DO NOTHING").
		Returning("id, connection_id, external_id, created_at, updated_at").Exec(ctx, &back); err != nil {
		return nil, fmt.Errorf("db: store %d orders: %w", len(rows), translate(err))
	}
	type key struct {
		conn int64
		ext  string
	}
	stored := make(map[key]*Order, len(back))
	for i := range back {
		stored[key{back[i].ConnectionID, back[i].ExternalID}] = &back[i]
	}
	out := make([]*Order, 0, len(back))
	for _, o := range rows {
		if b := stored[key{o.ConnectionID, o.ExternalID}]; b != nil {
			o.ID, o.CreatedAt, o.UpdatedAt = b.ID, b.CreatedAt, b.UpdatedAt
			out = append(out, o)
		}
	}
	return out, nil
}

// SetOrderStates writes the state, state reason, missing SKUs and updated time of each of rows
// (found by id within its account) in one statement.
func SetOrderStates(ctx context.Context, idb bun.IDB, rows []*Order) error {
	if len(rows) == 0 {
		return nil
	}
	for _, o := range rows {
		if o.MissingSKUs == nil {
			o.MissingSKUs = []string{} // the column is NOT NULL
		}
	}
	// Only the written columns travel in the VALUES list (bun's Bulk would send every column,
	// raw payloads included).
	values := idb.NewValues(&rows).Column("id", "account_id", "state", "state_reason", "missing_skus", "updated_at").WithOrder()
	if _, err := idb.NewUpdate().With("_data", values).Model((*Order)(nil)).TableExpr("_data").
		Set("state = _data.state").Set("state_reason = _data.state_reason").
		Set("missing_skus = _data.missing_skus").Set("updated_at = _data.updated_at").
		Where("o.id = _data.id AND o.account_id = _data.account_id").Exec(ctx); err != nil {
		return fmt.Errorf("db: set the state of %d orders: %w", len(rows), err)
	}
	return nil
}

// InsertOrderEvents adds lines to orders' audit trails in one statement, in the order given
// (so an order's lines keep their order by id).
func InsertOrderEvents(ctx context.Context, idb bun.IDB, events []OrderEvent) error {
	if len(events) == 0 {
		return nil
	}
	if _, err := idb.NewInsert().Model(&events).Exec(ctx); err != nil {
		return fmt.Errorf("db: add %d order events: %w", len(events), translate(err))
	}
	return nil
}

// InsertSyncLogs appends lines to their accounts' sync logs in one statement.
func InsertSyncLogs(ctx context.Context, idb bun.IDB, logs []SyncLog) error {
	if len(logs) == 0 {
		return nil
	}
	for _, l := range logs {
		if l.AccountID == 0 {
			return fmt.Errorf("db: add log: account id missing")
		}
	}
	if _, err := idb.NewInsert().Model(&logs).Exec(ctx); err != nil {
		return fmt.Errorf("db: add %d logs: %w", len(logs), translate(err))
	}
	return nil
}

// FindStoreOrders is FindStoreOrders on the pool.
func (d *DB) FindStoreOrders(ctx context.Context, accountID, connectionID int64, externalIDs []string) (map[string]*Order, error) {
	return FindStoreOrders(ctx, d.bun, accountID, connectionID, externalIDs)
}
