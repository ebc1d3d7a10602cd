package jobs

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// failingSource is a store whose order listing fails with err.
type failingSource struct{ err error }

func (s failingSource) Check(context.Context) error { return nil }
func (s failingSource) Orders(context.Context, ordersync.Query, func([]ordersync.Fetched) error) error {
	return s.err
}

// TestPullReturnsTheFailingStepsError: whichever step of a pull fails — building the store
// client, or reading the orders — its error is what the task handler returns (wrapped, so
// errors.Is finds it and asynq retries), and the connection records it for the SPA.
func TestPullReturnsTheFailingStepsError(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	acct := dbtest.Account(t, d)
	sealer := dbtest.Sealer(t)
	unavailable := errors.New("shopify: the store answered 503 Service Unavailable")
	badToken := errors.New("shopify: the access token was refused")
	cases := []struct {
		name    string
		sources ordersync.Sources
		want    error
		// wantText is the handler's whole error, %d the connection id.
		wantText string
	}{{
		name: "reading orders",
		sources: func(string, string, ordersync.Credentials) (ordersync.Source, error) {
			return failingSource{err: unavailable}, nil
		},
		want:     unavailable,
		wantText: "jobs: pull from Main Street (connection %d): shopify: the store answered 503 Service Unavailable",
	}, {
		name: "building the client",
		sources: func(string, string, ordersync.Credentials) (ordersync.Source, error) {
			return nil, badToken
		},
		want:     badToken,
		wantText: "jobs: pull from Main Street (connection %d): shopify: the access token was refused",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: "Main Street", BaseURL: "https://main-street.example",
				Enabled: true, Settings: ordersync.DefaultSettingsJSON()}
			if err := d.CreateStoreConnection(ctx, conn, sealer, []byte(`{"accessToken":"shpat_x"}`)); err != nil {
				t.Fatal(err)
			}
			h := &Handlers{DB: d, Log: quiet, Redis: dbtest.Redis(t), Pipeline: &ordersync.Pipeline{DB: d, Log: quiet},
				Sources: c.sources, Sealer: sealer}
			task, err := NewPullTask(PullPayload{AccountID: acct.ID, ConnectionID: conn.ID})
			if err != nil {
				t.Fatal(err)
			}
			err = h.HandlePull(ctx, task)
			if !errors.Is(err, c.want) {
				t.Fatalf("HandlePull = %v, want an error wrapping %q", err, c.want)
			}
			if want := fmt.Sprintf(c.wantText, conn.ID); err.Error() != want {
				t.Errorf("HandlePull = %q, want %q", err, want)
			}
			got, err := d.GetStoreConnection(ctx, acct.ID, conn.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.LastSyncError != c.want.Error() || got.LastSyncAt != nil {
				t.Errorf("connection records last sync error %q (last sync %v), want %q and no sync", got.LastSyncError, got.LastSyncAt, c.want)
			}
			prog, ok, err := ordersync.LoadProgress(ctx, h.Redis, conn.ID)
			if err != nil || !ok || prog.State != ordersync.ProgressFailed || prog.Error != c.want.Error() {
				t.Errorf("progress = %+v, %v, %v; want failed with %q", prog, ok, err, c.want)
			}
		})
	}
}
