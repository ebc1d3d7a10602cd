package invpush_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/invpush"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

func TestMain(m *testing.M) {
	storenettest.AllowPrivateAddresses()
	dbtest.Main(m)
}

var seq atomic.Int64

// env is one account with a QuickBooks Desktop connection and two store connections, a
// simulated Shopify shop and a simulated WooCommerce store, both over real HTTP.
type env struct {
	d       *db.DB
	account int64
	qbd     int64
	shop    *shopifysim.Server
	woo     *woosim.Server
	shopC   *db.StoreConnection
	wooC    *db.StoreConnection
	waits   atomic.Int64 // client waits (Retry-After, backoff, cost pacing), not slept
}

func newEnv(t testing.TB, shopOpts shopifysim.Options) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{d: dbtest.DB(t)}
	shopOpts.AccessToken = "shpat_test"
	e.shop = shopifysim.New(shopOpts)
	e.woo = woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test", Seed: 1})
	shopSrv, wooSrv := httptest.NewServer(e.shop), httptest.NewServer(e.woo)
	t.Cleanup(func() { shopSrv.Close(); wooSrv.Close(); e.shop.Close() })
	n := seq.Add(1)
	b := dbtest.SQL(t)
	if err := b.NewRaw(`INSERT INTO accounts (name) VALUES (?) RETURNING id`, fmt.Sprintf("invpush %d %d", time.Now().UnixNano(), n)).Scan(ctx, &e.account); err != nil {
		t.Fatal(err)
	}
	if err := b.NewRaw(`INSERT INTO qbd_connections (account_id, name, wc_username, wc_password_hash, owner_id, file_id)
		VALUES (?, 'QB', ?, 'x', gen_random_uuid(), gen_random_uuid()) RETURNING id`, e.account, fmt.Sprintf("wc-invpush-%d-%d", time.Now().UnixNano(), n)).Scan(ctx, &e.qbd); err != nil {
		t.Fatal(err)
	}
	mk := func(channel, name, url string) *db.StoreConnection {
		var id int64
		if err := b.NewRaw(`INSERT INTO store_connections (account_id, channel, name, base_url) VALUES (?, ?, ?, ?) RETURNING id`,
			e.account, channel, name, url).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		c, err := e.d.GetStoreConnection(ctx, e.account, id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	e.shopC = mk("shopify", "Main shop", shopSrv.URL)
	e.wooC = mk("woocommerce", "Woo shop", wooSrv.URL)
	return e
}

// addSKUs gives both stores products with these SKUs (Shopify: one variant each; WooCommerce:
// simple products managing their stock), every quantity 0.
func (e *env) addSKUs(t testing.TB, skus ...string) {
	t.Helper()
	var variants []shopifysim.Variant
	for _, s := range skus {
		variants = append(variants, shopifysim.Variant{SKU: s, Title: s, Price: 100})
		zero := 0
		if _, err := e.woo.AddProduct(woosim.Product{Name: "Product " + s, SKU: s, Status: "publish", RegularPrice: "10.00", ManageStock: true, StockQuantity: &zero}); err != nil {
			t.Fatal(err)
		}
	}
	// Shopify caps a product at 100 variants: one product per 100 SKUs.
	for start := 0; start < len(variants); start += 100 {
		if _, err := e.shop.AddProduct(shopifysim.Product{Title: fmt.Sprintf("Batch %d", start), Variants: variants[start:min(start+100, len(variants))]}); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *env) store(t testing.TB, c *db.StoreConnection) invpush.Store {
	t.Helper()
	creds := ordersync.Credentials{AccessToken: "shpat_test", ConsumerKey: "ck_test", ConsumerSecret: "cs_test"}
	s, err := invpush.Open(c, creds, invpush.StoreOptions{Reference: fmt.Sprintf("ledgerlink://inventory-push/%d/test", c.ID),
		Sleep: func(ctx context.Context, d time.Duration) error { e.waits.Add(1); return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// enqueue queues the same quantities for both stores (one QuickBooks stock, two stores).
func (e *env) enqueue(t testing.TB, qty map[string]int64) {
	t.Helper()
	var ts []db.InventoryTarget
	for sku, n := range qty {
		for _, c := range []int64{e.shopC.ID, e.wooC.ID} {
			ts = append(ts, db.InventoryTarget{StoreConnectionID: c, SKU: sku, Quantity: n, QBDConnectionID: e.qbd, QBListID: "L-" + sku, QBFullName: sku})
		}
	}
	if _, err := db.EnqueueInventoryUpdates(context.Background(), dbtest.SQL(t), e.account, ts); err != nil {
		t.Fatal(err)
	}
}

func (e *env) drain(t testing.TB, c *db.StoreConnection, o invpush.Options) invpush.Run {
	t.Helper()
	run, err := invpush.Drain(context.Background(), e.d, e.account, c, e.store(t, c), o)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func (e *env) rows(t testing.TB, c *db.StoreConnection) map[string]db.InventoryUpdate {
	t.Helper()
	rows, err := db.ListInventoryUpdates(context.Background(), dbtest.SQL(t), e.account, db.InventoryUpdateFilter{StoreConnectionID: c.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]db.InventoryUpdate{}
	for _, r := range rows {
		out[r.SKU] = r
	}
	return out
}

func (e *env) pushLog(t testing.TB, c *db.StoreConnection, sku string) []db.PushLogEntry {
	t.Helper()
	l, err := db.ListInventoryPushLog(context.Background(), dbtest.SQL(t), e.account, db.PushLogFilter{StoreConnectionID: c.ID, SKU: sku, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (e *env) syncLog(t testing.TB) []db.SyncLog {
	t.Helper()
	var logs []db.SyncLog
	if err := dbtest.SQL(t).NewSelect().Model(&logs).Where("account_id = ? AND source = 'inventory'", e.account).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return logs
}

func (e *env) wooRequests(method, pathPart string) int {
	n := 0
	for _, r := range e.woo.Requests() {
		if r.Method == method && strings.Contains(r.Path, pathPart) {
			n++
		}
	}
	return n
}

func shopQty(t testing.TB, s *shopifysim.Server, sku string) int {
	t.Helper()
	loc := s.Locations()[0].ID // the primary location
	n, ok := s.InventoryAt(sku, loc)
	if !ok {
		t.Fatalf("Shopify has no %s", sku)
	}
	return n
}

func wooQty(t testing.TB, s *woosim.Server, sku string) int {
	t.Helper()
	n, ok := s.StockOf(sku)
	if !ok {
		t.Fatalf("WooCommerce has no stock for %s", sku)
	}
	return n
}

// TestQueueReachesBothStores: targets queued for two stores sharing one QuickBooks stock end
// as those quantities in both, every row done, one push log entry per SKU and store, and one
// sync log line per run.
func TestQueueReachesBothStores(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.addSKUs(t, "RED-WINE", "WHITE-WINE", "Rose-Wine")
	e.enqueue(t, map[string]int64{"RED-WINE": 15, "WHITE-WINE": 0, "rose-wine": 7})

	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		run := e.drain(t, c, invpush.Options{})
		if run.Pushed != 3 || run.Failed+run.Mismatched+run.Delayed != 0 || run.Err != nil || !run.Next.IsZero() {
			t.Errorf("%s: run %+v, want 3 pushed and nothing left", c.Channel, run)
		}
		for sku, row := range e.rows(t, c) {
			if row.Status != db.UpdateDone || row.PushedQuantity == nil || *row.PushedQuantity != row.TargetQuantity {
				t.Errorf("%s %s: row %+v, want done with its target", c.Channel, sku, row)
			}
			l := e.pushLog(t, c, sku)
			if len(l) != 1 || l[0].Outcome != db.PushDone || l[0].Quantity != row.TargetQuantity || !strings.Contains(l[0].Reason, "Set to") {
				t.Errorf("%s %s: push log %+v", c.Channel, sku, l)
			}
		}
	}
	want := map[string]int{"RED-WINE": 15, "WHITE-WINE": 0, "Rose-Wine": 7}
	for sku, n := range want {
		if got := shopQty(t, e.shop, sku); got != n {
			t.Errorf("Shopify %s = %d, want %d", sku, got, n)
		}
		if got := wooQty(t, e.woo, sku); got != n {
			t.Errorf("WooCommerce %s = %d, want %d", sku, got, n)
		}
	}
	logs := e.syncLog(t)
	if len(logs) != 2 || logs[0].Message != `Inventory push to the Shopify store "Main shop": 3 set.` ||
		logs[1].Message != `Inventory push to the WooCommerce store "Woo shop": 3 set.` {
		for _, l := range logs {
			t.Logf("sync log: %s %s", l.Level, l.Message)
		}
		t.Errorf("want one sync log line per run")
	}
	// Nothing due: a second run makes no request and logs nothing.
	before := e.shop.Requests()["inventoryItems"]
	if run := e.drain(t, e.shopC, invpush.Options{}); run.Claimed != 0 {
		t.Errorf("second run %+v", run)
	}
	if e.shop.Requests()["inventoryItems"] != before || len(e.syncLog(t)) != 2 {
		t.Error("an empty run talked to the store or logged")
	}
}

// TestBatchRequests: 250 SKUs per store in one run. Counted in the simulators: Shopify looks
// them up 50 per inventoryItems search (5) and sets them 100 per inventorySetQuantities
// (3: 100, 100, 50); WooCommerce looks them up 40 per GET /products?sku= (7: 6×40 + 10) and
// writes 100 per POST /products/batch (3). One update per request would be 250 writes each.
func TestBatchRequests(t *testing.T) {
	e := newEnv(t, shopifysim.Options{RestoreRate: 1000})
	var skus []string
	qty := map[string]int64{}
	for i := range 250 {
		s := fmt.Sprintf("SKU-%04d", i)
		skus = append(skus, s)
		qty[s] = int64(i % 37)
	}
	e.addSKUs(t, skus...)
	e.enqueue(t, qty)
	e.woo.ResetRequests()
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		if run := e.drain(t, c, invpush.Options{}); run.Pushed != 250 || run.Rounds != 1 {
			t.Errorf("%s: run %+v", c.Channel, run)
		}
	}
	reqs := e.shop.Requests()
	if reqs["inventoryItems"] != 5 || reqs["inventorySetQuantities"] != 3 || reqs["productVariants"] != 0 {
		t.Errorf("Shopify requests %v, want 5 inventoryItems and 3 inventorySetQuantities", reqs)
	}
	if got, batches := e.wooRequests("GET", "/products"), e.wooRequests("POST", "/products/batch"); got != 7 || batches != 3 || len(e.woo.Requests()) != 10 {
		t.Errorf("WooCommerce: %d look-ups, %d batches, %d requests in all; want 7, 3, 10", got, batches, len(e.woo.Requests()))
	}
	for i, s := range skus {
		if shopQty(t, e.shop, s) != i%37 || wooQty(t, e.woo, s) != i%37 {
			t.Fatalf("%s: Shopify %d, WooCommerce %d, want %d", s, shopQty(t, e.shop, s), wooQty(t, e.woo, s), i%37)
		}
	}
}

// TestMismatchedReportedOnce: a SKU neither store has is reported once per store, with the
// name looked for and the store, and not sent again — neither on the next run nor when a new
// quantity arrives — until the SKU map changes (RequeueMismatchedInventoryUpdates), after
// which it is pushed if the store has it by then.
func TestMismatchedReportedOnce(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.addSKUs(t, "KNOWN")
	e.enqueue(t, map[string]int64{"KNOWN": 4, "redwine": 15})
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		run := e.drain(t, c, invpush.Options{})
		if run.Pushed != 1 || run.Mismatched != 1 {
			t.Errorf("%s: run %+v, want 1 pushed, 1 mismatched", c.Channel, run)
		}
		row := e.rows(t, c)["redwine"]
		l := e.pushLog(t, c, "redwine")
		if row.Status != db.UpdateMismatched || len(l) != 1 || l[0].Outcome != db.PushMismatched {
			t.Fatalf("%s: row %+v, log %+v", c.Channel, row, l)
		}
		wantReason := fmt.Sprintf(`Mismatched SKU: no product or variant in the %s store %q has the SKU "redwine" (the QuickBooks item "redwine").`,
			map[string]string{"shopify": "Shopify", "woocommerce": "WooCommerce"}[c.Channel], c.Name)
		if !strings.HasPrefix(l[0].Reason, wantReason) || row.LastError != l[0].Reason {
			t.Errorf("%s: reason %q, want it to start %q", c.Channel, l[0].Reason, wantReason)
		}
	}
	logs := e.syncLog(t)
	if len(logs) != 2 || logs[0].Level != db.LevelWarning || !strings.Contains(logs[0].Message, "1 set, 1 mismatched SKUs") {
		t.Errorf("sync log %+v", logs)
	}

	// Not hammered: the next runs, even with a new QuickBooks quantity, send nothing.
	e.enqueue(t, map[string]int64{"redwine": 14})
	shopBefore, wooBefore := e.shop.Requests()["inventoryItems"], len(e.woo.Requests())
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		if run := e.drain(t, c, invpush.Options{}); run.Claimed != 0 {
			t.Errorf("%s: mismatched SKU claimed again: %+v", c.Channel, run)
		}
		if l := e.pushLog(t, c, "redwine"); len(l) != 1 {
			t.Errorf("%s: reported %d times", c.Channel, len(l))
		}
	}
	if e.shop.Requests()["inventoryItems"] != shopBefore || len(e.woo.Requests()) != wooBefore {
		t.Error("a mismatched SKU was looked up again")
	}

	// The merchant adds the product (here: in both stores) and the SKU map changes: pushed,
	// with the latest quantity.
	e.addSKUs(t, "redwine")
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		if n, err := db.RequeueMismatchedInventoryUpdates(context.Background(), dbtest.SQL(t), e.account, c.ID, nil); err != nil || n != 1 {
			t.Fatalf("requeue: %d, %v", n, err)
		}
		if run := e.drain(t, c, invpush.Options{}); run.Pushed != 1 || run.Mismatched != 0 {
			t.Errorf("%s: after the map changed: %+v", c.Channel, run)
		}
	}
	if shopQty(t, e.shop, "redwine") != 14 || wooQty(t, e.woo, "redwine") != 14 {
		t.Errorf("redwine: Shopify %d, WooCommerce %d, want 14", shopQty(t, e.shop, "redwine"), wooQty(t, e.woo, "redwine"))
	}
}

// TestRateLimitStormDelaysNothingLost: both stores answer 429 to a burst of requests longer
// than the clients' retries; the run puts the rows back for later (not failed), new targets
// arrive meanwhile, and the following runs push every final quantity.
func TestRateLimitStormDelaysNothingLost(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	var skus []string
	for i := range 120 {
		skus = append(skus, fmt.Sprintf("STORM-%03d", i))
	}
	e.addSKUs(t, skus...)
	first := map[string]int64{}
	for i, s := range skus {
		first[s] = int64(i)
	}
	e.enqueue(t, first)
	// 12 refusals in a row: more than the 5 tries of one call, so the first run gives up.
	e.shop.FailNext(12, shopifysim.Fault{Status: 429, RetryAfter: 10 * time.Millisecond})
	e.woo.FailNext(12, woosim.Fault{Status: 429, RetryAfter: time.Second})

	now := time.Now()
	clock := func() time.Time { return now }
	o := invpush.Options{Now: clock, RateLimitDelay: time.Minute}
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		run := e.drain(t, c, o)
		if !run.RateLimited || run.Delayed != 120 || run.Failed != 0 || run.Pushed != 0 || !run.Next.Equal(now.Add(time.Minute).Truncate(time.Microsecond)) {
			t.Errorf("%s: first run %+v, want 120 delayed by the rate limit until %s", c.Channel, run, now.Add(time.Minute))
		}
		for sku, row := range e.rows(t, c) {
			if row.Status != db.UpdatePending || !strings.Contains(row.LastError, "rate limit") {
				t.Fatalf("%s %s: row %+v, want pending for the rate limit", c.Channel, sku, row)
			}
		}
	}
	// Not due yet: a run now claims nothing.
	if run := e.drain(t, e.shopC, o); run.Claimed != 0 {
		t.Errorf("rows claimed before their time: %+v", run)
	}
	// Detection queues newer quantities for a third of the SKUs while they wait.
	final := map[string]int64{}
	for i, s := range skus {
		final[s] = int64(i)
		if i%3 == 0 {
			final[s] = int64(1000 + i)
		}
	}
	e.enqueue(t, final)
	now = now.Add(time.Minute)
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		var total invpush.Run
		for range 5 { // the rest of the storm, then the pushes
			run := e.drain(t, c, o)
			total.Pushed += run.Pushed
			total.Failed += run.Failed
			if run.Next.IsZero() {
				break
			}
			now = run.Next
		}
		if total.Pushed != 120 || total.Failed != 0 {
			t.Errorf("%s: %+v after the storm, want all 120 pushed, none failed", c.Channel, total)
		}
		for sku, row := range e.rows(t, c) {
			if row.Status != db.UpdateDone || *row.PushedQuantity != final[sku] {
				t.Errorf("%s %s: row %+v, want done with %d", c.Channel, sku, row, final[sku])
			}
		}
		failed, err := db.ListInventoryPushLog(context.Background(), dbtest.SQL(t), e.account, db.PushLogFilter{StoreConnectionID: c.ID, Outcomes: []db.PushOutcome{db.PushFailed}})
		if err != nil || len(failed) != 0 {
			t.Errorf("%s: failed pushes %v %v", c.Channel, failed, err)
		}
	}
	for i, s := range skus {
		want := i
		if i%3 == 0 {
			want = 1000 + i
		}
		if shopQty(t, e.shop, s) != want || wooQty(t, e.woo, s) != want {
			t.Fatalf("%s: Shopify %d, WooCommerce %d, want %d", s, shopQty(t, e.shop, s), wooQty(t, e.woo, s), want)
		}
	}
	if e.waits.Load() == 0 {
		t.Error("the clients never waited for Retry-After")
	}
}

// racingStore queues a newer target for one SKU while its push is on the wire, as detection
// running beside a push does.
type racingStore struct {
	invpush.Store
	once sync.Once
	race func()
}

func (r *racingStore) Set(ctx context.Context, qs []invpush.Quantity) ([]invpush.Result, error) {
	r.once.Do(r.race)
	return r.Store.Set(ctx, qs)
}

// TestCoalescedWhilePushing: a target that arrives while its SKU is being pushed is not lost
// behind the push: the older quantity lands, then the newer one, in the same run.
func TestCoalescedWhilePushing(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.addSKUs(t, "RACE", "CALM")
	e.enqueue(t, map[string]int64{"RACE": 20, "CALM": 5})
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		store := &racingStore{Store: e.store(t, c), race: func() {
			if _, err := db.EnqueueInventoryUpdates(context.Background(), dbtest.SQL(t), e.account,
				[]db.InventoryTarget{{StoreConnectionID: c.ID, SKU: "RACE", Quantity: 15}}); err != nil {
				t.Error(err)
			}
		}}
		run, err := invpush.Drain(context.Background(), e.d, e.account, c, store, invpush.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if run.Rounds != 2 || run.Pushed != 3 || !run.Next.IsZero() {
			t.Errorf("%s: run %+v, want RACE pushed twice in two rounds", c.Channel, run)
		}
		l := e.pushLog(t, c, "RACE") // newest first
		if len(l) != 2 || l[0].Quantity != 15 || l[1].Quantity != 20 {
			t.Errorf("%s: push log %+v, want 20 then 15", c.Channel, l)
		}
		if row := e.rows(t, c)["RACE"]; row.Status != db.UpdateDone || *row.PushedQuantity != 15 {
			t.Errorf("%s: row %+v", c.Channel, row)
		}
	}
	if shopQty(t, e.shop, "RACE") != 15 || wooQty(t, e.woo, "RACE") != 15 {
		t.Errorf("RACE: Shopify %d, WooCommerce %d, want 15", shopQty(t, e.shop, "RACE"), wooQty(t, e.woo, "RACE"))
	}
}

// TestMismatchedFoundByCatalogueRecheck: a product given the missing SKU in the store later is
// found by the bulk search of mismatched SKUs once their recheck time has come — not before —
// and pushed in that run; SKUs still missing are noted as checked and not searched again.
func TestMismatchedFoundByCatalogueRecheck(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.addSKUs(t, "KNOWN")
	e.enqueue(t, map[string]int64{"KNOWN": 1, "LATER": 8, "NEVER": 3})
	now := time.Now()
	o := invpush.Options{Now: func() time.Time { return now }, MismatchRecheck: 6 * time.Hour}
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		if run := e.drain(t, c, o); run.Pushed != 1 || run.Mismatched != 2 {
			t.Fatalf("%s: run %+v", c.Channel, run)
		}
	}
	e.addSKUs(t, "LATER") // the merchant adds the product in both stores

	// Five hours on: not due for a recheck, nothing searched.
	now = now.Add(5 * time.Hour)
	e.enqueue(t, map[string]int64{"KNOWN": 2}) // some other push runs
	shopBefore, wooBefore := e.shop.Requests()["productVariants"], e.wooRequests("GET", "/products")
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		if run := e.drain(t, c, o); run.Pushed != 1 || run.Rechecked != 0 {
			t.Errorf("%s: run %+v, want KNOWN pushed and no recheck", c.Channel, run)
		}
	}
	if e.shop.Requests()["productVariants"] != shopBefore || e.wooRequests("GET", "/products") != wooBefore+1 { // +1: KNOWN's look-up
		t.Error("mismatched SKUs searched for before their recheck time")
	}

	// Seven hours on: both searched in one request per store, LATER found and pushed.
	now = now.Add(2 * time.Hour)
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		run := e.drain(t, c, o)
		if run.Rechecked != 2 || run.Found != 1 || run.Pushed != 1 || run.Mismatched != 0 {
			t.Errorf("%s: run %+v, want 2 rechecked, LATER found and pushed", c.Channel, run)
		}
		rows := e.rows(t, c)
		if rows["LATER"].Status != db.UpdateDone || rows["NEVER"].Status != db.UpdateMismatched {
			t.Errorf("%s: LATER %s, NEVER %s", c.Channel, rows["LATER"].Status, rows["NEVER"].Status)
		}
		if l := e.pushLog(t, c, "NEVER"); len(l) != 1 {
			t.Errorf("%s: NEVER reported %d times", c.Channel, len(l))
		}
		// Checked just now: the next run does not search again.
		if run := e.drain(t, c, o); run.Rechecked != 0 {
			t.Errorf("%s: searched again at once: %+v", c.Channel, run)
		}
	}
	if shopQty(t, e.shop, "LATER") != 8 || wooQty(t, e.woo, "LATER") != 8 {
		t.Errorf("LATER: Shopify %d, WooCommerce %d, want 8", shopQty(t, e.shop, "LATER"), wooQty(t, e.woo, "LATER"))
	}
}
