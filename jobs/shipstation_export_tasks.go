package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TypeShipStationExport pushes the QuickBooks sales waiting for one ShipStation connection
// (jobs/ssexport.Exporter.Push). The read that queued them enqueues it after its commit; a
// task that finds nothing waiting is a no-op.
const TypeShipStationExport = "shipstation:export"

// shipStationExportDelay lets the settling transaction that queued the orders commit, and
// gathers the pages of one read into one push.
const shipStationExportDelay = 3 * time.Second

// ShipStationExportPayload names the connection: {"account_id":N,"store_connection_id":M}.
type ShipStationExportPayload struct {
	AccountID         int64 `json:"account_id"`
	StoreConnectionID int64 `json:"store_connection_id"`
}

// ShipStationExportNotifier returns the ssexport.Exporter.Notify of a process.
func ShipStationExportNotifier(client *asynq.Client) func(ctx context.Context, accountID, storeConnectionID int64) error {
	return func(ctx context.Context, accountID, storeConnectionID int64) error {
		b, _ := json.Marshal(ShipStationExportPayload{AccountID: accountID, StoreConnectionID: storeConnectionID})
		// A push may wait out ShipStation's 40 requests a minute: 1 000 orders are 10 requests.
		task := asynq.NewTask(TypeShipStationExport, b, asynq.Queue(QueueDefault), asynq.MaxRetry(10), asynq.Timeout(10*time.Minute))
		_, err := client.EnqueueContext(ctx, task, asynq.ProcessIn(shipStationExportDelay), asynq.Unique(shipStationExportDelay))
		if err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
			return fmt.Errorf("jobs: enqueue shipstation export of store connection %d: %w", storeConnectionID, err)
		}
		return nil
	}
}

// HandleShipStationExport runs one push; when orders remain it queues the next.
func (h *Handlers) HandleShipStationExport(ctx context.Context, t *asynq.Task) error {
	var p ShipStationExportPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.AccountID == 0 || p.StoreConnectionID == 0 {
		return fmt.Errorf("jobs: shipstation export payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	if h.Exporter == nil {
		return nil
	}
	res, err := h.Exporter.Push(ctx, p.AccountID, p.StoreConnectionID)
	if err != nil {
		return err
	}
	if res.More && h.Client != nil {
		return ShipStationExportNotifier(h.Client)(ctx, p.AccountID, p.StoreConnectionID)
	}
	return nil
}
