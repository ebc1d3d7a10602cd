package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// TypeQBOPost posts the ready work of one QuickBooks Online company (ordersync.PostOnline):
// every batch sent before whose answer was lost, sent again as it was, then new batches. It is
// enqueued after every transaction that queued work for the company (QBOPostNotifier). A
// throttled, unreachable or busy company makes the task fail and asynq retry it later; the work
// stays queued, nothing is dropped.
const TypeQBOPost = "qbo:post"

// QBOPostPayload names the company: {"account_id":N,"qbo_connection_id":M}.
type QBOPostPayload struct {
	AccountID       int64 `json:"account_id"`
	QBOConnectionID int64 `json:"qbo_connection_id"`
}

func (p *QBOPostPayload) valid() bool { return p.AccountID != 0 && p.QBOConnectionID != 0 }

// qboPostDelay gathers the orders of one pull into one task (and its batches).
const qboPostDelay = 2 * time.Second

// NewQBOPostTask returns the post task of p on the default queue.
func NewQBOPostTask(p QBOPostPayload) (*asynq.Task, error) {
	if !p.valid() {
		return nil, fmt.Errorf("jobs: QuickBooks Online post needs an account and a company, got %+v", p)
	}
	return newTask(TypeQBOPost, "QuickBooks Online post", p, asynq.Queue(QueueDefault), asynq.MaxRetry(25), asynq.Timeout(15*time.Minute))
}

// QBOPostNotifier is the ordersync.Pipeline.OnlineQueued of a process: it enqueues the
// company's post task a moment later, one task for the orders queued within that moment. A
// failure to enqueue is logged: the work stays queued for the next notification.
func QBOPostNotifier(client *asynq.Client, log *slog.Logger) func(ctx context.Context, accountID, qboConnectionID int64) {
	return func(ctx context.Context, accountID, qboConnectionID int64) {
		task, err := NewQBOPostTask(QBOPostPayload{AccountID: accountID, QBOConnectionID: qboConnectionID})
		if err == nil {
			err = enqueue(ctx, client, task, fmt.Sprintf("enqueue QuickBooks Online post of company %d", qboConnectionID),
				asynq.ProcessIn(qboPostDelay), asynq.Unique(qboPostDelay))
		}
		if err != nil {
			log.ErrorContext(ctx, "jobs: schedule QuickBooks Online post", "qbo_connection", qboConnectionID, "err", err)
		}
	}
}

// HandleQBOPost runs TypeQBOPost.
func (h *Handlers) HandleQBOPost(ctx context.Context, t *asynq.Task) error {
	var p QBOPostPayload
	if err := readPayload(t, "QuickBooks Online post", &p, p.valid); err != nil {
		return err
	}
	err := h.Pipeline.PostOnline(ctx, p.AccountID, p.QBOConnectionID)
	if errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("jobs: QuickBooks Online post: company %d is gone: %w", p.QBOConnectionID, asynq.RevokeTask)
	}
	if err != nil && !errors.Is(err, ordersync.ErrOnlineBusy) {
		h.Log.WarnContext(ctx, "jobs: QuickBooks Online post: will retry", "qbo_connection", p.QBOConnectionID, "err", err)
	}
	return err
}

// qboSweepEvery is how often the schedule's sweep enqueues a company's post at most.
const qboSweepEvery = 5 * time.Minute

// scheduleQBOPosts is the schedule's sweep: a post for every company with work waiting, at
// most one per company per qboSweepEvery.
func (h *Handlers) scheduleQBOPosts(ctx context.Context) error {
	return scheduleEach(ctx, h.Client, "schedule QuickBooks Online posts", h.DB.QBOCompaniesWithWork,
		func(c db.QBOCompany) (*asynq.Task, string, error) {
			task, err := NewQBOPostTask(QBOPostPayload{AccountID: c.AccountID, QBOConnectionID: c.QBOConnectionID})
			return task, fmt.Sprintf("schedule QuickBooks Online post of company %d", c.QBOConnectionID), err
		}, asynq.Unique(qboSweepEvery))
}
