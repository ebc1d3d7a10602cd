package db

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Webhook subscription states (store_webhooks.state).
const (
	WebhookRegistering = "registering"
	WebhookActive      = "active"
	WebhookFailed      = "failed"
	WebhookManual      = "manual"
)

// StoreWebhook is one webhook topic Ledgerlink keeps registered in a store.
type StoreWebhook struct {
	bun.BaseModel `bun:"table:store_webhooks,alias:sw"`

	ConnectionID   int64      `bun:"connection_id,pk"`
	AccountID      int64      `bun:"account_id,notnull"`
	Topic          string     `bun:"topic,pk"`
	State          string     `bun:"state,notnull"`
	ExternalID     string     `bun:"external_id,notnull"`
	Message        string     `bun:"message,notnull"`
	Deliveries     int64      `bun:"deliveries,notnull"`
	Refused        int64      `bun:"refused,notnull"`
	LastDeliveryAt *time.Time `bun:"last_delivery_at"`
	UpdatedAt      time.Time  `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// WebhookTokenHash is how a webhook address token is stored and looked up.
func WebhookTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// SetWebhookToken stores the hash of connection id's new webhook address token (scoped to
// accountID), replacing the previous one: deliveries to the old address stop being accepted.
func (d *DB) SetWebhookToken(ctx context.Context, accountID, id int64, token string) error {
	res, err := d.bun.NewUpdate().Table("store_connections").Set("webhook_token_hash = ?", WebhookTokenHash(token)).
		Where("id = ? AND account_id = ?", id, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: set webhook token: %w", translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("db: set webhook token of connection %d: %w", id, ErrNotFound)
	}
	return nil
}

// StoreConnectionByWebhookToken returns the connection of channel whose webhook address
// carries token, or ErrNotFound. The token is the only credential of the address, so this is
// the one lookup not scoped to an account: the account comes from the row found.
func (d *DB) StoreConnectionByWebhookToken(ctx context.Context, channel, token string) (*StoreConnection, error) {
	return getRow[StoreConnection](ctx, d.bun, "store connection by webhook token",
		"sc.webhook_token_hash = ? AND sc.channel = ?", WebhookTokenHash(token), channel)
}

// StoreConnectionsWithoutWebhooks returns the enabled connections whose webhooks were never
// registered (no token yet), oldest first, at most limit.
func (d *DB) StoreConnectionsWithoutWebhooks(ctx context.Context, limit int) ([]StoreConnection, error) {
	return selectRows[StoreConnection](ctx, d.bun, "connections without webhooks", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("sc.enabled AND sc.webhook_token_hash IS NULL AND NOT EXISTS (SELECT 1 FROM store_webhooks sw WHERE sw.connection_id = sc.id)").OrderExpr("sc.id").Limit(int64(limit))
	})
}

// SaveStoreWebhook inserts or replaces the row of w's connection and topic (counters kept).
func (d *DB) SaveStoreWebhook(ctx context.Context, w *StoreWebhook) error {
	_, err := d.bun.NewInsert().Model(w).
		On("CONFLICT (connection_id, topic) DO UPDATE").
		Set("state = EXCLUDED.state, external_id = EXCLUDED.external_id, message = EXCLUDED.message, updated_at = now()").
		Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save store webhook: %w", translate(err))
	}
	return nil
}

// DeleteStoreWebhooks removes every webhook row of connection id (scoped to accountID).
func (d *DB) DeleteStoreWebhooks(ctx context.Context, accountID, id int64) error {
	if _, err := d.bun.NewDelete().Model((*StoreWebhook)(nil)).Where("connection_id = ? AND account_id = ?", id, accountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: delete store webhooks: %w", err)
	}
	return nil
}

// ListStoreWebhooks returns the webhook rows of connection id (scoped to accountID), by topic.
func (d *DB) ListStoreWebhooks(ctx context.Context, accountID, id int64) ([]StoreWebhook, error) {
	rows := []StoreWebhook{}
	err := d.bun.NewSelect().Model(&rows).Where("sw.connection_id = ? AND sw.account_id = ?", id, accountID).OrderExpr("sw.topic").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: list store webhooks: %w", err)
	}
	return rows, nil
}

// WebhookDelivery is one accepted webhook delivery.
type WebhookDelivery struct {
	bun.BaseModel `bun:"table:store_webhook_deliveries,alias:wd"`

	ID           int64     `bun:"id,pk,autoincrement"`
	ConnectionID int64     `bun:"connection_id,notnull"`
	AccountID    int64     `bun:"account_id,notnull"`
	DedupeKey    string    `bun:"dedupe_key,notnull"`
	Topic        string    `bun:"topic,notnull"`
	Resource     string    `bun:"resource,notnull"`
	ReceivedAt   time.Time `bun:"received_at,nullzero,notnull,default:current_timestamp"`
}

// RecordWebhookDelivery stores d unless a delivery with the same key was stored for its
// connection before; it reports whether d is new. A new delivery also counts on its topic's
// row (when there is one).
func (d *DB) RecordWebhookDelivery(ctx context.Context, w *WebhookDelivery) (bool, error) {
	fresh := false
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewInsert().Model(w).On("CONFLICT (connection_id, dedupe_key) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("db: record webhook delivery: %w", translate(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		fresh = true
		_, err = tx.NewUpdate().Model((*StoreWebhook)(nil)).Set("deliveries = deliveries + 1, last_delivery_at = now()").
			Where("connection_id = ? AND account_id = ? AND topic = ?", w.ConnectionID, w.AccountID, w.Topic).Exec(ctx)
		if err != nil {
			return fmt.Errorf("db: count webhook delivery: %w", err)
		}
		return nil
	})
	return fresh, err
}

// CountRefusedWebhook counts a refused delivery (bad signature, replay, unknown topic) on the
// topic's row of connection id, when there is one.
func (d *DB) CountRefusedWebhook(ctx context.Context, accountID, id int64, topic string) error {
	_, err := d.bun.NewUpdate().Model((*StoreWebhook)(nil)).Set("refused = refused + 1").
		Where("connection_id = ? AND account_id = ? AND topic = ?", id, accountID, topic).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: count refused webhook: %w", err)
	}
	return nil
}

// PruneWebhookDeliveries forgets deliveries received before before: stores retry for hours
// (Shopify for up to 48), not weeks.
func (d *DB) PruneWebhookDeliveries(ctx context.Context, before time.Time) error {
	if _, err := d.bun.NewDelete().Model((*WebhookDelivery)(nil)).Where("received_at < ?", before).Exec(ctx); err != nil {
		return fmt.Errorf("db: prune webhook deliveries: %w", err)
	}
	return nil
}

// ForgetWebhookDelivery removes the delivery with key of connection id (scoped to accountID),
// so that the store's retry of a delivery Ledgerlink could not act on is accepted.
func (d *DB) ForgetWebhookDelivery(ctx context.Context, accountID, id int64, key string) error {
	_, err := d.bun.NewDelete().Model((*WebhookDelivery)(nil)).Where("connection_id = ? AND account_id = ? AND dedupe_key = ?", id, accountID, key).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: forget webhook delivery: %w", err)
	}
	return nil
}

// MarkWebhooksRegistering shows each of topics of connection id (scoped to accountID) as
// registering, keeping what is known of the subscriptions (their ids, to remove them).
func (d *DB) MarkWebhooksRegistering(ctx context.Context, accountID, id int64, topics []string) error {
	for _, t := range topics {
		w := &StoreWebhook{ConnectionID: id, AccountID: accountID, Topic: t, State: WebhookRegistering}
		_, err := d.bun.NewInsert().Model(w).On("CONFLICT (connection_id, topic) DO UPDATE").
			Set("state = EXCLUDED.state, message = '', updated_at = now()").Exec(ctx)
		if err != nil {
			return fmt.Errorf("db: mark webhooks registering: %w", translate(err))
		}
	}
	return nil
}
