package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TypeInventoryPush drains one store connection's inventory update queue
// (db.ClaimInventoryUpdates → the store → db.SettleInventoryUpdates). Detection enqueues one
// after every commit that queued targets for the connection (EnqueueInventoryPush); the handler
// pushes whatever is due, so a task that finds the queue already drained is a no-op, and one
// enqueued while another runs finds the rows that one did not claim.
const TypeInventoryPush = "inventory:push"

// InventoryPushPayload names the store connection whose queue to push.
type InventoryPushPayload = StoreConnectionPayload

// inventoryPushTimeout bounds one push task: a store throttling hard (429, Retry-After) makes
// the handler put rows back for later rather than wait that long.
const inventoryPushTimeout = 15 * time.Minute

// NewInventoryPushTask returns the push task for p, on the default queue. It is not Unique:
// a push enqueued while another push of the same connection runs must not be dropped (the rows
// it is for may be after that one's claim), and a spare push costs one empty claim.
func NewInventoryPushTask(p InventoryPushPayload) (*asynq.Task, error) {
	if !p.valid() {
		return nil, fmt.Errorf("jobs: inventory push needs an account and a store connection, got %+v", p)
	}
	return newTask(TypeInventoryPush, "inventory push", p, asynq.Queue(QueueDefault), asynq.MaxRetry(10),
		asynq.Timeout(inventoryPushTimeout))
}

// ParseInventoryPushPayload reads a TypeInventoryPush task's payload; a payload that does not
// name both ids wraps asynq.SkipRetry.
func ParseInventoryPushPayload(t *asynq.Task) (InventoryPushPayload, error) {
	var p InventoryPushPayload
	return p, readPayload(t, "inventory push", &p, p.valid)
}

// EnqueueInventoryPush queues a push of one store connection's inventory updates. Call it after
// the transaction that queued them committed (a worker must see the rows). A duplicate-task
// answer from asynq is not an error.
func EnqueueInventoryPush(ctx context.Context, client *asynq.Client, p InventoryPushPayload) error {
	task, err := NewInventoryPushTask(p)
	if err != nil {
		return err
	}
	return enqueue(ctx, client, task, fmt.Sprintf("enqueue inventory push of store connection %d", p.StoreConnectionID))
}

// inventoryPushDelay is how long a push that detection asks for waits: detection runs inside
// the Web Connector engine's settling transaction, which commits after the hook returns, and
// the push must see the rows. Pushes asked for within the delay are one task (Unique).
const inventoryPushDelay = 3 * time.Second

// InventoryPushNotifier returns the invsync.Detector.Notify of a process: it enqueues a push
// of the store connection, delayed by a few seconds and deduplicated over them, so the many
// pages of one detection make one push. A push that would start before the detection's
// transaction commits finds fewer rows; the inventory schedule's sweep pushes what is left.
func InventoryPushNotifier(client *asynq.Client) func(ctx context.Context, accountID, storeConnectionID int64) error {
	return delayedNotifier(client, NewInventoryPushTask, inventoryPushDelay, "inventory push")
}

// delayedNotifier returns the Notify of a detection or read whose settling transaction commits
// after it returns: it enqueues newTask's task for the store connection delay later,
// deduplicated over delay (Unique), so the many pages of one read make one task that sees the
// committed rows.
func delayedNotifier(client *asynq.Client, newTask func(StoreConnectionPayload) (*asynq.Task, error), delay time.Duration,
	what string) func(ctx context.Context, accountID, storeConnectionID int64) error {
	return func(ctx context.Context, accountID, storeConnectionID int64) error {
		task, err := newTask(StoreConnectionPayload{AccountID: accountID, StoreConnectionID: storeConnectionID})
		if err != nil {
			return err
		}
		return enqueue(ctx, client, task, fmt.Sprintf("enqueue %s of store connection %d", what, storeConnectionID),
			asynq.ProcessIn(delay), asynq.Unique(delay))
	}
}
