package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// TestInventoryPushTasksDrainBothStores runs inventory:push through a real asynq server on
// real Redis, with sealed credentials and the store simulators: two pushes of the same
// connection enqueued together run one after the other (the second continues later without
// counting a failure), and both stores end with the queued quantities.
func TestInventoryPushTasksDrainBothStores(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1") // the simulators listen on 127.0.0.1
	ctx := context.Background()
	d := dbtest.DB(t)
	rdb := dbtest.Redis(t)
	sealer, err := db.NewSealer("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_jobs"})
	woo := woosim.New(woosim.Options{ConsumerKey: "ck_jobs", ConsumerSecret: "cs_jobs"})
	shopSrv, wooSrv := httptest.NewServer(shop), httptest.NewServer(woo)
	defer shopSrv.Close()
	defer wooSrv.Close()
	defer shop.Close()
	var variants []shopifysim.Variant
	for i := range 30 {
		sku := fmt.Sprintf("JOB-%02d", i)
		variants = append(variants, shopifysim.Variant{SKU: sku, Title: sku, Price: 100})
		zero := 0
		if _, err := woo.AddProduct(woosim.Product{Name: sku, SKU: sku, Status: "publish", RegularPrice: "1.00", ManageStock: true, StockQuantity: &zero}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := shop.AddProduct(shopifysim.Product{Title: "Jobs", Variants: variants}); err != nil {
		t.Fatal(err)
	}

	var account int64
	if err := dbtest.SQL(t).NewRaw(`INSERT INTO accounts (name) VALUES (?) RETURNING id`, fmt.Sprintf("push %d", time.Now().UnixNano())).Scan(ctx, &account); err != nil {
		t.Fatal(err)
	}
	settings := json.RawMessage(`{"inventory":{"enabled":true}}`)
	shopC := &db.StoreConnection{AccountID: account, Channel: "shopify", Name: "Shop", BaseURL: shopSrv.URL, Settings: settings}
	if err := d.CreateStoreConnection(ctx, shopC, sealer, []byte(`{"accessToken":"shpat_jobs"}`)); err != nil {
		t.Fatal(err)
	}
	wooC := &db.StoreConnection{AccountID: account, Channel: "woocommerce", Name: "Woo", BaseURL: wooSrv.URL, Settings: settings}
	if err := d.CreateStoreConnection(ctx, wooC, sealer, []byte(`{"consumerKey":"ck_jobs","consumerSecret":"cs_jobs"}`)); err != nil {
		t.Fatal(err)
	}
	var targets []db.InventoryTarget
	for i := range 30 {
		for _, c := range []int64{shopC.ID, wooC.ID} {
			targets = append(targets, db.InventoryTarget{StoreConnectionID: c, SKU: fmt.Sprintf("JOB-%02d", i), Quantity: int64(3 * i)})
		}
	}
	if _, err := db.EnqueueInventoryUpdates(ctx, dbtest.SQL(t), account, targets); err != nil {
		t.Fatal(err)
	}

	opt, client := testTaskClient(t)
	startTestWorker(t, opt, &Handlers{DB: d, Log: quiet, Redis: rdb, Sealer: sealer}, 4)
	for _, c := range []int64{shopC.ID, wooC.ID, shopC.ID, wooC.ID} {
		if err := EnqueueInventoryPush(ctx, client, InventoryPushPayload{AccountID: account, StoreConnectionID: c}); err != nil {
			t.Fatal(err)
		}
	}

	insp := asynq.NewInspector(opt)
	defer insp.Close()
	deadline := time.Now().Add(40 * time.Second)
	for {
		rows, err := db.ListInventoryUpdates(ctx, dbtest.SQL(t), account, db.InventoryUpdateFilter{Statuses: []db.UpdateStatus{db.UpdateDone}, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		info, err := insp.GetQueueInfo(QueueDefault)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 60 && info.Size == 0 {
			if info.Failed != 0 || info.Archived != 0 {
				t.Errorf("queue %+v: a push counted as failed", info)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 40 s: %d of 60 rows done, queue %+v", len(rows), info)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i := range 30 {
		sku := fmt.Sprintf("JOB-%02d", i)
		s, _ := shop.InventoryAt(sku, shop.Locations()[0].ID)
		w, _ := woo.StockOf(sku)
		if s != 3*i || w != 3*i {
			t.Errorf("%s: Shopify %d, WooCommerce %d, want %d", sku, s, w, 3*i)
		}
	}
	// Each SKU pushed once per store although two tasks ran per connection.
	for _, c := range []int64{shopC.ID, wooC.ID} {
		l, err := db.ListInventoryPushLog(ctx, dbtest.SQL(t), account, db.PushLogFilter{StoreConnectionID: c, Limit: 1000})
		if err != nil || len(l) != 30 {
			t.Errorf("connection %d: %d push log entries (%v), want 30", c, len(l), err)
		}
	}
}
