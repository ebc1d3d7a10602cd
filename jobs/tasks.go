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
