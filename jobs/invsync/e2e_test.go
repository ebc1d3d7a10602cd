package invsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/inventory"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/jobstest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
)

func TestMain(m *testing.M) { jobstest.Main(m) }

// rig is an account with a simulated QuickBooks Desktop company behind our real SOAP route and
// two store connections posting to it: a Shopify store (on hand, safety stock 2, Gizmo Deluxe
// excluded) and a WooCommerce store (on hand minus sales orders, no safety stock).
type rig struct {
	*jobstest.QuickBooks
	t        *testing.T
	d        *db.DB
	det      *invsync.Detector
	shop     *db.StoreConnection
	woo      *db.StoreConnection
	off      *db.StoreConnection
	mu       sync.Mutex
	notified map[int64]int
	sealer   *db.Sealer
	shopSim  *shopifysim.Server
	wooSim   *woosim.Server
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	r := &rig{t: t, d: dbtest.DB(t), notified: map[int64]int{}}
	acct := dbtest.Account(t, r.d)
	r.QuickBooks = jobstest.NewQuickBooks(t, r.d, acct.ID)
	r.sealer = dbtest.Sealer(t)
	r.shopSim = shopifysim.New(shopifysim.Options{AccessToken: "shpat_test"})
	r.wooSim = woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test", Seed: 1})
	shopSrv, wooSrv := httptest.NewServer(r.shopSim), httptest.NewServer(r.wooSim)
	t.Cleanup(func() { shopSrv.Close(); wooSrv.Close(); r.shopSim.Close() })
	creds, _ := json.Marshal(ordersync.Credentials{AccessToken: "shpat_test", ConsumerKey: "ck_test", ConsumerSecret: "cs_test"})
	store := func(channel, name, url string, inv orders.InventorySettings) *db.StoreConnection {
		s := orders.DefaultSettings()
		s.Inventory = inv
		raw, _ := json.Marshal(s)
		c := &db.StoreConnection{AccountID: acct.ID, Channel: channel, Name: name, BaseURL: url,
			QBDConnectionID: &r.Conn.ID, Enabled: true, Settings: raw}
		if err := r.d.CreateStoreConnection(ctx, c, r.sealer, creds); err != nil {
			t.Fatal(err)
		}
		return c
	}
	r.shop = store("shopify", "Shop", shopSrv.URL, orders.InventorySettings{Enabled: true, SafetyStock: 2, ExcludeSKUs: []string{"gizmo deluxe"}})
	r.woo = store("woocommerce", "Woo", wooSrv.URL, orders.InventorySettings{Enabled: true, Basis: inventory.Available})
	// A third store on the same company with inventory sync off gets nothing.
	r.off = store("shopify", "Shop without inventory", shopSrv.URL, orders.InventorySettings{})

	eng := r.Engine
	r.det = &invsync.Detector{DB: r.d, Engine: eng, Rules: rules.NewLoader(r.d),
		Notify: func(_ context.Context, _, storeConnectionID int64) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.notified[storeConnectionID]++
			return nil
		}}
	r.det.Register(eng)
	return r
}

func (r *rig) webConnector(f qbdsim.Faults) *qbdsim.WebConnector { return r.WebConnector(f) }

// detect queues a detection and runs the Web Connector until QuickBooks has nothing to do.
func (r *rig) detect() {
	r.t.Helper()
	if started, err := r.det.Start(context.Background(), r.Conn.AccountID, r.Conn.ID); err != nil || !started {
		r.t.Fatalf("start detection: %v (started %v)", err, started)
	}
	r.runWebConnector()
}

func (r *rig) runWebConnector() { r.t.Helper(); r.Run(qbdsim.Faults{}) }

// changeStock enters, as someone at the QuickBooks PC would, what changes the stock in these
// tests: Widget counted 5 down, a sale of Widget and Gadget, a bill for Gadget, an item receipt
// for Gizmo Deluxe and a credit memo returning a Widget.
func (r *rig) changeStock(t *testing.T) {
	t.Helper()
	if _, err := r.Company.AdjustQuantity("Widget", -5, false, "count"); err != nil {
		t.Fatal(err)
	}
	r.qb(saleWidget3Gadget2)
	r.qb(billGadget10)
	r.qb(receiptGizmo4)
	r.qb(creditWidget1)
}

// qb posts one request to the company as someone at the QuickBooks PC would.
func (r *rig) qb(rq string) { r.t.Helper(); r.QB(rq) }

// queue returns the update queue of store connection c: SKU → target quantity.
func (r *rig) queue(c *db.StoreConnection) map[string]int64 {
	r.t.Helper()
	rows, err := db.ListInventoryUpdates(context.Background(), dbtest.SQL(r.t), c.AccountID, db.InventoryUpdateFilter{StoreConnectionID: c.ID, Limit: 1000})
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]int64{}
	for _, u := range rows {
		out[u.SKU] = u.TargetQuantity
	}
	return out
}

func (r *rig) wantQueue(c *db.StoreConnection, want map[string]int64) {
	r.t.Helper()
	got := r.queue(c)
	if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(want)) {
		r.t.Fatalf("queue of %s:\n got %v\nwant %v", c.Name, sorted(got), sorted(want))
	}
}

