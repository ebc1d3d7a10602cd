package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// The missed-order sweeper: once a day (TypeSweepSchedule, after midnight UTC) and on demand
// per connection, each store connection's orders of the last closed day are read from the store
// and compared with Ledgerlink's and with what QuickBooks took (db.RecordOrderSweep). Days are
// UTC days: stores report order times with their offset, and one day boundary for every store
// of an account keeps the counts comparable. An order the store has and Ledgerlink never
// received (a webhook that never came, a pull window that skipped it) and one received but not
// in QuickBooks a day later are gaps, listed on the dashboard with a one-click resync
// (ResyncSweepGaps).
const (
	// TypeSweepSchedule queues a sweep of yesterday for every enabled store connection.
	TypeSweepSchedule = "sweep:schedule"
	// TypeSweep sweeps one connection's day.
	TypeSweep = "sweep:connection"
)

// SweepPayload names the connection and the UTC day (YYYY-MM-DD) to sweep.
type SweepPayload struct {
	AccountID    int64  `json:"accountId"`
	ConnectionID int64  `json:"connectionId"`
	Day          string `json:"day"`
}

func (p SweepPayload) connection() (accountID, connectionID int64) {
	return p.AccountID, p.ConnectionID
}

// SweepDayLayout is the payload's day format.
const SweepDayLayout = time.DateOnly

// LastClosedDay is the UTC day before now's.
func LastClosedDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d-1, 0, 0, 0, 0, time.UTC)
}

// NewSweepTask returns the sweep of p's day; the same sweep asked twice within ten minutes
// runs once.
func NewSweepTask(p SweepPayload) (*asynq.Task, error) {
	return newTask(TypeSweep, "sweep", p, asynq.Queue(QueueLow), asynq.MaxRetry(5), asynq.Timeout(30*time.Minute),
		asynq.Unique(10*time.Minute))
}

// HandleSweepSchedule queues the sweep of the last closed day for every enabled store connection.
func (h *Handlers) HandleSweepSchedule(ctx context.Context, _ *asynq.Task) error {
	day := LastClosedDay(h.now()).Format(SweepDayLayout)
	return scheduleEach(ctx, h.Client, "schedule sweeps", h.DB.SweepableStoreConnections,
		func(c db.StoreConnection) (*asynq.Task, string, error) {
			task, err := NewSweepTask(SweepPayload{AccountID: c.AccountID, ConnectionID: c.ID, Day: day})
			return task, fmt.Sprintf("schedule sweep of %d", c.ID), err
		})
}

// HandleSweep sweeps the connection's day the task names.
func (h *Handlers) HandleSweep(ctx context.Context, t *asynq.Task) error {
	var p SweepPayload
	conn, err := h.taskConnection(ctx, t, "sweep", &p)
	if err != nil {
		return err
	}
	day, err := time.Parse(SweepDayLayout, p.Day)
	if err != nil {
		return fmt.Errorf("jobs: sweep day %q: %w", p.Day, asynq.SkipRetry)
	}
	_, err = h.SweepDay(ctx, conn, day)
	return err
}

