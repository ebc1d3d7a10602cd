package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// APIKey is a third-party credential. KeyHash is the SHA-256 of the full key; the key itself is
// never stored.
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys,alias:k"`

	ID         int64      `bun:"id,pk,autoincrement"`
	AccountID  int64      `bun:"account_id,notnull"`
	Name       string     `bun:"name,notnull"`
	Prefix     string     `bun:"prefix,notnull"`
	KeyHash    []byte     `bun:"key_hash,notnull"`
	CreatedBy  *int64     `bun:"created_by"`
	CreatedAt  time.Time  `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
}

// CreateAPIKey stores k.
func (d *DB) CreateAPIKey(ctx context.Context, k *APIKey) error {
	return insertRow(ctx, d.bun, k, "api key")
}

// GetActiveAPIKeyByHash returns the unrevoked key with that hash, or ErrNotFound.
func (d *DB) GetActiveAPIKeyByHash(ctx context.Context, hash []byte) (*APIKey, error) {
	return getRow[APIKey](ctx, d.bun, "api key", "k.key_hash = ? AND k.revoked_at IS NULL", hash)
}

// TouchAPIKey records that key id was used at now.
func (d *DB) TouchAPIKey(ctx context.Context, id int64, now time.Time) error {
	_, err := d.bun.NewUpdate().Model((*APIKey)(nil)).Set("last_used_at = ?", now).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: touch api key: %w", err)
	}
	return nil
}

// ListAPIKeys pages through the keys of accountID, newest first.
func (d *DB) ListAPIKeys(ctx context.Context, accountID int64, includeRevoked bool, p Page) (Result[APIKey], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("k.account_id = ?", accountID)
		if !includeRevoked {
			q = q.Where("k.revoked_at IS NULL")
		}
		return q
	}
	return listPage[APIKey](ctx, d.bun, p, "k", "api keys", filter)
}

// RevokeAPIKey revokes key id of accountID at now and returns it. Revoking an already revoked
// key keeps the first revocation time. A key of another account gives ErrNotFound.
func (d *DB) RevokeAPIKey(ctx context.Context, accountID, id int64, now time.Time) (*APIKey, error) {
	k := new(APIKey)
	err := d.bun.NewUpdate().Model(k).
		Set("revoked_at = COALESCE(revoked_at, ?)", now).
		Where("id = ? AND account_id = ?", id, accountID).
		Returning("*").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: revoke api key %d: %w", id, translate(err))
	}
	return k, nil
}

// CountActiveAPIKeys counts the unrevoked keys of accountID.
func (d *DB) CountActiveAPIKeys(ctx context.Context, accountID int64) (int, error) {
	n, err := d.bun.NewSelect().Model((*APIKey)(nil)).
		Where("account_id = ? AND revoked_at IS NULL", accountID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: count api keys: %w", err)
	}
	return int(n), nil
}
