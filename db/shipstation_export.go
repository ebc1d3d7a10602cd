package db

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// QuickBooks Desktop sales sent to ShipStation (issue 13): shipstation_exports holds one row per
// sale and ShipStation connection, shipstation_export_watermarks the read position,
// shipstation_export_tests the test-sales list. Every function takes the account (or a row
// already scoped to it).

// States of a ShipStationExport.
const (
	ExportResend  = "resend"  // to be read again from QuickBooks by TxnID and built anew (Resend)
	ExportReading = "reading" // read from QuickBooks, waiting for its customer's contact data
	ExportPending = "pending" // built, waiting for the push to ShipStation
	ExportSent    = "sent"    // ShipStation holds the version of the sale in sent_edit_sequence
	ExportFailed  = "failed"  // ShipStation refused it; sent again when the sale changes or on demand
	ExportParked  = "parked"  // Ledgerlink did not send it (last_result says why) until the sale changes
	ExportLocked  = "locked"  // ShipStation shipped or cancelled the order; changes are not sent
)

// ShipStationExport is one QuickBooks sale of a ShipStation connection's QuickBooks company and
// the ShipStation order it became. TxnType is shipstation.KeySalesReceipt/KeyInvoice/KeySalesOrder
// and OrderKey is shipstation.QuickBooksOrderKey(QBDConnectionID, TxnType, TxnID).
type ShipStationExport struct {
	bun.BaseModel `bun:"table:shipstation_exports,alias:sx"`

	ID                int64      `bun:"id,pk,autoincrement"`
	AccountID         int64      `bun:"account_id,notnull"`
	StoreConnectionID int64      `bun:"store_connection_id,notnull"`
	QBDConnectionID   int64      `bun:"qbd_connection_id,notnull"`
	TxnType           string     `bun:"txn_type,notnull"`
	TxnID             string     `bun:"txn_id,notnull"`
	RefNumber         string     `bun:"ref_number,notnull"`
	TxnDate           *time.Time `bun:"txn_date,type:date"`
	Customer          string     `bun:"customer,notnull"`
	ReadEditSequence  string     `bun:"read_edit_sequence,notnull"`
	ReadTimeModified  string     `bun:"read_time_modified,notnull"`
	SentEditSequence  string     `bun:"sent_edit_sequence,notnull"`
	SentTimeModified  string     `bun:"sent_time_modified,notnull"`
	OrderKey          string     `bun:"order_key,notnull"`
	SSStoreID         int64      `bun:"ss_store_id,notnull"`
	SSOrderID         *int64     `bun:"ss_order_id"`
	SSStatus          string     `bun:"ss_status,notnull"`
	SSStatusAt        *time.Time `bun:"ss_status_at"`
	State             string     `bun:"state,notnull"`
	LastResult        string     `bun:"last_result,notnull"`
	Test              bool       `bun:"test,notnull"`
	Attempts          int        `bun:"attempts,notnull"`
	SentAt            *time.Time `bun:"sent_at"`
	// Sale is the QuickBooks sale as read; OrderDoc the ShipStation order built from it.
	Sale      json.RawMessage `bun:"sale,type:jsonb"`
	OrderDoc  json.RawMessage `bun:"order_doc,type:jsonb"`
	CreatedAt time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt time.Time       `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// SaveShipStationExport inserts e or, when its connection already has a row for the sale
// (StoreConnectionID, QBDConnectionID, TxnType, TxnID), overwrites that row's fields with e's
// (created_at kept, updated_at now). e.ID is set either way.
func SaveShipStationExport(ctx context.Context, idb bun.IDB, e *ShipStationExport) error {
	e.UpdatedAt = time.Now()
	_, err := idb.NewInsert().Model(e).
		On("CONFLICT (store_connection_id, qbd_connection_id, txn_type, txn_id) DO UPDATE").
		Set("ref_number = EXCLUDED.ref_number, txn_date = EXCLUDED.txn_date, customer = EXCLUDED.customer").
		Set("read_edit_sequence = EXCLUDED.read_edit_sequence, read_time_modified = EXCLUDED.read_time_modified").
		Set("sent_edit_sequence = EXCLUDED.sent_edit_sequence, sent_time_modified = EXCLUDED.sent_time_modified").
		Set("order_key = EXCLUDED.order_key, ss_store_id = EXCLUDED.ss_store_id, ss_order_id = EXCLUDED.ss_order_id").
		Set("ss_status = EXCLUDED.ss_status, ss_status_at = EXCLUDED.ss_status_at, state = EXCLUDED.state").
		Set("last_result = EXCLUDED.last_result, test = EXCLUDED.test, attempts = EXCLUDED.attempts").
		Set("sent_at = EXCLUDED.sent_at, updated_at = EXCLUDED.updated_at, sale = EXCLUDED.sale, order_doc = EXCLUDED.order_doc").
		Returning("id, created_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save shipstation export of %s %s: %w", e.TxnType, e.TxnID, translate(err))
	}
	return nil
}

// ShipStationExportByOrderID returns the sale of store connection storeConnectionID of
// accountID that became ShipStation order orderID, or ErrNotFound.
func ShipStationExportByOrderID(ctx context.Context, idb bun.IDB, accountID, storeConnectionID, orderID int64) (*ShipStationExport, error) {
	e := new(ShipStationExport)
	err := idb.NewSelect().Model(e).Where("sx.account_id = ? AND sx.store_connection_id = ? AND sx.ss_order_id = ?",
		accountID, storeConnectionID, orderID).Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: shipstation export of order %d: %w", orderID, translate(err))
	}
	return e, nil
}

// ShipStationExportsOfSales returns the rows of accountID's store connection storeConnectionID
// for the sales txnIDs of QuickBooks connection qbdConnectionID (any txn type), keyed by
// TxnType+"/"+TxnID, locked for update until idb's transaction ends (the staging of a read).
func ShipStationExportsOfSales(ctx context.Context, idb bun.IDB, accountID, storeConnectionID, qbdConnectionID int64, txnIDs []string) (map[string]*ShipStationExport, error) {
	out := map[string]*ShipStationExport{}
	if len(txnIDs) == 0 {
		return out, nil
	}
	var rows []*ShipStationExport
	// Locked in id order, as every locker of these rows does: a push settling its answer
	// (LockShipStationExport) waits for the staging transaction, or it for the push.
	if err := idb.NewSelect().Model(&rows).Where("sx.account_id = ? AND sx.store_connection_id = ? AND sx.qbd_connection_id = ? AND sx.txn_id IN (?)",
		accountID, storeConnectionID, qbdConnectionID, bun.List(txnIDs)).Order("sx.id").For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: shipstation exports of %d sales: %w", len(txnIDs), err)
	}
	for _, r := range rows {
		out[r.TxnType+"/"+r.TxnID] = r
	}
	return out, nil
}

// ShipStationDuplicate returns another sale of accountID's store connection storeConnectionID already in
// ShipStation store ssStoreID with the same order date and number (case-insensitive) but a
// different order key — the seed's duplicate check — or ErrNotFound.
func ShipStationDuplicate(ctx context.Context, idb bun.IDB, accountID, storeConnectionID, ssStoreID int64, txnDate time.Time, refNumber, orderKey string) (*ShipStationExport, error) {
	e := new(ShipStationExport)
	err := idb.NewSelect().Model(e).Where(`sx.account_id = ? AND sx.store_connection_id = ? AND sx.ss_store_id = ? AND sx.txn_date = ?::date
		AND lower(sx.ref_number) = lower(?) AND sx.order_key <> ? AND sx.ss_order_id IS NOT NULL`,
		accountID, storeConnectionID, ssStoreID, txnDate.Format(time.DateOnly), refNumber, orderKey).Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: shipstation duplicate of %s: %w", refNumber, translate(err))
	}
	return e, nil
}

// SetShipStationExportStatus records ShipStation status st of the sale row id of accountID as
// seen at at; a shipped or cancelled order locks the row (ShipStation refuses changes to it),
// and an order seen awaiting shipment again after it was shipped (its label voided) unlocks it.
// Older sightings than the one stored are ignored. ErrNotFound when the row is not the account's.
func SetShipStationExportStatus(ctx context.Context, idb bun.IDB, accountID, id int64, st string, at time.Time) error {
	res, err := idb.NewUpdate().Model((*ShipStationExport)(nil)).
		Set("state = CASE WHEN ? IN ('shipped', 'cancelled') AND state = 'sent' THEN 'locked'"+
			" WHEN ? = 'awaiting_shipment' AND state = 'locked' AND ss_status = 'shipped' THEN 'sent' ELSE state END", st, st).
		Set("ss_status = ?, ss_status_at = ?, updated_at = now()", st, at).
		Where("sx.account_id = ? AND sx.id = ? AND (sx.ss_status_at IS NULL OR sx.ss_status_at <= ?)", accountID, id, at).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: shipstation export %d status: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		exists, err := idb.NewSelect().Model((*ShipStationExport)(nil)).Where("sx.account_id = ? AND sx.id = ?", accountID, id).Exists(ctx)
		if err != nil {
			return fmt.Errorf("db: shipstation export %d status: %w", id, err)
		}
		if !exists {
			return fmt.Errorf("db: shipstation export %d: %w", id, ErrNotFound)
		}
	}
	return nil
}

// ShipStationExportFilter narrows ListShipStationExports.
type ShipStationExportFilter struct {
	// State is one of the Export* states; empty means all.
	State string
	// Search matches the QuickBooks order number or customer (case-insensitive substring).
	Search string
}

// ListShipStationExports returns one page of the sales store connection storeConnectionID of
// accountID sent (or tried to), newest first.
func (d *DB) ListShipStationExports(ctx context.Context, accountID, storeConnectionID int64, f ShipStationExportFilter, p Page) (Result[ShipStationExport], error) {
	return listPage[ShipStationExport](ctx, d.bun, p, "sx", "shipstation exports", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("sx.account_id = ? AND sx.store_connection_id = ?", accountID, storeConnectionID)
		q = whereSet(q, "sx.state = ?", f.State)
		return whereContains(q, "(sx.ref_number ILIKE ? OR sx.customer ILIKE ?)", strings.TrimSpace(f.Search))
	})
}

// ShipStationExportWatermark is the read position of a ShipStation connection's QuickBooks
// sales.
type ShipStationExportWatermark struct {
	bun.BaseModel `bun:"table:shipstation_export_watermarks,alias:sw"`

	StoreConnectionID int64      `bun:"store_connection_id,pk"`
	AccountID         int64      `bun:"account_id,notnull"`
	QBDConnectionID   int64      `bun:"qbd_connection_id,notnull"`
	ModifiedThrough   *time.Time `bun:"modified_through"`
	LastReadAt        *time.Time `bun:"last_read_at"`
	LastError         string     `bun:"last_error,notnull"`
	UpdatedAt         time.Time  `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// GetShipStationExportWatermark returns the read position of store connection
// storeConnectionID of accountID, or ErrNotFound before its first complete read.
func GetShipStationExportWatermark(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64) (*ShipStationExportWatermark, error) {
	return getRow[ShipStationExportWatermark](ctx, idb, fmt.Sprintf("shipstation export watermark %d", storeConnectionID),
		"sw.account_id = ? AND sw.store_connection_id = ?", accountID, storeConnectionID)
}

// SaveShipStationExportWatermark stores w (insert or overwrite).
func SaveShipStationExportWatermark(ctx context.Context, idb bun.IDB, w *ShipStationExportWatermark) error {
	w.UpdatedAt = time.Now()
	if _, err := idb.NewInsert().Model(w).On("CONFLICT (store_connection_id) DO UPDATE").
		Set("qbd_connection_id = EXCLUDED.qbd_connection_id, modified_through = EXCLUDED.modified_through").
		Set("last_read_at = EXCLUDED.last_read_at, last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return fmt.Errorf("db: save shipstation export watermark %d: %w", w.StoreConnectionID, err)
	}
	return nil
}

// States of a ShipStationExportTest.
const (
	TestPending  = "pending"
	TestSent     = "sent"
	TestNotFound = "not_found"
	TestFailed   = "failed"
	TestParked   = "parked"
)

// ShipStationExportTest is one QuickBooks order number of the test-sales list (seed 004 step 5)
// and what came of it.
type ShipStationExportTest struct {
	bun.BaseModel `bun:"table:shipstation_export_tests,alias:st"`

	ID                int64      `bun:"id,pk,autoincrement"`
	AccountID         int64      `bun:"account_id,notnull"`
	StoreConnectionID int64      `bun:"store_connection_id,notnull"`
	RefNumber         string     `bun:"ref_number,notnull"`
	State             string     `bun:"state,notnull"`
	Result            string     `bun:"result,notnull"`
	ExportID          *int64     `bun:"export_id"`
	RequestedAt       time.Time  `bun:"requested_at,nullzero,notnull,default:current_timestamp"`
	DoneAt            *time.Time `bun:"done_at"`
}

// RequestShipStationExportTests queues refNumbers as test sales of store connection
// storeConnectionID of accountID for the next Web Connector run; a number already waiting is
// queued once.
func RequestShipStationExportTests(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, refNumbers []string) error {
	for _, n := range refNumbers {
		t := &ShipStationExportTest{AccountID: accountID, StoreConnectionID: storeConnectionID, RefNumber: n, State: TestPending}
		if _, err := idb.NewInsert().Model(t).
			On("CONFLICT (store_connection_id, lower(ref_number)) WHERE state = 'pending' DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("db: request test sale %s: %w", n, err)
		}
	}
	return nil
}

// PendingShipStationExportTests returns the test sales of store connection storeConnectionID
// waiting for a Web Connector run, oldest first.
func PendingShipStationExportTests(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64) ([]ShipStationExportTest, error) {
	return selectRows[ShipStationExportTest](ctx, idb, "pending test sales", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("st.account_id = ? AND st.store_connection_id = ? AND st.state = 'pending'",
			accountID, storeConnectionID).Order("st.id")
	})
}

