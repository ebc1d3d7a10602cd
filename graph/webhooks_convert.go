package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

func toStoreWebhook(w *db.StoreWebhook) *model.StoreWebhook {
	return &model.StoreWebhook{Topic: w.Topic, State: model.StoreWebhookState(strings.ToUpper(w.State)), Message: w.Message,
		Deliveries: int(w.Deliveries), Refused: int(w.Refused), LastDeliveryAt: w.LastDeliveryAt, UpdatedAt: w.UpdatedAt}
}

// registerWebhooks shows c's webhooks as registering and queues their registration (the
// worker calls the store: jobs.HandleRegisterWebhooks). A connection turned off has its
// webhooks removed the same way.
func (r *Resolver) registerWebhooks(ctx context.Context, c *db.StoreConnection) error {
	if r.Tasks == nil {
		return nil
	}
	if c.Enabled {
		if err := r.DB.MarkWebhooksRegistering(ctx, c.AccountID, c.ID, channels.WebhookTopics[c.Channel]); err != nil {
			return err
		}
	}
	task, err := jobs.NewRegisterWebhooksTask(c.AccountID, c.ID)
	if err != nil {
		return err
	}
	if _, err := r.Tasks.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
		return err
	}
	return nil
}

// keepWebhookSecret keeps the Shopify client secret stored for c when an update of its
// credentials leaves it out. (WooCommerce's is Ledgerlink's own and is replaced when the
// webhooks are registered again.)
func (r *Resolver) keepWebhookSecret(c *db.StoreConnection, creds *ordersync.Credentials) {
	if c.Channel != "shopify" || creds.WebhookSecret != "" || r.Sealer == nil {
		return
	}
	old, err := ordersync.OpenCredentials(c.Credentials, func(b []byte) ([]byte, error) { return r.Sealer.Open(b, db.CredentialsAAD(c.ID)) })
	if err == nil {
		creds.WebhookSecret = old.WebhookSecret
	}
}
