package qbd_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/ledgerlink/ledgerlink/server/qbwc"
)

// world is one account with a QuickBooks Desktop connection, our real SOAP route served over
// HTTP, and a simulated QuickBooks company behind a simulated Web Connector.
type world struct {
	t        testing.TB
	d        *db.DB
	conn     *db.QBDConnection
	password string
	company  *qbdsim.Company
	srv      *httptest.Server
	// handler is swapped to simulate a server restart: the new one shares nothing in memory.
	handler atomic.Pointer[http.Handler]
	calls   atomic.Int64
	// restartAt restarts the server before the given call number (0 = never).
	restartAt int64
	// grace: how long a lost message set's documents not found in QuickBooks wait before they
	// are sent again (0: the engine's default).
	grace   time.Duration
	repair  func(context.Context, *db.QBDWorkItem, qbd.InvalidRef) (*qbd.Item, error)
	settled func(context.Context, bun.Tx, *db.QBDWorkItem, qbd.Outcome) error
	scope   func(context.Context, bun.Tx, int64, []string) (map[string]string, error)
}

var worldSeq atomic.Int64

func newWorld(t testing.TB, maxBatch int, grace time.Duration) *world {
	t.Helper()
	d := dbtest.DB(t)
	n := worldSeq.Add(1)
	acct := dbtest.Account(t, d)
	w := &world{t: t, d: d, password: "correct-horse-qbwc"}
	hash, err := auth.HashPassword(w.password)
	if err != nil {
		t.Fatal(err)
	}
	w.conn = dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: acct.ID, WCUsername: fmt.Sprintf("wc-e2e-%d-%d", time.Now().UnixNano(), n),
		WCPasswordHash: hash})
	w.company = qbdsim.New(qbdsim.Config{ValidateSchema: true})
	if err := w.company.Seed(); err != nil {
		t.Fatal(err)
	}
	w.grace = grace
	w.install(maxBatch)
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if c := w.calls.Add(1); w.restartAt > 0 && c == w.restartAt {
			w.install(maxBatch) // the process died and came back: fresh pools, no memory
		}
		(*w.handler.Load()).ServeHTTP(rw, r)
	}))
	t.Cleanup(w.srv.Close)
	return w
}

// install builds the SOAP route from scratch, with its own Postgres pool and Redis client.
func (w *world) install(maxBatch int) {
	d, err := db.Open(context.Background(), dbtest.DatabaseURL(w.t))
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { d.Close() })
	opt, _ := redis.ParseURL(dbtest.RedisURL(w.t))
	rdb := redis.NewClient(opt)
	w.t.Cleanup(func() { rdb.Close() })
	eng := &qbd.Engine{DB: d, Redis: rdb, MaxBatch: maxBatch, InDoubtGrace: w.grace}
	// The world's hooks own every kind of document its tests queue.
	hooks := qbd.Hooks{OnSettled: w.settled, OnScope: w.scope}
	if w.repair != nil {
		hooks.OnRepair = func(ctx context.Context, _ bun.Tx, failed *db.QBDWorkItem, ref qbd.InvalidRef) (*qbd.Item, error) {
			return w.repair(ctx, failed, ref)
		}
	}
	for _, kind := range []string{qbd.KindOrder, qbd.KindCustomer, qbd.KindItem} {
		eng.Handle(kind, hooks)
	}
	var h http.Handler = &qbwc.Service{DB: d, Engine: eng, Version: "test"}
	w.handler.Store(&h)
}

func (w *world) engine() *qbd.Engine {
	return &qbd.Engine{DB: w.d, Redis: dbtest.Redis(w.t)}
}

func (w *world) webConnector(faults qbdsim.Faults) *qbdsim.WebConnector {
	return &qbdsim.WebConnector{URL: w.srv.URL, Username: w.conn.WCUsername, Password: w.password, Company: w.company,
		ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond, ExchangeTimeout: 30 * time.Second, Faults: faults}
}

