package ordersync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/ledgerlink/ledgerlink/server/qbwc"
)

func TestMain(m *testing.M) {
	storenettest.AllowPrivateAddresses()
	dbtest.Main(m)
}

// flow is an account with a simulated ShipStation store and a simulated QuickBooks Desktop
// company behind our real SOAP route.
type flow struct {
	t        testing.TB
	d        *db.DB
	pipeline *ordersync.Pipeline
	store    *shipstationsim.Server
	conn     *db.StoreConnection
	qbdConn  *db.QBDConnection
	company  *qbdsim.Company
	soap     *httptest.Server
}

func newFlow(t *testing.T, nOrders int, settings orders.Settings) *flow {
	t.Helper()
	return newFlowTB(t, nOrders, settings, 0)
}

func newFlowTB(t testing.TB, nOrders int, settings orders.Settings, maxBatch int) *flow {
	t.Helper()
	ctx := context.Background()
	d := dbtest.DB(t)
	f := &flow{t: t, d: d}
	acct := dbtest.Account(t, d)
	hash, _ := auth.HashPassword("qbwc-password")
	f.qbdConn = dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: acct.ID, WCPasswordHash: hash})
	f.store = shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 7})
	f.store.Generate(nOrders, 7)
	storeSrv := httptest.NewServer(f.store)
	t.Cleanup(storeSrv.Close)
	sealer := dbtest.Sealer(t)
	settingsJSON, _ := json.Marshal(settings)
	f.conn = &db.StoreConnection{AccountID: acct.ID, Channel: "shipstation", Name: "ShipStation", BaseURL: storeSrv.URL,
		QBDConnectionID: &f.qbdConn.ID, Enabled: true, Settings: settingsJSON}
	creds, _ := json.Marshal(ordersync.Credentials{APIKey: "key", APISecret: "secret"})
	if err := d.CreateStoreConnection(ctx, f.conn, sealer, creds); err != nil {
		t.Fatal(err)
	}
	eng := &qbd.Engine{DB: d, Redis: dbtest.Redis(t), InDoubtGrace: time.Millisecond, MaxBatch: maxBatch}
	f.pipeline = &ordersync.Pipeline{DB: d, Engine: eng, Rules: rules.NewLoader(d)}
	f.pipeline.Register(eng)
	// Every message is checked against the XSD in tests; the benchmark measures Ledgerlink.
	_, bench := t.(*testing.B)
	f.company = qbdsim.New(qbdsim.Config{ValidateSchema: !bench})
	if err := f.company.Seed(); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/qbwc", &qbwc.Service{DB: d, Engine: eng, Version: "test"})
	f.soap = httptest.NewServer(mux)
	t.Cleanup(f.soap.Close)
	return f
}

// pull reads every order of the store through the real client and ingests it.
func (f *flow) pull() ordersync.Stats {
	f.t.Helper()
	return f.pullFrom(f.conn)
}

// runWebConnector runs sessions until QuickBooks has nothing more to do, and returns how many
// message sets it took.
func (f *flow) runWebConnector() int {
	f.t.Helper()
	sets := 0
	wc := &qbdsim.WebConnector{URL: f.soap.URL + "/qbwc", Username: f.qbdConn.WCUsername, Password: "qbwc-password",
		Company: f.company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond}
	for range 50 {
		rep, err := wc.Run(context.Background())
		if err != nil {
			f.t.Fatalf("web connector: %v (%s)", err, rep.LastError)
		}
		sets += rep.MessageSets
		if rep.NoWork || (rep.MessageSets == 0 && !rep.Busy) {
			return sets
		}
	}
	f.t.Fatal("QuickBooks never finished")
	return sets
}