// SettleShipStationExportTest records the outcome of test sale id of accountID, if it is still
// pending.
func SettleShipStationExportTest(ctx context.Context, idb bun.IDB, accountID, id int64, state, result string, exportID *int64) error {
	if _, err := idb.NewUpdate().Model((*ShipStationExportTest)(nil)).
		Set("state = ?, result = ?, export_id = ?, done_at = now()", state, result, exportID).
		Where("st.account_id = ? AND st.id = ? AND st.state = 'pending'", accountID, id).Exec(ctx); err != nil {
		return fmt.Errorf("db: settle test sale %d: %w", id, err)
	}
	return nil
}

// RecentShipStationExportTests returns the last limit (≤ MaxPageSize) test sales of store
// connection storeConnectionID of accountID, newest first.
func (d *DB) RecentShipStationExportTests(ctx context.Context, accountID, storeConnectionID int64, limit int) ([]ShipStationExportTest, error) {
	return selectRows[ShipStationExportTest](ctx, d.bun, "test sales", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("st.account_id = ? AND st.store_connection_id = ?", accountID, storeConnectionID).
			Order("st.id DESC").Limit(int64(Page{Limit: limit}.limit()))
	})
}

// ShipStationExportsInState returns up to limit (≤ 1000) rows of store connection
// storeConnectionID of accountID in state, oldest first.
func ShipStationExportsInState(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, state string, limit int) ([]*ShipStationExport, error) {
	return exportsInState(ctx, idb, accountID, storeConnectionID, state, limit, false)
}