// order is one sale of the workload: a customer (created once), lines on items, a RefNumber.
type order struct {
	ref, customer string
	lines         []qbxml.Line
	total         int64 // cents
}

// enqueue queues customers, new items and sales receipts with dependencies and lookups, the
// way the order pipeline does, and returns the orders.
func (w *world) enqueue(nOrders int) []order {
	w.t.Helper()
	ctx := context.Background()
	e := w.engine()
	names := []string{"Zoë Łukasiewicz", "Jane O'Neil", "李小龍", "Ana María Núñez", "Web Store"}
	custIDs := map[string]int64{}
	for _, name := range names {
		res, err := e.Enqueue(ctx, qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID, DocKey: "customer:" + name,
			Request: qbxml.CustomerAdd{Name: name}, Lookup: &qbd.Lookup{Type: qbd.LookupCustomer, Value: name}})
		if err != nil {
			w.t.Fatal(err)
		}
		custIDs[name] = res.Item.ID
	}
	itemIDs := map[string]int64{}
	for _, sku := range []string{"TSHIRT-RED-L", "MUG-BLUE", "SOCKS-3PK"} {
		res, err := e.Enqueue(ctx, qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID, DocKey: "item:" + sku,
			Request: qbxml.ItemNonInventoryAdd{Name: sku, SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: sku, AccountRef: qbxml.ByName("Sales")}},
			Lookup:  &qbd.Lookup{Type: qbd.LookupItem, Value: sku}})
		if err != nil {
			w.t.Fatal(err)
		}
		itemIDs[sku] = res.Item.ID
	}
	skus := []string{"TSHIRT-RED-L", "MUG-BLUE", "SOCKS-3PK"}
	var out []order
	for i := range nOrders {
		o := order{ref: fmt.Sprintf("SHOP-2026-%06d", 1000+i), customer: names[i%len(names)]}
		deps := []int64{custIDs[o.customer]}
		for j := 0; j <= i%3; j++ {
			sku := skus[(i+j)%len(skus)]
			qty := int64(1 + (i+j)%4)
			cents := int64(999 + 250*j)
			o.lines = append(o.lines, qbxml.Line{ItemRef: qbxml.ByName(sku), Desc: sku, Quantity: qbxml.Ptr(qbxml.Units(qty)),
				Amount: qbxml.Ptr(qbxml.Cents(qty * cents))})
			o.total += qty * cents
			deps = append(deps, itemIDs[sku])
		}
		docKey := "order:shop:" + o.ref
		_, err := e.Enqueue(ctx, qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID, DocKey: docKey,
			Request: qbxml.SalesReceiptAdd{CustomerRef: qbxml.ByName(o.customer), RefNumber: o.ref,
				TxnDate: qbxml.Date{Year: 2026, Month: 11, Day: 20}, DepositToAccountRef: qbxml.ByName("Undeposited Funds"),
				Memo: "Order " + o.ref, Other: qbd.Marker(docKey), Lines: o.lines},
			Lookup:    &qbd.Lookup{Type: qbd.LookupSalesReceipt, Value: o.ref, Marker: qbd.Marker(docKey)},
			DependsOn: deps})
		if err != nil {
			w.t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

// assertExactlyOnce checks the company holds every customer, item and sale exactly once with
// the right totals, and that the ledger agrees.
func (w *world) assertExactlyOnce(orders []order) {
	w.t.Helper()
	ctx := context.Background()
	for _, o := range orders {
		ref := qbxml.StoredRefNumber(o.ref)
		txns := w.company.Txns("SalesReceipt", ref)
		if len(txns) != 1 {
			w.t.Fatalf("order %s is in QuickBooks %d times", o.ref, len(txns))
		}
		if got := int64(math.Round(txns[0].TotalAmount * 100)); got != o.total {
			w.t.Errorf("order %s total %d cents, want %d", o.ref, got, o.total)
		}
		entry, err := w.d.GetQBDLedgerEntry(ctx, w.conn.ID, "order:shop:"+o.ref)
		if err != nil || entry.QBID != txns[0].TxnID {
			w.t.Errorf("ledger for %s: %+v %v (QuickBooks TxnID %s)", o.ref, entry, err, txns[0].TxnID)
		}
	}
	// Names reach QuickBooks in Latin-1: "Łukasiewicz" is stored as "Lukasiewicz".
	for _, name := range []string{"Zoë Łukasiewicz", "Jane O'Neil", "Ana María Núñez", "Web Store", "李小龍"} {
		if _, err := w.company.Customer(qbxml.StoredName(name, qbxml.MaxCustomerName)); err != nil {
			w.t.Errorf("customer %q: %v", name, err)
		}
	}
	if got := len(w.company.Txns("SalesReceipt", "")); got != len(orders) {
		w.t.Errorf("QuickBooks holds %d sales receipts, want %d", got, len(orders))
	}
	counts, _ := w.d.CountQBDWork(ctx, w.conn.AccountID, w.conn.ID)
	if counts[db.WorkDone] != len(orders)+5+3 || counts[db.WorkFailed] != 0 {
		w.t.Errorf("work items: %v", counts)
	}
}

// runUntilDone runs Web Connector sessions until the queue is empty.
func (w *world) runUntilDone(faults func(i int) qbdsim.Faults) (sessions int) {
	w.t.Helper()
	for i := range 200 {
		rep, err := w.webConnector(faults(i)).Run(context.Background())
		if err != nil && !errorsIsDropped(err) {
			w.t.Fatalf("session %d: %v (last error %q)", i, err, rep.LastError)
		}
		if rep.NoWork {
			return i
		}
	}
	w.t.Fatal("the queue never emptied in 200 sessions")
	return 0
}

func TestQueuedWorkLandsExactlyOnce(t *testing.T) {
	w := newWorld(t, 0, time.Millisecond)
	orders := w.enqueue(60)
	sessions := w.runUntilDone(func(int) qbdsim.Faults { return qbdsim.Faults{} })
	w.assertExactlyOnce(orders)
	if sessions != 1 {
		t.Errorf("took %d sessions, want 1", sessions)
	}
	// Dependencies travel in earlier messages of the same session, everything in few round trips.
	var batches int
	if err := dbtest.SQL(t).NewSelect().Model((*db.QBDBatch)(nil)).ColumnExpr("count(*)").Where("connection_id = ?", w.conn.ID).Scan(context.Background(), &batches); err != nil {
		t.Fatal(err)
	}
	if batches != 2 {
		t.Errorf("%d message sets for customers+items then sales, want 2", batches)
	}
	// Resyncing the same documents later cannot post them again.
	for _, o := range orders[:3] {
		_, err := w.engine().Enqueue(context.Background(), qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID,
			DocKey: "order:shop:" + o.ref, Request: qbxml.SalesReceiptAdd{CustomerRef: qbxml.ByName(o.customer), RefNumber: o.ref, Lines: o.lines}})
		if !errorsIsPosted(err) {
			t.Fatalf("re-enqueue of %s: %v", o.ref, err)
		}
	}
}

