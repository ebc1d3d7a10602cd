package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Account is a merchant business; it owns users, connections and everything synced.
type Account struct {
	bun.BaseModel `bun:"table:accounts,alias:a"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name,notnull"`
	CreatedAt time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// CreateAccount inserts an account and fills its id.
func (d *DB) CreateAccount(ctx context.Context, a *Account) error {
	return insertRow(ctx, d.bun, a, "account")
}

// GetAccount returns the account with id, or ErrNotFound.
func (d *DB) GetAccount(ctx context.Context, id int64) (*Account, error) {
	return getRow[Account](ctx, d.bun, fmt.Sprintf("account %d", id), "a.id = ?", id)
}

// ListAccounts pages through every account, newest first, optionally filtered by a
// case-insensitive name substring. Only support tooling may call it.
func (d *DB) ListAccounts(ctx context.Context, search string, p Page) (Result[Account], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		return whereContains(q, "a.name ILIKE ?", search)
	}
	return listPage[Account](ctx, d.bun, p, "a", "accounts", filter)
}
