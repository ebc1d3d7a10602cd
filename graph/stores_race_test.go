package graph

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// checkingSource is a store whose connection test runs during before it answers.
type checkingSource struct{ during func() }

func (s checkingSource) Check(context.Context) error { s.during(); return nil }
func (s checkingSource) Orders(context.Context, ordersync.Query, func([]ordersync.Fetched) error) error {
	return nil
}

// New WooCommerce API keys saved while a registration of the store's webhooks stores its
// signing secret (during the mutation's test of the keys) keep that secret: the webhooks the
// store now has are signed with it, and the re-registration the save asks for is dropped while
// that registration runs. (Before, the save wrote the keys alone, as read before the test:
// every delivery was refused for want of the secret.)
func TestWooKeysSavedDuringRegistrationKeepItsSecret(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	sealer := dbtest.Sealer(t)
	conn := dbtest.WooConnection(t, d, `{"consumerKey":"ck_old","consumerSecret":"cs_old"}`)
	open := func(c *db.StoreConnection) ordersync.Credentials {
		t.Helper()
		creds, err := ordersync.OpenCredentials(c.Credentials, func(b []byte) ([]byte, error) { return sealer.Open(b, db.CredentialsAAD(c.ID)) })
		if err != nil {
			t.Fatal(err)
		}
		return creds
	}
	r := &Resolver{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Sealer: sealer,
		Sources: func(string, string, ordersync.Credentials) (ordersync.Source, error) {
			return checkingSource{during: func() {
				// What the registration task stores before it subscribes the webhooks.
				if err := d.ChangeStoreCredentials(ctx, conn.AccountID, conn.ID, func(c *db.StoreConnection) error {
					creds := open(c)
					creds.WebhookSecret = "registered-secret"
					plain, _ := json.Marshal(creds)
					c.Credentials = sealer.Seal(plain, db.CredentialsAAD(c.ID))
					return nil
				}); err != nil {
					t.Error(err)
				}
			}}, nil
		}}
	who := auth.WithIdentity(ctx, &auth.Identity{AccountID: conn.AccountID, HomeAccountID: conn.AccountID, Role: db.RoleOwner})
	key, secret := "ck_new", "cs_new"
	if _, err := r.Mutation().UpdateStoreConnection(who, conn.ID, model.UpdateStoreConnectionInput{
		Credentials: &model.StoreCredentialsInput{ConsumerKey: &key, ConsumerSecret: &secret}}); err != nil {
		t.Fatal(err)
	}
	got, err := d.GetStoreConnection(ctx, conn.AccountID, conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if creds := open(got); creds.ConsumerKey != key || creds.ConsumerSecret != secret || creds.WebhookSecret != "registered-secret" {
		t.Errorf("stored key %q secret %q webhook secret %q; want the new keys and the registration's secret",
			creds.ConsumerKey, creds.ConsumerSecret, creds.WebhookSecret)
	}
}
