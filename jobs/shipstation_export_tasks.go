package jobs

import (
	"context"
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

// ShipStationExportPayload names the connection.
type ShipStationExportPayload = StoreConnectionPayload

// newShipStationExportTask returns the push of one connection. A push may wait out
// ShipStation's 40 requests a minute: 1 000 orders are 10 requests.
func newShipStationExportTask(p ShipStationExportPayload) (*asynq.Task, error) {
	return newTask(TypeShipStationExport, "shipstation export", p, asynq.Queue(QueueDefault), asynq.MaxRetry(10),
		asynq.Timeout(10*time.Minute))
}

// ShipStationExportNotifier returns the ssexport.Exporter.Notify of a process.
func ShipStationExportNotifier(client *asynq.Client) func(ctx context.Context, accountID, storeConnectionID int64) error {
	return delayedNotifier(client, newShipStationExportTask, shipStationExportDelay, "shipstation export")
}

// HandleShipStationExport runs one push; when orders remain it queues the next.
func (h *Handlers) HandleShipStationExport(ctx context.Context, t *asynq.Task) error {
	var p ShipStationExportPayload
	if err := readPayload(t, "shipstation export", &p, p.valid); err != nil {
		return err
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
