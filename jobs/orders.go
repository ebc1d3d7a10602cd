package jobs

import (
	"context"
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
// zero To means "now" (the moment the pull runs). Manual is set for Manual Sync.
type PullPayload struct {
	AccountID    int64     `json:"accountId"`
	ConnectionID int64     `json:"connectionId"`
	From         time.Time `json:"from,omitzero"`
	To           time.Time `json:"to,omitzero"`
	Manual       bool      `json:"manual,omitempty"`
	// Statuses, when set, are the store statuses this pull reads ([]: every status) instead of
	// the connection's "Order statuses to export" setting (Manual Sync's status filter).
	Statuses *[]string `json:"statuses,omitempty"`
}

func (p PullPayload) connection() (accountID, connectionID int64) { return p.AccountID, p.ConnectionID }

// NewPullTask returns a pull. The same pull queued twice runs once (Unique).
func NewPullTask(p PullPayload) (*asynq.Task, error) {
	return newTask(TypeOrdersPull, "pull", p, asynq.Queue(QueueDefault), asynq.MaxRetry(5),
		asynq.Timeout(30*time.Minute), asynq.Unique(30*time.Minute))
}

// HandlePull runs the pull the task names (ordersync.Pipeline.Run: window, progress, cursor
// and the failure's record all live there). A payload that cannot be read is not retried; a
// connection deleted since is revoked; any other error is returned, wrapped, so asynq retries
// with backoff.
func (h *Handlers) HandlePull(ctx context.Context, t *asynq.Task) error {
	var p PullPayload
	conn, err := h.taskConnection(ctx, t, "pull", &p)
	if err != nil {
		return err
	}
	if err := h.Pipeline.Run(ctx, h.Redis, conn, h.source, ordersync.Window{From: p.From, To: p.To, Statuses: p.Statuses}); err != nil {
		return fmt.Errorf("jobs: pull from %s (connection %d): %w", conn.Name, conn.ID, err)
	}
	return h.detectAfterPull(ctx, conn)
}

// detectAfterPull queues an inventory detection of conn's QuickBooks company after a pull of
// its orders, when conn has inventory sync on. The detection's reads are queued behind the
// sales the pull queued, so QuickBooks answers them with the sold-down quantities (a sale
// posted later still is caught by the next detection: its TimeModified is after this one's
// start).
func (h *Handlers) detectAfterPull(ctx context.Context, conn *db.StoreConnection) error {
	if h.Detector == nil || conn.QBDConnectionID == nil {
		return nil
	}
	s, err := ordersync.Settings(conn)
	if err != nil {
		return fmt.Errorf("jobs: inventory after pull: %w", err)
	}
	if !s.Inventory.Enabled {
		return nil
	}
	if _, err := h.Detector.Start(ctx, conn.AccountID, *conn.QBDConnectionID); err != nil {
		return fmt.Errorf("jobs: inventory detection after pull of %s: %w", conn.Name, err)
	}
	return nil
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

// HandleSchedule enqueues a pull for every enabled connection whose interval has passed, and
// a QuickBooks Online post for every company with work waiting (scheduleQBOPosts).
func (h *Handlers) HandleSchedule(ctx context.Context, _ *asynq.Task) error {
	now := h.now()
	due := func(ctx context.Context) ([]db.StoreConnection, error) { return h.DB.DueStoreConnections(ctx, now) }
	err := scheduleEach(ctx, h.Client, "schedule pulls", due, func(c db.StoreConnection) (*asynq.Task, string, error) {
		task, err := NewPullTask(PullPayload{AccountID: c.AccountID, ConnectionID: c.ID})
		return task, fmt.Sprintf("schedule pull of %d", c.ID), err
	})
	if err != nil {
		return err
	}
	return h.scheduleQBOPosts(ctx)
}
