package ordersync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// handOrder is an order written by hand: one line per SKU at 10.00, no shipping or tax.
func handOrder(number string, skus ...string) ordersync.Fetched {
	o := orders.Order{Channel: "shipstation", ExternalID: "hand-" + number, Number: number, Status: "awaiting_shipment",
		CreatedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC),
		Currency: "USD", Customer: orders.Customer{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace"},
		BillTo: orders.Address{FirstName: "Ada", LastName: "Lovelace", City: "London", Country: "GB"}}
	for i, sku := range skus {
		o.Lines = append(o.Lines, orders.Line{ID: fmt.Sprint(i + 1), SKU: sku, Name: "Product " + sku, Quantity: 1, UnitPrice: 1000, Total: 1000})
		o.Subtotal += 1000
	}
	o.Total = o.Subtotal
	raw, _ := json.Marshal(o)
	return ordersync.Fetched{Raw: raw, Order: o}
}

// order reads the stored order of a hand-written one.
func (f *flow) order(number string) db.Order {
	f.t.Helper()
	var o db.Order
	if err := dbtest.SQL(f.t).NewSelect().Model(&o).Where("connection_id = ? AND number = ?", f.conn.ID, number).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return o
}

// qbItemNames is Ledgerlink's item list of the flow's company, sorted.
func (f *flow) qbItemNames() []string {
	f.t.Helper()
	var names []string
	if err := dbtest.SQL(f.t).NewSelect().Model((*db.QBItem)(nil)).Column("full_name").
		Where("qbd_connection_id = ?", f.qbdConn.ID).OrderExpr("full_name").Scan(context.Background(), &names); err != nil {
		f.t.Fatal(err)
	}
	return names
}

// companyItemNames is the simulated company's own item list, sorted.
func (f *flow) companyItemNames() []string {
	var names []string
	for _, it := range f.company.Items() {
		names = append(names, it.FullName)
	}
	slices.Sort(names)
	return names
}

// addCompanyItems creates n non-inventory items "Extra 01"… directly in the simulated company.
func (f *flow) addCompanyItems(n int) {
	f.t.Helper()
	var rq strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&rq, `<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Extra %02d</Name><SalesOrPurchase><Desc>Extra</Desc><Price>1.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>`, i)
	}
	f.addCompanyItem(rq.String())
}

// addCompanyItem sends item Add requests straight to the simulated company.
func (f *flow) addCompanyItem(requests string) {
	f.t.Helper()
	msg := `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` + requests + `</QBXMLMsgsRq></QBXML>`
	if _, err := f.company.ProcessQBXML(msg); err != nil {
		f.t.Fatal(err)
	}
}

// itemListRequests returns the ItemQuery requests Ledgerlink queued, oldest first.
func (f *flow) itemListRequests() []db.QBDWorkItem {
	f.t.Helper()
	var items []db.QBDWorkItem
	if err := dbtest.SQL(f.t).NewSelect().Model(&items).Where("connection_id = ? AND kind = 'ItemQuery'", f.qbdConn.ID).
		OrderExpr("id").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return items
}

// flaggedFlowWithItemList is a flow whose store flags missing products and whose company's item
// list Ledgerlink has read whole through the Web Connector.
func flaggedFlowWithItemList(t *testing.T) *flow {
	s := orders.DefaultSettings()
	s.MissingProduct = orders.MissingFlag
	f := newFlow(t, 0, s)
	if err := f.pipeline.RefreshItemList(context.Background(), f.conn.AccountID, f.qbdConn.ID); err != nil {
		t.Fatal(err)
	}
	f.runWebConnector()
	return f
}

