package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Statuses of QuickBooks Online work (qbo_work).
const (
	QBOWorkReady   = "ready"   // waiting for the poster
	QBOWorkSending = "sending" // in a batch whose answer has not been applied: resent as it is
	QBOWorkDone    = "done"    // QuickBooks has it (QBID)
	QBOWorkFailed  = "failed"  // refused; the order says why
)

// Kinds of QuickBooks Online work.
const (
	QBOWorkSale    = "sale"
	QBOWorkPayment = "payment"
	// QBOWorkRefund is a document of a store refund (DocKey qbd.RefundKey): its RefundReceipt
	// or CreditMemo, or the zero Payment applying that credit memo to the invoice.
	QBOWorkRefund = "refund"
)

// QBOWork is one document of an order to post to a QuickBooks Online company (see the
// migration 20261210200001_qbo_work for the life of a row).
type QBOWork struct {
	bun.BaseModel `bun:"table:qbo_work,alias:qw"`

	ID              int64           `bun:"id,pk,autoincrement"`
	AccountID       int64           `bun:"account_id,notnull"`
	QBOConnectionID int64           `bun:"qbo_connection_id,notnull"`
	OrderID         int64           `bun:"order_id,notnull"`
	DocKey          string          `bun:"doc_key,notnull"`
	Kind            string          `bun:"kind,notnull"`
	Status          string          `bun:"status,notnull"`
	Decision        json.RawMessage `bun:"decision,type:jsonb,notnull"`
	Entity          string          `bun:"entity,notnull"`
	Body            json.RawMessage `bun:"body,type:jsonb,nullzero"`
	BatchRequestID  string          `bun:"batch_request_id,nullzero"`
	BID             string          `bun:"bid,nullzero"`
	QBID            string          `bun:"qb_id,notnull"`
	Message         string          `bun:"message,notnull"`
	Attempts        int             `bun:"attempts,notnull"`
	CreatedAt       time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt       time.Time       `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// InsertQBOWork queues w unless the company has an unfinished (not failed) row for its
// document; then it returns that row (looked up within w.AccountID) and inserted false.
// w.Status is ready.
func InsertQBOWork(ctx context.Context, idb bun.IDB, w *QBOWork) (existing *QBOWork, inserted bool, err error) {
	w.Status = QBOWorkReady
	res, err := idb.NewInsert().Model(w).
		On("CONFLICT (qbo_connection_id, doc_key) WHERE status <> 'failed' DO NOTHING").Returning("*").Exec(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("db: queue %s for QuickBooks Online: %w", w.DocKey, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return w, true, nil
	}
	existing, err = UnfinishedQBOWork(ctx, idb, w.AccountID, w.QBOConnectionID, w.DocKey)
	return existing, false, err
}

// UnfinishedQBOWork returns account accountID's company connectionID's row for docKey that is
// not failed (ready, sending or done), or ErrNotFound.
func UnfinishedQBOWork(ctx context.Context, idb bun.IDB, accountID, connectionID int64, docKey string) (*QBOWork, error) {
	return getRow[QBOWork](ctx, idb, "QuickBooks Online work "+docKey,
		"qw.account_id = ? AND qw.qbo_connection_id = ? AND qw.doc_key = ? AND qw.status <> ?", accountID, connectionID, docKey, QBOWorkFailed)
}

// WithdrawQBOWork deletes account accountID's company's ready row for docKey (an order changed
// before it was sent), reporting whether there was one.
func WithdrawQBOWork(ctx context.Context, idb bun.IDB, accountID, connectionID int64, docKey string) (bool, error) {
	res, err := idb.NewDelete().Model((*QBOWork)(nil)).
		Where("account_id = ? AND qbo_connection_id = ? AND doc_key = ? AND status = ?", accountID, connectionID, docKey, QBOWorkReady).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("db: withdraw %s: %w", docKey, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// PendingQBOWork returns up to limit of account accountID's company connectionID's rows in
// status, oldest first, locked (SKIP LOCKED: a second poster takes other rows).
func PendingQBOWork(ctx context.Context, idb bun.IDB, accountID, connectionID int64, status string, limit int) ([]QBOWork, error) {
	return selectRows[QBOWork](ctx, idb, "QuickBooks Online work", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("qw.account_id = ? AND qw.qbo_connection_id = ? AND qw.status = ?", accountID, connectionID, status).
			OrderExpr("qw.id").Limit(int64(limit)).For("UPDATE SKIP LOCKED")
	})
}

// UpdateQBOWork writes w's columns (and updated_at), on the row only within w.AccountID.
func UpdateQBOWork(ctx context.Context, idb bun.IDB, w *QBOWork, columns ...string) error {
	w.UpdatedAt = time.Now()
	_, err := idb.NewUpdate().Model(w).Column(append(columns, "updated_at")...).WherePK().Where("qw.account_id = ?", w.AccountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: QuickBooks Online work %d: %w", w.ID, err)
	}
	return nil
}

// CountQBOWork counts company connectionID's rows per status.
func (d *DB) CountQBOWork(ctx context.Context, accountID, connectionID int64) (map[string]int, error) {
	var rows []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := d.bun.NewSelect().Model((*QBOWork)(nil)).ColumnExpr("status, count(*) AS n").
		Where("account_id = ? AND qbo_connection_id = ?", accountID, connectionID).Group("status").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("db: count QuickBooks Online work: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// WithQBOPostLock runs fn while holding the poster's lock of QuickBooks Online company
// connectionID (a transaction-scoped advisory lock, which no row lock such as a token refresh
// waits for), so one poster at a time sends a company's batches; fn runs its own transactions.
// It reports false, without running fn, when another poster holds the lock.
func (d *DB) WithQBOPostLock(ctx context.Context, connectionID int64, fn func(ctx context.Context) error) (bool, error) {
	return d.withTryLock(ctx, qboPostLock, connectionID, "QuickBooks Online poster", fn)
}

// qboPostLock is the first key of the poster's advisory lock (the second is the company).
const qboPostLock = 1_400_014

// QBOCompany names a QuickBooks Online company of an account.
type QBOCompany struct {
	AccountID       int64 `bun:"account_id"`
	QBOConnectionID int64 `bun:"qbo_connection_id"`
}

// QBOCompaniesWithWork lists, across accounts, the companies with ready or sending work: the
// scheduler's sweep enqueues their posts, so work whose task gave up (a long outage, a
// company to reconnect) is posted once it can be.
func (d *DB) QBOCompaniesWithWork(ctx context.Context) ([]QBOCompany, error) {
	var out []QBOCompany
	err := d.bun.NewSelect().Model((*QBOWork)(nil)).Distinct().Column("account_id", "qbo_connection_id").
		Where("status IN (?)", bun.List([]string{QBOWorkReady, QBOWorkSending})).OrderExpr("qbo_connection_id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("db: companies with QuickBooks Online work: %w", err)
	}
	return out, nil
}
