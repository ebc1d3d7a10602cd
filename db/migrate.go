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
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	conn, err := d.bun.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("db: migrate: take lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey) //nolint:errcheck // the lock dies with the connection anyway

	migrator := migrate.NewMigrator(d.bun, ms)
	if err := migrator.Init(ctx); err != nil {
		return nil, fmt.Errorf("db: migrate: init: %w", err)
	}
	group, err := migrator.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migrate: %w", err)
	}
	var names []string
	for _, m := range group.Migrations {
		names = append(names, m.Name)
	}
	return names, nil
}

// PendingMigrations lists migrations not yet applied; serve refuses to start on a stale schema.
func (d *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	migrator := migrate.NewMigrator(d.bun, ms)
	if err := migrator.Init(ctx); err != nil {
		return nil, fmt.Errorf("db: migration status: %w", err)
	}
	missing, err := migrator.MissingMigrations(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migration status: %w", err)
	}
	var names []string
	for _, m := range missing {
		names = append(names, m.Name)
	}
	return names, nil
}

// MigrationFS exposes the embedded migration files (test helpers fingerprint them).
func MigrationFS() (fs.FS, error) { return fs.Sub(migrationFiles, "migrations") }