func TestDroppedResponsesNeverPostTwice(t *testing.T) {
	w := newWorld(t, 10, time.Millisecond) // small message sets: many chances to drop
	orders := w.enqueue(120)
	rng := rand.New(rand.NewPCG(7, 11))
	dropped := 0
	w.runUntilDone(func(int) qbdsim.Faults {
		// About one message set in ten loses its answer after QuickBooks applied it.
		if rng.IntN(10) < 9 {
			dropped++
			return qbdsim.Faults{DropAfterApply: 1 + rng.IntN(10)}
		}
		return qbdsim.Faults{}
	})
	w.assertExactlyOnce(orders)
	var inDoubtSettled int
	if err := dbtest.SQL(t).NewSelect().Model((*db.QBDBatch)(nil)).ColumnExpr("count(*)").
		Where("connection_id = ? AND kind = 'reconcile'", w.conn.ID).Scan(context.Background(), &inDoubtSettled); err != nil {
		t.Fatal(err)
	}
	if inDoubtSettled == 0 {
		t.Fatal("no answer was lost, so the test proved nothing")
	}
	t.Logf("%d sessions with a drop, %d reconcile message sets", dropped, inDoubtSettled)
}

func TestServerRestartMidSession(t *testing.T) {
	w := newWorld(t, 10, time.Millisecond)
	orders := w.enqueue(40)
	w.restartAt = 7 // after authenticate and two exchanges
	rep, err := w.webConnector(qbdsim.Faults{}).Run(context.Background())
	if err != nil || !rep.Completed {
		t.Fatalf("session across the restart: %v, completed %v, last error %q", err, rep.Completed, rep.LastError)
	}
	w.assertExactlyOnce(orders)
}