// TestFlaggedOrderListsEveryUnknownSKUAtOnce (issue 9 item 4): with the item list read from
// QuickBooks and Missing Product Action "Flag order as error and map", an order with three
// unknown SKUs and one known is parked before anything is sent, naming all three; one round of
// mapping posts it.
func TestFlaggedOrderListsEveryUnknownSKUAtOnce(t *testing.T) {
	f := flaggedFlowWithItemList(t)
	ctx := context.Background()

	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("9001", "NEW-A", "Widget", "NEW-B", "NEW-C")}); err != nil {
		t.Fatal(err)
	}
	o := f.order("9001")
	if o.State != db.OrderNeedsMapping {
		t.Fatalf("order with three unknown SKUs is %s (%s), want needs_mapping before it is queued", o.State, o.StateReason)
	}
	if want := []string{"NEW-A", "NEW-B", "NEW-C"}; !slices.Equal(o.MissingSKUs, want) {
		t.Fatalf("missing SKUs %v, want %v", o.MissingSKUs, want)
	}
	queued, err := dbtest.SQL(t).NewSelect().Model((*db.QBDWorkItem)(nil)).Where("connection_id = ? AND doc_key LIKE 'order:%'", f.qbdConn.ID).Count(ctx)
	if err != nil || queued != 0 {
		t.Fatalf("%d sales queued for a parked order (%v)", queued, err)
	}
	missing, err := f.d.ListMissingSKUs(ctx, f.conn.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range missing {
		listed = append(listed, m.SKU)
	}
	slices.Sort(listed)
	if want := []string{"NEW-A", "NEW-B", "NEW-C"}; !slices.Equal(listed, want) {
		t.Fatalf("Missing Product Mapping lists %v, want %v", listed, want)
	}

	// One round of mapping and resync posts it.
	f.mapProducts("Gadget", listed)
	f.runWebConnector()
	if o := f.order("9001"); o.State != db.OrderPosted {
		t.Fatalf("after one round of mapping: %s (%s)", o.State, o.StateReason)
	}
	sales := f.company.Txns("SalesReceipt", "")
	if len(sales) != 1 || len(sales[0].Lines) != 4 {
		t.Fatalf("QuickBooks holds %+v", sales)
	}
	var items []string
	for _, l := range sales[0].Lines {
		items = append(items, l.ItemFullName)
	}
	if want := []string{"Gadget", "Widget", "Gadget", "Gadget"}; !slices.Equal(items, want) {
		t.Fatalf("posted lines %v, want %v", items, want)
	}
}

// TestItemDeletedInQuickBooksStillParksThroughTheSafetyNet: an item Ledgerlink believes is in
// QuickBooks (read earlier, since deleted there) passes the check; QuickBooks' 3140 answer parks
// the order naming it, and the item leaves Ledgerlink's list so the next order is caught before
// it is sent.
func TestItemDeletedInQuickBooksStillParksThroughTheSafetyNet(t *testing.T) {
	f := flaggedFlowWithItemList(t)
	ctx := context.Background()
	// "Ghost" was in the list read earlier and has been deleted in QuickBooks since.
	if _, _, err := f.d.UpsertQBItems(ctx, []db.QBItem{{AccountID: f.conn.AccountID, QBDConnectionID: f.qbdConn.ID, FullName: "Ghost",
		ItemType: "ItemNonInventory", Active: true, Source: db.ItemSourceQuickBooks}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("9101", "Ghost", "Widget")}); err != nil {
		t.Fatal(err)
	}
	if o := f.order("9101"); o.State != db.OrderReady {
		t.Fatalf("order of known items is %s (%s), want queued", o.State, o.StateReason)
	}
	f.runWebConnector()
	o := f.order("9101")
	if o.State != db.OrderNeedsMapping || !slices.Equal(o.MissingSKUs, []string{"Ghost"}) {
		t.Fatalf("after QuickBooks refused the deleted item: %s %v (%s)", o.State, o.MissingSKUs, o.StateReason)
	}
	if slices.Contains(f.qbItemNames(), "Ghost") {
		t.Fatal("the item QuickBooks does not have is still in Ledgerlink's list")
	}
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("9102", "Ghost")}); err != nil {
		t.Fatal(err)
	}
	if o := f.order("9102"); o.State != db.OrderNeedsMapping {
		t.Fatalf("the next order of the deleted item is %s, want parked before it is sent", o.State)
	}
}

// TestUnknownItemListIsReadBeforeTheFirstSaleSettles: Ledgerlink has never read the item list.
// It does not park every order blind: the first flagged order queues a read of the list and
// its sale; the read is answered first in the same Web Connector run, so QuickBooks' 3140 for
// the sale parks the order with every unknown SKU, not one.
func TestUnknownItemListIsReadBeforeTheFirstSaleSettles(t *testing.T) {
	s := orders.DefaultSettings()
	s.MissingProduct = orders.MissingFlag
	f := newFlow(t, 0, s)
	ctx := context.Background()
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("9201", "NEW-X", "Gadget", "NEW-Y")}); err != nil {
		t.Fatal(err)
	}
	if o := f.order("9201"); o.State != db.OrderReady {
		t.Fatalf("without a known item list the order is %s (%s), want queued", o.State, o.StateReason)
	}
	if reads := f.itemListRequests(); len(reads) != 1 {
		t.Fatalf("%d item list reads queued, want 1", len(reads))
	}
	f.runWebConnector()
	o := f.order("9201")
	if o.State != db.OrderNeedsMapping || !slices.Equal(o.MissingSKUs, []string{"NEW-X", "NEW-Y"}) {
		t.Fatalf("after the first run: %s %v (%s), want needs_mapping [NEW-X NEW-Y]", o.State, o.MissingSKUs, o.StateReason)
	}
	if got, want := f.qbItemNames(), f.companyItemNames(); !slices.Equal(got, want) {
		t.Fatalf("item list %v, want the company's %v", got, want)
	}
}

