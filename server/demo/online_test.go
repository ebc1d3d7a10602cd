package demo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/channels"
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

// TestDemoPostsToQuickBooksOnline: a demo run seeds the simulated QuickBooks Online company
// with the Online shop's catalogue (one inventory item per SKU, stocked), connects it to the
// demo account with sealed tokens and the Online shop posting to it — once, however often the
// demo starts — and the shop's orders post to that company through its real token and
// Accounting API endpoints, each one sale naming its QuickBooks Online Id, on the seeded items.
func TestDemoPostsToQuickBooksOnline(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1") // the simulators listen on 127.0.0.1, as in demo mode
	d := dbtest.DB(t)
	ctx := context.Background()
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

	// The catalogue: every SKU the shop sells, once, stocked (the fixture is the shop's own list).
	skus := map[string]bool{}
	for _, p := range shop.(*shopifysim.Server).Products() {
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
	if err := SeedQBOCatalogue(q, shop.(*shopifysim.Server).Products()); err != nil {
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
	tokens := &qbo.Tokens{DB: d, Sealer: sealer, Config: cfg.QBO()}
	p.Online = func(ctx context.Context, accountID, id int64) (*qbo.Client, error) {
		return tokens.Client(ctx, accountID, id, nil)
	}
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
