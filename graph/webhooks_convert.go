package graph

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
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

// saveStoreConnection writes cols of c. creds, when set ("credentials" among cols), are the
// merchant's new credentials: they are sealed against the row as it is when written, keeping
// the webhook signing secret stored then (keepWebhookSecret), not as read before the store was
// checked — a registration of the webhooks running meanwhile may have stored WooCommerce's.
func (r *Resolver) saveStoreConnection(ctx context.Context, c *db.StoreConnection, creds *ordersync.Credentials, cols []string) error {
	if creds == nil {
		return r.DB.UpdateStoreConnection(ctx, c, cols...)
	}
	if rest := slices.DeleteFunc(slices.Clone(cols), func(col string) bool { return col == "credentials" }); len(rest) > 0 {
		if err := r.DB.UpdateStoreConnection(ctx, c, rest...); err != nil {
			return err
		}
	}
	return r.DB.ChangeStoreCredentials(ctx, c.AccountID, c.ID, func(cur *db.StoreConnection) error {
		r.keepWebhookSecret(cur, creds)
		plain, _ := json.Marshal(creds)
		cur.Credentials = r.Sealer.Seal(plain, db.CredentialsAAD(cur.ID))
		c.Credentials = cur.Credentials
		return nil
	})
}

// keepWebhookSecret keeps the webhook signing secret stored for c when an update of its
// credentials leaves it out: Shopify's client secret, given by the merchant, and WooCommerce's,
// Ledgerlink's own — the webhooks the store has are signed with it until they are registered
// again, and the registration an update asks for is dropped while another one runs.
func (r *Resolver) keepWebhookSecret(c *db.StoreConnection, creds *ordersync.Credentials) {
	if creds.WebhookSecret != "" || r.Sealer == nil {
		return
	}
	old, err := ordersync.OpenCredentials(c.Credentials, func(b []byte) ([]byte, error) { return r.Sealer.Open(b, db.CredentialsAAD(c.ID)) })
	if err == nil {
		creds.WebhookSecret = old.WebhookSecret
	}
}