func (f *flow) states() map[string]int {
	c, err := f.d.CountOrdersByState(context.Background(), f.conn.AccountID, f.conn.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// moveTo points the flow's store connection at channel's store at url, saved, as the pipeline
// reads it from the database.
func (f *flow) moveTo(channel, url string) {
	f.t.Helper()
	f.conn.Channel, f.conn.BaseURL = channel, url
	if _, err := dbtest.SQL(f.t).NewUpdate().Model(f.conn).Column("channel", "base_url").WherePK().Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// source moves the flow to channel's store at url (moveTo) and returns that store's client.
func (f *flow) source(channel, url string, creds ordersync.Credentials) ordersync.Source {
	f.t.Helper()
	f.moveTo(channel, url)
	src, err := channels.Sources(channel, url, creds)
	if err != nil {
		f.t.Fatal(err)
	}
	return src
}

// mapProducts maps each store SKU to the QuickBooks item and applies the mappings, as the
// merchant's Map SKU and resync do, and returns what ApplyMappings did.
func (f *flow) mapProducts(item string, skus []string) ordersync.MappingResult {
	f.t.Helper()
	ctx := context.Background()
	for _, sku := range skus {
		if err := f.d.SaveProductMapping(ctx, &db.ProductMapping{AccountID: f.conn.AccountID, Kind: ordersync.MapProduct,
			StoreValue: sku, ItemName: item}); err != nil {
			f.t.Fatal(err)
		}
	}
	res, err := f.pipeline.ApplyMappings(ctx, f.conn.AccountID, db.RuleActor{Name: "test"})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func TestStoreOrdersLandInQuickBooksExactlyOnceToTheCent(t *testing.T) {
	f := newFlow(t, 120, orders.DefaultSettings())
	st := f.pull()
	if st.New != 120 {
		t.Fatalf("first pull: %+v", st)
	}
	f.runWebConnector()
	states := f.states()
	if states[db.OrderPosted] != 120 {
		var bad []db.Order
		_ = dbtest.SQL(t).NewSelect().Model(&bad).Where("connection_id = ? AND state <> ?", f.conn.ID, db.OrderPosted).Limit(3).Scan(context.Background())
		for _, o := range bad {
			t.Logf("order %s: %s: %s", o.Number, o.State, o.StateReason)
		}
		t.Fatalf("states after posting: %v", states)
	}
	// Every store order is in QuickBooks once, with the store's total to the cent. Long order
	// numbers keep their last 11 characters, so a few orders share a RefNumber: compare the
	// sales under each RefNumber with the store orders that map to it.
	want := map[string][]int64{}
	for _, so := range f.store.Orders() {
		ref := qbxml.StoredRefNumber(so.OrderNumber)
		want[ref] = append(want[ref], int64(math.Round(so.OrderTotal*100)))
	}
	for ref, totals := range want {
		txns := f.company.Txns("SalesReceipt", ref)
		if len(txns) != len(totals) {
			t.Fatalf("RefNumber %s: %d sales in QuickBooks for %d store orders", ref, len(txns), len(totals))
		}
		var got []int64
		for _, tx := range txns {
			got = append(got, int64(math.Round(tx.TotalAmount*100)))
		}
		slices.Sort(got)
		slices.Sort(totals)
		if !slices.Equal(got, totals) {
			t.Errorf("RefNumber %s: QuickBooks totals %v, store totals %v", ref, got, totals)
		}
	}
	// Each sale is under the customer "Last, First" (the default matching), written here by hand
	// for every buyer the simulated store has; a name QuickBooks cannot store in Latin-1 falls
	// back to the buyer's e-mail as the store sent it.
	lastFirst := map[string]string{
		"Olivia Martinez": "Martinez, Olivia", "Liam O'Connor": "O'Connor, Liam", "Ava Chen": "Chen, Ava",
		"Noah Williams": "Williams, Noah", "José Núñez": "Núñez, José", "Zoë Van der Berg": "Berg, Zoë Van der",
		"Nguyễn Thị Hương": "Huong, Nguyen Thi", "Kwame Mensah-Bonsu": "Mensah-Bonsu, Kwame", "Jürgen Müller": "Müller, Jürgen",
		"Siobhán O'Sullivan": "O'Sullivan, Siobhán", "Émilie Tremblay": "Tremblay, Émilie", "Aiden Thompson": "Thompson, Aiden",
		"Priya Raghunathan": "Raghunathan, Priya",
	}
	byEmail := map[string]bool{"محمد الفارسي": true, "山田 太郎": true, "Иван Петров": true, "Ελένη Παπαδοπούλου": true, "김민준": true, "王小明": true}
	storeOrders := map[string]shipstationsim.Order{}
	for _, so := range f.store.Orders() {
		storeOrders[strconv.FormatInt(so.OrderID, 10)] = so
	}
	var rows []db.Order
	if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", f.conn.ID).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		so := storeOrders[row.ExternalID]
		name, ok := lastFirst[so.BillTo.Name]
		if byEmail[so.BillTo.Name] && so.CustomerEmail != nil {
			name, ok = *so.CustomerEmail, true
		}
		if !ok {
			t.Fatalf("order %s: the test has no expected customer for buyer %q", row.Number, so.BillTo.Name)
		}
		if _, err := f.company.Customer(name); err != nil {
			t.Errorf("order %s: customer %q not in QuickBooks: %v", row.Number, name, err)
		}
		entry, err := f.d.GetQBDLedgerEntry(context.Background(), f.qbdConn.ID, posting.DocKey(row.ID))
		if err != nil {
			t.Fatalf("order %s: %v", row.Number, err)
		}
		if txn, err := f.company.Txn(entry.QBID); err != nil || !strings.EqualFold(txn.CustomerFullName, name) {
			t.Errorf("order %s: QuickBooks sale %s is under %q, want %q (%v)", row.Number, entry.QBID, txn.CustomerFullName, name, err)
		}
	}
	// Pulling again changes nothing and posts nothing.
	if st := f.pull(); st.New != 0 || st.Unchanged != 120 || st.Queued != 0 {
		t.Fatalf("second pull: %+v", st)
	}
	f.runWebConnector()
	if n := len(f.company.Txns("SalesReceipt", "")); n != 120 {
		t.Fatalf("QuickBooks holds %d sales receipts after a re-pull, want 120", n)
	}
	// The audit trail of an order tells the whole story.
	var one db.Order
	if err := dbtest.SQL(t).NewSelect().Model(&one).Where("connection_id = ?", f.conn.ID).Limit(1).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	events, _ := f.d.ListOrderEvents(context.Background(), f.conn.AccountID, one.ID)
	kinds := map[string]bool{}
	for _, e := range events {
		kinds[e.Kind] = true
	}
	for _, k := range []string{"received", "matching", "qbxml", "quickbooks"} {
		if !kinds[k] {
			t.Errorf("audit trail of order %s lacks %q: %+v", one.Number, k, events)
		}
	}
}

func TestMissingProductFlagParksOrdersForMapping(t *testing.T) {
	s := orders.DefaultSettings()
	s.MissingProduct = orders.MissingFlag
	f := newFlow(t, 30, s)
	f.pull()
	f.runWebConnector()
	states := f.states()
	if states[db.OrderNeedsMapping] == 0 || states[db.OrderPosted] != 0 {
		t.Fatalf("with Missing Product Action = flag and a company without the store's SKUs: %v", states)
	}
	var parked db.Order
	if err := dbtest.SQL(t).NewSelect().Model(&parked).Where("connection_id = ? AND state = ?", f.conn.ID, db.OrderNeedsMapping).Limit(1).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if parked.StateReason == "" || len(parked.MissingSKUs) == 0 {
		t.Fatalf("a parked order must say which SKUs to map: %s %v", parked.StateReason, parked.MissingSKUs)
	}
	// The log's hints follow the store's Missing Product Action: Ledgerlink does not create the
	// item here, the merchant maps it (issue 17).
	var logs []db.SyncLog
	if err := dbtest.SQL(t).NewSelect().Model(&logs).Where("account_id = ?", f.conn.AccountID).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	itemLogs := 0
	for _, l := range logs {
		if l.Hint == nil || !strings.Contains(l.Message, "QuickBooks Item") {
			continue
		}
		itemLogs++
		if strings.Contains(*l.Hint, "creates missing") || !strings.Contains(*l.Hint, "Missing Product Mapping") {
			t.Fatalf("log %q hints %q: with the flag action the merchant maps the SKU", l.Message, *l.Hint)
		}
		// Named by the order's number, with its id for the Logs page's link.
		var d struct{ OrderID int64 }
		_ = json.Unmarshal(l.Details, &d)
		var o db.Order
		if err := dbtest.SQL(t).NewSelect().Model(&o).Where("id = ?", d.OrderID).Scan(context.Background()); err != nil {
			t.Fatalf("log %q names no order (%s): %v", l.Message, l.Details, err)
		}
		if !strings.HasPrefix(l.Message, "Order "+o.Number+" (SalesReceiptAdd): ") {
			t.Fatalf("log %q should start with the order's number %s", l.Message, o.Number)
		}
	}
	if itemLogs == 0 {
		t.Fatalf("no log line about the missing items: %+v", logs)
	}
	// The merchant maps each missing SKU to an existing item and resyncs: the mappings become
	// Map SKU rules and the orders post. The item list is read in the same Web Connector run,
	// so every unknown SKU of an order is listed at once: one round of mapping is enough.
	ctx := context.Background()
	mapped := map[string]bool{}
	for round := 0; ; round++ {
		missing, err := f.d.ListMissingSKUs(ctx, f.conn.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) == 0 {
			break
		}
		if round == 1 {
			t.Fatalf("still missing after a round of mapping every listed SKU: %+v", missing)
		}
		var skus []string
		for _, m := range missing {
			if mapped[m.SKU] {
				t.Fatalf("SKU %s parks orders again after it was mapped", m.SKU)
			}
			mapped[m.SKU] = true
			skus = append(skus, m.SKU)
		}
		if res := f.mapProducts("Widget", skus); res.RulesCreated != len(missing) {
			t.Fatalf("rules created %d for %d mappings", res.RulesCreated, len(missing))
		}
		f.runWebConnector()
	}
	if left, _ := f.d.ListProductMappings(ctx, f.conn.AccountID); len(left) != 0 {
		t.Fatalf("mappings left after they became rules: %+v", left)
	}
	states = f.states()
	if states[db.OrderPosted] != 30 {
		t.Fatalf("after mapping: %v", states)
	}
	var ruleNames []string
	if err := dbtest.SQL(t).NewSelect().Table("rules").Column("name").Where("account_id = ?", f.conn.AccountID).Scan(ctx, &ruleNames); err != nil {
		t.Fatal(err)
	}
	if len(ruleNames) != len(mapped) {
		t.Fatalf("rules %v for %d mapped SKUs", ruleNames, len(mapped))
	}
	// The audit trail of a mapped order names the rule that changed it.
	events, _ := f.d.ListOrderEvents(ctx, f.conn.AccountID, parked.ID)
	named := false
	for _, e := range events {
		if e.Kind == "rule" && strings.Contains(e.Message, "Map SKU") {
			named = true
		}
	}
	if !named {
		t.Fatalf("audit trail of order %s does not name the Map SKU rule: %+v", parked.Number, events)
	}
}

// TestRulesChangeOrdersOnTheirWayIntoQuickBooks: a prefix, a class, an exclusion and a Map SKU
// rule change real simulated orders before they reach the simulated company, and each order's
// audit trail names the rules that changed it.
func TestRulesChangeOrdersOnTheirWayIntoQuickBooks(t *testing.T) {
	f := newFlow(t, 60, orders.DefaultSettings())
	ctx := context.Background()
	sku := ""
	for _, so := range f.store.Orders() {
		if len(so.Items) > 0 && so.Items[0].SKU != nil && *so.Items[0].SKU != "" {
			sku = *so.Items[0].SKU
			break
		}
	}
	for _, r := range []rules.Rule{
		{Name: "Web prefix", Enabled: true, Pipelines: []rules.Pipeline{rules.OrdersToQuickBooks}, Match: rules.MatchAll,
			Conditions: []rules.Condition{{Field: "channel", Op: rules.OpEquals, Value: "shipstation"}},
			Actions:    []rules.Action{{Type: rules.ActSet, Field: "refPrefix", Value: "W"}, {Type: rules.ActSet, Field: "class", Value: "Online"}}},
		{Name: "Skip cancelled", Enabled: true, Pipelines: []rules.Pipeline{rules.OrdersToQuickBooks}, Match: rules.MatchAll,
			Conditions: []rules.Condition{{Field: "status", Op: rules.OpEquals, Value: "cancelled"}},
			Actions:    []rules.Action{{Type: rules.ActExclude, Reason: "cancelled orders are not booked"}}},
		rules.MapSKU(sku, "Widget"),
	} {
		v, err := rules.Validate(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.d.CreateRule(ctx, rules.ToDB(f.conn.AccountID, v), db.RuleActor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	f.pull()
	f.runWebConnector()

	cancelled, posted := 0, 0
	for _, so := range f.store.Orders() {
		var row db.Order
		if err := dbtest.SQL(t).NewSelect().Model(&row).Where("connection_id = ? AND number = ?", f.conn.ID, so.OrderNumber).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		events, _ := f.d.ListOrderEvents(ctx, f.conn.AccountID, row.ID)
		ruled := map[string]bool{}
		for _, e := range events {
			if e.Kind == "rule" {
				for _, name := range []string{"Web prefix", "Skip cancelled", "Map SKU " + sku} {
					if strings.Contains(e.Message, name) {
						ruled[name] = true
					}
				}
			}
		}
		if so.OrderStatus == "cancelled" {
			cancelled++
			if row.State != db.OrderExcluded || !strings.Contains(row.StateReason, "cancelled orders are not booked") || !ruled["Skip cancelled"] {
				t.Errorf("cancelled order %s: %s %q, rules %v", so.OrderNumber, row.State, row.StateReason, ruled)
			}
			if n, _ := dbtest.SQL(t).NewSelect().Model((*db.QBDWorkItem)(nil)).Where("doc_key = ?", posting.DocKey(row.ID)).Count(ctx); n != 0 {
				t.Errorf("excluded order %s was queued for QuickBooks", so.OrderNumber)
			}
			continue
		}
		posted++
		if row.State != db.OrderPosted || !ruled["Web prefix"] {
			t.Errorf("order %s: %s %q, rules %v", so.OrderNumber, row.State, row.StateReason, ruled)
			continue
		}
		txns := f.company.Txns("SalesReceipt", qbxml.StoredRefNumber("W"+so.OrderNumber))
		if len(txns) == 0 {
			t.Errorf("order %s is not in QuickBooks under its prefixed number", so.OrderNumber)
			continue
		}
		usesSKU := false
		for _, it := range so.Items {
			usesSKU = usesSKU || (it.SKU != nil && *it.SKU == sku)
		}
		if usesSKU {
			if !ruled["Map SKU "+sku] {
				t.Errorf("order %s has SKU %s but its trail does not name the Map SKU rule", so.OrderNumber, sku)
			}
			widget := false
			for _, tx := range txns {
				for _, l := range tx.Lines {
					widget = widget || l.ItemFullName == "Widget"
				}
			}
			if !widget {
				t.Errorf("order %s: SKU %s was not posted to Widget", so.OrderNumber, sku)
			}
		}
		var w db.QBDWorkItem
		if err := dbtest.SQL(t).NewSelect().Model(&w).Where("doc_key = ?", posting.DocKey(row.ID)).Scan(ctx); err != nil ||
			!strings.Contains(w.Request, "<ClassRef><FullName>Online</FullName></ClassRef>") {
			t.Errorf("order %s: class not sent (%v)", so.OrderNumber, err)
		}
	}
	if cancelled == 0 || posted == 0 {
		t.Fatalf("the generated store has %d cancelled and %d other orders; the test needs both", cancelled, posted)
	}
}

// TestInvoiceAndPayment: with transaction type "invoice", a paid order becomes an invoice and,
// once QuickBooks has numbered it, a payment applied to it; the invoice ends fully paid.
func TestInvoiceAndPayment(t *testing.T) {
	s := orders.DefaultSettings()
	s.TransactionType = orders.PostInvoice
	f := newFlow(t, 25, s)
	f.pull()
	f.runWebConnector()
	f.runWebConnector() // payments are queued when the invoices are answered
	states := f.states()
	if states[db.OrderPosted] != 25 {
		t.Fatalf("states: %v", states)
	}
	invoices := f.company.Txns("Invoice", "")
	payments := f.company.Txns("ReceivePayment", "")
	if len(invoices) != 25 || len(payments) == 0 {
		t.Fatalf("%d invoices, %d payments", len(invoices), len(payments))
	}
	paid := 0
	for _, inv := range invoices {
		if inv.BalanceRemaining == 0 {
			paid++
		}
	}
	if paid != len(payments) {
		t.Fatalf("%d invoices fully paid for %d payments", paid, len(payments))
	}
}

// TestResyncsAndDroppedAnswersNeverPostTwice: with a tenth of the Web Connector's answers lost
// after QuickBooks applied them, repeated pulls and resyncs of every order, each store order is
// still in QuickBooks exactly once.
func TestResyncsAndDroppedAnswersNeverPostTwice(t *testing.T) {
	f := newFlowTB(t, 80, orders.DefaultSettings(), 7)
	ctx := context.Background()
	f.pull()
	wc := &qbdsim.WebConnector{URL: f.soap.URL + "/qbwc", Username: f.qbdConn.WCUsername, Password: "qbwc-password",
		Company: f.company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond}
	dropped := 0
	for i := range 120 {
		wc.Faults = qbdsim.Faults{}
		if i%3 == 0 {
			wc.Faults.DropAfterApply = 1 + i%4
			dropped++
		}
		if i%5 == 4 { // the merchant hits "resync" on everything meanwhile, and pulls again
			var ids []int64
			if err := dbtest.SQL(t).NewSelect().Table("orders").Column("id").Where("connection_id = ?", f.conn.ID).Scan(ctx, &ids); err != nil {
				t.Fatal(err)
			}
			if _, err := f.pipeline.Resync(ctx, f.conn.AccountID, ids); err != nil {
				t.Fatal(err)
			}
			f.pull()
		}
		rep, err := wc.Run(ctx)
		if err != nil && !errors.Is(err, qbdsim.ErrConnectionDropped) {
			t.Fatalf("session %d: %v", i, err)
		}
		if rep.NoWork {
			break
		}
	}
	f.runWebConnector()
	if states := f.states(); states[db.OrderPosted] != 80 {
		t.Fatalf("states: %v", states)
	}
	seen := map[string]int{}
	for _, tx := range f.company.Txns("SalesReceipt", "") {
		seen[tx.TxnID]++
	}
	var entries []db.QBDLedgerEntry
	if err := dbtest.SQL(t).NewSelect().Model(&entries).Where("connection_id = ? AND doc_key LIKE 'order:%'", f.qbdConn.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 80 || len(f.company.Txns("SalesReceipt", "")) != 80 {
		t.Fatalf("%d ledger entries, %d sales receipts in QuickBooks, want 80 each (%d sessions dropped an answer)",
			len(entries), len(f.company.Txns("SalesReceipt", "")), dropped)
	}
}

// TestItemListReadFromQuickBooks: the item list comes in through the Web Connector.
func TestItemListReadFromQuickBooks(t *testing.T) {
	f := newFlow(t, 0, orders.DefaultSettings())
	ctx := context.Background()
	if err := f.pipeline.RefreshItemList(ctx, f.conn.AccountID, f.qbdConn.ID); err != nil {
		t.Fatal(err)
	}
	f.runWebConnector()
	res, err := f.d.SearchQBItems(ctx, f.conn.AccountID, f.qbdConn.ID, "", db.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]db.QBItem{}
	for _, it := range res.Items {
		byName[it.FullName] = it
	}
	w, ok := byName["Widget"]
	if !ok || w.Source != "quickbooks" || w.ItemType != "ItemInventory" || w.QuantityOnHand != "100" || len(res.Items) < 5 {
		t.Fatalf("items read: %d, Widget %+v", len(res.Items), w)
	}
}

// TestOrdersShowSentWhileQuickBooksWorks: an order whose sale the Web Connector has taken is
// "sent" until QuickBooks answers.
func TestOrdersShowSentWhileQuickBooksWorks(t *testing.T) {
	s := orders.DefaultSettings()
	s.CreateMissingCustomers = false // the sales go in the first message set
	s.CustomerMatch = orders.MatchSingle
	s.SingleCustomer = "Web Store"
	f := newFlow(t, 5, s)
	f.pull()
	wc := &qbdsim.WebConnector{URL: f.soap.URL + "/qbwc", Username: f.qbdConn.WCUsername, Password: "qbwc-password",
		Company: f.company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond, Faults: qbdsim.Faults{DropBeforeApply: 2}} // 1: the duplicate check, 2: the sales
	if _, err := wc.Run(context.Background()); !errors.Is(err, qbdsim.ErrConnectionDropped) {
		t.Fatalf("session: %v", err)
	}
	if states := f.states(); states[db.OrderSent] != 5 {
		t.Fatalf("states while QuickBooks has the message: %v", states)
	}
}

// handEnter keys a sale into QuickBooks as a person would: no Ledgerlink marker.
func (f *flow) handEnter(kind, ref, date string) {
	f.t.Helper()
	msg := `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` +
		`<` + kind + `AddRq><` + kind + `Add><CustomerRef><FullName>Walk-in Customer</FullName></CustomerRef><TxnDate>` + date + `</TxnDate>` +
		`<RefNumber>` + ref + `</RefNumber><` + kind + `LineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity><Amount>10.00</Amount></` + kind + `LineAdd>` +
		`</` + kind + `Add></` + kind + `AddRq></QBXMLMsgsRq></QBXML>`
	out, err := f.company.ProcessQBXML(msg)
	if err != nil || !strings.Contains(out, `statusCode="0"`) {
		f.t.Fatalf("entering %s %s by hand: %v %s", kind, ref, err, out)
	}
}

// runWithDrops runs Web Connector sessions that each lose QuickBooks' answer to one message set
// after QuickBooks applied it, until QuickBooks has nothing more to do; then one clean run.
func (f *flow) runWithDrops() {
	f.t.Helper()
	wc := &qbdsim.WebConnector{URL: f.soap.URL + "/qbwc", Username: f.qbdConn.WCUsername, Password: "qbwc-password",
		Company: f.company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond}
	for i := range 150 {
		// Every session loses the answer to its first, second, third or fourth message set.
		wc.Faults = qbdsim.Faults{DropAfterApply: 1 + i%4}
		rep, err := wc.Run(context.Background())
		if err != nil && !errors.Is(err, qbdsim.ErrConnectionDropped) {
			f.t.Fatalf("session %d: %v", i, err)
		}
		if rep.NoWork || (rep.MessageSets == 0 && !rep.Busy) {
			break
		}
	}
	f.runWebConnector()
}

// TestSalesOrdersAreCheckedForDuplicatesAndSurviveLostAnswers (issue 9 item 3): posted as sales
// orders, with every Web Connector session losing an answer after QuickBooks applied them, every
// store order is in QuickBooks exactly once and none is left as an error for a person to check;
// a sales order someone keyed in by hand with the same number and date blocks its twin.
func TestSalesOrdersAreCheckedForDuplicatesAndSurviveLostAnswers(t *testing.T) {
	s := orders.DefaultSettings()
	s.TransactionType = orders.PostSalesOrder
	f := newFlowTB(t, 20, s, 4)
	ctx := context.Background()
	if st := f.pull(); st.Queued != 20 {
		t.Fatalf("pull: %+v", st)
	}
	var rows []db.Order
	if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", f.conn.ID).OrderExpr("id").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	var twin db.Order
	for _, r := range rows {
		if len(r.Number) <= qbxml.MaxRefNumber {
			twin = r
			break
		}
	}
	var o orders.Order
	_ = json.Unmarshal(twin.Normalized, &o)
	f.handEnter("SalesOrder", twin.Number, qbxml.DateOf(o.CreatedAt).String())

	f.runWithDrops()
	states := f.states()
	if states[db.OrderPosted] != 19 || states[db.OrderSkippedDuplicate] != 1 {
		var bad []db.Order
		_ = dbtest.SQL(t).NewSelect().Model(&bad).Where("connection_id = ? AND state <> ?", f.conn.ID, db.OrderPosted).Limit(5).Scan(ctx)
		for _, b := range bad {
			t.Logf("order %s: %s: %s", b.Number, b.State, b.StateReason)
		}
		t.Fatalf("states: %v", states)
	}
	if err := dbtest.SQL(t).NewSelect().Model(&twin).WherePK().Scan(ctx); err != nil || twin.State != db.OrderSkippedDuplicate {
		t.Fatalf("the order whose twin was keyed in by hand: %s %q (%v)", twin.State, twin.StateReason, err)
	}
	// QuickBooks holds the 19 posted sales orders once each, plus the one keyed in by hand.
	if n := len(f.company.Txns("SalesOrder", "")); n != 20 {
		t.Fatalf("QuickBooks holds %d sales orders, want 20", n)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		entry, err := f.d.GetQBDLedgerEntry(ctx, f.qbdConn.ID, posting.DocKey(r.ID))
		if err != nil {
			t.Fatalf("order %s: %v", r.Number, err)
		}
		if seen[entry.QBID] && r.ID != twin.ID {
			t.Fatalf("order %s shares QuickBooks sales order %s with another order", r.Number, entry.QBID)
		}
		seen[entry.QBID] = true
	}
	if n, _ := dbtest.SQL(t).NewSelect().Model((*db.QBDWorkItem)(nil)).Where("connection_id = ? AND status = ?", f.qbdConn.ID, db.WorkFailed).Count(ctx); n != 0 {
		t.Fatalf("%d QuickBooks requests failed", n)
	}
}

// addStore connects a second simulated ShipStation account to the flow's QuickBooks company,
// generated from the same seed as the first: the same order numbers on the same dates.
func (f *flow) addStore(name string, nOrders int) *db.StoreConnection {
	f.t.Helper()
	store := shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 7})
	store.Generate(nOrders, 7)
	srv := httptest.NewServer(store)
	f.t.Cleanup(srv.Close)
	sealer, _ := db.NewSealer("0123456789abcdef0123456789abcdef")
	conn := &db.StoreConnection{AccountID: f.conn.AccountID, Channel: "shipstation", Name: name, BaseURL: srv.URL,
		QBDConnectionID: &f.qbdConn.ID, Enabled: true, Settings: f.conn.Settings}
	creds, _ := json.Marshal(ordersync.Credentials{APIKey: "key", APISecret: "secret"})
	if err := f.d.CreateStoreConnection(context.Background(), conn, sealer, creds); err != nil {
		f.t.Fatal(err)
	}
	return conn
}

// pullFrom reads every order of conn's store through the real client and ingests it.
func (f *flow) pullFrom(conn *db.StoreConnection) ordersync.Stats {
	f.t.Helper()
	return f.pullWith(conn, ordersync.Credentials{APIKey: "key", APISecret: "secret"})
}

// pullWith is pullFrom with the store's credentials creds.
func (f *flow) pullWith(conn *db.StoreConnection, creds ordersync.Credentials) ordersync.Stats {
	f.t.Helper()
	src, err := channels.Sources(conn.Channel, conn.BaseURL, creds)
	if err != nil {
		f.t.Fatal(err)
	}
	var total ordersync.Stats
	err = src.Orders(context.Background(), ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -3, 0), UpdatedTo: time.Now().Add(time.Hour)},
		func(page []ordersync.Fetched) error {
			st, err := f.pipeline.Ingest(context.Background(), conn, page)
			total.Add(st)
			return err
		})
	if err != nil {
		f.t.Fatal(err)
	}
	return total
}

// TestTwoStoresWithTheSameNumbersBothPostOnce (issue 9 item 2): two store connections whose
// orders share numbers and dates both post, each order exactly once, through Web Connector
// sessions that lose answers after QuickBooks applied them; a sale keyed into QuickBooks by
// hand (no Ledgerlink marker) with an order's number and date still blocks that order.
func TestTwoStoresWithTheSameNumbersBothPostOnce(t *testing.T) {
	const n = 16
	f := newFlowTB(t, n, orders.DefaultSettings(), 4)
	ctx := context.Background()
	second := f.addStore("ShipStation EU", n)
	if st := f.pull(); st.Queued != n {
		t.Fatalf("first store: %+v", st)
	}
	numbers := func(conn *db.StoreConnection) []string {
		var rows []db.Order
		if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", conn.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			var o orders.Order
			_ = json.Unmarshal(r.Normalized, &o)
			out = append(out, r.Number+" "+qbxml.DateOf(o.CreatedAt).String())
		}
		slices.Sort(out)
		return out
	}
	first := numbers(f.conn)
	// Someone keys the first short-numbered order into QuickBooks by hand.
	var twin string
	for _, nd := range first {
		if num, date, _ := strings.Cut(nd, " "); len(num) <= qbxml.MaxRefNumber {
			twin = num
			f.handEnter("SalesReceipt", num, date)
			break
		}
	}
	// The first store's orders post; then the second store's, whose numbers and dates are
	// the same, are pulled and posted.
	f.runWithDrops()
	if st := f.pullFrom(second); st.Queued != n {
		t.Fatalf("second store: %+v", st)
	}
	if !slices.Equal(first, numbers(second)) {
		t.Fatalf("the two stores' orders differ: %v / %v", first, numbers(second))
	}
	f.runWithDrops()
	for _, conn := range []*db.StoreConnection{f.conn, second} {
		states, err := f.d.CountOrdersByState(ctx, conn.AccountID, conn.ID)
		if err != nil {
			t.Fatal(err)
		}
		if states[db.OrderPosted] != n-1 || states[db.OrderSkippedDuplicate] != 1 {
			t.Errorf("%s: states %v, want %d posted and the hand-entered twin skipped", conn.Name, states, n-1)
		}
		var skipped db.Order
		if err := dbtest.SQL(t).NewSelect().Model(&skipped).Where("connection_id = ? AND state = ?", conn.ID, db.OrderSkippedDuplicate).Limit(1).Scan(ctx); err == nil && skipped.Number != twin {
			t.Errorf("%s: order %s skipped as a duplicate, but only %s was keyed in by hand", conn.Name, skipped.Number, twin)
		}
	}
	// QuickBooks holds each store's posted orders once (two sales per number) plus the hand sale.
	if got := len(f.company.Txns("SalesReceipt", "")); got != 2*(n-1)+1 {
		t.Errorf("QuickBooks holds %d sales receipts, want %d", got, 2*(n-1)+1)
	}
	if got := len(f.company.Txns("SalesReceipt", twin)); got != 1 {
		t.Errorf("number %s, keyed in by hand, is in QuickBooks %d times", twin, got)
	}
	byTxn := map[string]string{}
	var entries []db.QBDLedgerEntry
	if err := dbtest.SQL(t).NewSelect().Model(&entries).Where("connection_id = ? AND doc_key LIKE 'order:%'", f.qbdConn.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if other, ok := byTxn[e.QBID]; ok {
			txn, _ := f.company.Txn(e.QBID)
			if txn.RefNumber != twin {
				t.Errorf("%s and %s are both QuickBooks sale %s", other, e.DocKey, e.QBID)
			}
		}
		byTxn[e.QBID] = e.DocKey
	}
	if len(entries) != 2*n {
		t.Errorf("%d ledger entries for %d orders", len(entries), 2*n)
	}
}

// TestScopeNamesTheStoreOfOrderDocuments: the engine's Scope hook names the store connection of
// an order's sale and payment (for markers posted before they named the store), only within
// the account, and nothing for documents that are not orders'.
func TestScopeNamesTheStoreOfOrderDocuments(t *testing.T) {
	f := newFlow(t, 2, orders.DefaultSettings())
	ctx := context.Background()
	f.pull()
	var ids []int64
	if err := dbtest.SQL(t).NewSelect().Table("orders").Column("id").Where("connection_id = ?", f.conn.ID).Scan(ctx, &ids); err != nil {
		t.Fatal(err)
	}
	keys := []string{fmt.Sprintf("order:%d", ids[0]), fmt.Sprintf("payment:%d", ids[1]), "customer:jane doe", "order:999999999"}
	err := f.d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		got, err := f.pipeline.Scope(ctx, tx, f.conn.AccountID, keys)
		if err != nil {
			return err
		}
		want := map[string]string{keys[0]: fmt.Sprintf("S%d", f.conn.ID), keys[1]: fmt.Sprintf("S%d", f.conn.ID)}
		if !maps.Equal(got, want) {
			t.Errorf("scopes %v, want %v", got, want)
		}
		if other, err := f.pipeline.Scope(ctx, tx, f.conn.AccountID+1000000, keys); err != nil || len(other) != 0 {
			t.Errorf("another account sees scopes %v (%v)", other, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