func TestTwoWebConnectorsRace(t *testing.T) {
	// Two Web Connectors on one company file: each authenticate takes the connection over from
	// the other's session (the newest session wins), whose message set in flight goes in doubt
	// and whose late answer is still applied; nothing is posted twice.
	w := newWorld(t, 5, 2*time.Second)
	orders := w.enqueue(50)
	var wg sync.WaitGroup
	var busy atomic.Int64
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Like the real Web Connector: run again and again until there is nothing to do.
			// What a takeover's look-ups do not find waits out the grace before it is sent
			// again, so a run may find nothing to send yet.
			deadline := time.Now().Add(90 * time.Second)
			for time.Now().Before(deadline) {
				rep, err := w.webConnector(qbdsim.Faults{}).Run(context.Background())
				if err != nil {
					t.Errorf("racing session: %v", err)
					return
				}
				if rep.NoWork {
					return
				}
				if rep.Busy {
					busy.Add(1)
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Error("the queue did not empty within 90 s")
		}()
	}
	wg.Wait()
	w.assertExactlyOnce(orders)
	t.Logf("busy answers: %d", busy.Load())
}

// TestInvalidReferenceCreatesTheElementAndResends: a sale naming an item QuickBooks does not
// have gets 3140; the repair hook (the Missing Product Action "create item") supplies the item,
// which is created, and the sale is sent again and posted once.
func TestInvalidReferenceCreatesTheElementAndResends(t *testing.T) {
	w := newWorld(t, 0, time.Millisecond)
	var asked []qbd.InvalidRef
	w.repair = func(_ context.Context, failed *db.QBDWorkItem, ref qbd.InvalidRef) (*qbd.Item, error) {
		asked = append(asked, ref)
		if ref.List != "Item" {
			return nil, nil
		}
		return &qbd.Item{DocKey: "item:" + ref.Name, Request: qbxml.ItemNonInventoryAdd{Name: ref.Name,
			SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: ref.Name, AccountRef: qbxml.ByName("Sales")}},
			Lookup: &qbd.Lookup{Type: qbd.LookupItem, Value: ref.Name}}, nil
	}
	w.install(0)
	ctx := context.Background()
	// The seeded company has no customer "Web Store": it is queued first, as the pipeline does.
	cust, err := w.engine().Enqueue(ctx, qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID, DocKey: "customer:Web Store",
		Request: qbxml.CustomerAdd{Name: "Web Store"}, Lookup: &qbd.Lookup{Type: qbd.LookupCustomer, Value: "Web Store"}})
	if err != nil {
		t.Fatal(err)
	}
	docKey := "order:shop:NEW-1"
	if _, err := w.engine().Enqueue(ctx, qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID, DocKey: docKey,
		Request: qbxml.SalesReceiptAdd{CustomerRef: qbxml.ByName("Web Store"), RefNumber: "NEW-1", Other: qbd.Marker(docKey),
			DepositToAccountRef: qbxml.ByName("Undeposited Funds"),
			Lines:               []qbxml.Line{{ItemRef: qbxml.ByName("BRAND-NEW-SKU"), Quantity: qbxml.Ptr(qbxml.Units(1)), Amount: qbxml.Ptr(qbxml.Cents(1500))}}},
		Lookup:    &qbd.Lookup{Type: qbd.LookupSalesReceipt, Value: "NEW-1", Marker: qbd.Marker(docKey)},
		DependsOn: []int64{cust.Item.ID}}); err != nil {
		t.Fatal(err)
	}
	w.runUntilDone(func(int) qbdsim.Faults { return qbdsim.Faults{} })
	if n := len(w.company.Txns("SalesReceipt", "NEW-1")); n != 1 {
		t.Fatalf("sale posted %d times (repairs asked: %v)", n, asked)
	}
	if _, err := w.company.Item("BRAND-NEW-SKU"); err != nil {
		t.Fatalf("item not created: %v", err)
	}
	if len(asked) == 0 || asked[0] != (qbd.InvalidRef{List: "Item", Name: "BRAND-NEW-SKU"}) {
		t.Fatalf("repair asked %v", asked)
	}
}

