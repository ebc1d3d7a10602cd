package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// TypeInventoryDetectOnline reads one QuickBooks Online company's inventory changes
// (invsync.Detector.DetectOnline) into the same update queue as Desktop detections. The
// inventory schedule enqueues it for every company a store with inventory sync on posts to;
// a QuickBooks Online webhook enqueues it at once (EnqueueInventoryDetectOnline).
const TypeInventoryDetectOnline = "inventory:detect-qbo"

// InventoryDetectOnlinePayload names the company: {"account_id":N,"qbo_connection_id":M}.
type InventoryDetectOnlinePayload = QBOPostPayload

// inventoryDetectOnlineGather is how long a detection asked for by a webhook waits, so the
// notifications of one burst of writes (one per write) make one detection.
const inventoryDetectOnlineGather = 5 * time.Second

// NewInventoryDetectOnlineTask returns the detection task of p on the default queue.
func NewInventoryDetectOnlineTask(p InventoryDetectOnlinePayload) (*asynq.Task, error) {
	if !p.valid() {
		return nil, fmt.Errorf("jobs: QuickBooks Online inventory detection needs an account and a company, got %+v", p)
	}
	return newTask(TypeInventoryDetectOnline, "QuickBooks Online inventory detection", p, asynq.Queue(QueueDefault),
		asynq.MaxRetry(10), asynq.Timeout(10*time.Minute))
}

// EnqueueInventoryDetectOnline queues a detection of company p a few seconds from now; asking
// again within those seconds is the same task (asynq Unique).
func EnqueueInventoryDetectOnline(ctx context.Context, client *asynq.Client, p InventoryDetectOnlinePayload) error {
	task, err := NewInventoryDetectOnlineTask(p)
	if err != nil {
		return err
	}
	return enqueue(ctx, client, task, fmt.Sprintf("enqueue inventory detection of QuickBooks Online company %d", p.QBOConnectionID),
		asynq.ProcessIn(inventoryDetectOnlineGather), asynq.Unique(inventoryDetectOnlineGather))
}

// HandleInventoryDetectOnline runs TypeInventoryDetectOnline. A company that is gone or needs
// reconnecting is not retried (the sync log says what to do); a read that failed is, later.
func (h *Handlers) HandleInventoryDetectOnline(ctx context.Context, t *asynq.Task) error {
	var p InventoryDetectOnlinePayload
	if err := readPayload(t, "QuickBooks Online inventory detection", &p, p.valid); err != nil {
		return err
	}
	if h.Detector == nil || h.Detector.Online == nil {
		return fmt.Errorf("jobs: QuickBooks Online inventory detection is off in this process: %w", asynq.SkipRetry)
	}
	err := h.Detector.DetectOnline(ctx, p.AccountID, p.QBOConnectionID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return fmt.Errorf("jobs: QuickBooks Online inventory detection: company %d is gone: %w", p.QBOConnectionID, asynq.RevokeTask)
	case errors.Is(err, invsync.ErrOnlineBusy):
		return &LaterError{At: h.now().Add(inventoryDetectOnlineGather), Why: err.Error()}
	case errors.Is(err, qbo.ErrReconnectNeeded):
		return fmt.Errorf("jobs: QuickBooks Online inventory detection: %w: %w", err, asynq.SkipRetry)
	}
	return err
}

// scheduleOnlineDetections enqueues a detection of every QuickBooks Online company a store with
// inventory sync on posts to, at most one per company per schedule period.
func (h *Handlers) scheduleOnlineDetections(ctx context.Context) error {
	if h.Detector == nil || h.Detector.Online == nil {
		return nil
	}
	companies, err := h.DB.QBOCompaniesWithInventorySync(ctx)
	if err != nil {
		return fmt.Errorf("jobs: inventory schedule: %w", err)
	}
	var errs []error
	for _, c := range companies {
		task, err := NewInventoryDetectOnlineTask(InventoryDetectOnlinePayload{AccountID: c.AccountID, QBOConnectionID: c.QBOConnectionID})
		if err == nil {
			err = enqueue(ctx, h.Client, task, fmt.Sprintf("schedule inventory detection of QuickBooks Online company %d", c.QBOConnectionID),
				asynq.Unique(InventoryScheduleEvery-time.Minute))
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