// SweepDay compares the store's orders created on day (a UTC date) that conn syncs (its order
// statuses) with Ledgerlink's and QuickBooks', records the sweep and returns its gaps. New gaps
// are written to the sync log. A store that cannot be read is recorded on the day's sweep and
// returned as the error (the task retries).
func (h *Handlers) SweepDay(ctx context.Context, conn *db.StoreConnection, day time.Time) ([]db.OrderSweepGap, error) {
	now := h.now()
	from := day.UTC().Truncate(24 * time.Hour)
	to := from.Add(24 * time.Hour)
	if to.After(now) {
		return nil, fmt.Errorf("jobs: sweep of %s: the day is not over: %w", from.Format(SweepDayLayout), asynq.SkipRetry)
	}
	sw := &db.OrderSweep{AccountID: conn.AccountID, ConnectionID: conn.ID, Day: from, SweptAt: now}
	store, err := h.storeOrdersOf(ctx, conn, from, to, now)
	if err != nil {
		sw.Error = err.Error()
		if rerr := h.DB.RecordOrderSweepError(ctx, sw); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return nil, fmt.Errorf("jobs: sweep of %s (connection %d): %w", conn.Name, conn.ID, err)
	}
	gaps, err := h.DB.RecordOrderSweep(ctx, sw, store)
	if err != nil {
		return nil, fmt.Errorf("jobs: sweep of %s (connection %d): %w", conn.Name, conn.ID, err)
	}
	fresh := 0
	for _, g := range gaps {
		if !g.FoundAt.Before(now) {
			fresh++
		}
	}
	if fresh > 0 {
		hint := "Open the dashboard's Missed orders list and click Resync: Ledgerlink reads those orders from the store again and sends them to QuickBooks once."
		orders := "orders"
		if fresh == 1 {
			orders = "order"
		}
		msg := fmt.Sprintf("The daily check of %s for %s found %d %s missing from Ledgerlink or QuickBooks (the store has %d, Ledgerlink %d, in QuickBooks %d).",
			conn.Name, from.Format(SweepDayLayout), fresh, orders, sw.StoreCount, sw.OurCount, sw.PostedCount)
		if err := h.DB.AddLog(ctx, &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelWarning,
			Source: "sweeper", Message: msg, Hint: &hint}); err != nil {
			return nil, fmt.Errorf("jobs: sweep: %w", err)
		}
	}
	return gaps, nil
}

// storeOrdersOf reads from the store the orders created in [from, to) that conn syncs: every
// order updated since from (an order changes after it is created, never before), kept when
// created in the day and in one of the connection's statuses.
func (h *Handlers) storeOrdersOf(ctx context.Context, conn *db.StoreConnection, from, to, now time.Time) ([]db.SweptOrder, error) {
	settings, err := ordersync.Settings(conn)
	if err != nil {
		return nil, err
	}
	src, err := h.source(conn)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []db.SweptOrder
	err = src.Orders(ctx, ordersync.Query{UpdatedFrom: from, UpdatedTo: now, Statuses: settings.Statuses}, func(page []ordersync.Fetched) error {
		for _, f := range page {
			o := f.Order
			if o.ExternalID == "" || seen[o.ExternalID] {
				continue
			}
			// An order that cannot be read has no trustworthy date or status: Ledgerlink
			// records those in error when it pulls them, so only readable ones are compared.
			if f.Err != nil || o.CreatedAt.Before(from) || !o.CreatedAt.Before(to) {
				continue
			}
			if len(settings.Statuses) > 0 && !slices.Contains(settings.Statuses, o.Status) {
				continue
			}
			seen[o.ExternalID] = true
			created := o.CreatedAt
			out = append(out, db.SweptOrder{ExternalID: o.ExternalID, Number: o.Number, StoreCreatedAt: &created})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the store's orders: %w", err)
	}
	return out, nil
}

// ResyncSweepGaps resyncs gaps ids of accountID through the normal paths: an order never
// received is read from the store by its id and ingested (the webhook task: idempotent, so a
// second click posts nothing twice); one received but not in QuickBooks is resynced like the
// Orders page's resync. It returns how many gaps were still open.
func ResyncSweepGaps(ctx context.Context, d *db.DB, tasks *asynq.Client, p *ordersync.Pipeline, accountID int64, ids []int64, now time.Time) (int, error) {
	gaps, err := d.MarkSweepGapsResync(ctx, accountID, ids, now)
	if err != nil {
		return 0, err
	}
	var stored []int64
	for _, g := range gaps {
		if g.OrderID != nil {
			stored = append(stored, *g.OrderID)
			continue
		}
		task, err := NewWebhookOrderTask(WebhookOrderPayload{AccountID: accountID, ConnectionID: g.ConnectionID,
			Topic: "sweeper/resync", Notice: ordersync.Notice{OrderID: g.ExternalID}})
		if err != nil {
			return 0, err
		}
		if _, err := tasks.EnqueueContext(ctx, task); err != nil {
			return 0, fmt.Errorf("jobs: resync missed order %s: %w", g.ExternalID, err)
		}
	}
	if len(stored) > 0 {
		if _, err := p.Resync(ctx, accountID, stored); err != nil {
			return 0, fmt.Errorf("jobs: resync missed orders: %w", err)
		}
	}
	return len(gaps), nil
}