// TestDuplicateCheckFindsSalesEnteredElsewhere: a sale someone entered in QuickBooks by hand is
// found by the grouped pre-check and adopted, never posted a second time.
func TestDuplicateCheckFindsSalesEnteredElsewhere(t *testing.T) {
	w := newWorld(t, 0, time.Millisecond)
	var settled []qbd.Outcome
	w.settled = func(_ context.Context, _ bun.Tx, _ *db.QBDWorkItem, o qbd.Outcome) error {
		settled = append(settled, o)
		return nil
	}
	w.install(0)
	// Someone keyed sale 7001 into QuickBooks themselves.
	if _, err := w.company.ProcessQBXML(`<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` +
		`<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>7001</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef>` +
		`<Quantity>1</Quantity><Amount>10.00</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq></QBXMLMsgsRq></QBXML>`); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, ref := range []string{"7001", "7002"} {
		docKey := "order:shop:" + ref
		if _, err := w.engine().Enqueue(ctx, qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID, DocKey: docKey,
			Request: qbxml.SalesReceiptAdd{RefNumber: ref, Other: qbd.Marker(docKey),
				Lines: []qbxml.Line{{ItemRef: qbxml.ByName("Widget"), Quantity: qbxml.Ptr(qbxml.Units(1)), Amount: qbxml.Ptr(qbxml.Cents(1000))}}},
			Lookup: &qbd.Lookup{Type: qbd.LookupSalesReceipt, Value: ref, Marker: qbd.Marker(docKey)}, CheckFirst: true}); err != nil {
			t.Fatal(err)
		}
	}
	w.runUntilDone(func(int) qbdsim.Faults { return qbdsim.Faults{} })
	for _, ref := range []string{"7001", "7002"} {
		if n := len(w.company.Txns("SalesReceipt", ref)); n != 1 {
			t.Fatalf("sale %s is in QuickBooks %d times", ref, n)
		}
	}
	dups := 0
	for _, o := range settled {
		if o.Duplicate {
			dups++
		}
	}
	if len(settled) != 2 || dups != 1 {
		t.Fatalf("settled %+v", settled)
	}
}