// TestItemListIsReadInIteratorPages: a company with more items than a page holds is read with
// iterator="Start" + MaxReturned and then iterator="Continue" pages until
// iteratorRemainingCount is 0, each page its own message set (every message validated against
// the XSD by the simulator); the result is exactly the company's list, items deleted in
// QuickBooks since the last read leave it, and the list counts as known.
func TestItemListIsReadInIteratorPages(t *testing.T) {
	f := newFlow(t, 0, orders.DefaultSettings())
	ctx := context.Background()
	f.pipeline.ItemPageSize = 5
	f.addCompanyItems(23)
	if _, _, err := f.d.UpsertQBItems(ctx, []db.QBItem{{AccountID: f.conn.AccountID, QBDConnectionID: f.qbdConn.ID, FullName: "Deleted Since",
		ItemType: "ItemService", Active: true, Source: db.ItemSourceQuickBooks}}); err != nil {
		t.Fatal(err)
	}
	want := f.companyItemNames()
	if len(want) <= 2*5 {
		t.Fatalf("the company has %d items; the test needs several pages", len(want))
	}
	if err := f.pipeline.RefreshItemList(ctx, f.conn.AccountID, f.qbdConn.ID); err != nil {
		t.Fatal(err)
	}
	f.runWebConnector()
	if got := f.qbItemNames(); !slices.Equal(got, want) {
		t.Fatalf("item list after the read:\n got %v\nwant %v", got, want)
	}
	reads := f.itemListRequests()
	pages := (len(want) + 4) / 5 // hand count: ceil(items / page size)
	if len(reads) != pages {
		t.Fatalf("%d ItemQuery requests for %d items in pages of 5, want %d", len(reads), len(want), pages)
	}
	for i, r := range reads {
		mode := `iterator="Continue"`
		if i == 0 {
			mode = `iterator="Start"`
		}
		if !strings.Contains(r.Request, mode) || !strings.Contains(r.Request, "<MaxReturned>5</MaxReturned>") || r.Status != db.WorkDone {
			t.Fatalf("page %d: %s %s", i+1, r.Status, r.Request)
		}
	}
	qc, err := f.d.GetQBDConnection(ctx, f.conn.AccountID, f.qbdConn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if qc.ItemListAt == nil || qc.ItemsReadAt == nil {
		t.Fatalf("a complete read leaves the list unknown: %+v", qc)
	}
	// A second refresh while none is under way reads again; two in a row queue one read.
	if err := f.pipeline.RefreshItemList(ctx, f.conn.AccountID, f.qbdConn.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.pipeline.RefreshItemList(ctx, f.conn.AccountID, f.qbdConn.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.itemListRequests()); n != pages+1 {
		t.Fatalf("two refreshes in a row queued %d reads, want 1", n-pages)
	}
}

// TestItemListReadSurvivesADroppedSession: the Web Connector dies after QuickBooks answered a
// Continue page. The iterator belongs to that session, so the next session's Continue gets
// 3391; the read starts over and still ends with exactly the company's list.
func TestItemListReadSurvivesADroppedSession(t *testing.T) {
	f := newFlow(t, 0, orders.DefaultSettings())
	ctx := context.Background()
	f.pipeline.ItemPageSize = 4
	f.addCompanyItems(10)
	if err := f.pipeline.RefreshItemList(ctx, f.conn.AccountID, f.qbdConn.ID); err != nil {
		t.Fatal(err)
	}
	wc := &qbdsim.WebConnector{URL: f.soap.URL + "/qbwc", Username: f.qbdConn.WCUsername, Password: "qbwc-password",
		Company: f.company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond, Faults: qbdsim.Faults{DropAfterApply: 2}}
	if _, err := wc.Run(ctx); !errors.Is(err, qbdsim.ErrConnectionDropped) {
		t.Fatalf("first session: %v, want a dropped connection", err)
	}
	f.runWebConnector()
	if got, want := f.qbItemNames(), f.companyItemNames(); !slices.Equal(got, want) {
		t.Fatalf("item list after a dropped session:\n got %v\nwant %v", got, want)
	}
	restarted := 0
	for _, r := range f.itemListRequests() {
		if strings.Contains(r.Request, `iterator="Start"`) {
			restarted++
		}
	}
	if restarted != 2 {
		t.Fatalf("%d reads started, want 2 (the first, and one after the iterator was lost)", restarted)
	}
}
