package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Refund states (order_refunds.state).
const (
	RefundWaiting = "waiting" // the sale is not in QuickBooks yet: StateReason says why
	RefundQueued  = "queued"  // its credit memo (and what settles it) is on its way to QuickBooks
	RefundPosted  = "posted"  // in QuickBooks: credit memo and its application or card refund
	RefundError   = "error"   // QuickBooks refused it: StateReason says what to do
)

// OrderRefund is one refund of a stored order, on its way to QuickBooks as a credit memo.
// Normalized holds a jobs/orders.Refund as JSON.
type OrderRefund struct {
	bun.BaseModel `bun:"table:order_refunds,alias:rf"`

	ID             int64           `bun:"id,pk,autoincrement"`
	AccountID      int64           `bun:"account_id,notnull"`
	OrderID        int64           `bun:"order_id,notnull"`
	ExternalID     string          `bun:"external_id,notnull"`
	Seq            int             `bun:"seq,notnull"`
	RefNumber      string          `bun:"ref_number,notnull"`
	State          string          `bun:"state,notnull"`
	StateReason    string          `bun:"state_reason,notnull"`
	TotalCents     int64           `bun:"total_cents,notnull"`
	Restocked      int64           `bun:"restocked,notnull"`
	Normalized     json.RawMessage `bun:"normalized,type:jsonb,notnull"`
	CreditTxnID    string          `bun:"credit_txn_id,notnull"`
	AppliedCents   int64           `bun:"applied_cents,notnull"`
	RefundedCents  int64           `bun:"refunded_cents,notnull"`
	StoreCreatedAt *time.Time      `bun:"store_created_at"`
	CreatedAt      time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt      time.Time       `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// InsertOrderRefund stores r as the next refund of its order (Seq is assigned: one more than
// the order's highest) unless the order has a refund with r's ExternalID already: inserted is
// false then and r is left as it was. Call it with the order locked (LockOrder), so two pulls
// cannot number two refunds alike. The order's refunds are counted within r.AccountID.
func InsertOrderRefund(ctx context.Context, tx bun.Tx, r *OrderRefund) (inserted bool, err error) {
	next := tx.NewSelect().Model((*OrderRefund)(nil)).ColumnExpr("coalesce(max(seq), 0) + 1").
		Where("order_id = ? AND account_id = ?", r.OrderID, r.AccountID)
	if err := next.Scan(ctx, &r.Seq); err != nil {
		return false, fmt.Errorf("db: number refund of order %d: %w", r.OrderID, err)
	}
	res, err := tx.NewInsert().Model(r).On("CONFLICT (order_id, external_id) DO NOTHING").Returning("*").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("db: insert refund of order %d: %w", r.OrderID, translate(err))
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// OrderRefundsOf returns the refunds of order orderID of accountID, oldest first.
func OrderRefundsOf(ctx context.Context, idb bun.IDB, accountID, orderID int64) ([]OrderRefund, error) {
	return selectRows[OrderRefund](ctx, idb, fmt.Sprintf("refunds of order %d", orderID), func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("rf.account_id = ? AND rf.order_id = ?", accountID, orderID).OrderExpr("rf.seq")
	})
}

// ListOrderRefunds is OrderRefundsOf on d.
func (d *DB) ListOrderRefunds(ctx context.Context, accountID, orderID int64) ([]OrderRefund, error) {
	return OrderRefundsOf(ctx, d.bun, accountID, orderID)
}

// LockOrderRefund reads refund id of accountID and locks its row until tx ends; ErrNotFound
// when absent.
func LockOrderRefund(ctx context.Context, tx bun.Tx, accountID, id int64) (*OrderRefund, error) {
	return lockRow[OrderRefund](ctx, tx, fmt.Sprintf("refund %d", id), "rf.id = ? AND rf.account_id = ?", id, accountID)
}

// UpdateOrderRefund writes columns of r (updated_at is the caller's to set), on the row only
// within r.AccountID.
func UpdateOrderRefund(ctx context.Context, idb bun.IDB, r *OrderRefund, columns ...string) error {
	if _, err := idb.NewUpdate().Model(r).Column(columns...).WherePK().Where("rf.account_id = ?", r.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: update refund %d: %w", r.ID, translate(err))
	}
	return nil
}
