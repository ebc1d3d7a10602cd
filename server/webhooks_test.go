package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
	"github.com/ledgerlink/ledgerlink/server/storehooks"
)

// hookedApp is the real App serving at an address it knows (its public URL is where the
// simulated stores deliver webhooks) with its workers running and no scheduler: nothing pulls
// orders on a schedule.
func hookedApp(t *testing.T) (*App, *httptest.Server) {
	t.Helper()
	return workingApp(t, slog.New(slog.DiscardHandler), atOwnAddress, withConcurrency(4),
		withSecretKey("0123456789abcdef0123456789abcdef-webhooks"))
}

// workingApp is openTestApp with its workers running (no scheduler) until the test ends, and
// outbound calls to private addresses (the simulators) allowed.
func workingApp(t *testing.T, log *slog.Logger, opts ...appOption) (*App, *httptest.Server) {
	t.Helper()
	t.Setenv(storenet.AllowPrivateEnv, "1")
	app, srv := openTestApp(t, log, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Work(ctx, false) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return app, srv
}

// eventually polls cond every 50 ms for up to 20 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("gave up waiting: %s", what)
}

type hookState struct {
	StoreConnection struct {
		Webhooks []struct {
			Topic, State, Message string
			Deliveries, Refused   int
		}
	}
}

