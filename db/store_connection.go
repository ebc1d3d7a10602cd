package db

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// StoreConnection is a store or shipping platform orders are pulled from. Credentials holds
// sealed JSON (see Sealer; the additional data is CredentialsAAD(id)).
type StoreConnection struct {
	bun.BaseModel `bun:"table:store_connections,alias:sc"`

	ID              int64  `bun:"id,pk,autoincrement"`
	AccountID       int64  `bun:"account_id,notnull"`
	Channel         string `bun:"channel,notnull"`
	Name            string `bun:"name,notnull"`
	BaseURL         string `bun:"base_url,notnull"`
	Credentials     []byte `bun:"credentials"`
	QBDConnectionID *int64 `bun:"qbd_connection_id"`
	// QBOConnectionID is the QuickBooks Online company the store posts to instead (at most one
	// of the two is set).
	QBOConnectionID  *int64          `bun:"qbo_connection_id"`
	Settings         json.RawMessage `bun:"settings,type:jsonb,notnull"`
	SyncEveryMinutes int             `bun:"sync_every_minutes,notnull"`
	Enabled          bool            `bun:"enabled,notnull"`
	SyncedThrough    *time.Time      `bun:"synced_through"`
	LastSyncAt       *time.Time      `bun:"last_sync_at"`
	LastSyncError    string          `bun:"last_sync_error,notnull"`
	// WebhookTokenHash is the SHA-256 of the token in the connection's webhook address (nil:
	// no webhooks registered yet); see store_webhook.go.
	WebhookTokenHash []byte    `bun:"webhook_token_hash"`
	CreatedAt        time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// CredentialsAAD binds sealed credentials to their row.
func CredentialsAAD(id int64) string { return "store_connection:" + strconv.FormatInt(id, 10) }

// CreateStoreConnection stores c and then seals creds for its new id, in one transaction.
func (d *DB) CreateStoreConnection(ctx context.Context, c *StoreConnection, sealer *Sealer, creds []byte) error {
	if len(c.Settings) == 0 {
		c.Settings = json.RawMessage(`{}`)
	}
	if c.SyncEveryMinutes == 0 {
		c.SyncEveryMinutes = 15
	}
	return d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertRow(ctx, tx, c, "store connection"); err != nil {
			return err
		}
		c.Credentials = sealer.Seal(creds, CredentialsAAD(c.ID))
		if _, err := tx.NewUpdate().Model(c).Column("credentials").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("db: seal store credentials: %w", err)
		}
		return nil
	})
}

// GetStoreConnection returns connection id of accountID, or ErrNotFound.
func (d *DB) GetStoreConnection(ctx context.Context, accountID, id int64) (*StoreConnection, error) {
	return StoreConnectionTx(ctx, d.bun, accountID, id)
}

// StoreConnectionTx is GetStoreConnection inside a transaction (or on any bun.IDB).
func StoreConnectionTx(ctx context.Context, idb bun.IDB, accountID, id int64) (*StoreConnection, error) {
	return getRow[StoreConnection](ctx, idb, fmt.Sprintf("store connection %d", id), "sc.id = ? AND sc.account_id = ?", id, accountID)
}

// ListStoreConnections returns the account's store connections, newest first.
func (d *DB) ListStoreConnections(ctx context.Context, accountID int64, p Page) (Result[StoreConnection], error) {
	return listPage[StoreConnection](ctx, d.bun, p, "sc", "store connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("sc.account_id = ?", accountID)
	})
}

// DueStoreConnections returns enabled connections whose last sync is older than their interval.
func (d *DB) DueStoreConnections(ctx context.Context, now time.Time) ([]StoreConnection, error) {
	return selectRows[StoreConnection](ctx, d.bun, "due store connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("sc.enabled AND (sc.last_sync_at IS NULL OR sc.last_sync_at + make_interval(mins => sc.sync_every_minutes) <= ?)", now).
			OrderExpr("sc.id")
	})
}

// UpdateStoreConnection writes the given columns of c (scoped to its account).
func (d *DB) UpdateStoreConnection(ctx context.Context, c *StoreConnection, columns ...string) error {
	return updateRow(ctx, d.bun, c, "store connection", c.ID, c.AccountID, columns...)
}

// ChangeStoreCredentials runs change on connection id of accountID as it is now, with the row
// locked, and writes the credentials change leaves on it (the other columns are not written):
// a job that adds what it made (a webhook signing secret) after talking to the store keeps
// credentials the merchant saved while the call was on the wire. change's error leaves them
// as they were.
func (d *DB) ChangeStoreCredentials(ctx context.Context, accountID, id int64, change func(c *StoreConnection) error) error {
	return d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := lockRow[StoreConnection](ctx, tx, fmt.Sprintf("store connection %d", id), "sc.id = ? AND sc.account_id = ?", id, accountID)
		if err != nil {
			return err
		}
		if err := change(c); err != nil {
			return err
		}
		return updateRow(ctx, tx, c, "store connection", c.ID, c.AccountID, "credentials")
	})
}
