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

// firstPullWindow is how far back a connection's first scheduled pull reaches.
const firstPullWindow = 30 * 24 * time.Hour

// pullOverlap re-reads a little before the last pull's end: stores stamp updates with their own
// clocks, and an order updated at the boundary must not be missed (re-reading is harmless).
const pullOverlap = 10 * time.Minute

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
		return nil, err
	}
	return asynq.NewTask(TypeOrdersPull, b, asynq.Queue(QueueDefault), asynq.MaxRetry(5),
		asynq.Timeout(30*time.Minute), asynq.Unique(30*time.Minute)), nil
}

// HandlePull runs one pull: it reads the orders page by page, ingests each page, records the
// progress in Redis for the SPA, and on failure records the reason on the connection and in the
// sync log (asynq retries with backoff).
func (h *Handlers) HandlePull(ctx context.Context, t *asynq.Task) error {
	var p PullPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ConnectionID == 0 {
		return fmt.Errorf("jobs: pull payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	conn, err := h.DB.GetStoreConnection(ctx, p.AccountID, p.ConnectionID)
	if errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("jobs: pull: connection %d is gone: %w", p.ConnectionID, asynq.RevokeTask)
	} else if err != nil {
		return err
	}
	now := h.now()
	from, to := p.From, p.To
	if from.IsZero() {
		from = now.Add(-firstPullWindow)
		if conn.SyncedThrough != nil {
			from = conn.SyncedThrough.Add(-pullOverlap)
		}
	}
	if to.IsZero() {
		to = now
	}
	prog := ordersync.Progress{State: ordersync.ProgressRunning, From: from, To: to, StartedAt: now}
	save := func() {
		if err := ordersync.SaveProgress(ctx, h.Redis, conn.ID, prog); err != nil {
			h.Log.Warn("jobs: pull progress", "err", err)
		}
	}
	save()
	fail := func(err error) error {
		msg := err.Error()
		prog.State, prog.Error, prog.FinishedAt = ordersync.ProgressFailed, msg, h.now()
		save()
		conn.LastSyncError = msg
		_ = h.DB.UpdateStoreConnection(ctx, conn, "last_sync_error")
		hint := "Check the connection's address and credentials on the Connections page. Ledgerlink retries automatically."
		_ = h.DB.AddLog(ctx, &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelError, Source: "orders",
			Message: "Pulling orders from " + conn.Name + " failed: " + msg, Hint: &hint})
		return err
	}
	src, err := h.source(conn)
	if err != nil {
		return fail(err)
	}
	settings, err := ordersync.Settings(conn)
	if err != nil {
		return fail(err)
	}
	if conn.QBDConnectionID != nil {
		// Tell a waiting Web Connector session that work is coming.
		_ = h.Pipeline.Engine.MarkFilling(ctx, *conn.QBDConnectionID, 10*time.Minute)
		defer h.Pipeline.Engine.DoneFilling(context.WithoutCancel(ctx), *conn.QBDConnectionID)
	}
	total, err := h.Pipeline.Pull(ctx, conn, src, ordersync.Query{UpdatedFrom: from, UpdatedTo: to, Statuses: settings.Statuses},
		func(pages, orders int, total ordersync.Stats) {
			prog.Pages, prog.Orders = pages, orders
			prog.NewOrders, prog.Queued, prog.Errors = total.New, total.Queued, total.Errors
			save()
		})
	if err != nil {
		return fail(err)
	}
	prog.State, prog.FinishedAt = ordersync.ProgressDone, h.now()
	save()
	conn.LastSyncAt, conn.LastSyncError = &prog.FinishedAt, ""
	cols := []string{"last_sync_at", "last_sync_error"}
	if conn.SyncedThrough == nil || to.After(*conn.SyncedThrough) {
		conn.SyncedThrough = &to
		cols = append(cols, "synced_through")
	}
	if err := h.DB.UpdateStoreConnection(ctx, conn, cols...); err != nil {
		return err
	}
	if total.New+total.Updated > 0 {
		_ = h.DB.AddLog(ctx, &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelInfo, Source: "orders",
			Message: fmt.Sprintf("Pulled %d orders from %s: %d new, %d changed, %d queued for QuickBooks, %d excluded, %d with errors.",
				prog.Orders, conn.Name, total.New, total.Updated, total.Queued, total.Excluded, total.Errors)})
	}
	return nil
}

// source opens the connection's credentials and builds its channel client.
func (h *Handlers) source(conn *db.StoreConnection) (ordersync.Source, error) {
	if h.Sealer == nil {
		return nil, errors.New("LEDGERLINK_SECRET_KEY is not set, so store credentials cannot be read")
	}
	creds, err := ordersync.OpenCredentials(conn.Credentials, func(b []byte) ([]byte, error) {
		return h.Sealer.Open(b, db.CredentialsAAD(conn.ID))
	})
	if err != nil {
		return nil, fmt.Errorf("the stored credentials cannot be read (was LEDGERLINK_SECRET_KEY changed?): %w", err)
	}
	return h.Sources(conn.Channel, conn.BaseURL, creds)
}

// HandleSchedule enqueues a pull for every enabled connection whose interval has passed.
func (h *Handlers) HandleSchedule(ctx context.Context, _ *asynq.Task) error {
	due, err := h.DB.DueStoreConnections(ctx, h.now())
	if err != nil {
		return err
	}
	for _, c := range due {
		task, err := NewPullTask(PullPayload{AccountID: c.AccountID, ConnectionID: c.ID})
		if err != nil {
			return err
		}
		if _, err := h.Client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
			return fmt.Errorf("jobs: schedule pull of %d: %w", c.ID, err)
		}
	}
	return nil
}
