package jobs

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// Task types of store webhooks.
const (
	// TypeWebhookOrder reads what one accepted store webhook names and ingests it.
	TypeWebhookOrder = "orders:webhook"
	// TypeWebhooksRegister (re-)registers one store connection's webhooks.
	TypeWebhooksRegister = "webhooks:register"
	// TypeWebhooksEnsure queues a registration for every enabled connection that has none.
	TypeWebhooksEnsure = "webhooks:ensure"
)

// WebhookPath is where stores deliver webhooks: WebhookPath + "<channel>/<token>".
const WebhookPath = "/webhooks/"

// WebhookOrderPayload names the connection and what its webhook said changed.
type WebhookOrderPayload struct {
	AccountID    int64            `json:"accountId"`
	ConnectionID int64            `json:"connectionId"`
	Topic        string           `json:"topic"`
	Notice       ordersync.Notice `json:"notice"`
}

func (p WebhookOrderPayload) connection() (accountID, connectionID int64) {
	return p.AccountID, p.ConnectionID
}

// NewWebhookOrderTask returns the pull of what one webhook names. It is not Unique: a second
// webhook for an order being read must read it again (pulls are idempotent).
func NewWebhookOrderTask(p WebhookOrderPayload) (*asynq.Task, error) {
	return newTask(TypeWebhookOrder, "webhook", p, asynq.Queue(QueueDefault), asynq.MaxRetry(8), asynq.Timeout(5*time.Minute))
}

// HandleWebhookOrder reads the order (or ShipStation resource) the webhook named from the
// store's API and ingests it through the pipeline (ordersync.Pipeline.PullNotice). A
// connection deleted or disabled since is skipped.
func (h *Handlers) HandleWebhookOrder(ctx context.Context, t *asynq.Task) error {
	var p WebhookOrderPayload
	conn, err := h.taskConnection(ctx, t, "webhook", &p)
	if err != nil {
		return err
	}
	if !conn.Enabled {
		return nil
	}
	src, err := h.source(conn)
	if err != nil {
		return fmt.Errorf("jobs: webhook from %s: %w", conn.Name, err)
	}
	st, err := h.Pipeline.PullNotice(ctx, conn, src, p.Notice)
	if err != nil {
		return fmt.Errorf("jobs: webhook %s from %s (connection %d): %w", p.Topic, conn.Name, conn.ID, err)
	}
	h.Log.DebugContext(ctx, "jobs: webhook pulled", "connection", conn.ID, "topic", p.Topic, "new", st.New, "updated", st.Updated, "queued", st.Queued)
	return nil
}

// RegisterPayload names the connection whose webhooks to register.
type RegisterPayload struct {
	AccountID    int64 `json:"accountId"`
	ConnectionID int64 `json:"connectionId"`
}

func (p RegisterPayload) connection() (accountID, connectionID int64) {
	return p.AccountID, p.ConnectionID
}

// NewRegisterWebhooksTask returns a registration of one connection's webhooks (Unique for a
// minute: saving a connection twice registers once).
func NewRegisterWebhooksTask(accountID, connectionID int64) (*asynq.Task, error) {
	return newTask(TypeWebhooksRegister, "register webhooks", RegisterPayload{AccountID: accountID, ConnectionID: connectionID},
		asynq.Queue(QueueDefault), asynq.MaxRetry(3), asynq.Timeout(2*time.Minute), asynq.Unique(time.Minute))
}

// HandleRegisterWebhooks replaces a connection's webhooks: it removes those registered before,
// then, for an enabled connection, makes a new delivery address (a fresh token, so the old
// address stops working) and registers each of the channel's topics with it. Each topic's
// outcome is stored for the connection's page (db.StoreWebhook) and a summary goes to the
// account's log. It fails (and is retried) only when Ledgerlink itself cannot proceed; a store
// that refuses a subscription is recorded as failed with what to do.
func (h *Handlers) HandleRegisterWebhooks(ctx context.Context, t *asynq.Task) error {
	conn, err := h.taskConnection(ctx, t, "register webhooks", &RegisterPayload{})
	if err != nil {
		return err
	}
	return h.registerWebhooks(ctx, conn)
}

