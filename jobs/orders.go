package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// Task types of the orders family.
const (
	// TypeOrdersPull pulls one store connection's orders for a time window and ingests them.
	TypeOrdersPull = "orders:pull"
	// TypeOrdersSchedule enqueues a pull for every connection whose interval has passed.
	TypeOrdersSchedule = "orders:schedule"
)

// PullPayload names the connection and window of a pull. Zero From means "since the last pull",
// zero To means "now". Manual is set for Manual Sync.
type PullPayload struct {
	AccountID    int64     `json:"accountId"`
	ConnectionID int64     `json:"connectionId"`
	From         time.Time `json:"from,omitzero"`
	To           time.Time `json:"to,omitzero"`
	Manual       bool      `json:"manual,omitempty"`
}

// NewPullTask returns a pull. The same pull queued twice runs once (Unique).
func NewPullTask(p PullPayload) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("jobs: pull task: %w", err)
	}
	return asynq.NewTask(TypeOrdersPull, b, asynq.Queue(QueueDefault), asynq.MaxRetry(5),
		asynq.Timeout(30*time.Minute), asynq.Unique(30*time.Minute)), nil
}

// HandlePull runs the pull the task names (ordersync.Pipeline.Run: window, progress, cursor
// and the failure's record all live there). A payload that cannot be read is not retried; a
// connection deleted since is revoked; any other error is returned, wrapped, so asynq retries
// with backoff.
func (h *Handlers) HandlePull(ctx context.Context, t *asynq.Task) error {
	var p PullPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ConnectionID == 0 {
		return fmt.Errorf("jobs: pull payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	conn, err := h.DB.GetStoreConnection(ctx, p.AccountID, p.ConnectionID)
	if errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("jobs: pull: connection %d is gone: %w", p.ConnectionID, asynq.RevokeTask)
	} else if err != nil {
		return fmt.Errorf("jobs: pull: %w", err)
	}
	if err := h.Pipeline.Run(ctx, h.Redis, conn, h.source, ordersync.Window{From: p.From, To: p.To}); err != nil {
		return fmt.Errorf("jobs: pull from %s (connection %d): %w", conn.Name, conn.ID, err)
	}
	return h.detectAfterPull(ctx, conn)
}

// source opens the connection's credentials and builds its channel client.
func (h *Handlers) source(conn *db.StoreConnection) (ordersync.Source, error) {
	creds, err := h.credentials(conn)
	if err != nil {
		return nil, err
	}
	return h.Sources(conn.Channel, conn.BaseURL, creds)
}

// credentials opens the connection's sealed credentials.
func (h *Handlers) credentials(conn *db.StoreConnection) (ordersync.Credentials, error) {
	if h.Sealer == nil {
		return ordersync.Credentials{}, errors.New("LEDGERLINK_SECRET_KEY is not set, so store credentials cannot be read")
	}
	creds, err := ordersync.OpenCredentials(conn.Credentials, func(b []byte) ([]byte, error) {
		return h.Sealer.Open(b, db.CredentialsAAD(conn.ID))
	})
	if err != nil {
		return ordersync.Credentials{}, fmt.Errorf("the stored credentials cannot be read (was LEDGERLINK_SECRET_KEY changed?): %w", err)
	}
	return creds, nil
}

// HandleSchedule enqueues a pull for every enabled connection whose interval has passed.
func (h *Handlers) HandleSchedule(ctx context.Context, _ *asynq.Task) error {
	due, err := h.DB.DueStoreConnections(ctx, h.now())
	if err != nil {
		return fmt.Errorf("jobs: schedule pulls: %w", err)
	}
	for _, c := range due {
		task, err := NewPullTask(PullPayload{AccountID: c.AccountID, ConnectionID: c.ID})
		if err != nil {
			return fmt.Errorf("jobs: schedule pull of %d: %w", c.ID, err)
		}
		if _, err := h.Client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
			return fmt.Errorf("jobs: schedule pull of %d: %w", c.ID, err)
		}
	}
	return nil
}
