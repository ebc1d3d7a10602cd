package ordersync_test

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// onlineFlow is newFlow's account and store, its store connection posting to a simulated
// QuickBooks Online company through the real OAuth tokens, client and limiter; one fake clock
// moves the simulator's throttle windows and token expiry and every wait of ours.
type onlineFlow struct {
	*flow
	sim   *qbosim.Server
	clock *storenettest.Clock
	qbo   *db.QBOConnection
}

func newOnlineFlow(t testing.TB, settings orders.Settings) *onlineFlow {
	t.Helper()
	ctx := context.Background()
	settings.IncomeAccount = "Sales of Product Income" // the simulated company's income account
	f := &onlineFlow{flow: newFlowTB(t, 0, settings, 0), clock: storenettest.NewClock(time.Now())}
	// A realm of its own: the limiter's windows in Redis are per realm.
	f.sim = qbosim.New(qbosim.Options{Clock: f.clock.Now, Realm: strconv.FormatInt(time.Now().UnixNano(), 10)})
	srv := httptest.NewServer(f.sim)
	t.Cleanup(srv.Close)
	sealer := dbtest.Sealer(t)
	access, refresh := f.sim.IssueTokens()
	f.qbo = &db.QBOConnection{AccountID: f.conn.AccountID, Name: "Online", RealmID: f.sim.Realm(), Status: db.QBOStatusConnected}
	if err := f.d.SaveQBOConnection(ctx, sealer, f.qbo, db.QBOTokens{Access: access, Refresh: refresh,
		AccessExpiresAt: f.clock.Now().Add(time.Hour), RefreshExpiresAt: f.clock.Now().Add(100 * 24 * time.Hour)}, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.conn.QBDConnectionID, f.conn.QBOConnectionID = nil, &f.qbo.ID
	if _, err := dbtest.SQL(t).NewUpdate().Model(f.conn).Column("qbd_connection_id", "qbo_connection_id").WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	tokens := &qbo.Tokens{DB: f.d, Sealer: sealer, Now: f.clock.Now, Config: qbo.Config{ClientID: f.sim.ClientID(), ClientSecret: f.sim.ClientSecret(),
		TokenURL: srv.URL + "/oauth2/v1/tokens/bearer", RevokeURL: srv.URL + "/oauth2/v1/tokens/revoke", APIURL: srv.URL}}
	limiter := &qbo.Limiter{Redis: dbtest.Redis(t), Limits: qbo.DefaultLimits, Now: f.clock.Now, Sleep: f.clock.Sleep}
	f.pipeline.Online = func(ctx context.Context, accountID, id int64) (*qbo.Client, error) {
		return qbo.NewClient(qbo.Options{APIURL: srv.URL, Realm: f.sim.Realm(), Tokens: tokens.For(accountID, id), Limiter: limiter, Sleep: f.clock.Sleep})
	}
	return f
}

// post runs the poster until it has nothing left, as asynq would run a failed task again
// later, and returns the errors of the runs that failed.
func (f *onlineFlow) post() []error {
	f.t.Helper()
	var errs []error
	for range 1000 {
		err := f.pipeline.PostOnline(context.Background(), f.conn.AccountID, f.qbo.ID)
		if err == nil {
			n, cerr := f.d.CountQBOWork(context.Background(), f.conn.AccountID, f.qbo.ID)
			if cerr != nil {
				f.t.Fatal(cerr)
			}
			if n[db.QBOWorkReady]+n[db.QBOWorkSending] == 0 {
				return errs
			}
			continue
		}
		errs = append(errs, err)
		f.clock.Advance(time.Minute) // asynq's retry delay
	}
	f.t.Fatalf("the poster never finished: %v", errs)
	return errs
}

// checkPostedOnce checks that every order of the connection is posted, that QuickBooks Online
// has exactly one sale with its marker, under the Id the order recorded, whose TotalAmt is the
// store's total to the cent (want, by order number, from the store's own data).
func (f *onlineFlow) checkPostedOnce(want map[string]int64) {
	t := f.t
	ctx := context.Background()
	var rows []db.Order
	if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", f.conn.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) {
		t.Fatalf("%d orders stored, the store has %d", len(rows), len(want))
	}
	sales := f.sim.Txns("SalesReceipt", "")
	if len(sales) != len(rows) {
		t.Errorf("QuickBooks Online has %d sales receipts for %d orders", len(sales), len(rows))
	}
	for _, row := range rows {
		if row.State != db.OrderPosted {
			t.Errorf("order %s: %s %q", row.Number, row.State, row.StateReason)
			continue
		}
		marker := "[" + qbd.ScopedMarker(posting.DocKey(row.ID), posting.StoreScope(f.conn.ID)) + "]"
		var mine []qbosim.Object
		for _, s := range sales {
			if note, _ := s["PrivateNote"].(string); strings.Contains(note, marker) {
				mine = append(mine, s)
			}
		}
		if len(mine) != 1 {
			t.Errorf("order %s: %d sales in QuickBooks Online", row.Number, len(mine))
			continue
		}
		if got := int64(math.Round(mine[0]["TotalAmt"].(float64) * 100)); got != want[row.Number] {
			t.Errorf("order %s: QuickBooks Online total %d cents, the store's %d", row.Number, got, want[row.Number])
		}
		if !strings.HasSuffix(row.StateReason, " "+fmt.Sprint(mine[0]["Id"])+".") {
			t.Errorf("order %s: %q does not name sale %v", row.Number, row.StateReason, mine[0]["Id"])
		}
	}
}