// LockShipStationExportsInState is ShipStationExportsInState with the rows locked for update
// until tx ends, for a transaction that rewrites them (the build of the staged sales).
func LockShipStationExportsInState(ctx context.Context, tx bun.Tx, accountID, storeConnectionID int64, state string, limit int) ([]*ShipStationExport, error) {
	return exportsInState(ctx, tx, accountID, storeConnectionID, state, limit, true)
}

func exportsInState(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, state string, limit int, lock bool) ([]*ShipStationExport, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	var rows []*ShipStationExport
	q := idb.NewSelect().Model(&rows).Where("sx.account_id = ? AND sx.store_connection_id = ? AND sx.state = ?", accountID, storeConnectionID, state).
		Order("sx.id").Limit(int64(limit))
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: shipstation exports %s: %w", state, err)
	}
	return rows, nil
}

// ShipStationExportTestFound reports whether a test sale numbered refNumber of accountID's store
// connection storeConnectionID was read since since.
func ShipStationExportTestFound(ctx context.Context, idb bun.IDB, accountID, storeConnectionID int64, refNumber string, since time.Time) (*ShipStationExport, error) {
	e := new(ShipStationExport)
	err := idb.NewSelect().Model(e).Where("sx.account_id = ? AND sx.store_connection_id = ? AND lower(sx.ref_number) = lower(?) AND sx.test AND sx.updated_at >= ?",
		accountID, storeConnectionID, refNumber, since).Order("sx.id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: test sale %s: %w", refNumber, translate(err))
	}
	return e, nil
}

