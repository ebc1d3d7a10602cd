package demo

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/server"
)

// onlineDemo serves the demo's simulated QuickBooks Online company and its Online shop, as
// `ledgerlink run` in demo mode does, and returns them with the sealer and the server config
// pointed at them.
func onlineDemo(t *testing.T) (*db.Sealer, *httptest.Server, *server.Config, *qbosim.Server, *shopifysim.Server) {
	t.Helper()
	t.Setenv(storenet.AllowPrivateEnv, "1") // the simulators listen on 127.0.0.1, as in demo mode
	sealer, _ := db.NewSealer("0123456789abcdef0123456789abcdef")
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg := &server.Config{Addr: strings.TrimPrefix(srv.URL, "http://"), PublicURL: srv.URL}
	file := filepath.Join(t.TempDir(), "demo-qbo-company.json")
	q, err := SimulatedQBO(cfg, file)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := OnlineShop(srv.URL, q)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle(SimQBOPath+"/", http.StripPrefix(SimQBOPath, q))
	mux.Handle("/sim/"+OnlineShopSim+"/", http.StripPrefix("/sim/"+OnlineShopSim, shop))
	return sealer, srv, cfg, q, shop.(*shopifysim.Server)
}

// onlineClients opens QuickBooks Online clients of the demo's companies, as the demo's workers do.
func onlineClients(d *db.DB, sealer *db.Sealer, cfg *server.Config) func(ctx context.Context, accountID, id int64) (*qbo.Client, error) {
	tokens := &qbo.Tokens{DB: d, Sealer: sealer, Config: cfg.QBO()}
	return func(ctx context.Context, accountID, id int64) (*qbo.Client, error) {
		return tokens.Client(ctx, accountID, id, nil)
	}
}

