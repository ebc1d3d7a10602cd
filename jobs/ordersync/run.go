package ordersync

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// FirstPullWindow is how far back a connection's first scheduled pull reaches.
const FirstPullWindow = 30 * 24 * time.Hour

// PullOverlap re-reads a little before the last pull's end: stores stamp updates with their own
// clocks, and an order updated at the boundary must not be missed (re-reading is harmless).
const PullOverlap = 10 * time.Minute

// fillingFor is how long a waiting Web Connector session is told that work is coming.
const fillingFor = 10 * time.Minute

// Window is the span of store update times one pull reads. A zero From means "since the last
// pull" (its end less PullOverlap, or FirstPullWindow back for a connection never pulled); a
// zero To means "now". Statuses, when set, replace the connection's Statuses setting for this
// pull (an empty list reads every status).
type Window struct {
	From, To time.Time
	Statuses *[]string
}

// Opener builds the channel client of a store connection (opening its credentials).
type Opener func(conn *db.StoreConnection) (Source, error)

// Run is one whole pull of conn: it reads the orders of window w page by page with the client
// open builds, ingests each page, and keeps the pull's progress in rdb for the SPA. On success
// the connection records the pull (last sync, synced through) and the sync log what it found.
// On failure the connection and the sync log record why, and the error returned wraps the
// step's error (with any failure to record it joined), so a caller such as the asynq task
// retries. The connection's settings are read once for the whole pull.
func (p *Pipeline) Run(ctx context.Context, rdb redis.UniversalClient, conn *db.StoreConnection, open Opener, w Window) error {
	now := p.now()
	from, to := w.From, w.To
	if from.IsZero() {
		from = now.Add(-FirstPullWindow)
		if conn.SyncedThrough != nil {
			from = conn.SyncedThrough.Add(-PullOverlap)
		}
	}
	if to.IsZero() {
		to = now
	}
	prog := Progress{State: ProgressRunning, From: from, To: to, StartedAt: now}
	save := func() {
		// Progress is for people watching; a pull does not fail for want of it.
		if err := SaveProgress(ctx, rdb, conn.ID, prog); err != nil {
			p.logger().WarnContext(ctx, "ordersync: pull progress", "connection", conn.ID, "err", err)
		}
	}
	save()
	fail := func(err error) error {
		msg := err.Error()
		prog.State, prog.Error, prog.FinishedAt = ProgressFailed, msg, p.now()
		save()
		conn.LastSyncError = msg
		var errs []error
		if uerr := p.DB.UpdateStoreConnection(ctx, conn, "last_sync_error"); uerr != nil {
			errs = append(errs, fmt.Errorf("recording the failure on the connection: %w", uerr))
		}
		hint := "Check the connection's address and credentials on the Connections page. Ledgerlink retries automatically."
		if lerr := p.DB.AddLog(ctx, &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelError, Source: "orders",
			Message: "Pulling orders from " + conn.Name + " failed: " + msg, Hint: &hint}); lerr != nil {
			errs = append(errs, fmt.Errorf("recording the failure in the sync log: %w", lerr))
		}
		if errors.Is(err, storenet.ErrUnauthorized) {
			if aerr := p.raiseStoreAuth(ctx, conn, msg); aerr != nil {
				errs = append(errs, aerr)
			}
		}
		return errors.Join(append([]error{err}, errs...)...)
	}
	src, err := open(conn)
	if err != nil {
		return fail(err)
	}
	settings, err := Settings(conn)
	if err != nil {
		return fail(err)
	}
	defer p.filling(ctx, conn)()
	statuses := settings.Statuses
	if w.Statuses != nil {
		statuses = *w.Statuses
	}
	total, err := p.pull(ctx, conn, settings, src, Query{UpdatedFrom: from, UpdatedTo: to, Statuses: statuses},
		func(pages, orders int, total Stats) {
			prog.Pages, prog.Orders = pages, orders
			prog.NewOrders, prog.Queued, prog.Errors = total.New, total.Queued, total.Errors
			save()
		})
	if err != nil {
		return fail(err)
	}
	prog.State, prog.FinishedAt = ProgressDone, p.now()
	save()
	conn.LastSyncAt, conn.LastSyncError = &prog.FinishedAt, ""
	cols := []string{"last_sync_at", "last_sync_error"}
	if conn.SyncedThrough == nil || to.After(*conn.SyncedThrough) {
		conn.SyncedThrough = &to
		cols = append(cols, "synced_through")
	}
	if err := p.DB.UpdateStoreConnection(ctx, conn, cols...); err != nil {
		return fmt.Errorf("ordersync: record the pull of connection %d: %w", conn.ID, err)
	}
	// The store takes the credentials again: a "credentials rejected" alert is over.
	if err := p.DB.ResolveAlert(ctx, conn.AccountID, db.AlertStoreAuth, strconv.FormatInt(conn.ID, 10), p.now()); err != nil {
		return fmt.Errorf("ordersync: %w", err)
	}
	if total.New+total.Updated > 0 {
		if err := p.DB.AddLog(ctx, &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelInfo, Source: "orders",
			Message: fmt.Sprintf("Pulled %d orders from %s: %d new, %d changed, %d queued for QuickBooks, %d excluded, %d with errors.",
				prog.Orders, conn.Name, total.New, total.Updated, total.Queued, total.Excluded, total.Errors)}); err != nil {
			return fmt.Errorf("ordersync: log the pull of connection %d: %w", conn.ID, err)
		}
	}
	return nil
}

// filling tells a waiting Web Connector session of conn's QuickBooks company that work is
// coming, and returns the func that says it is done (defer it). It is only a hint, so a failure
// to give it is logged and the pull goes on; a connection without a company gives none.
func (p *Pipeline) filling(ctx context.Context, conn *db.StoreConnection) (done func()) {
	if conn.QBDConnectionID == nil {
		return func() {}
	}
	qbdID := *conn.QBDConnectionID
	if err := p.Engine.MarkFilling(ctx, qbdID, fillingFor); err != nil {
		p.logger().WarnContext(ctx, "ordersync: mark filling", "connection", conn.ID, "err", err)
	}
	return func() {
		if err := p.Engine.DoneFilling(context.WithoutCancel(ctx), qbdID); err != nil {
			p.logger().WarnContext(ctx, "ordersync: done filling", "connection", conn.ID, "err", err)
		}
	}
}

// raiseStoreAuth raises the "store credentials rejected" alert of conn (once while the store
// keeps refusing them).
func (p *Pipeline) raiseStoreAuth(ctx context.Context, conn *db.StoreConnection, msg string) error {
	id := strconv.FormatInt(conn.ID, 10)
	_, err := p.DB.RaiseAlerts(ctx, conn.AccountID, []db.AlertEvent{{Kind: db.AlertStoreAuth, Subject: id,
		Message: conn.Name + " refused Ledgerlink's credentials: " + msg, Link: "/connections"}}, p.now())
	if err != nil {
		return fmt.Errorf("raising the credentials alert: %w", err)
	}
	return nil
}
