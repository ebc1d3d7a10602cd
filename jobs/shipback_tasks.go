package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// Shipments back to QuickBooks (jobs/shipback). TypeShipBackSchedule runs every
// ShipBackScheduleEvery and enqueues a TypeShipBackPoll for every ShipStation connection with
// the QuickBooks → ShipStation direction on and tracking or cost chosen; a poll reads the
// connection's shipments and fulfillments since its watermark (the safety net behind the
// webhook) and registers the SHIP_NOTIFY webhook. TypeShipNotify reads one webhook delivery's
// resource_url; the route enqueues it and answers at once.
const (
	TypeShipBackSchedule = "shipback:schedule"
	TypeShipBackPoll     = "shipback:poll"
	TypeShipNotify       = "shipback:notify"
)

// ShipBackScheduleEvery is how often every connection's shipments are polled.
const ShipBackScheduleEvery = 5 * time.Minute

// ShipBackPayload names a store connection and, for TypeShipNotify, the resource_url of the
// delivery. JSON: {"account_id":N,"store_connection_id":M,"resource_url":"…"}.
type ShipBackPayload struct {
	AccountID         int64  `json:"account_id"`
	StoreConnectionID int64  `json:"store_connection_id"`
	ResourceURL       string `json:"resource_url,omitempty"`
}

// NewShipBackPollTask polls one connection; polls of a connection within a schedule period are
// one task (Unique), so a slow ShipStation does not pile them up.
func NewShipBackPollTask(p ShipBackPayload) (*asynq.Task, error) {
	if p.AccountID == 0 || p.StoreConnectionID == 0 {
		return nil, fmt.Errorf("jobs: shipment poll needs an account and a store connection, got %+v", p)
	}
	p.ResourceURL = ""
	return newTask(TypeShipBackPoll, "shipment poll", p, asynq.Queue(QueueDefault), asynq.MaxRetry(3),
		asynq.Timeout(10*time.Minute), asynq.Unique(ShipBackScheduleEvery-time.Minute))
}

// EnqueueShipNotify queues the reading of one SHIP_NOTIFY delivery. A delivery repeated within a
// minute (ShipStation retries) is one task.
func EnqueueShipNotify(ctx context.Context, client *asynq.Client, p ShipBackPayload) error {
	if p.AccountID == 0 || p.StoreConnectionID == 0 || p.ResourceURL == "" {
		return fmt.Errorf("jobs: ship notify needs an account, a store connection and a resource_url, got %+v", p)
	}
	task, err := newTask(TypeShipNotify, "ship notify", p, asynq.Queue(QueueDefault), asynq.MaxRetry(5), asynq.Timeout(5*time.Minute),
		asynq.Unique(time.Minute))
	if err != nil {
		return err
	}
	return enqueue(ctx, client, task, fmt.Sprintf("enqueue ship notify of store connection %d", p.StoreConnectionID))
}

func parseShipBackPayload(t *asynq.Task) (ShipBackPayload, error) {
	var p ShipBackPayload
	return p, readPayload(t, "shipment-back", &p, func() bool { return p.AccountID != 0 && p.StoreConnectionID != 0 })
}

// HandleShipBackSchedule enqueues a poll for every connection writing shipments back.
func (h *Handlers) HandleShipBackSchedule(ctx context.Context, _ *asynq.Task) error {
	if h.ShipBack == nil {
		return nil
	}
	return scheduleEach(ctx, h.Client, "schedule shipment polls", h.DB.ShipBackConnections,
		func(c db.StoreConnection) (*asynq.Task, string, error) {
			task, err := NewShipBackPollTask(ShipBackPayload{AccountID: c.AccountID, StoreConnectionID: c.ID})
			return task, fmt.Sprintf("schedule shipment poll of %d", c.ID), err
		})
}

// HandleShipBackPoll polls one connection's shipments.
func (h *Handlers) HandleShipBackPoll(ctx context.Context, t *asynq.Task) error {
	p, err := parseShipBackPayload(t)
	if err != nil || h.ShipBack == nil {
		return err
	}
	if _, err := h.ShipBack.Poll(ctx, p.AccountID, p.StoreConnectionID); err != nil && !errors.Is(err, shipback.ErrPollBusy) {
		return fmt.Errorf("jobs: %w", err)
	}
	return nil
}

// HandleShipNotify reads one SHIP_NOTIFY delivery. A resource_url off the connection's
// ShipStation host is refused (and logged) without retries.
func (h *Handlers) HandleShipNotify(ctx context.Context, t *asynq.Task) error {
	p, err := parseShipBackPayload(t)
	if err != nil || h.ShipBack == nil {
		return err
	}
	if _, err := h.ShipBack.Notified(ctx, p.AccountID, p.StoreConnectionID, p.ResourceURL); err != nil {
		if errors.Is(err, shipstation.ErrForeignResource) {
			return fmt.Errorf("jobs: %w: %w", err, asynq.SkipRetry)
		}
		return fmt.Errorf("jobs: %w", err)
	}
	return nil
}