func (h *Handlers) registerWebhooks(ctx context.Context, conn *db.StoreConnection) error {
	if h.Webhooks == nil || h.PublicURL == "" {
		return fmt.Errorf("jobs: register webhooks: no public URL to receive them: %w", asynq.SkipRetry)
	}
	topics := channels.WebhookTopics[conn.Channel]
	save := func(topic, state, externalID, msg string) error {
		return h.DB.SaveStoreWebhook(ctx, &db.StoreWebhook{ConnectionID: conn.ID, AccountID: conn.AccountID, Topic: topic, State: state,
			ExternalID: externalID, Message: msg})
	}
	creds, err := h.credentials(conn)
	if err != nil {
		for _, topic := range topics {
			if serr := save(topic, db.WebhookFailed, "", err.Error()); serr != nil {
				return serr
			}
		}
		return nil
	}
	sub, err := h.Webhooks(conn.Channel, conn.BaseURL, creds)
	if err != nil {
		return fmt.Errorf("jobs: register webhooks of %d: %w", conn.ID, err)
	}
	// Remove what was registered before, so a store never delivers twice to two addresses.
	old, err := h.DB.ListStoreWebhooks(ctx, conn.AccountID, conn.ID)
	if err != nil {
		return err
	}
	for _, w := range old {
		if w.ExternalID == "" {
			continue
		}
		if err := sub.Unsubscribe(ctx, w.ExternalID); err != nil {
			h.Log.WarnContext(ctx, "jobs: remove old webhook", "connection", conn.ID, "topic", w.Topic, "err", err)
		}
	}
	if err := h.DB.DeleteStoreWebhooks(ctx, conn.AccountID, conn.ID); err != nil {
		return err
	}
	if !conn.Enabled {
		return nil
	}
	if conn.Channel == "shopify" && creds.WebhookSecret == "" {
		msg := "Shopify signs its webhooks with the app's client secret. Enter it (the app's API credentials, " +
			"“Client secret”) in this store's credentials and Ledgerlink registers the webhooks; until then the scheduled pulls bring the orders."
		for _, topic := range topics {
			if err := save(topic, db.WebhookManual, "", msg); err != nil {
				return err
			}
		}
		return nil
	}
	token, err := secretToken()
	if err != nil {
		return err
	}
	if conn.Channel == "woocommerce" {
		// WooCommerce lets the subscriber choose the signing secret: a fresh one per
		// registration, sealed with the other credentials before any delivery can arrive.
		if creds.WebhookSecret, err = secretToken(); err != nil {
			return err
		}
		if h.Sealer == nil {
			return fmt.Errorf("jobs: register webhooks: LEDGERLINK_SECRET_KEY is not set: %w", asynq.SkipRetry)
		}
		// Added to the credentials as they are now: the merchant may have saved new ones
		// while the old webhooks were being removed, and those stand.
		err = h.DB.ChangeStoreCredentials(ctx, conn.AccountID, conn.ID, func(c *db.StoreConnection) error {
			cur, err := h.credentials(c)
			if err != nil {
				return err
			}
			cur.WebhookSecret = creds.WebhookSecret
			plain, _ := json.Marshal(cur)
			c.Credentials = h.Sealer.Seal(plain, db.CredentialsAAD(c.ID))
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := h.DB.SetWebhookToken(ctx, conn.AccountID, conn.ID, token); err != nil {
		return err
	}
	url := strings.TrimRight(h.PublicURL, "/") + WebhookPath + conn.Channel + "/" + token
	var failed []string
	for _, topic := range topics {
		id, err := sub.Subscribe(ctx, topic, url, creds.WebhookSecret)
		if err != nil {
			failed = append(failed, topic)
			msg := "The store refused the subscription: " + err.Error() + ". Ledgerlink tries again when the connection is saved or on “Register webhooks”; scheduled pulls keep bringing the orders meanwhile."
			if serr := save(topic, db.WebhookFailed, "", msg); serr != nil {
				return serr
			}
			continue
		}
		if err := save(topic, db.WebhookActive, id, ""); err != nil {
			return err
		}
	}
	l := &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelInfo, Source: "webhooks",
		Message: fmt.Sprintf("Webhooks registered with %s (%s): new orders arrive within seconds.", conn.Name, strings.Join(topics, ", "))}
	if len(failed) > 0 {
		hint := "See the webhook states on the Connections page. Scheduled pulls keep bringing the orders."
		l.Level, l.Hint = db.LevelWarning, &hint
		l.Message = fmt.Sprintf("%s refused %d of %d webhooks (%s).", conn.Name, len(failed), len(topics), strings.Join(failed, ", "))
	}
	return h.DB.AddLog(ctx, l)
}

// HandleEnsureWebhooks queues a registration for every enabled connection whose webhooks were
// never registered (connections made before webhooks existed, the demo's).
func (h *Handlers) HandleEnsureWebhooks(ctx context.Context, _ *asynq.Task) error {
	if h.Webhooks == nil || h.PublicURL == "" {
		return nil
	}
	unregistered := func(ctx context.Context) ([]db.StoreConnection, error) {
		return h.DB.StoreConnectionsWithoutWebhooks(ctx, 100)
	}
	return scheduleEach(ctx, h.Client, "ensure webhooks", unregistered, func(c db.StoreConnection) (*asynq.Task, string, error) {
		task, err := NewRegisterWebhooksTask(c.AccountID, c.ID)
		return task, fmt.Sprintf("ensure webhooks of %d", c.ID), err
	})
}

// NewEnsureWebhooksTask returns the periodic check for connections without webhooks.
func NewEnsureWebhooksTask() *asynq.Task {
	return asynq.NewTask(TypeWebhooksEnsure, nil, asynq.Queue(QueueLow), asynq.MaxRetry(1), asynq.Unique(5*time.Minute))
}

// secretToken is 32 random bytes, URL-safe base64: unguessable in an address.
func secretToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("jobs: random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