func (f *onlineFlow) pullChannel(channel, url string, creds ordersync.Credentials) ordersync.Stats {
	f.t.Helper()
	f.moveTo(channel, url)
	return f.pullWith(f.conn, creds)
}

// TestOrdersPostToQuickBooksOnlineToTheCent: generated orders of the Shopify, WooCommerce and
// ShipStation simulators (multi-line, variants, discounts, shipping, tax, non-Latin names, long
// numbers) post into the QuickBooks Online simulator, each once, at the store's total.
func TestOrdersPostToQuickBooksOnlineToTheCent(t *testing.T) {
	for _, channel := range []string{"shopify", "woocommerce", "shipstation"} {
		t.Run(channel, func(t *testing.T) {
			f := newOnlineFlow(t, orders.DefaultSettings())
			want := map[string]int64{}
			var url string
			var creds ordersync.Credentials
			switch channel {
			case "shopify":
				s := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", Seed: 3, RestoreRate: 100000})
				for _, o := range s.Generate(40, 3) {
					want[strings.TrimPrefix(o.Name, "#")] = int64(o.Total())
				}
				srv := httptest.NewServer(s)
				t.Cleanup(srv.Close)
				url, creds = srv.URL, ordersync.Credentials{AccessToken: "shpat_test"}
			case "woocommerce":
				s := woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test", Seed: 3})
				gen, err := s.Generate(40, 3)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range gen {
					want[o.Number] = wooCents(t, o.Total)
				}
				srv := httptest.NewServer(s)
				t.Cleanup(srv.Close)
				url, creds = srv.URL, ordersync.Credentials{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"}
			default:
				s := shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 7})
				for _, o := range s.Generate(40, 7) {
					want[o.OrderNumber] = cents(o.OrderTotal)
				}
				srv := httptest.NewServer(s)
				t.Cleanup(srv.Close)
				url, creds = srv.URL, ordersync.Credentials{APIKey: "key", APISecret: "secret"}
			}
			if st := f.pullChannel(channel, url, creds); st.New != 40 {
				t.Fatalf("pulled %+v", st)
			}
			if errs := f.post(); len(errs) > 0 {
				t.Errorf("poster errors without any fault: %v", errs)
			}
			f.checkPostedOnce(want)
		})
	}
}