// TestDuplicateCheckTellsStoresApart (issue 9 item 2): the pre-check counts a sale with the same
// RefNumber and date as a duplicate when someone keyed it in by hand (no marker) or when it is
// another document of the same store, but not when Ledgerlink posted it for another store —
// whether its marker names the store or predates scoped markers (then the Scope hook says which
// store the document in the ledger belongs to). A document that is this very one is adopted as
// posted, not as a duplicate.
func TestDuplicateCheckTellsStoresApart(t *testing.T) {
	w := newWorld(t, 0, time.Millisecond)
	settled := map[string]qbd.Outcome{}
	w.settled = func(_ context.Context, _ bun.Tx, it *db.QBDWorkItem, o qbd.Outcome) error {
		settled[it.DocKey] = o
		return nil
	}
	w.scope = func(_ context.Context, _ bun.Tx, _ int64, docKeys []string) (map[string]string, error) {
		out := map[string]string{}
		for _, k := range docKeys {
			if k == "order:old-9002" {
				out[k] = "S1"
			}
		}
		return out, nil
	}
	w.install(0)
	ctx := context.Background()
	const date = "2026-11-30"
	enter := func(ref, other string) string {
		t.Helper()
		out, err := w.company.ProcessQBXML(`<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` +
			`<SalesReceiptAddRq><SalesReceiptAdd><TxnDate>` + date + `</TxnDate><RefNumber>` + ref + `</RefNumber>` + other +
			`<SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity><Amount>10.00</Amount></SalesReceiptLineAdd>` +
			`</SalesReceiptAdd></SalesReceiptAddRq></QBXMLMsgsRq></QBXML>`)
		if err != nil || !strings.Contains(out, `statusCode="0"`) {
			t.Fatalf("entering %s: %v %s", ref, err, out)
		}
		txns := w.company.Txns("SalesReceipt", ref)
		return txns[len(txns)-1].TxnID
	}
	enter("9001", "")                                                           // keyed in by hand
	old := enter("9002", "<Other>"+qbd.Marker("order:old-9002")+"</Other>")     // posted for store S1 before markers named the store
	enter("9003", "<Other>"+qbd.ScopedMarker("order:s1-9003", "S1")+"</Other>") // posted for store S1
	if _, err := dbtest.SQL(t).NewInsert().Model(&db.QBDLedgerEntry{ConnectionID: w.conn.ID, DocKey: "order:old-9002", QBType: "SalesReceipt",
		QBID: old, EditSequence: "1"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	day := qbxml.Date{Year: 2026, Month: 11, Day: 30}
	queue := func(docKey, scope, ref string) {
		t.Helper()
		m := qbd.ScopedMarker(docKey, scope)
		if _, err := w.engine().Enqueue(ctx, qbd.Item{AccountID: w.conn.AccountID, ConnectionID: w.conn.ID, DocKey: docKey,
			Request: qbxml.SalesReceiptAdd{TxnDate: day, RefNumber: ref, Other: m,
				Lines: []qbxml.Line{{ItemRef: qbxml.ByName("Widget"), Quantity: qbxml.Ptr(qbxml.Units(1)), Amount: qbxml.Ptr(qbxml.Cents(1000))}}},
			Lookup: &qbd.Lookup{Type: qbd.LookupSalesReceipt, Value: ref, Marker: m, Date: date}, CheckFirst: true}); err != nil {
			t.Fatal(err)
		}
	}
	queue("order:s2-9001", "S2", "9001")  // twin of the hand-entered sale: duplicate
	queue("order:s2-9002", "S2", "9002")  // store S1 posted 9002 (old marker): not a duplicate
	queue("order:s2-9003", "S2", "9003")  // store S1 posted 9003: not a duplicate
	queue("order:s1-9002b", "S1", "9002") // store S1 has 9002 on that date already: duplicate
	queue("order:s1-9003", "S1", "9003")  // this very document is in QuickBooks: posted, not a duplicate
	w.runUntilDone(func(int) qbdsim.Faults { return qbdsim.Faults{} })

	for ref, want := range map[string]int{"9001": 1, "9002": 2, "9003": 2} {
		if n := len(w.company.Txns("SalesReceipt", ref)); n != want {
			t.Errorf("RefNumber %s is in QuickBooks %d times, want %d", ref, n, want)
		}
	}
	for doc, dup := range map[string]bool{"order:s2-9001": true, "order:s2-9002": false, "order:s2-9003": false, "order:s1-9002b": true, "order:s1-9003": false} {
		o, ok := settled[doc]
		if !ok || o.Status != db.WorkDone || o.Duplicate != dup {
			t.Errorf("%s settled %+v (settled: %v), want done with duplicate=%v", doc, o, ok, dup)
		}
	}
}
