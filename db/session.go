package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Session is a signed-in browser. TokenHash is the SHA-256 of the cookie value.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	ID         int64     `bun:"id,pk,autoincrement"`
	TokenHash  []byte    `bun:"token_hash,notnull"`
	UserID     int64     `bun:"user_id,notnull"`
	CSRFToken  string    `bun:"csrf_token,notnull"`
	UserAgent  string    `bun:"user_agent,notnull"`
	IP         string    `bun:"ip,notnull"`
	CreatedAt  time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	LastSeenAt time.Time `bun:"last_seen_at,nullzero,notnull,default:current_timestamp"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// CreateSession stores s.
func (d *DB) CreateSession(ctx context.Context, s *Session) error {
	return insertRow(ctx, d.bun, s, "session")
}

// GetSessionByTokenHash returns the unexpired session with that hash and its user, or ErrNotFound.
func (d *DB) GetSessionByTokenHash(ctx context.Context, hash []byte, now time.Time) (*Session, error) {
	s := new(Session)
	err := d.bun.NewSelect().Model(s).Relation("User").
		Where("s.token_hash = ? AND s.expires_at > ?", hash, now).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: get session: %w", translate(err))
	}
	return s, nil
}

// TouchSession records activity and slides the expiry; callers throttle how often they call it.
func (d *DB) TouchSession(ctx context.Context, id int64, now, expires time.Time) error {
	_, err := d.bun.NewUpdate().Model((*Session)(nil)).
		Set("last_seen_at = ?", now).Set("expires_at = ?", expires).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: touch session: %w", err)
	}
	return nil
}

// DeleteSessionByTokenHash signs a browser out. Deleting an unknown session is not an error.
func (d *DB) DeleteSessionByTokenHash(ctx context.Context, hash []byte) error {
	if _, err := d.bun.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hash).Exec(ctx); err != nil {
		return fmt.Errorf("db: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now and returns how many.
func (d *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := d.bun.NewDelete().Model((*Session)(nil)).Where("expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
