package jobs

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/invpush"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// LaterError is what a handler returns when its work is not done and should continue at At
// (a store's rate limit, another worker holding the connection): the server retries the task
// then without counting a failure (ServerConfig).
type LaterError struct {
	At  time.Time
	Why string
}

func (e *LaterError) Error() string {
	return fmt.Sprintf("continues at %s: %s", e.At.UTC().Format(time.RFC3339), e.Why)
}

// pushBusyRetry is how soon a push finding its connection held by another worker tries again.
const pushBusyRetry = 5 * time.Second

// pushLockKey is the Redis key that lets one push per store connection run at a time.
func pushLockKey(storeConnectionID int64) string {
	return fmt.Sprintf("ledgerlink:inventory-push:%d", storeConnectionID)
}

// releaseScript deletes the lock only if this holder still has it (it may have expired and
// been taken by another worker).
var releaseScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// HandleInventoryPush pushes one store connection's due inventory updates (invpush.Drain: in
// batches, until nothing is due or the store makes it wait). One push per connection runs at a
// time: a task finding another worker on the connection continues 5 s later. When rows are
// left for later (a rate limit, an outage: they are pending, never failed) the task returns a
// *LaterError for the time the first of them is due, so it runs again then. A connection with
// inventory sync off is not pushed (its rows wait until it is on again); a deleted one revokes
// the task.
func (h *Handlers) HandleInventoryPush(ctx context.Context, t *asynq.Task) error {
	p, err := ParseInventoryPushPayload(t)
	if err != nil {
		return err
	}
	conn, err := h.DB.GetStoreConnection(ctx, p.AccountID, p.StoreConnectionID)
	if errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("jobs: inventory push: store connection %d is gone: %w", p.StoreConnectionID, asynq.RevokeTask)
	} else if err != nil {
		return fmt.Errorf("jobs: inventory push: %w", err)
	}
	settings, err := ordersync.Settings(conn)
	if err != nil {
		return fmt.Errorf("jobs: inventory push: %w: %w", err, asynq.SkipRetry)
	}
	if !settings.Inventory.Enabled {
		h.Log.Info("jobs: inventory push skipped: inventory sync is off", "store_connection", conn.ID)
		return nil
	}

	// One push per connection: two would share (and trip) the store's rate limit.
	token := randomToken()
	key := pushLockKey(conn.ID)
	got, err := h.Redis.SetNX(ctx, key, token, inventoryPushTimeout+time.Minute).Result()
	if err != nil {
		return fmt.Errorf("jobs: inventory push lock: %w", err)
	}
	if !got {
		return &LaterError{At: h.now().Add(pushBusyRetry), Why: fmt.Sprintf("store connection %d is being pushed by another worker", conn.ID)}
	}
	defer releaseScript.Run(context.WithoutCancel(ctx), h.Redis, []string{key}, token) //nolint:errcheck // the lock expires anyway

	creds, err := h.credentials(conn)
	if err != nil {
		h.logPushFailure(ctx, conn, err)
		return fmt.Errorf("jobs: inventory push: %w: %w", err, asynq.SkipRetry)
	}
	open := h.InventoryStores
	if open == nil {
		open = invpush.Open
	}
	id, _ := asynq.GetTaskID(ctx)
	store, err := open(conn, creds, invpush.StoreOptions{Location: settings.Inventory.Location, Logger: h.Log,
		Reference: fmt.Sprintf("ledgerlink://inventory-push/%d/%s", conn.ID, cmp.Or(id, token))})
	if err != nil {
		h.logPushFailure(ctx, conn, err)
		return fmt.Errorf("jobs: inventory push: %w: %w", err, asynq.SkipRetry)
	}
	run, err := invpush.Drain(ctx, h.DB, conn.AccountID, conn, store, invpush.Options{Now: h.now})
	if err != nil {
		return fmt.Errorf("jobs: inventory push of store connection %d: %w", conn.ID, err)
	}
	if !run.Next.IsZero() {
		why := "rows wait for their next attempt"
		if run.Err != nil {
			why = run.Err.Error()
		}
		return &LaterError{At: run.Next, Why: why}
	}
	return nil
}

// logPushFailure records, in the sync log, a push that could not start.
func (h *Handlers) logPushFailure(ctx context.Context, conn *db.StoreConnection, err error) {
	hint := "Check the connection's credentials on the Connections page."
	_ = h.DB.AddLog(ctx, &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelError, Source: "inventory",
		Message: "Inventory push to " + conn.Name + " could not start: " + err.Error(), Hint: &hint})
}

func randomToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
