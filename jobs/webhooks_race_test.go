package jobs

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// hookedSubscriber is a store's webhook API whose Unsubscribe runs during before the first
// call is answered, and which records the secrets subscriptions were made with.
type hookedSubscriber struct {
	once    sync.Once
	during  func()
	mu      sync.Mutex
	secrets []string
}

func (s *hookedSubscriber) Subscribe(_ context.Context, topic, _, secret string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets = append(s.secrets, secret)
	return "new-" + topic, nil
}

func (s *hookedSubscriber) Unsubscribe(context.Context, string) error {
	s.once.Do(s.during)
	return nil
}

// New WooCommerce credentials saved while a registration of the connection's webhooks is
// talking to the store are kept: the registration adds its signing secret to them. (Before,
// it wrote back the credentials it had read, with the secret: the merchant's new consumer key
// was lost and pulls went on with the old one.)
func TestCredentialsSavedDuringWebhookRegistrationAreKept(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	sealer := dbtest.Sealer(t)
	conn := dbtest.WooConnection(t, d, `{"consumerKey":"ck_old","consumerSecret":"cs_old"}`)
	if err := d.SaveStoreWebhook(ctx, &db.StoreWebhook{ConnectionID: conn.ID, AccountID: conn.AccountID, Topic: "order.created",
		State: db.WebhookActive, ExternalID: "41"}); err != nil {
		t.Fatal(err)
	}
	sub := &hookedSubscriber{during: func() {
		// The merchant saves new API keys (the updateStoreConnection mutation's write).
		c, err := d.GetStoreConnection(ctx, conn.AccountID, conn.ID)
		if err != nil {
			t.Error(err)
			return
		}
		c.Credentials = sealer.Seal([]byte(`{"consumerKey":"ck_new","consumerSecret":"cs_new"}`), db.CredentialsAAD(c.ID))
		if err := d.UpdateStoreConnection(ctx, c, "credentials"); err != nil {
			t.Error(err)
		}
	}}
	h := &Handlers{DB: d, Log: quiet, Sealer: sealer, PublicURL: "https://ledgerlink.example",
		Webhooks: func(string, string, ordersync.Credentials) (channels.Subscriber, error) { return sub, nil }}
	task, err := NewRegisterWebhooksTask(conn.AccountID, conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.HandleRegisterWebhooks(ctx, task); err != nil {
		t.Fatal(err)
	}

	got, err := d.GetStoreConnection(ctx, conn.AccountID, conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := sealer.Open(got.Credentials, db.CredentialsAAD(conn.ID))
	if err != nil {
		t.Fatal(err)
	}
	var creds ordersync.Credentials
	if err := json.Unmarshal(plain, &creds); err != nil {
		t.Fatal(err)
	}
	if creds.ConsumerKey != "ck_new" || creds.ConsumerSecret != "cs_new" {
		t.Errorf("stored consumer key %q secret %q, want the ones saved during the registration (ck_new, cs_new)", creds.ConsumerKey, creds.ConsumerSecret)
	}
	if len(sub.secrets) == 0 || creds.WebhookSecret == "" || creds.WebhookSecret != sub.secrets[0] {
		t.Errorf("stored webhook secret %q, subscriptions signed with %q: want the same", creds.WebhookSecret, sub.secrets)
	}
}
