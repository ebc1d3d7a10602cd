package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the pg_advisory_lock key that serializes migrators across processes
// (serve and worker replicas may start at the same time).
const migrationLockKey = 0x4c65646765726c // "Ledgerl"

// Migrations returns the embedded migration set, in file-name order.
func Migrations() (*migrate.Migrations, error) {
	m := migrate.NewMigrations()
	if err := m.Discover(migrationFiles); err != nil {
		return nil, fmt.Errorf("db: discover migrations: %w", err)
	}
	return m, nil
}

// Migrate applies every pending migration and returns the names it applied. It is safe to run
// from several processes at once: they queue on an advisory lock.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	conn, err := d.bun.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("db: migrate: take lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey) //nolint:errcheck // the lock dies with the connection anyway

	return d.runMigrator(ctx, "migrate", func(ctx context.Context, m *migrate.Migrator) (migrate.MigrationSlice, error) {
		group, err := m.Migrate(ctx)
		if err != nil {
			return nil, err
		}
		return group.Migrations, nil
	})
}

// PendingMigrations lists migrations not yet applied; serve refuses to start on a stale schema.
func (d *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	return d.runMigrator(ctx, "migration status", func(ctx context.Context, m *migrate.Migrator) (migrate.MigrationSlice, error) {
		return m.MissingMigrations(ctx)
	})
}

// runMigrator runs op on a migrator of the embedded migrations (its bookkeeping tables created
// first) and returns the names of the migrations op returns, in order; what names the operation
// in errors.
func (d *DB) runMigrator(ctx context.Context, what string,
	op func(context.Context, *migrate.Migrator) (migrate.MigrationSlice, error)) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	m := migrate.NewMigrator(d.bun, ms)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("db: %s: init: %w", what, err)
	}
	done, err := op(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("db: %s: %w", what, err)
	}
	var names []string
	for _, mig := range done {
		names = append(names, mig.Name)
	}
	return names, nil
}

// MigrationFS exposes the embedded migration files (test helpers fingerprint them).
func MigrationFS() (fs.FS, error) { return fs.Sub(migrationFiles, "migrations") }