func sorted(m map[string]int64) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(out)
	return out
}

func (r *rig) logs(search string) []string {
	r.t.Helper()
	res, err := r.d.ListLogs(context.Background(), r.Conn.AccountID, db.LogFilter{Search: search}, db.Page{Limit: 100})
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, l := range res.Items {
		out = append(out, l.Message)
	}
	return out
}

// item returns the company's view of an item.
func (r *rig) item(name string) qbdsim.Item {
	r.t.Helper()
	it, err := r.Company.Item(name)
	if err != nil {
		r.t.Fatal(err)
	}
	return it
}

const (
	saleWidget3Gadget2 = `<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>S-1</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>3</Quantity></SalesReceiptLineAdd><SalesReceiptLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>2</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`
	billGadget10       = `<BillAddRq><BillAdd><VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><RefNumber>INV-1</RefNumber><ItemLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>10</Quantity><Cost>20.00</Cost></ItemLineAdd></BillAdd></BillAddRq>`
	receiptGizmo4      = `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><ItemLineAdd><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>4</Quantity></ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>`
	creditWidget1      = `<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`
	salesOrderGadget5  = `<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><SalesOrderLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>5</Quantity></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>`
)

// addRule stores an INVENTORY rule: WooCommerce gets Widget's quantity under SKU WID-1.
func (r *rig) addRule() {
	r.t.Helper()
	rule := rules.Rule{Name: "Widget is WID-1 in WooCommerce", Enabled: true, Pipelines: []rules.Pipeline{rules.Inventory}, Match: rules.MatchAll,
		Conditions: []rules.Condition{{Field: "channel", Op: rules.OpEquals, Value: "woocommerce"}, {Field: "lines[].itemName", Op: rules.OpEquals, Value: "Widget"}},
		Actions:    []rules.Action{{Type: rules.ActSet, Field: "lines[].sku", Value: "WID-1"}}}
	r.AddRule(r.d, rule)
}

