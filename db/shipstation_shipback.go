package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Shipment-back statuses (shipstation_shipbacks.status).
const (
	ShipBackWaiting = "waiting"
	ShipBackApplied = "applied"
	ShipBackFailed  = "failed"
	ShipBackVoided  = "voided"
)

// Shipment-back sources: a label bought in ShipStation, or an order marked shipped elsewhere.
const (
	ShipBackShipment    = "shipment"
	ShipBackFulfillment = "fulfillment"
)

// ShipBack is one ShipStation shipment (label or fulfillment) of an order that came from a
// QuickBooks sale, and what became of writing it into that sale. (StoreConnectionID, Source,
// SourceID) is unique: a shipment announced again is the same row.
type ShipBack struct {
	bun.BaseModel `bun:"table:shipstation_shipbacks,alias:sb"`

	ID                int64      `bun:"id,pk,autoincrement"`
	AccountID         int64      `bun:"account_id,notnull"`
	StoreConnectionID int64      `bun:"store_connection_id,notnull"`
	QBDConnectionID   int64      `bun:"qbd_connection_id,notnull"`
	Source            string     `bun:"source,notnull"`
	SourceID          int64      `bun:"source_id,notnull"`
	SSOrderID         int64      `bun:"ss_order_id,notnull"`
	OrderNumber       string     `bun:"order_number,notnull"`
	TxnType           string     `bun:"txn_type,notnull"` // SR, IN or SO
	TxnID             string     `bun:"txn_id,notnull"`
	TrackingNumber    string     `bun:"tracking_number,notnull"`
	Carrier           string     `bun:"carrier,notnull"`
	Service           string     `bun:"service,notnull"`
	ShipDate          *time.Time `bun:"ship_date,type:date"`
	CostCents         int64      `bun:"cost_cents,notnull"`
	Status            string     `bun:"status,notnull"`
	Message           string     `bun:"message,notnull"`
	Hint              string     `bun:"hint,notnull"`
	Reads             int        `bun:"reads,notnull"`
	CreatedAt         time.Time  `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt         time.Time  `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
	AppliedAt         *time.Time `bun:"applied_at"`
	VoidedAt          *time.Time `bun:"voided_at"`
}

// InsertShipBack stores sb unless its shipment is recorded already; inserted says which. The
// unique key makes a shipment announced twice (webhook and poll, or twice by ShipStation) one
// row.
func InsertShipBack(ctx context.Context, idb bun.IDB, sb *ShipBack) (inserted bool, err error) {
	res, err := idb.NewInsert().Model(sb).On("CONFLICT (store_connection_id, source, source_id) DO NOTHING").
		Returning("id, created_at, updated_at").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("db: insert shipment back: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("db: insert shipment back: %w", err)
	}
	return n == 1, nil
}

// LockShipBack reads shipment-back id of accountID FOR UPDATE (ErrNotFound when there is none).
func LockShipBack(ctx context.Context, tx bun.Tx, accountID, id int64) (*ShipBack, error) {
	return lockRow[ShipBack](ctx, tx, fmt.Sprintf("shipment back %d", id), "sb.id = ? AND sb.account_id = ?", id, accountID)
}

// LockShipBackBySource reads the row of a shipment of account accountID's store connection FOR
// UPDATE (ErrNotFound when it was never recorded).
func LockShipBackBySource(ctx context.Context, tx bun.Tx, accountID, storeConnectionID int64, source string, sourceID int64) (*ShipBack, error) {
	return lockRow[ShipBack](ctx, tx, fmt.Sprintf("%s %d", source, sourceID),
		"sb.account_id = ? AND sb.store_connection_id = ? AND sb.source = ? AND sb.source_id = ?", accountID, storeConnectionID, source, sourceID)
}

// SaveShipBack writes sb's status, message, hint, reads and timestamps (updated_at = now).
func SaveShipBack(ctx context.Context, idb bun.IDB, sb *ShipBack, now time.Time) error {
	sb.UpdatedAt = now
	if _, err := idb.NewUpdate().Model(sb).Column("status", "message", "hint", "reads", "updated_at", "applied_at", "voided_at").
		Where("id = ? AND account_id = ?", sb.ID, sb.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: save shipment back %d: %w", sb.ID, err)
	}
	return nil
}

// ShipBackFilter narrows ListShipBacks; zero fields do not filter.
type ShipBackFilter struct {
	StoreConnectionID int64
	Status            string
}

// ListShipBacks pages accountID's shipments back, newest first.
func (d *DB) ListShipBacks(ctx context.Context, accountID int64, f ShipBackFilter, p Page) (Result[ShipBack], error) {
	return listPage[ShipBack](ctx, d.bun, p, "sb", "shipments back", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("sb.account_id = ?", accountID)
		q = whereSet(q, "sb.store_connection_id = ?", f.StoreConnectionID)
		return whereSet(q, "sb.status = ?", f.Status)
	})
}

