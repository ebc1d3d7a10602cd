package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TypeInventorySchedule starts inventory detections and pushes what is due (see
// HandleInventorySchedule).
const TypeInventorySchedule = "inventory:schedule"

// InventoryScheduleEvery is how often the schedule runs: each QuickBooks Desktop company with a
// store whose inventory sync is on gets a detection queued at least this often (it runs at the
// company's next Web Connector session).
const InventoryScheduleEvery = 5 * time.Minute

// inventoryPushLease is how long a claimed update may stay unsettled before the sweep counts it
// as a dead worker's (the push handler's claims use the same figure or less).
const inventoryPushLease = 10 * time.Minute

// HandleInventorySchedule queues an inventory detection for every QuickBooks Desktop company
// that a store with inventory sync on posts to (none when one is under way) and for every such
// QuickBooks Online company (TypeInventoryDetectOnline), then enqueues a
// push for every store connection whose update queue has rows due (targets whose push a
// delayed notification missed, retries whose time has come, claims of dead workers).
func (h *Handlers) HandleInventorySchedule(ctx context.Context, _ *asynq.Task) error {
	if h.Detector == nil {
		return nil
	}
	conns, err := h.DB.QBDConnectionsWithInventorySync(ctx)
	if err != nil {
		return fmt.Errorf("jobs: inventory schedule: %w", err)
	}
	errs := []error{h.scheduleOnlineDetections(ctx)}
	for _, c := range conns {
		if _, err := h.Detector.Start(ctx, c.AccountID, c.QBDConnectionID); err != nil {
			errs = append(errs, fmt.Errorf("jobs: inventory detection of QuickBooks connection %d: %w", c.QBDConnectionID, err))
		}
	}
	due, err := h.DB.StoreConnectionsWithDueInventoryUpdates(ctx, h.now(), inventoryPushLease)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("jobs: inventory schedule: %w", err))...)
	}
	for _, d := range due {
		if err := EnqueueInventoryPush(ctx, h.Client, InventoryPushPayload{AccountID: d.AccountID, StoreConnectionID: d.StoreConnectionID}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