// TestDemoPostsToQuickBooksOnline: a demo run seeds the simulated QuickBooks Online company
// with the Online shop's catalogue (one inventory item per SKU, stocked), connects it to the
// demo account with sealed tokens and the Online shop posting to it — once, however often the
// demo starts — and the shop's orders post to that company through its real token and
// Accounting API endpoints, each one sale naming its QuickBooks Online Id, on the seeded items.
func TestDemoPostsToQuickBooksOnline(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	sealer, srv, cfg, q, shop := onlineDemo(t)

	// The catalogue: every SKU the shop sells, once, stocked (the fixture is the shop's own list).
	skus := map[string]bool{}
	for _, p := range shop.Products() {
		for _, v := range p.Variants {
			if v.SKU != "" {
				skus[v.SKU] = true
			}
		}
	}
	if len(skus) < 20 {
		t.Fatalf("the Online shop sells only %d SKUs", len(skus))
	}
	checkCatalogue := func() {
		t.Helper()
		bySKU := map[string]int{}
		for _, it := range q.Items() {
			if sku, _ := it["Sku"].(string); sku != "" {
				bySKU[sku]++
			}
		}
		for sku := range skus {
			if bySKU[sku] != 1 {
				t.Errorf("SKU %s: %d items in the QuickBooks Online company", sku, bySKU[sku])
			}
		}
	}
	checkCatalogue()
	tee, err := q.ItemBySku("TEE-BLK-S")
	if err != nil || tee["Type"] != "Inventory" || tee["QtyOnHand"] != float64(DemoQBOQtyOnHand) || tee["UnitPrice"] != 24.0 {
		t.Fatalf("TEE-BLK-S in QuickBooks Online: %v %v", tee, err)
	}

	o := Options{Email: "demo-qbo@ledgerlink.local", Password: "ledgerlink-demo", QBWCUsername: "demo-qbwc-qbo", QBWCPassword: "ledgerlink-demo-qbwc",
		Stores: &StoreOptions{PublicURL: srv.URL, Sealer: sealer, QBO: q}}
	acct, err := Seed(ctx, d, o)
	if err != nil {
		t.Fatal(err)
	}
	// Starting the demo again adds nothing: no second company, shop or item.
	if _, err := Seed(ctx, d, o); err != nil {
		t.Fatal(err)
	}
	if err := SeedQBOCatalogue(q, shop.Products()); err != nil {
		t.Fatal(err)
	}
	checkCatalogue()
	companies, err := d.ListQBOConnections(ctx, acct.ID, db.Page{Limit: db.MaxPageSize})
	if err != nil || len(companies.Items) != 1 {
		t.Fatalf("QuickBooks Online companies %+v %v", companies.Items, err)
	}
	qc := companies.Items[0]
	if qc.Status != db.QBOStatusConnected || qc.RealmID != q.Realm() || qc.Name != QBOConnectionName || qc.RefreshExpiresAt == nil {
		t.Fatalf("demo company %+v", qc)
	}
	toks, err := qc.OpenTokens(sealer)
	if err != nil || toks.Access == "" || strings.Contains(string(qc.AccessToken), toks.Access) || strings.Contains(string(qc.RefreshToken), toks.Refresh) {
		t.Fatalf("tokens not sealed at rest (%v)", err)
	}
	stores, err := d.ListStoreConnections(ctx, acct.ID, db.Page{Limit: db.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var conn *db.StoreConnection
	for i, c := range stores.Items {
		if c.Name == OnlineShopName {
			if conn != nil {
				t.Fatal("two Online shops")
			}
			conn = &stores.Items[i]
		}
	}
	if conn == nil || conn.QBOConnectionID == nil || *conn.QBOConnectionID != qc.ID || conn.QBDConnectionID != nil || conn.Channel != "shopify" {
		t.Fatalf("Online shop %+v", conn)
	}

	// The shop's orders post to the simulated company, as the demo's workers would send them.
	eng := &qbd.Engine{DB: d, Redis: dbtest.Redis(t)}
	p := &ordersync.Pipeline{DB: d, Engine: eng, Rules: rules.NewLoader(d)}
	p.Register(eng)
	p.Online = onlineClients(d, sealer, cfg)
	src, err := channels.Sources(conn.Channel, conn.BaseURL, ordersync.Credentials{AccessToken: onlineShopToken})
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Pull(ctx, conn, src, ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -3, 0), UpdatedTo: time.Now().Add(time.Hour)}, nil)
	if err != nil || st.New != DemoOrders {
		t.Fatalf("pulled %+v: %v", st, err)
	}
	for range 20 {
		if err := p.PostOnline(ctx, acct.ID, qc.ID); err != nil {
			t.Fatal(err)
		}
		n, err := d.CountQBOWork(ctx, acct.ID, qc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n[db.QBOWorkReady]+n[db.QBOWorkSending] == 0 {
			break
		}
	}
	var rows []db.Order
	if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", conn.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	sales := q.Txns(qbosim.KindSalesReceipt, "")
	if len(rows) != DemoOrders || len(sales) != DemoOrders {
		t.Fatalf("%d orders stored, %d sales receipts in QuickBooks Online; want %d of each", len(rows), len(sales), DemoOrders)
	}
	ids := map[string]bool{}
	for _, s := range sales {
		ids[s["Id"].(string)] = true
	}
	for _, row := range rows {
		id := row.StateReason[strings.LastIndex(row.StateReason, " ")+1:]
		if row.State != db.OrderPosted || !ids[strings.TrimSuffix(id, ".")] {
			t.Errorf("order %s: %s %q names no sale of the company", row.Number, row.State, row.StateReason)
		}
	}
	checkCatalogue() // the sales used the seeded items, created none for their SKUs
	sold := 0
	for _, it := range q.Items() {
		if qty, _ := it["QtyOnHand"].(float64); it["Sku"] != nil && qty < DemoQBOQtyOnHand {
			sold++
		}
	}
	if sold == 0 {
		t.Error("no seeded item's stock went down: the sales did not sell the catalogue")
	}
}

// TestDemoOnlineShopSyncsInventory: the demo's Online shop has inventory sync on, so a
// detection of the simulated QuickBooks Online company pushes the seeded items' quantities to
// it (the Inventory page's rows showing the company's quantity), and a sale entered in
// QuickBooks Online reaches it at the next (scheduled) detection. A
// demo database from before this, its shop still as the demo stored it, gets it turned on; a
// shop whose settings were changed since is left alone.
func TestDemoOnlineShopSyncsInventory(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	sealer, srv, cfg, q, shop := onlineDemo(t)
	o := Options{Email: "demo-qbo-inv@ledgerlink.local", Password: "ledgerlink-demo", QBWCUsername: "demo-qbwc-qbo-inv",
		QBWCPassword: "ledgerlink-demo-qbwc", Stores: &StoreOptions{PublicURL: srv.URL, Sealer: sealer, QBO: q}}
	acct, err := Seed(ctx, d, o)
	if err != nil {
		t.Fatal(err)
	}
	onlineShop := func() *db.StoreConnection {
		t.Helper()
		stores, err := d.ListStoreConnections(ctx, acct.ID, db.Page{Limit: db.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		for i := range stores.Items {
			if stores.Items[i].Name == OnlineShopName {
				return &stores.Items[i]
			}
		}
		t.Fatal("no Online shop")
		return nil
	}
	inventoryOn := func(c *db.StoreConnection) bool {
		t.Helper()
		var s orders.Settings
		if err := json.Unmarshal(c.Settings, &s); err != nil {
			t.Fatal(err)
		}
		if err := s.WithDefaults().Validate(); err != nil {
			t.Errorf("settings do not validate: %v", err)
		}
		return s.Inventory.Enabled
	}
	conn := onlineShop()
	if !inventoryOn(conn) || conn.QBOConnectionID == nil {
		t.Fatalf("Online shop %+v: inventory sync off or no company", conn)
	}

	h := &jobs.Handlers{DB: d, Log: slog.New(slog.DiscardHandler), Redis: dbtest.Redis(t), Sealer: sealer,
		Detector: &invsync.Detector{DB: d, Rules: rules.NewLoader(d), Online: onlineClients(d, sealer, cfg)}}
	run := func(task *asynq.Task, err error) {
		t.Helper()
		if err == nil {
			err = jobs.NewMux(h).ProcessTask(ctx, task)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// One detection of the company and the shop's push, as the demo's scheduler and workers run them.
	sync := func() {
		t.Helper()
		run(jobs.NewInventoryDetectOnlineTask(jobs.InventoryDetectOnlinePayload{AccountID: acct.ID, QBOConnectionID: *conn.QBOConnectionID}))
		run(jobs.NewInventoryPushTask(jobs.InventoryPushPayload{AccountID: acct.ID, StoreConnectionID: conn.ID}))
	}
	primary := shop.Locations()[0].ID
	stock := func(sku string) int {
		t.Helper()
		n, ok := shop.InventoryAt(sku, primary)
		if !ok {
			t.Fatalf("the Online shop has no stock of %s", sku)
		}
		return n
	}
	// The Inventory page's row of sku in the Online shop: QuickBooks Online's quantity beside it.
	pageQty := func(sku string) float64 {
		t.Helper()
		res, err := d.PageInventoryUpdates(ctx, acct.ID, db.InventoryUpdateFilter{StoreConnectionID: conn.ID, SKU: sku}, db.Page{Limit: 10})
		if err != nil || len(res.Items) != 1 || res.Items[0].QBOnHand == nil {
			t.Fatalf("Inventory page rows of %s: %+v %v", sku, res.Items, err)
		}
		return float64(*res.Items[0].QBOnHand) / db.QtyScale
	}
	// The shop's generated stock is its own (random per SKU); the company holds 100 of each.
	if err := shop.SetInventory("TEE-BLK-S", 7); err != nil {
		t.Fatal(err)
	}
	sync()
	if got := stock("TEE-BLK-S"); got != 100 {
		t.Fatalf("TEE-BLK-S in the Online shop after the first detection: %d, want the company's 100", got)
	}
	if got := pageQty("TEE-BLK-S"); got != 100 {
		t.Errorf("the Inventory page shows QuickBooks Online's TEE-BLK-S at %v, want 100", got)
	}
	if got := stock("MUG-FOR"); got != 100 {
		t.Errorf("MUG-FOR in the Online shop after the first detection: %d, want the company's 100", got)
	}

	// A sale of 3 entered in QuickBooks Online: 100 - 3 = 97 reach the shop.
	tee, err := q.ItemBySku("TEE-BLK-S")
	if err != nil {
		t.Fatal(err)
	}
	line := map[string]any{"DetailType": "SalesItemLineDetail", "Amount": 72.0,
		"SalesItemLineDetail": map[string]any{"ItemRef": map[string]any{"value": tee["Id"]}, "Qty": 3, "UnitPrice": 24}}
	if _, err := q.Create(qbosim.KindSalesReceipt, qbosim.Object{"Line": []any{line}}); err != nil {
		t.Fatal(err)
	}
	sync()
	if got := stock("TEE-BLK-S"); got != 97 {
		t.Fatalf("TEE-BLK-S in the Online shop after a sale of 3 in QuickBooks Online: %d, want 97", got)
	}
	if got := pageQty("TEE-BLK-S"); got != 97 {
		t.Errorf("the Inventory page shows QuickBooks Online's TEE-BLK-S at %v after the sale, want 97", got)
	}

	// A demo database from before: the shop as the demo stored it (inventory sync off) gets it
	// on at the next start; one whose settings someone changed since keeps them.
	conn.Settings = onlineShopSettings(false)
	if err := d.UpdateStoreConnection(ctx, conn, "settings"); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, d, o); err != nil {
		t.Fatal(err)
	}
	if conn = onlineShop(); !inventoryOn(conn) {
		t.Fatal("an older demo's Online shop still has inventory sync off")
	}
	conn.Settings = json.RawMessage(`{"incomeAccount":"Sales of Product Income","inventory":{"enabled":false,"safetyStock":2}}`)
	if err := d.UpdateStoreConnection(ctx, conn, "settings"); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, d, o); err != nil {
		t.Fatal(err)
	}
	if inventoryOn(onlineShop()) {
		t.Fatal("seeding turned inventory sync back on over a choice made since")
	}
}