// TestStoreWebhooksPostOrdersWithoutAPull (issue 16): each simulated store gets its order
// webhooks registered when the connection is saved; a new order's webhook (signed, where the
// store signs) brings it into QuickBooks with no scheduled pull; a forged or altered call is
// refused and changes nothing; a replayed delivery is acknowledged once and acted on once.
func TestStoreWebhooksPostOrdersWithoutAPull(t *testing.T) {
	app, srv := hookedApp(t)
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	qc := fixtureQBD(t, app.DB, owner.AccountID, "wc-hooks-"+strconv.FormatInt(owner.AccountID, 10))

	shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_hooks", AppSecret: "shpss_hooks_client_secret", Seed: 3,
		RestoreRate: 100000, WebhookBackoff: 20 * time.Millisecond})
	shop.Generate(3, 3)
	t.Cleanup(shop.Close)
	woo := woosim.New(woosim.Options{ConsumerKey: "ck_hooks", ConsumerSecret: "cs_hooks", Seed: 3})
	if _, err := woo.Generate(3, 3); err != nil {
		t.Fatal(err)
	}
	ship := shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 3})
	ship.Generate(2, 3)
	stores := map[string]*httptest.Server{}
	for name, h := range map[string]http.Handler{"shopify": shop, "woocommerce": woo, "shipstation": ship} {
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		stores[name] = s
	}
	ship.SetBaseURL(stores["shipstation"].URL)

	conns := map[string]string{}
	for _, in := range []map[string]any{
		{"channel": "SHOPIFY", "name": "Shop", "baseUrl": stores["shopify"].URL, "credentials": map[string]any{"accessToken": "shpat_hooks", "webhookSecret": "shpss_hooks_client_secret"}},
		{"channel": "WOOCOMMERCE", "name": "Woo", "baseUrl": stores["woocommerce"].URL, "credentials": map[string]any{"consumerKey": "ck_hooks", "consumerSecret": "cs_hooks"}},
		{"channel": "SHIPSTATION", "name": "Ship", "baseUrl": stores["shipstation"].URL, "credentials": map[string]any{"apiKey": "key", "apiSecret": "secret"}},
	} {
		in["quickBooksConnectionId"] = strconv.FormatInt(qc.ID, 10)
		var out struct{ CreateStoreConnection struct{ ID, Channel string } }
		c.mustGQL(`mutation($in: CreateStoreConnectionInput!) { createStoreConnection(input: $in) { id channel } }`, map[string]any{"in": in}, &out)
		conns[strings.ToLower(out.CreateStoreConnection.Channel)] = out.CreateStoreConnection.ID
	}
	webhooks := func(channel string) hookState {
		var st hookState
		c.mustGQL(`query($id: ID!) { storeConnection(id: $id) { webhooks { topic state message deliveries refused } } }`, map[string]any{"id": conns[channel]}, &st)
		return st
	}
	want := map[string]int{"shopify": 3, "woocommerce": 2, "shipstation": 1}
	for channel, n := range want {
		eventually(t, channel+" webhooks active", func() bool {
			st := webhooks(channel)
			active := 0
			for _, w := range st.StoreConnection.Webhooks {
				if w.State == "ACTIVE" {
					active++
				}
			}
			return active == n
		})
	}
	if subs := shop.Subscriptions(); len(subs["orders/create"]) != 1 || !strings.HasPrefix(subs["orders/create"][0], srv.URL+"/webhooks/shopify/") {
		t.Fatalf("shopify subscriptions: %v", subs)
	}
	for _, w := range woo.Webhooks() {
		if w.Status != "active" || !strings.HasPrefix(w.DeliveryURL, srv.URL+"/webhooks/woocommerce/") || w.Secret == "" {
			t.Fatalf("woocommerce webhook: %+v", w)
		}
	}

	// New orders in each store.
	placed, err := shop.AddOrder(shopifysim.Order{Email: "hook@example.com", LineItems: []shopifysim.LineItem{{SKU: "HOOK-1", Title: "Hooked mug", Quantity: 2, UnitPrice: 1250}}})
	if err != nil {
		t.Fatal(err)
	}
	wooOrder, err := woo.AddOrder(woosim.Order{Status: "processing", Total: "30.00",
		LineItems: []woosim.LineItem{{Name: "Hooked tee", SKU: "HOOK-2", Quantity: 1, Subtotal: "30.00", Total: "30.00"}}})
	if err != nil {
		t.Fatal(err)
	}
	tmpl := ship.Orders()[0]
	tmpl.OrderID, tmpl.OrderNumber, tmpl.OrderKey = 0, "HOOK-SS-1", "hook-ss-1"
	shipOrder, err := ship.AddOrder(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	externals := map[string]string{"shopify": strconv.FormatInt(placed.ID, 10), "woocommerce": strconv.Itoa(wooOrder.ID), "shipstation": strconv.FormatInt(shipOrder.OrderID, 10)}
	stored := func(channel string) *db.Order {
		var rows []db.Order
		id, _ := strconv.ParseInt(conns[channel], 10, 64)
		if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", id).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			if strings.HasSuffix(rows[i].ExternalID, externals[channel]) {
				return &rows[i]
			}
		}
		return nil
	}
	placedAt := time.Now()
	for channel := range want {
		eventually(t, channel+" order stored from its webhook", func() bool { return stored(channel) != nil })
	}
	t.Logf("webhook to stored order, all three stores: %v", time.Since(placedAt).Round(time.Millisecond))
	// The Web Connector's next run posts them.
	company := qbdsim.New(qbdsim.Config{ValidateSchema: true})
	if err := company.Seed(); err != nil {
		t.Fatal(err)
	}
	wc := &qbdsim.WebConnector{URL: srv.URL + "/qbwc", Username: qc.WCUsername, Password: "qbwc-password", Company: company,
		ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond}
	for range 10 {
		if _, err := wc.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if stored("shopify").State == db.OrderPosted && stored("woocommerce").State == db.OrderPosted && stored("shipstation").State == db.OrderPosted {
			break
		}
	}
	t.Logf("webhook to posted in QuickBooks: %v", time.Since(placedAt).Round(time.Millisecond))
	for channel := range want {
		o := stored(channel)
		if o.State != db.OrderPosted {
			t.Fatalf("%s order %s: %s (%s)", channel, o.Number, o.State, o.StateReason)
		}
		if txns := company.Txns("SalesReceipt", o.Number); len(txns) != 1 {
			t.Errorf("%s order %s: %d sales receipts in QuickBooks", channel, o.Number, len(txns))
		}
	}
	if n := company.Txns("SalesReceipt", placed.Name[1:]); len(n) != 1 || n[0].TotalAmount != 25 {
		t.Errorf("shopify order %s in QuickBooks: %+v", placed.Name, n)
	}

	// A forged Shopify call (signed with another secret) and an altered body are refused.
	if err := shop.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	var delivered shopifysim.Delivery
	for _, d := range shop.Deliveries() {
		if d.Topic == "orders/create" && d.Delivered {
			delivered = d
		}
	}
	if delivered.URL == "" {
		t.Fatalf("no delivered orders/create among %+v", shop.Deliveries())
	}
	post := func(url string, body []byte, h map[string]string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	headers := func(d shopifysim.Delivery, sig string) map[string]string {
		return map[string]string{"X-Shopify-Topic": d.Topic, "X-Shopify-Hmac-Sha256": sig, "X-Shopify-Webhook-Id": d.WebhookID + "-x", "Content-Type": "application/json"}
	}
	other := shopifysim.New(shopifysim.Options{AppSecret: "shpss_someone_else"})
	tasksBefore := countWebhookDeliveries(t)
	if status, msg := post(delivered.URL, delivered.Body, headers(delivered, other.Sign(delivered.Body))); status != http.StatusUnauthorized || !strings.Contains(msg, "signature") {
		t.Errorf("forged: %d %s", status, msg)
	}
	altered := bytes.Replace(delivered.Body, []byte(`"total_price":"25.00"`), []byte(`"total_price":"0.01"`), 1)
	if status, _ := post(delivered.URL, altered, headers(delivered, shop.Sign(delivered.Body))); status != http.StatusUnauthorized {
		t.Errorf("altered body: %d", status)
	}
	if status, _ := post(delivered.URL, delivered.Body, map[string]string{"X-Shopify-Topic": "orders/create"}); status != http.StatusUnauthorized {
		t.Errorf("unsigned: %d", status)
	}
	// A replay of the genuine delivery (same X-Shopify-Webhook-Id) is acknowledged, not acted on.
	replay := headers(delivered, shop.Sign(delivered.Body))
	replay["X-Shopify-Webhook-Id"] = delivered.WebhookID
	if status, msg := post(delivered.URL, delivered.Body, replay); status != http.StatusOK || !strings.Contains(msg, "Already") {
		t.Errorf("replay: %d %s", status, msg)
	}
	if n := countWebhookDeliveries(t); n != tasksBefore {
		t.Errorf("refused and replayed calls recorded deliveries: %d, want %d", n, tasksBefore)
	}
	// An unknown address, a foreign ShipStation resource and an oversized body.
	if status, _ := post(srv.URL+"/webhooks/shopify/not-a-token", delivered.Body, replay); status != http.StatusNotFound {
		t.Errorf("unknown token: %d", status)
	}
	shipURL := ship.WebhookDeliveries()[0].Target
	if status, _ := post(shipURL, []byte(`{"resource_url":"http://169.254.169.254/orders?importBatch=x","resource_type":"ORDER_NOTIFY"}`), nil); status != http.StatusBadRequest {
		t.Errorf("foreign resource_url: %d", status)
	}
	if status, _ := post(delivered.URL, bytes.Repeat([]byte("x"), 3<<20), replay); status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", status)
	}
	// WooCommerce's creation ping is unsigned and answered 200.
	wooURL := woo.Webhooks()[0].DeliveryURL
	if status, _ := post(wooURL, []byte("webhook_id=7"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); status != http.StatusOK {
		t.Errorf("woocommerce ping: %d", status)
	}
	st := webhooks("shopify")
	for _, w := range st.StoreConnection.Webhooks {
		if w.Topic == "orders/create" && (w.Deliveries != 1 || w.Refused < 3) {
			t.Errorf("orders/create counts: %+v", w)
		}
	}
	// Exactly one sale per order, after all of it.
	for range 2 {
		if _, err := wc.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(company.Txns("SalesReceipt", placed.Name[1:])); n != 1 {
		t.Errorf("after the replay: %d sales for %s", n, placed.Name)
	}
	var logs []db.SyncLog
	if err := dbtest.SQL(t).NewSelect().Model(&logs).Where("account_id = ? AND source = 'webhooks' AND level = 'warning'", owner.AccountID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(logs) < 3 {
		t.Errorf("refusals in the account's log: %d", len(logs))
	}
	for _, l := range logs {
		if strings.Contains(l.Message, "shpss_") {
			t.Errorf("a secret in the log: %s", l.Message)
		}
	}
}

func countWebhookDeliveries(t *testing.T) int {
	t.Helper()
	n, err := dbtest.SQL(t).NewSelect().Model((*db.WebhookDelivery)(nil)).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestQuickBooksOnlineWebhookMovesStoreStock: the real App with its workers and no scheduler;
// the simulated QuickBooks Online company delivers its signed webhooks to /webhooks/qbo. Seed
// 002's redwine: created with 20 on hand, the notification makes the company be read and the
// Shopify simulator gets 20; a sale of 5 in QuickBooks Online notifies again and the store
// gets 15 — nothing waits for the inventory schedule. A notification signed with another
// verifier token, or unsigned, is refused with 401 and logged.
func TestQuickBooksOnlineWebhookMovesStoreStock(t *testing.T) {
	const verifier = "verifier-token-of-the-app"
	var sim *qbosim.Server
	logs := &storenettest.Buffer{}
	app, srv := workingApp(t, slog.New(slog.NewTextHandler(logs, nil)), withQBOSimulator(t, &sim), withConcurrency(4),
		withSecretKey("0123456789abcdef0123456789abcdef-qbohooks"),
		func(cfg *Config, _ *httptest.Server) { cfg.QBOWebhookToken = verifier })
	ctx := context.Background()
	acct := dbtest.Account(t, app.DB)
	access, refresh := sim.IssueTokens()
	conn := &db.QBOConnection{AccountID: acct.ID, Name: "Online", RealmID: sim.Realm(), Status: db.QBOStatusConnected}
	if err := app.DB.SaveQBOConnection(ctx, app.Sealer, conn, db.QBOTokens{Access: access, Refresh: refresh,
		AccessExpiresAt: time.Now().Add(time.Hour), RefreshExpiresAt: time.Now().Add(100 * 24 * time.Hour)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_qbohooks"})
	shopSrv := httptest.NewServer(shop)
	t.Cleanup(func() { shopSrv.Close(); shop.Close() })
	if _, err := shop.AddProduct(shopifysim.Product{Title: "redwine", Variants: []shopifysim.Variant{{SKU: "redwine", Title: "redwine", Price: 100}}}); err != nil {
		t.Fatal(err)
	}
	s := orders.DefaultSettings()
	s.Inventory = orders.InventorySettings{Enabled: true}
	raw, _ := json.Marshal(s)
	creds, _ := json.Marshal(ordersync.Credentials{AccessToken: "shpat_qbohooks"})
	if err := app.DB.CreateStoreConnection(ctx, &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: "Shop", BaseURL: shopSrv.URL,
		QBOConnectionID: &conn.ID, Enabled: true, Settings: raw}, app.Sealer, creds); err != nil {
		t.Fatal(err)
	}
	sim.SetWebhook(srv.URL+QBOWebhookPath, verifier)

	stock := func() int {
		n, _ := shop.InventoryAt("redwine", shop.Locations()[0].ID)
		return n
	}
	item, err := sim.Create(qbosim.KindItem, qbosim.Object{"Name": "redwine", "Sku": "redwine", "Type": "Inventory", "TrackQtyOnHand": true,
		"QtyOnHand": 20, "InvStartDate": "2026-01-01", "IncomeAccountRef": map[string]any{"value": qbosim.SalesIncomeAccountID},
		"ExpenseAccountRef": map[string]any{"value": "80"}, "AssetAccountRef": map[string]any{"value": "81"}})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the store gets redwine 20 after the item's webhook", func() bool { return stock() == 20 })

	if _, err := sim.Create(qbosim.KindSalesReceipt, qbosim.Object{"Line": []any{map[string]any{"DetailType": "SalesItemLineDetail", "Amount": 50,
		"SalesItemLineDetail": map[string]any{"ItemRef": map[string]any{"value": item["Id"]}, "Qty": 5, "UnitPrice": 10}}}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the store gets redwine 15 after the sale's webhook", func() bool { return stock() == 15 })

	body := []byte(`{"eventNotifications":[{"realmId":"` + sim.Realm() + `","dataChangeEvent":{"entities":[{"name":"Item","id":"1","operation":"Update","lastUpdated":"2026-12-06T00:00:00Z"}]}}]}`)
	for name, sig := range map[string]string{"another token": qbosim.Sign("not-our-verifier", body), "unsigned": ""} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+QBOWebhookPath, bytes.NewReader(body))
		if sig != "" {
			req.Header.Set(qbo.SignatureHeader, sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s notification: %d %s, want 401", name, resp.StatusCode, msg)
		}
	}
	if n := strings.Count(logs.String(), "QuickBooks Online notification refused"); n != 2 {
		t.Errorf("%d refusals logged, want 2", n)
	}
	big := bytes.Repeat([]byte(" "), storehooks.MaxBody+1)
	resp, err := http.Post(srv.URL+QBOWebhookPath, "application/json", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized notification: %d, want 413", resp.StatusCode)
	}
	// A genuine one is accepted.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+QBOWebhookPath, bytes.NewReader(body))
	req.Header.Set(qbo.SignatureHeader, qbosim.Sign(verifier, body))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("signed notification: %d, want 200", resp.StatusCode)
	}
}
