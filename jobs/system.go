package jobs

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
)

// Task types of the system family.
const (
	// TypeHeartbeat proves a worker is alive: it records one row per minute slot in Postgres.
	TypeHeartbeat = "system:heartbeat"
	// TypeCleanup deletes expired sessions and old heartbeats.
	TypeCleanup = "system:cleanup"
)

// NewHeartbeatTask returns a heartbeat. Unique for 50 s, so two schedulers ticking in the same
// minute enqueue it once.
func NewHeartbeatTask() *asynq.Task {
	return asynq.NewTask(TypeHeartbeat, nil,
		asynq.Queue(QueueLow), asynq.MaxRetry(2), asynq.Timeout(30*time.Second), asynq.Unique(50*time.Second))
}

// HandleHeartbeat records a heartbeat for the minute the task runs in. Running it twice in one
// minute (at-least-once delivery) leaves one row.
func (h *Handlers) HandleHeartbeat(ctx context.Context, _ *asynq.Task) error {
	now := h.now()
	return h.DB.RecordHeartbeat(ctx, now.UTC().Truncate(time.Minute), h.Worker, now)
}

// HandleCleanup removes expired sessions and heartbeats older than a week.
func (h *Handlers) HandleCleanup(ctx context.Context, _ *asynq.Task) error {
	now := h.now()
	n, err := h.DB.DeleteExpiredSessions(ctx, now)
	if err != nil {
		return err
	}
	if err := h.DB.PruneHeartbeats(ctx, now.Add(-7*24*time.Hour)); err != nil {
		return err
	}
	if err := h.DB.PruneWebhookDeliveries(ctx, now.Add(-7*24*time.Hour)); err != nil {
		return err
	}
	h.Log.Info("jobs: cleanup", "expired_sessions", n)
	return nil
}
