package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

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
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("jobs: shipment poll payload: %w", err)
	}
	return asynq.NewTask(TypeShipBackPoll, b, asynq.Queue(QueueDefault), asynq.MaxRetry(3),
		asynq.Timeout(10*time.Minute), asynq.Unique(ShipBackScheduleEvery-time.Minute)), nil
}

// EnqueueShipNotify queues the reading of one SHIP_NOTIFY delivery. A delivery repeated within a
// minute (ShipStation retries) is one task.
func EnqueueShipNotify(ctx context.Context, client *asynq.Client, p ShipBackPayload) error {
	if p.AccountID == 0 || p.StoreConnectionID == 0 || p.ResourceURL == "" {
		return fmt.Errorf("jobs: ship notify needs an account, a store connection and a resource_url, got %+v", p)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("jobs: ship notify payload: %w", err)
	}
	task := asynq.NewTask(TypeShipNotify, b, asynq.Queue(QueueDefault), asynq.MaxRetry(5), asynq.Timeout(5*time.Minute), asynq.Unique(time.Minute))
	if _, err := client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
		return fmt.Errorf("jobs: enqueue ship notify of store connection %d: %w", p.StoreConnectionID, err)
	}
	return nil
}

func parseShipBackPayload(t *asynq.Task) (ShipBackPayload, error) {
	var p ShipBackPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.AccountID == 0 || p.StoreConnectionID == 0 {
		return p, fmt.Errorf("jobs: shipment-back payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return p, nil
}

// HandleShipBackSchedule enqueues a poll for every connection writing shipments back.
func (h *Handlers) HandleShipBackSchedule(ctx context.Context, _ *asynq.Task) error {
	if h.ShipBack == nil {
		return nil
	}
	conns, err := h.DB.ShipBackConnections(ctx)
	if err != nil {
		return fmt.Errorf("jobs: schedule shipment polls: %w", err)
	}
	for _, c := range conns {
		task, err := NewShipBackPollTask(ShipBackPayload{AccountID: c.AccountID, StoreConnectionID: c.ID})
		if err != nil {
			return err
		}
		if _, err := h.Client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
			return fmt.Errorf("jobs: schedule shipment poll of %d: %w", c.ID, err)
		}
	}
	return nil
}

// HandleShipBackPoll polls one connection's shipments.
func (h *Handlers) HandleShipBackPoll(ctx context.Context, t *asynq.Task) error {
	p, err := parseShipBackPayload(t)
	if err != nil || h.ShipBack == nil {
		return err
	}
	if _, err := h.ShipBack.Poll(ctx, p.AccountID, p.StoreConnectionID); err != nil {
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
