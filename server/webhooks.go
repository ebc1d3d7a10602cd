package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/server/storehooks"
)

// webhookRoutes registers every inbound webhook route on mux, each on its own channel's
// path under /webhooks/ (so the store order webhooks, /webhooks/<channel>/{token}, and any
// other route under /webhooks/ do not shadow each other).
func (a *App) webhookRoutes(mux *http.ServeMux) {
	rc := &storehooks.Receiver{DB: a.DB, Sealer: a.Sealer, Log: a.Log, Enqueue: a.enqueueWebhookOrder}
	for _, ch := range storehooks.Channels {
		mux.Handle("POST "+jobs.WebhookPath+ch+"/{token}", rc.Handler(ch))
	}
	mux.HandleFunc("POST "+QBOWebhookPath, a.qboWebhook)
}

// enqueueWebhookOrder queues the pull of what an accepted webhook names.
func (a *App) enqueueWebhookOrder(ctx context.Context, conn *db.StoreConnection, topic string, n ordersync.Notice) error {
	task, err := jobs.NewWebhookOrderTask(jobs.WebhookOrderPayload{AccountID: conn.AccountID, ConnectionID: conn.ID, Topic: topic, Notice: n})
	if err != nil {
		return err
	}
	if _, err := a.tasks.EnqueueContext(ctx, task); err != nil {
		return fmt.Errorf("server: queue webhook pull: %w", err)
	}
	return nil
}

// logPath is a request path as it may be logged: a webhook address's token (its only secret)
// is cut off.
func logPath(p string) string {
	if rest, ok := strings.CutPrefix(p, jobs.WebhookPath); ok {
		if ch, _, found := strings.Cut(rest, "/"); found {
			return jobs.WebhookPath + ch + "/…"
		}
	}
	return p
}