// ShipStationExportConnections lists the enabled ShipStation store connections of accountID
// posting to QuickBooks Desktop connection qbdConnectionID whose QuickBooks → ShipStation
// direction is on, in id order.
func ShipStationExportConnections(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64) ([]StoreConnection, error) {
	return selectRows[StoreConnection](ctx, idb, "shipstation export connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where(`sc.account_id = ? AND sc.qbd_connection_id = ? AND sc.enabled AND sc.channel = 'shipstation'
		AND coalesce((sc.settings->'quickbooksToShipStation'->>'enabled')::boolean, false)`, accountID, qbdConnectionID).
			Order("sc.id")
	})
}

// PendingShipStationExports returns up to limit sales of store connection storeConnectionID
// of accountID waiting for the push, oldest first.
func (d *DB) PendingShipStationExports(ctx context.Context, accountID, storeConnectionID int64, limit int) ([]*ShipStationExport, error) {
	return ShipStationExportsInState(ctx, d.bun, accountID, storeConnectionID, ExportPending, limit)
}

// FindShipStationDuplicate is ShipStationDuplicate outside a transaction.
func (d *DB) FindShipStationDuplicate(ctx context.Context, accountID, storeConnectionID, ssStoreID int64, txnDate time.Time, refNumber, orderKey string) (*ShipStationExport, error) {
	return ShipStationDuplicate(ctx, d.bun, accountID, storeConnectionID, ssStoreID, txnDate, refNumber, orderKey)
}

// ResendResult is the result shown on a sale waiting in ExportResend.
const ResendResult = "To be read again from QuickBooks on the next Web Connector run and sent to ShipStation as it is then."

// RequeueShipStationExport marks the failed or parked sale row id of accountID ExportResend:
// the next read of its QuickBooks company reads the sale again and builds its order anew
// (whatever was fixed — the sale in QuickBooks, a rule, the ShipStation store — counts). It
// returns the row's store connection; ErrNotFound when the row is not the account's or not
// failed or parked.
func RequeueShipStationExport(ctx context.Context, idb bun.IDB, accountID, id int64) (int64, error) {
	var conn int64
	err := idb.NewUpdate().Model((*ShipStationExport)(nil)).
		Set("state = ?, last_result = ?, updated_at = now()", ExportResend, ResendResult).
		Where("sx.account_id = ? AND sx.id = ? AND sx.state IN (?, ?)", accountID, id, ExportFailed, ExportParked).
		Returning("store_connection_id").Scan(ctx, &conn)
	if err != nil {
		return 0, fmt.Errorf("db: send sale %d again: %w", id, translate(err))
	}
	return conn, nil
}

// RequestShipStationTests is RequestShipStationExportTests outside a transaction.
func (d *DB) RequestShipStationTests(ctx context.Context, accountID, storeConnectionID int64, refNumbers []string) error {
	return RequestShipStationExportTests(ctx, d.bun, accountID, storeConnectionID, refNumbers)
}

// RequeueShipStationExport is the package function outside a transaction.
func (d *DB) RequeueShipStationExport(ctx context.Context, accountID, id int64) (int64, error) {
	return RequeueShipStationExport(ctx, d.bun, accountID, id)
}

// GetShipStationExport is ShipStationExportTx outside a transaction.
func (d *DB) GetShipStationExport(ctx context.Context, accountID, id int64) (*ShipStationExport, error) {
	return ShipStationExportTx(ctx, d.bun, accountID, id)
}

// ShipStationExportTx returns sale row id of accountID, or ErrNotFound.
func ShipStationExportTx(ctx context.Context, idb bun.IDB, accountID, id int64) (*ShipStationExport, error) {
	return getRow[ShipStationExport](ctx, idb, fmt.Sprintf("shipstation export %d", id), "sx.account_id = ? AND sx.id = ?", accountID, id)
}

// LockShipStationExport returns the sale row id of accountID locked for update in tx, or
// ErrNotFound: a push settles what ShipStation answered against the row as it is now, since a
// Web Connector run may have read the sale again while the call was on the wire.
func LockShipStationExport(ctx context.Context, tx bun.Tx, accountID, id int64) (*ShipStationExport, error) {
	return lockRow[ShipStationExport](ctx, tx, fmt.Sprintf("shipstation export %d", id), "sx.account_id = ? AND sx.id = ?", accountID, id)
}
