package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
)

// StoreConnectionPayload names the store connection a task is for. The JSON names are the
// wire contract: {"account_id":N,"store_connection_id":M}.
type StoreConnectionPayload struct {
	AccountID         int64 `json:"account_id"`
	StoreConnectionID int64 `json:"store_connection_id"`
}

// valid reports whether p names both; a pointer receiver, so that p.valid passed to readPayload
// sees the decoded payload.
func (p *StoreConnectionPayload) valid() bool { return p.AccountID != 0 && p.StoreConnectionID != 0 }

// newTask returns a task of type typ carrying p as JSON; what names the task in the error.
func newTask(typ, what string, p any, opts ...asynq.Option) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("jobs: %s payload: %w", what, err)
	}
	return asynq.NewTask(typ, b, opts...), nil
}

// readPayload decodes t's JSON payload into p. A payload that does not decode, or that valid
// (called after decoding) rejects, wraps asynq.SkipRetry: retrying cannot mend it.
func readPayload(t *asynq.Task, what string, p any, valid func() bool) error {
	if err := json.Unmarshal(t.Payload(), p); err != nil || !valid() {
		return fmt.Errorf("jobs: %s payload %q: %w", what, t.Payload(), asynq.SkipRetry)
	}
	return nil
}

// enqueue queues task; asynq's duplicate-task answer (a Unique task already queued) is not an
// error. what names the task in the error.
func enqueue(ctx context.Context, client *asynq.Client, task *asynq.Task, what string, opts ...asynq.Option) error {
	if _, err := client.EnqueueContext(ctx, task, opts...); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
		return fmt.Errorf("jobs: %s: %w", what, err)
	}
	return nil
}

// scheduleEach is a schedule's fan-out: it enqueues, for every element list returns, the task
// that task makes of it, and stops at the first error. what names the schedule in errors (e.g.
// "schedule pulls"); task also names the task it makes (e.g. "schedule pull of 7").
func scheduleEach[T any](ctx context.Context, client *asynq.Client, what string, list func(context.Context) ([]T, error),
	task func(T) (*asynq.Task, string, error), opts ...asynq.Option) error {
	items, err := list(ctx)
	if err != nil {
		return fmt.Errorf("jobs: %s: %w", what, err)
	}
	for _, it := range items {
		t, name, err := task(it)
		if err != nil {
			return err
		}
		if err := enqueue(ctx, client, t, name, opts...); err != nil {
			return err
		}
	}
	return nil
}

// storeConnection reads the store connection a task names; one deleted since revokes the
// task (asynq.RevokeTask), any other error is returned for a retry. what names the task in
// the error.
func (h *Handlers) storeConnection(ctx context.Context, what string, accountID, connectionID int64) (*db.StoreConnection, error) {
	conn, err := h.DB.GetStoreConnection(ctx, accountID, connectionID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, fmt.Errorf("jobs: %s: connection %d is gone: %w", what, connectionID, asynq.RevokeTask)
	} else if err != nil {
		return nil, fmt.Errorf("jobs: %s: %w", what, err)
	}
	return conn, nil
}

// connectionPayload is a task payload naming a store connection of an account.
type connectionPayload interface {
	connection() (accountID, connectionID int64)
}

// taskConnection decodes t's payload into p and reads the store connection it names: a
// payload that does not decode or names no connection is not retried (readPayload), a
// connection deleted since revokes the task (storeConnection). what names the task in errors.
func (h *Handlers) taskConnection(ctx context.Context, t *asynq.Task, what string, p connectionPayload) (*db.StoreConnection, error) {
	if err := readPayload(t, what, p, func() bool { _, id := p.connection(); return id != 0 }); err != nil {
		return nil, err
	}
	accountID, connectionID := p.connection()
	return h.storeConnection(ctx, what, accountID, connectionID)
}