func wooCents(t *testing.T, s string) int64 {
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatal(err)
	}
	return cents(v)
}

// TestQuickBooksOnlineLostAnswersRetriesAndThrottling: a sales batch QuickBooks applied but
// whose answer was lost on every try of a run, a customer created with its answer lost, and a
// three-minute 429 storm: every order still ends in QuickBooks Online exactly once (counted in
// the simulator), the lost batch answered from its requestid when the next run sends it again.
func TestQuickBooksOnlineLostAnswersRetriesAndThrottling(t *testing.T) {
	f := newOnlineFlow(t, orders.DefaultSettings())
	s := shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 11})
	want := map[string]int64{}
	for _, o := range s.Generate(45, 11) {
		want[o.OrderNumber] = cents(o.OrderTotal)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	if st := f.pullChannel("shipstation", srv.URL, ordersync.Credentials{APIKey: "key", APISecret: "secret"}); st.New != 45 {
		t.Fatalf("pulled %+v", st)
	}
	f.sim.FailNext(1, qbosim.Injected{Drop: true, Method: "POST", PathContains: "/customer"})
	f.sim.FailNext(3, qbosim.Injected{Drop: true, Method: "POST", PathContains: "/batch"})
	errs := f.post()
	if len(errs) == 0 {
		t.Error("a batch lost on every try did not fail its run")
	}
	c := f.sim.Counts()
	if c.Lost != 4 || c.Replays < 30 {
		t.Errorf("simulator counts %+v: want 4 lost answers and the lost batch's 30 items replayed", c)
	}
	f.checkPostedOnce(want)

	// A storm: the next orders wait it out, nothing dropped or doubled.
	for _, o := range s.Generate(10, 12) {
		want[o.OrderNumber] = cents(o.OrderTotal)
	}
	if st := f.pullChannel("shipstation", srv.URL, ordersync.Credentials{APIKey: "key", APISecret: "secret"}); st.New != 10 {
		t.Fatalf("second pull %+v", st)
	}
	f.sim.ThrottleFor(3 * time.Minute)
	f.post()
	if f.sim.Counts().Throttled == 0 {
		t.Error("the storm throttled nothing")
	}
	f.checkPostedOnce(want)
}

