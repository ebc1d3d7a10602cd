package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// LogLevel is the severity of a sync log line.
type LogLevel string

const (
	LevelError   LogLevel = "error"
	LevelWarning LogLevel = "warning"
	LevelInfo    LogLevel = "info"
)

// SyncLog is one line of an account's sync log. Details must never contain secrets.
type SyncLog struct {
	bun.BaseModel `bun:"table:sync_logs,alias:l"`

	ID           int64           `bun:"id,pk,autoincrement"`
	AccountID    int64           `bun:"account_id,notnull"`
	ConnectionID *int64          `bun:"connection_id"`
	Level        LogLevel        `bun:"level,notnull"`
	Source       string          `bun:"source,notnull"`
	Message      string          `bun:"message,notnull"`
	Hint         *string         `bun:"hint"`
	Details      json.RawMessage `bun:"details,type:jsonb,nullzero"`
	CreatedAt    time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// LogFilter narrows ListLogs. Zero fields do not filter.
type LogFilter struct {
	Level        LogLevel
	ConnectionID int64
	Search       string
	From, To     time.Time
}

// AddLog appends l to its account's log.
func (d *DB) AddLog(ctx context.Context, l *SyncLog) error {
	return InsertSyncLog(ctx, d.bun, l)
}

// InsertSyncLog appends l to its account's log, inside the caller's transaction when idb is one.
func InsertSyncLog(ctx context.Context, idb bun.IDB, l *SyncLog) error {
	if l.AccountID == 0 {
		return fmt.Errorf("db: add log: account id missing")
	}
	if _, err := idb.NewInsert().Model(l).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("db: add log: %w", translate(err))
	}
	return nil
}

// ListLogs pages through the log of accountID, newest first; its count stops at CountCap.
func (d *DB) ListLogs(ctx context.Context, accountID int64, f LogFilter, p Page) (Result[SyncLog], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("l.account_id = ?", accountID)
		q = whereSet(q, "l.level = ?", f.Level)
		q = whereSet(q, "l.connection_id = ?", f.ConnectionID)
		q = whereContains(q, "(l.message ILIKE ? OR l.hint ILIKE ?)", f.Search)
		if !f.From.IsZero() {
			q = q.Where("l.created_at >= ?", f.From)
		}
		if !f.To.IsZero() {
			q = q.Where("l.created_at < ?", f.To)
		}
		return q
	}
	return listPageCapped[SyncLog](ctx, d.bun, p, "l", "logs", filter)
}

// CountLogsByLevel counts the lines of accountID written at or after since, per level.
func (d *DB) CountLogsByLevel(ctx context.Context, accountID int64, since time.Time) (map[LogLevel]int, error) {
	q := d.bun.NewSelect().Model((*SyncLog)(nil)).Where("account_id = ? AND created_at >= ?", accountID, since)
	return countPer[LogLevel](ctx, q, "level", "logs")
}