// An inventory adjustment, a sale, a bill, an item receipt and a credit memo — only the
// adjustment moves an item's TimeModified — reach both stores' queues with each store's
// settings and the INVENTORY rule applied. Seed: Widget 100, Gadget 40, Gizmo Deluxe 12.
func TestEveryStockMoveReachesBothStoresQueues(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.addRule()
	r.qb(salesOrderGadget5) // Gadget: 5 on sales order from here on

	// First detection: a full snapshot (there is no watermark yet).
	r.detect()
	// Shop: on hand − 2 safety stock, Gizmo Deluxe excluded. Woo: on hand − on sales order,
	// Widget under the rule's SKU.
	r.wantQueue(r.shop, map[string]int64{"Widget": 98, "Gadget": 38})
	r.wantQueue(r.woo, map[string]int64{"WID-1": 100, "Gadget": 35, "Gizmo Deluxe": 12})
	if r.notified[r.shop.ID] == 0 || r.notified[r.woo.ID] == 0 {
		t.Fatalf("stores not told about their targets: %v", r.notified)
	}
	if got := r.logs("WID-1"); len(got) == 0 || !strings.Contains(got[0], `rule "Widget is WID-1 in WooCommerce"`) {
		t.Fatalf("audit of the rule: %q", got)
	}

	gadgetBefore, widgetBefore := r.item("Gadget"), r.item("Widget")
	// QuickBooks keeps TimeModified to the second: let the second of Widget's last change pass,
	// so the adjustment's TimeModified can be told from it (the first detection may run within
	// the second the items were created).
	time.Sleep(time.Until(widgetBefore.TimeModified.Truncate(time.Second).Add(time.Second)))
	r.changeStock(t)
	// Only the adjustment touched an item; Gadget's quantity moved, its TimeModified did not.
	if g := r.item("Gadget"); !g.TimeModified.Equal(gadgetBefore.TimeModified) || g.QuantityOnHand != 48 {
		t.Fatalf("Gadget after the sale and the bill: %+v (before %+v)", g, gadgetBefore)
	}
	if w := r.item("Widget"); w.TimeModified.Equal(widgetBefore.TimeModified) {
		t.Fatal("the adjustment did not move Widget's TimeModified")
	}

	r.detect() // a changes read this time
	// Widget 100 − 5 − 3 + 1 = 93; Gadget 40 − 2 + 10 = 48 (5 on sales order); Gizmo 12 + 4 = 16.
	r.wantQueue(r.shop, map[string]int64{"Widget": 91, "Gadget": 46})
	r.wantQueue(r.woo, map[string]int64{"WID-1": 93, "Gadget": 43, "Gizmo Deluxe": 16})
	if n := len(r.logs("Read the quantities of all")); n != 1 {
		t.Fatalf("%d full snapshots, want only the first", n)
	}
	if n := len(r.logs("Checked QuickBooks for inventory changes")); n != 1 {
		t.Fatalf("%d changes reads, want 1", n)
	}
	r.wantQueue(r.off, map[string]int64{})

	// The pushes: the real inventory:push handler drains each store's queue into the simulated
	// stores, which start at 0 (Shopify: one variant per SKU; WooCommerce: managed stock).
	zero := 0
	for _, sku := range []string{"Widget", "Gadget", "Gizmo Deluxe"} {
		if _, err := r.shopSim.AddProduct(shopifysim.Product{Title: sku, Variants: []shopifysim.Variant{{SKU: sku, Title: sku, Price: 100}}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sku := range []string{"WID-1", "Gadget", "Gizmo Deluxe"} {
		if _, err := r.wooSim.AddProduct(woosim.Product{Name: sku, SKU: sku, Status: "publish", RegularPrice: "10.00", ManageStock: true, StockQuantity: &zero}); err != nil {
			t.Fatal(err)
		}
	}
	h := &jobs.Handlers{DB: r.d, Log: slog.New(slog.DiscardHandler), Redis: dbtest.Redis(t), Sealer: r.sealer}
	for _, c := range []*db.StoreConnection{r.shop, r.woo} {
		task, err := jobs.NewInventoryPushTask(jobs.InventoryPushPayload{AccountID: c.AccountID, StoreConnectionID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.HandleInventoryPush(context.Background(), task); err != nil {
			t.Fatalf("push to %s: %v", c.Name, err)
		}
	}
	loc := r.shopSim.Locations()[0].ID
	for sku, want := range map[string]int{"Widget": 91, "Gadget": 46, "Gizmo Deluxe": 0} { // Gizmo Deluxe excluded: untouched
		if got, ok := r.shopSim.InventoryAt(sku, loc); !ok || got != want {
			t.Errorf("Shopify %s: %d (found %v), want %d", sku, got, ok, want)
		}
	}
	for sku, want := range map[string]int{"WID-1": 93, "Gadget": 43, "Gizmo Deluxe": 16} {
		if got, ok := r.wooSim.StockOf(sku); !ok || got != want {
			t.Errorf("WooCommerce %s: %d (found %v), want %d", sku, got, ok, want)
		}
	}
}

// A Web Connector session dies mid-read, after QuickBooks answered a message set of the
// changes read (the answer never reaches us), at each of the first message sets in turn. The
// lost queries are asked again, a Continue whose iterator died with the session makes the read
// start over, and the watermark moves only after a complete read: every change still reaches
// the queues. Pages of one record make every read an iterator of several pages.
func TestDroppedAnswerMidReadLosesNothing(t *testing.T) {
	t.Parallel()
	for drop := 1; drop <= 4; drop++ {
		t.Run(fmt.Sprintf("drop-set-%d", drop), func(t *testing.T) {
			r := newRig(t)
			r.det.ItemPageSize, r.det.TxnPageSize = 1, 1
			r.detect() // full snapshot, three pages of items
			r.wantQueue(r.woo, map[string]int64{"Widget": 100, "Gadget": 40, "Gizmo Deluxe": 12})

			r.changeStock(t)
			r.qb(salesOrderGadget5)
			ctx := context.Background()
			if _, err := r.det.Start(ctx, r.Conn.AccountID, r.Conn.ID); err != nil {
				t.Fatal(err)
			}
			before, err := db.GetInventoryWatermark(ctx, dbtest.SQL(t), r.Conn.AccountID, r.Conn.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.webConnector(qbdsim.Faults{DropAfterApply: drop}).Run(ctx); !errors.Is(err, qbdsim.ErrConnectionDropped) {
				t.Fatalf("session: %v, want a dropped connection", err)
			}
			mid, err := db.GetInventoryWatermark(ctx, dbtest.SQL(t), r.Conn.AccountID, r.Conn.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !mid.ChangesThrough.Equal(before.ChangesThrough) {
				t.Fatalf("watermark moved on an incomplete read: %v -> %v", before.ChangesThrough, mid.ChangesThrough)
			}
			r.runWebConnector()
			// Widget 100 − 5 − 3 + 1 = 93; Gadget 40 − 2 + 10 = 48, 5 on sales order; Gizmo 12 + 4 = 16.
			r.wantQueue(r.shop, map[string]int64{"Widget": 91, "Gadget": 46})
			r.wantQueue(r.woo, map[string]int64{"Widget": 93, "Gadget": 43, "Gizmo Deluxe": 16})
			after, err := db.GetInventoryWatermark(ctx, dbtest.SQL(t), r.Conn.AccountID, r.Conn.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !after.ChangesThrough.After(before.ChangesThrough) {
				t.Fatal("the watermark never moved after the read completed")
			}
			var asked int
			if err := dbtest.SQL(t).NewSelect().Model((*db.QBDWorkItem)(nil)).ColumnExpr("count(*)").
				Where("connection_id = ? AND doc_key LIKE 'inventory:%' AND attempts > 1", r.Conn.ID).Scan(ctx, &asked); err != nil {
				t.Fatal(err)
			}
			if asked == 0 && len(r.logs("starts over")) == 0 {
				t.Fatal("no query was asked again and no read started over: the drop proved nothing")
			}
		})
	}
}