// TestQuickBooksOnlineInvoiceThenPayment: with transaction type invoice, each paid WooCommerce
// order becomes an invoice and, in a later batch (a batch item cannot see the invoice's new
// Id), a payment linked to it for what the store says was paid, leaving the invoice's balance
// at total − paid.
func TestQuickBooksOnlineInvoiceThenPayment(t *testing.T) {
	s := orders.DefaultSettings()
	s.TransactionType = orders.PostInvoice
	f := newOnlineFlow(t, s)
	shop := woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test", Seed: 4})
	gen, err := shop.Generate(20, 4)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	if st := f.pullChannel("woocommerce", srv.URL, ordersync.Credentials{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"}); st.New != 20 {
		t.Fatalf("pulled %+v", st)
	}
	if errs := f.post(); len(errs) > 0 {
		t.Fatal(errs)
	}
	payments := f.sim.Txns("Payment", "")
	for _, o := range gen {
		invs := f.sim.Txns("Invoice", o.Number)
		if len(invs) != 1 {
			t.Errorf("order %s: %d invoices", o.Number, len(invs))
			continue
		}
		inv := invs[0]
		total := cents(inv["TotalAmt"].(float64))
		if total != wooCents(t, o.Total) {
			t.Errorf("order %s: invoice total %d, store %s", o.Number, total, o.Total)
		}
		var paid int64
		for _, p := range payments {
			for _, l := range p["Line"].([]any) {
				for _, lt := range l.(map[string]any)["LinkedTxn"].([]any) {
					if lt.(map[string]any)["TxnId"] == inv["Id"] {
						paid += cents(l.(map[string]any)["Amount"].(float64))
					}
				}
			}
		}
		wantPaid := int64(0)
		if !o.Paid.IsZero() { // the store's date paid: paid in full
			wantPaid = total
		}
		if paid != wantPaid || cents(inv["Balance"].(float64)) != total-paid {
			t.Errorf("order %s (%s): paid %d of %d, balance %v", o.Number, o.Status, paid, total, inv["Balance"])
		}
	}
	if len(payments) == 0 {
		t.Error("no payment posted")
	}
}

// TestQuickBooksOnlineFlagParksThenMapSKUPosts: with Missing Product Action "flag", an order
// whose SKUs QuickBooks Online lacks (by SKU and by name) is parked in needs mapping naming
// every one of them, nothing posted; once mapped (Map SKU rules) and resynced it posts once,
// its lines on the mapped item and the item found by SKU.
func TestQuickBooksOnlineFlagParksThenMapSKUPosts(t *testing.T) {
	s := orders.DefaultSettings()
	s.MissingProduct = orders.MissingFlag
	f := newOnlineFlow(t, s)
	ctx := context.Background()
	for _, it := range []qbosim.Object{
		{"Name": "Widget", "Sku": "WIDGET-1", "Type": "Service", "IncomeAccountRef": qbosim.Object{"value": "79"}},
		{"Name": "Gadget", "Type": "Service", "IncomeAccountRef": qbosim.Object{"value": "79"}},
	} {
		if _, err := f.sim.Create("Item", it); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("9001", "NEW-A", "WIDGET-1", "NEW-B")}); err != nil {
		t.Fatal(err)
	}
	f.post()
	o := f.order("9001")
	if o.State != db.OrderNeedsMapping || strings.Join(o.MissingSKUs, ",") != "NEW-A,NEW-B" {
		t.Fatalf("order %s %q, missing %v", o.State, o.StateReason, o.MissingSKUs)
	}
	if n := len(f.sim.Txns("SalesReceipt", "")); n != 0 {
		t.Fatalf("%d sales posted for a parked order", n)
	}
	f.mapProducts("Gadget", o.MissingSKUs)
	f.post()
	if o := f.order("9001"); o.State != db.OrderPosted {
		t.Fatalf("after mapping: %s (%s)", o.State, o.StateReason)
	}
	sales := f.sim.Txns("SalesReceipt", "9001")
	if len(sales) != 1 {
		t.Fatalf("%d sales", len(sales))
	}
	var items []string
	for _, l := range sales[0]["Line"].([]any) {
		if d, ok := l.(map[string]any)["SalesItemLineDetail"].(map[string]any); ok {
			items = append(items, fmt.Sprint(d["ItemRef"].(map[string]any)["name"]))
		}
	}
	if strings.Join(items, ",") != "Gadget,Widget,Gadget" {
		t.Fatalf("posted lines on %v", items)
	}
}

// TestQuickBooksOnlineWithoutSKUs: a company with the SKU preference off stores no Sku, so
// items are found by name: the items created for the first orders serve the next ones (a second
// creation would be refused as a duplicate name and the order would stay in error).
func TestQuickBooksOnlineWithoutSKUs(t *testing.T) {
	f := newOnlineFlow(t, orders.DefaultSettings())
	f.sim.SetSKUEnabled(false)
	s := shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 5})
	want := map[string]int64{}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for round, n := range []int{15, 15} {
		for _, o := range s.Generate(n, int64(5+round)) {
			want[o.OrderNumber] = cents(o.OrderTotal)
		}
		f.pullChannel("shipstation", srv.URL, ordersync.Credentials{APIKey: "key", APISecret: "secret"})
		if errs := f.post(); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	f.checkPostedOnce(want)
	for _, it := range f.sim.Items() {
		if it["Sku"] != nil {
			t.Fatalf("item %v kept a SKU with the preference off", it["Name"])
		}
	}
}
