package db

import (
	"context"
	"fmt"
	"time"
)

// RecordHeartbeat notes that worker ran the heartbeat task for slot. Running the same slot
// twice (asynq delivers at least once) keeps one row and the latest time.
func (d *DB) RecordHeartbeat(ctx context.Context, slot time.Time, worker string, now time.Time) error {
	_, err := d.bun.NewRaw(`INSERT INTO worker_heartbeats (slot, worker, recorded_at) VALUES (?, ?, ?)
		ON CONFLICT (slot) DO UPDATE SET worker = EXCLUDED.worker, recorded_at = EXCLUDED.recorded_at`,
		slot, worker, now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: record heartbeat: %w", err)
	}
	return nil
}

// LastHeartbeat returns when a worker last recorded a heartbeat, or ErrNotFound if never.
func (d *DB) LastHeartbeat(ctx context.Context) (time.Time, error) {
	var at *time.Time
	if err := d.bun.NewRaw(`SELECT max(recorded_at) FROM worker_heartbeats`).Scan(ctx, &at); err != nil {
		return time.Time{}, fmt.Errorf("db: last heartbeat: %w", err)
	}
	if at == nil {
		return time.Time{}, fmt.Errorf("db: last heartbeat: %w", ErrNotFound)
	}
	return *at, nil
}

// CountHeartbeats returns how many heartbeat slots are recorded (used by tests and diagnostics).
func (d *DB) CountHeartbeats(ctx context.Context) (int, error) {
	var n int
	if err := d.bun.NewRaw(`SELECT count(*) FROM worker_heartbeats`).Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("db: count heartbeats: %w", err)
	}
	return n, nil
}

// PruneHeartbeats deletes heartbeat rows recorded before cutoff.
func (d *DB) PruneHeartbeats(ctx context.Context, cutoff time.Time) error {
	if _, err := d.bun.NewRaw(`DELETE FROM worker_heartbeats WHERE recorded_at < ?`, cutoff).Exec(ctx); err != nil {
		return fmt.Errorf("db: prune heartbeats: %w", err)
	}
	return nil
}
