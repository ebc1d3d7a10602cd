package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Role is what a user may do in Ledgerlink.
type Role string

const (
	// RoleOwner runs the account: API keys, connections, settings.
	RoleOwner Role = "owner"
	// RoleMember works in the account but cannot manage credentials.
	RoleMember Role = "member"
	// RoleSupport is Ledgerlink staff: reads any account, writes nothing, opens asynqmon.
	RoleSupport Role = "support"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	return r == RoleOwner || r == RoleMember || r == RoleSupport
}

// User is a person who signs in to the SPA. PasswordHash is a PHC-format argon2id string.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID           int64     `bun:"id,pk,autoincrement"`
	AccountID    int64     `bun:"account_id,notnull"`
	Email        string    `bun:"email,notnull"`
	Name         string    `bun:"name,notnull"`
	Role         Role      `bun:"role,notnull"`
	PasswordHash string    `bun:"password_hash,notnull"`
	CreatedAt    time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// CreateUser inserts u; an email already in use (case-insensitively) gives ErrAlreadyExists.
func (d *DB) CreateUser(ctx context.Context, u *User) error {
	u.Email = strings.TrimSpace(u.Email)
	return insertRow(ctx, d.bun, u, "user")
}

// UpdateUserPassword replaces the password hash of user id.
func (d *DB) UpdateUserPassword(ctx context.Context, id int64, hash string) error {
	res, err := d.bun.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: update password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("db: update password of user %d: %w", id, ErrNotFound)
	}
	return nil
}

// GetUserByEmail finds a user by email, ignoring case, or returns ErrNotFound.
func (d *DB) GetUserByEmail(ctx context.Context, email string) (*User, error) {
	u := new(User)
	err := d.bun.NewSelect().Model(u).Where("lower(u.email) = lower(?)", strings.TrimSpace(email)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: get user by email: %w", translate(err))
	}
	return u, nil
}

// GetUser returns user id if it belongs to accountID, or ErrNotFound.
func (d *DB) GetUser(ctx context.Context, accountID, id int64) (*User, error) {
	u := new(User)
	err := d.bun.NewSelect().Model(u).Where("u.id = ? AND u.account_id = ?", id, accountID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: get user %d: %w", id, translate(err))
	}
	return u, nil
}
