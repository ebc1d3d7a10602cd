// Package db is Ledgerlink's Postgres store: bun models, embedded migrations and the queries
// every other package uses. Every method that reads or writes account data takes the account
// id explicitly, so a caller cannot forget to scope a query.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/lib/pq" // registers the "postgres" driver used by bun
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// DB wraps the bun handle. It is safe for concurrent use.
type DB struct {
	bun *bun.DB
}

// Open connects to the Postgres server at url and checks it answers within five seconds.
func Open(ctx context.Context, url string) (*DB, error) {
	sqldb, err := sql.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("db: open: %w", err)
	}
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	d := &DB{bun: bun.NewDB(sqldb, pgdialect.New())}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := d.Ping(pctx); err != nil {
		_ = sqldb.Close()
		return nil, fmt.Errorf("db: postgres at %s does not answer: %w", redactURL(url), err)
	}
	return d, nil
}

// Ping checks the connection.
func (d *DB) Ping(ctx context.Context) error { return d.bun.PingContext(ctx) }

// Close releases the pool.
func (d *DB) Close() error { return d.bun.Close() }

// WithQueryHook returns a handle on the same pool that runs h around each of its queries
// (benchmarks and tests count statements with it); d itself is unchanged.
func (d *DB) WithQueryHook(h bun.QueryHook) *DB { return &DB{bun: d.bun.WithQueryHook(h)} }

// RunInTx runs fn in a transaction, committing when fn returns nil.
func (d *DB) RunInTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return d.bun.RunInTx(ctx, nil, fn)
}

// withTryLock runs fn while holding the transaction-scoped advisory lock (class, id), what
// naming it in errors; fn runs its own transactions. It reports false, without running fn, when
// another holder has the lock.
func (d *DB) withTryLock(ctx context.Context, class int, id int64, what string, fn func(ctx context.Context) error) (bool, error) {
	got := false
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewRaw("SELECT pg_try_advisory_xact_lock(?, ?)", class, id).Scan(ctx, &got); err != nil {
			return fmt.Errorf("db: %s lock: %w", what, err)
		}
		if !got {
			return nil
		}
		return fn(ctx)
	})
	return got, err
}

// RunInTxRetrying is RunInTx run again, up to attempts times in all, while it fails Retryable.
// fn must leave nothing behind outside the transaction that a second run would double.
func (d *DB) RunInTxRetrying(ctx context.Context, attempts int, fn func(ctx context.Context, tx bun.Tx) error) error {
	var err error
	for range max(attempts, 1) {
		if err = d.RunInTx(ctx, fn); !Retryable(err) {
			return err
		}
	}
	return err
}