// ShipBackState is a ShipStation connection's polling watermark and SHIP_NOTIFY webhook.
// TokenHash and TokenSealed are the webhook URL's token (never returned to anyone).
type ShipBackState struct {
	bun.BaseModel `bun:"table:shipstation_shipback_state,alias:ss"`

	StoreConnectionID int64      `bun:"store_connection_id,pk"`
	AccountID         int64      `bun:"account_id,notnull"`
	Watermark         *time.Time `bun:"watermark"`
	LastPollAt        *time.Time `bun:"last_poll_at"`
	LastPollError     string     `bun:"last_poll_error,notnull"`
	TokenHash         []byte     `bun:"token_hash"`
	TokenSealed       []byte     `bun:"token_sealed"`
	WebhookID         *int64     `bun:"webhook_id"`
	WebhookError      string     `bun:"webhook_error,notnull"`
	LastWebhookAt     *time.Time `bun:"last_webhook_at"`
	UpdatedAt         time.Time  `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// ShipBackStateAAD binds a sealed webhook token to its connection.
func ShipBackStateAAD(storeConnectionID int64) string {
	return fmt.Sprintf("shipstation_shipback_state:%d", storeConnectionID)
}

// GetShipBackState returns the state of store connection id of accountID; a connection with
// none yet gets a zero state (nothing polled, no webhook).
func (d *DB) GetShipBackState(ctx context.Context, accountID, storeConnectionID int64) (*ShipBackState, error) {
	st := new(ShipBackState)
	err := d.bun.NewSelect().Model(st).Where("ss.store_connection_id = ? AND ss.account_id = ?", storeConnectionID, accountID).Scan(ctx)
	if err = translate(err); errors.Is(err, ErrNotFound) {
		return &ShipBackState{StoreConnectionID: storeConnectionID, AccountID: accountID}, nil
	} else if err != nil {
		return nil, fmt.Errorf("db: shipment-back state %d: %w", storeConnectionID, err)
	}
	return st, nil
}

// SaveShipBackState writes the poll's columns of st (inserting the row the first time): every
// one but LastWebhookAt, which deliveries record (ShipBackStateByToken) while a poll runs.
// Polls of a connection run one at a time (WithShipBackPollLock).
func (d *DB) SaveShipBackState(ctx context.Context, st *ShipBackState) error {
	st.UpdatedAt = time.Now()
	_, err := d.bun.NewInsert().Model(st).On("CONFLICT (store_connection_id) DO UPDATE").
		Set("watermark = EXCLUDED.watermark, last_poll_at = EXCLUDED.last_poll_at, last_poll_error = EXCLUDED.last_poll_error, " +
			"token_hash = EXCLUDED.token_hash, token_sealed = EXCLUDED.token_sealed, webhook_id = EXCLUDED.webhook_id, " +
			"webhook_error = EXCLUDED.webhook_error, updated_at = EXCLUDED.updated_at").
		Where("ss.account_id = EXCLUDED.account_id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save shipment-back state %d: %w", st.StoreConnectionID, translate(err))
	}
	return nil
}

// WithShipBackPollLock runs fn while holding the shipment poll lock of store connection
// storeConnectionID (a transaction-scoped advisory lock; fn runs its own transactions), so one
// poll at a time reads ShipStation and writes the connection's state. It reports false,
// without running fn, when another poll holds the lock.
func (d *DB) WithShipBackPollLock(ctx context.Context, storeConnectionID int64, fn func(ctx context.Context) error) (bool, error) {
	return d.withTryLock(ctx, shipBackPollLock, storeConnectionID, "shipment poll", fn)
}

// shipBackPollLock is the first key of the shipment poll's advisory lock (the second is the
// store connection).
const shipBackPollLock = 1_400_015

// ShipBackStateByToken finds the state whose webhook token hashes to hash (ErrNotFound for an
// unknown token) and records now as its last webhook delivery.
func (d *DB) ShipBackStateByToken(ctx context.Context, hash []byte, now time.Time) (*ShipBackState, error) {
	st := new(ShipBackState)
	err := d.bun.NewUpdate().Model(st).Set("last_webhook_at = ?", now).Where("token_hash = ?", hash).
		Returning("*").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: shipment-back webhook token: %w", translate(err))
	}
	return st, nil
}

// ShipBackConnections lists, over every account, the enabled ShipStation connections posting
// to a QuickBooks Desktop company whose QuickBooks → ShipStation direction is on with tracking
// or shipping cost chosen (settings {"quickbooksToShipStation": {"enabled": true,
// "addTracking"|"addShippingCost": true}}, see orders.QuickBooksToShipStationSettings): the
// ones the shipment poll visits. The caller checks the rest of the settings.
func (d *DB) ShipBackConnections(ctx context.Context) ([]StoreConnection, error) {
	return selectRows[StoreConnection](ctx, d.bun, "shipment-back connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("sc.channel = 'shipstation' AND sc.enabled AND sc.qbd_connection_id IS NOT NULL").
			Where("coalesce((sc.settings->'quickbooksToShipStation'->>'enabled')::boolean, false)").
			Where("coalesce((sc.settings->'quickbooksToShipStation'->>'addTracking')::boolean, false) OR " +
				"coalesce((sc.settings->'quickbooksToShipStation'->>'addShippingCost')::boolean, false)").
			Order("sc.id")
	})
}
