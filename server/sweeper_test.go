package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
)

// lossyTransport delivers requests until lose is set, then fails them: a store's webhook that
// never arrives.
type lossyTransport struct{ lose atomic.Bool }

func (l *lossyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if l.lose.Load() {
		return nil, errors.New("lossyTransport: the webhook was lost on the way")
	}
	return http.DefaultTransport.RoundTrip(r)
}

type missedView struct {
	MissedOrders struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ID, Number, ExternalID, Cause, Day string
				Order                              *struct{ State string }
			}
		}
	}
}

// TestSweeperFindsMissedOrdersAndResyncsOnce (issue 16): yesterday's Shopify orders that
// Ledgerlink never received — one whose webhook was lost and that a pull window skipped (its
// update time is older than the cursor), one whose webhook was lost with no pull since — are
// found by the daily sweep (asked on demand through GraphQL, run by the workers); the
// one-click resync reads them through the normal path and the Web Connector posts each exactly
// once, however often resync is clicked.
func TestSweeperFindsMissedOrdersAndResyncsOnce(t *testing.T) {
	app, srv := hookedApp(t)
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	qc := fixtureQBD(t, app.DB, owner.AccountID, "wc-sweep-"+strconv.FormatInt(owner.AccountID, 10))
	lossy := &lossyTransport{}
	shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_sweep", AppSecret: "shpss_sweep_secret", Seed: 5, RestoreRate: 100000,
		WebhookClient: &http.Client{Transport: lossy, Timeout: 5 * time.Second}, WebhookAttempts: 1, WebhookBackoff: time.Millisecond})
	t.Cleanup(shop.Close)
	store := httptest.NewServer(shop)
	t.Cleanup(store.Close)
	var created struct{ CreateStoreConnection struct{ ID string } }
	c.mustGQL(`mutation($in: CreateStoreConnectionInput!) { createStoreConnection(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"channel": "SHOPIFY", "name": "Shop", "baseUrl": store.URL, "quickBooksConnectionId": strconv.FormatInt(qc.ID, 10),
		"credentials": map[string]any{"accessToken": "shpat_sweep", "webhookSecret": "shpss_sweep_secret"}}}, &created)
	storeID := created.CreateStoreConnection.ID
	connID, _ := strconv.ParseInt(storeID, 10, 64)
	eventually(t, "orders/create webhook registered", func() bool { return len(shop.Subscriptions()["orders/create"]) == 1 })

	ours := func(externalID string) *db.Order {
		var rows []db.Order
		if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ? AND external_id = ?", connID, externalID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			return nil
		}
		return &rows[0]
	}
	pull := func() {
		t.Helper()
		before, err := app.DB.GetStoreConnection(ctx, owner.AccountID, connID)
		if err != nil {
			t.Fatal(err)
		}
		task, _ := jobs.NewPullTask(jobs.PullPayload{AccountID: owner.AccountID, ConnectionID: connID, Manual: true})
		// A pull is unique while queued or running, and the previous one writes LastSyncAt just
		// before its handler returns and asynq lets its uniqueness go: a loaded machine can see
		// "task already exists" here for a moment (a clean CI run did).
		eventually(t, "the pull queued", func() bool {
			_, err := app.tasks.EnqueueContext(ctx, task)
			if err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
				t.Fatal(err)
			}
			return err == nil
		})
		eventually(t, "the pull finished", func() bool {
			after, err := app.DB.GetStoreConnection(ctx, owner.AccountID, connID)
			return err == nil && after.LastSyncAt != nil && (before.LastSyncAt == nil || after.LastSyncAt.After(*before.LastSyncAt))
		})
	}
	company := qbdsim.New(qbdsim.Config{ValidateSchema: true})
	if err := company.Seed(); err != nil {
		t.Fatal(err)
	}
	wc := &qbdsim.WebConnector{URL: srv.URL + "/qbwc", Username: qc.WCUsername, Password: "qbwc-password", Company: company, NoOpWait: time.Millisecond}
	postAll := func(orders ...shopifysim.Order) {
		t.Helper()
		for range 10 {
			if _, err := wc.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(orders, func(o shopifysim.Order) bool {
				row := ours(strconv.FormatInt(o.ID, 10))
				return row == nil || row.State != db.OrderPosted
			}) {
				return
			}
		}
		t.Fatal("orders not posted after 10 Web Connector runs")
	}

	yesterday := jobs.LastClosedDay(time.Now())
	line := []shopifysim.LineItem{{SKU: "SWEEP-1", Title: "Swept mug", Quantity: 1, UnitPrice: 900}}
	// Control: yesterday's order whose webhook arrives is posted and is no gap.
	arrived, err := shop.AddOrder(shopifysim.Order{Email: "ok@example.com", CreatedAt: yesterday.Add(9 * time.Hour), LineItems: line})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the webhook's order stored", func() bool { return ours(strconv.FormatInt(arrived.ID, 10)) != nil })
	pull() // the cursor now stands at the present

	// Webhooks get lost from here on.
	lossy.lose.Store(true)
	skipped, err := shop.AddOrder(shopifysim.Order{Email: "skipped@example.com", CreatedAt: yesterday.Add(10 * time.Hour), LineItems: line})
	if err != nil {
		t.Fatal(err)
	}
	pull() // its window starts after the order's last update: the pull skips it
	if ours(strconv.FormatInt(skipped.ID, 10)) != nil {
		t.Fatal("the pull was expected to skip the back-dated order")
	}
	lost, err := shop.AddOrder(shopifysim.Order{Email: "lost@example.com", CreatedAt: yesterday.Add(23*time.Hour + 30*time.Minute), LineItems: line})
	if err != nil {
		t.Fatal(err)
	}
	if err := shop.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	if ours(strconv.FormatInt(lost.ID, 10)) != nil {
		t.Fatal("the order whose webhook was lost arrived anyway")
	}
	lossy.lose.Store(false)
	postAll(arrived)

	// The sweep, asked on demand, finds both and nothing else.
	var ok struct{ SweepMissedOrders bool }
	c.mustGQL(`mutation($id: ID!) { sweepMissedOrders(storeConnectionId: $id) }`, map[string]any{"id": storeID}, &ok)
	missed := func() missedView {
		var v missedView
		c.mustGQL(`query($id: ID) { missedOrders(storeConnectionId: $id) { totalCount edges { node { id number externalId cause day order { state } } } } }`,
			map[string]any{"id": storeID}, &v)
		return v
	}
	eventually(t, "the sweep's gaps", func() bool { return missed().MissedOrders.TotalCount > 0 })
	v := missed()
	want := map[string]bool{strconv.FormatInt(skipped.ID, 10): true, strconv.FormatInt(lost.ID, 10): true}
	var ids []string
	for _, e := range v.MissedOrders.Edges {
		n := e.Node
		if !want[n.ExternalID] || n.Cause != "NOT_RECEIVED" || n.Day != yesterday.Format(time.DateOnly) || n.Order != nil {
			t.Fatalf("unexpected gap %+v", n)
		}
		ids = append(ids, n.ID)
	}
	if len(ids) != 2 {
		t.Fatalf("gaps = %+v, want the skipped and the lost order", v.MissedOrders.Edges)
	}
	var ov struct {
		Overview struct {
			Sweeps []struct {
				Day                                         string
				StoreCount, OurCount, PostedCount, GapCount int
				Store                                       struct{ ID string }
			}
		}
	}
	c.mustGQL(`{ overview { sweeps { day storeCount ourCount postedCount gapCount store { id } } } }`, nil, &ov)
	if s := ov.Overview.Sweeps; len(s) != 1 || s[0].Store.ID != storeID || s[0].StoreCount != 3 || s[0].OurCount != 1 || s[0].PostedCount != 1 || s[0].GapCount != 2 {
		t.Fatalf("sweeps = %+v, want 3 in the store, 1 ours, 1 posted, 2 gaps", s)
	}

	// One click resyncs both; a second click while they are on their way adds nothing.
	resync := func() int {
		var out struct{ ResyncMissedOrders int }
		c.mustGQL(`mutation($ids: [ID!]!) { resyncMissedOrders(ids: $ids) }`, map[string]any{"ids": ids}, &out)
		return out.ResyncMissedOrders
	}
	if n := resync(); n != 2 {
		t.Fatalf("resync answered %d, want 2", n)
	}
	eventually(t, "the missed orders stored", func() bool {
		return ours(strconv.FormatInt(skipped.ID, 10)) != nil && ours(strconv.FormatInt(lost.ID, 10)) != nil
	})
	resync()
	postAll(skipped, lost)
	if n := resync(); n != 0 {
		t.Fatalf("resync after posting answered %d, want 0", n)
	}
	if _, err := wc.Run(ctx); err != nil {
		t.Fatal(err)
	}
	for _, o := range []shopifysim.Order{arrived, skipped, lost} {
		if txns := company.Txns("SalesReceipt", strconv.Itoa(o.Number)); len(txns) != 1 {
			t.Errorf("order %d: %d sales receipts in QuickBooks, want 1", o.Number, len(txns))
		}
	}
	if v := missed(); v.MissedOrders.TotalCount != 0 {
		t.Fatalf("gaps left after the resync: %+v", v.MissedOrders.Edges)
	}
}
