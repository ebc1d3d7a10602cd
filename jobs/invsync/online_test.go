package invsync_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
)

// onlineRig is an account with a simulated QuickBooks Online company (real OAuth tokens,
// client and limiter) and a Shopify store posting to it with inventory sync on, pushed by the
// real inventory:push handler.
type onlineRig struct {
	t       *testing.T
	d       *db.DB
	sim     *qbosim.Server
	api     string // the simulator's base URL
	conn    *db.QBOConnection
	shop    *db.StoreConnection
	shopSim *shopifysim.Server
	det     *invsync.Detector
	h       *jobs.Handlers
}

func newOnlineRig(t *testing.T) *onlineRig {
	t.Helper()
	ctx := context.Background()
	r := &onlineRig{t: t, d: dbtest.DB(t)}
	acct := dbtest.Account(t, r.d)
	// A realm of its own: the limiter's windows in Redis are per realm.
	r.sim = qbosim.New(qbosim.Options{Realm: strconv.FormatInt(time.Now().UnixNano(), 10)})
	srv := httptest.NewServer(r.sim)
	t.Cleanup(func() { srv.Close(); r.sim.Close() })
	r.api = srv.URL
	sealer := dbtest.Sealer(t)
	access, refresh := r.sim.IssueTokens()
	r.conn = &db.QBOConnection{AccountID: acct.ID, Name: "Online", RealmID: r.sim.Realm(), Status: db.QBOStatusConnected}
	if err := r.d.SaveQBOConnection(ctx, sealer, r.conn, db.QBOTokens{Access: access, Refresh: refresh,
		AccessExpiresAt: time.Now().Add(time.Hour), RefreshExpiresAt: time.Now().Add(100 * 24 * time.Hour)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	tokens := &qbo.Tokens{DB: r.d, Sealer: sealer, Config: qbo.Config{ClientID: r.sim.ClientID(), ClientSecret: r.sim.ClientSecret(),
		TokenURL: srv.URL + "/oauth2/v1/tokens/bearer", APIURL: srv.URL}}
	limiter := qbo.NewLimiter(dbtest.Redis(t))

	r.shopSim = shopifysim.New(shopifysim.Options{AccessToken: "shpat_test"})
	shopSrv := httptest.NewServer(r.shopSim)
	t.Cleanup(func() { shopSrv.Close(); r.shopSim.Close() })
	creds, _ := json.Marshal(ordersync.Credentials{AccessToken: "shpat_test"})
	s := orders.DefaultSettings()
	s.Inventory = orders.InventorySettings{Enabled: true}
	raw, _ := json.Marshal(s)
	r.shop = &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: "Shop", BaseURL: shopSrv.URL,
		QBOConnectionID: &r.conn.ID, Enabled: true, Settings: raw}
	if err := r.d.CreateStoreConnection(ctx, r.shop, sealer, creds); err != nil {
		t.Fatal(err)
	}
	r.det = &invsync.Detector{DB: r.d, Rules: rules.NewLoader(r.d),
		Online: func(ctx context.Context, accountID, id int64) (*qbo.Client, error) {
			// The client's waits between tries are not slept: retries are counted, not timed.
			return qbo.NewClient(qbo.Options{APIURL: r.api, Realm: r.sim.Realm(), Tokens: tokens.For(accountID, id), Limiter: limiter,
				Sleep: func(context.Context, time.Duration) error { return nil }})
		}}
	r.h = &jobs.Handlers{DB: r.d, Log: slog.New(slog.DiscardHandler), Redis: dbtest.Redis(t), Sealer: sealer, Detector: r.det}
	return r
}

// detect runs one detection of the company, as the inventory:detect-qbo task does.
func (r *onlineRig) detect() {
	r.t.Helper()
	r.run(jobs.NewInventoryDetectOnlineTask(jobs.InventoryDetectOnlinePayload{AccountID: r.conn.AccountID, QBOConnectionID: r.conn.ID}))
}

// push runs the store connection's inventory:push task.
func (r *onlineRig) push() {
	r.t.Helper()
	r.run(jobs.NewInventoryPushTask(jobs.InventoryPushPayload{AccountID: r.shop.AccountID, StoreConnectionID: r.shop.ID}))
}

// run handles task as a worker would.
func (r *onlineRig) run(task *asynq.Task, err error) {
	r.t.Helper()
	if err == nil {
		err = jobs.NewMux(r.h).ProcessTask(context.Background(), task)
	}
	if err != nil {
		r.t.Fatal(err)
	}
}

// storeStock is the Shopify store's quantity of sku.
func (r *onlineRig) storeStock(sku string) int {
	r.t.Helper()
	got, ok := r.shopSim.InventoryAt(sku, r.shopSim.Locations()[0].ID)
	if !ok {
		r.t.Fatalf("Shopify has no %s", sku)
	}
	return got
}

// item creates an inventory item in the QuickBooks Online company, as a merchant would.
func (r *onlineRig) item(name string, onHand float64) string {
	r.t.Helper()
	o, err := r.sim.Create(qbosim.KindItem, qbosim.Object{"Name": name, "Sku": name, "Type": "Inventory", "TrackQtyOnHand": true,
		"QtyOnHand": onHand, "InvStartDate": "2026-01-01", "IncomeAccountRef": map[string]any{"value": qbosim.SalesIncomeAccountID},
		"ExpenseAccountRef": map[string]any{"value": "80"}, "AssetAccountRef": map[string]any{"value": "81"}})
	if err != nil {
		r.t.Fatal(err)
	}
	return o["Id"].(string)
}

// txn enters a sale, refund receipt or credit memo of qty units of item at 10.00 each in
// QuickBooks Online, as the merchant (or another app) would.
func (r *onlineRig) txn(kind, itemID string, qty int) {
	r.t.Helper()
	line := map[string]any{"DetailType": "SalesItemLineDetail", "Amount": float64(qty) * 10,
		"SalesItemLineDetail": map[string]any{"ItemRef": map[string]any{"value": itemID}, "Qty": qty, "UnitPrice": 10}}
	o := qbosim.Object{"Line": []any{line}}
	if kind == qbosim.KindCreditMemo {
		c, err := r.sim.Create(qbosim.KindCustomer, qbosim.Object{"DisplayName": "Walk-in " + strconv.FormatInt(time.Now().UnixNano(), 36)})
		if err != nil {
			r.t.Fatal(err)
		}
		o["CustomerRef"] = map[string]any{"value": c["Id"]}
	}
	if kind == qbosim.KindRefundReceipt {
		o["DepositToAccountRef"] = map[string]any{"value": qbosim.CheckingAccountID}
	}
	if _, err := r.sim.Create(kind, o); err != nil {
		r.t.Fatalf("%s: %v", kind, err)
	}
}

func (r *onlineRig) cdcCalls() int {
	n := 0
	for _, rq := range r.sim.Requests() {
		if strings.HasSuffix(rq.Path, "/cdc") && strings.Contains(rq.Query, "entities=Item") {
			n++
		}
	}
	return n
}

// Seed 002's redwine: twenty on hand in QuickBooks Online. The first detection reads every item
// and the store gets 20; a sale of five lowers QuickBooks to 15 and change data capture brings
// 15 to the store; a refund receipt of two (17) and a credit memo of one (18) raise it and the
// store follows. Expected quantities are counted by hand from those transactions.
func TestQuickBooksOnlineStockReachesTheStore(t *testing.T) {
	r := newOnlineRig(t)
	redwine := r.item("redwine", 20)
	r.item("whitewine", 7)
	for _, sku := range []string{"redwine", "whitewine"} {
		if _, err := r.shopSim.AddProduct(shopifysim.Product{Title: sku, Variants: []shopifysim.Variant{{SKU: sku, Title: sku, Price: 100}}}); err != nil {
			t.Fatal(err)
		}
	}

	r.detect()
	if n := r.cdcCalls(); n != 0 {
		t.Fatalf("the first detection used change data capture %d times; it reads every item", n)
	}
	r.push()
	if got := r.storeStock("redwine"); got != 20 {
		t.Fatalf("store redwine after the first read: %d, want 20", got)
	}
	if got := r.storeStock("whitewine"); got != 7 {
		t.Fatalf("store whitewine after the first read: %d, want 7", got)
	}

	steps := []struct {
		kind string
		qty  int
		want int
	}{
		{qbosim.KindSalesReceipt, 5, 15},
		{qbosim.KindRefundReceipt, 2, 17},
		{qbosim.KindCreditMemo, 1, 18},
	}
	for i, st := range steps {
		r.txn(st.kind, redwine, st.qty)
		r.detect()
		if n := r.cdcCalls(); n != i+1 {
			t.Fatalf("after the %s: %d change data capture reads, want %d", st.kind, n, i+1)
		}
		r.push()
		if got := r.storeStock("redwine"); got != st.want {
			t.Fatalf("store redwine after a %s of %d: %d, want %d", st.kind, st.qty, got, st.want)
		}
	}
	if got := r.storeStock("whitewine"); got != 7 {
		t.Errorf("store whitewine (untouched): %d, want 7", got)
	}
	rows, err := db.ListInventoryUpdates(context.Background(), dbtest.SQL(t), r.shop.AccountID,
		db.InventoryUpdateFilter{StoreConnectionID: r.shop.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range rows {
		if u.SKU == "redwine" && (u.TargetQuantity != 18 || u.QBListID != redwine) {
			t.Errorf("queue row %+v, want redwine 18 from item %s", u, redwine)
		}
	}
}

// reads counts the simulator's answered reads of path (e.g. "/cdc", "/query").
func (r *onlineRig) reads(path string) int {
	n := 0
	for _, rq := range r.sim.Requests() {
		if strings.HasSuffix(rq.Path, path) && rq.Status == 200 {
			n++
		}
	}
	return n
}

// A change data capture read that QuickBooks Online keeps failing (503 on every try) loses
// nothing: the detection fails with the reason in the sync log, the queue and the watermark
// stay, and the next detection reads the same window and brings the sale to the store. A
// watermark older than change data capture's 30 days makes a full read instead.
func TestQuickBooksOnlineFailedReadLosesNothing(t *testing.T) {
	r := newOnlineRig(t)
	ctx := context.Background()
	redwine := r.item("redwine", 20)
	if _, err := r.shopSim.AddProduct(shopifysim.Product{Title: "redwine", Variants: []shopifysim.Variant{{SKU: "redwine", Title: "redwine", Price: 100}}}); err != nil {
		t.Fatal(err)
	}
	r.detect()
	r.push()
	before, err := db.GetInventoryWatermarkOf(ctx, dbtest.SQL(t), r.conn.AccountID, db.OnlineCompany(r.conn.ID))
	if err != nil || before.ChangesThrough.IsZero() {
		t.Fatalf("watermark after the first read: %+v, %v", before, err)
	}

	r.txn(qbosim.KindSalesReceipt, redwine, 5)
	r.sim.FailNext(3, qbosim.Injected{Status: 503, PathContains: "/cdc"})
	task, err := jobs.NewInventoryDetectOnlineTask(jobs.InventoryDetectOnlinePayload{AccountID: r.conn.AccountID, QBOConnectionID: r.conn.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.NewMux(r.h).ProcessTask(ctx, task); err == nil {
		t.Fatal("a detection whose every read failed succeeded")
	}
	var logged int
	if err := dbtest.SQL(t).NewRaw(`SELECT count(*) FROM sync_logs WHERE account_id = ? AND source = 'inventory' AND level = 'error'
		AND message LIKE 'Reading inventory from QuickBooks Online failed:%'`, r.conn.AccountID).Scan(ctx, &logged); err != nil {
		t.Fatal(err)
	}
	if logged != 1 {
		t.Errorf("%d failure lines in the sync log, want 1", logged)
	}
	after, err := db.GetInventoryWatermarkOf(ctx, dbtest.SQL(t), r.conn.AccountID, db.OnlineCompany(r.conn.ID))
	if err != nil || !after.ChangesThrough.Equal(before.ChangesThrough) {
		t.Fatalf("watermark moved on a failed read: %v → %v (%v)", before.ChangesThrough, after.ChangesThrough, err)
	}
	r.push()
	if got := r.storeStock("redwine"); got != 20 {
		t.Fatalf("store redwine after the failed read: %d, want 20 (unchanged)", got)
	}
	r.detect()
	r.push()
	if got := r.storeStock("redwine"); got != 15 {
		t.Fatalf("store redwine after the read that worked: %d, want 15", got)
	}

	if _, err := dbtest.SQL(t).NewRaw(`UPDATE inventory_watermarks SET changes_through = now() - interval '31 days',
		full_snapshot_at = now() - interval '31 days' WHERE qbo_connection_id = ?`, r.conn.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	cdc, queries := r.reads("/cdc"), r.reads("/query")
	r.txn(qbosim.KindSalesReceipt, redwine, 1)
	r.detect()
	if r.reads("/cdc") != cdc || r.reads("/query") != queries+1 {
		t.Errorf("a 31-day-old watermark: %d change data capture reads and %d queries, want 0 and 1 (a full read)",
			r.reads("/cdc")-cdc, r.reads("/query")-queries)
	}
	r.push()
	if got := r.storeStock("redwine"); got != 14 {
		t.Fatalf("store redwine after the full read: %d, want 14", got)
	}
}
