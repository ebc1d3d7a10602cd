package ssexport_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/jobstest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/ssexport"
)

func TestMain(m *testing.M) { jobstest.Main(m) }

const targetStoreID = 310010

// rig: an account with a simulated QuickBooks company behind our real SOAP route, a simulated
// ShipStation, and a ShipStation connection with QuickBooks → ShipStation on.
type rig struct {
	*jobstest.QuickBooks
	t  *testing.T
	d  *db.DB
	x  *ssexport.Exporter
	ss *shipstationsim.Server
	sc *db.StoreConnection
}

func newRig(t *testing.T, s orders.QuickBooksToShipStationSettings) *rig {
	t.Helper()
	d := dbtest.DB(t)
	q := jobstest.NewQuickBooks(t, d, dbtest.Account(t, d).ID)
	r := &rig{QuickBooks: q, t: t, d: d}
	r.ss, r.sc = q.ShipStation(d, shipstationsim.Options{RateLimit: -1,
		Stores: []shipstationsim.StoreSpec{{ID: targetStoreID, Name: "Target", MarketplaceID: 0, MarketplaceName: "ShipStation"}}}, s)
	r.x = &ssexport.Exporter{DB: r.d, Engine: q.Engine, Rules: rules.NewLoader(r.d), PageSize: 2,
		Client: func(context.Context, *db.StoreConnection) (*shipstation.Client, error) {
			return jobstest.ShipStationClient(r.sc)
		}}
	r.x.Register(q.Engine)
	r.qb(`<ClassAddRq><ClassAdd><Name>ShipStation</Name></ClassAdd></ClassAddRq>`)
	r.qb(`<ShipMethodAddRq><ShipMethodAdd><Name>UPSGrd</Name></ShipMethodAdd></ShipMethodAddRq>`)
	r.qb(customer("Acme Corp", "Jane", "Roe", "Acme Corp", "312-555-0140", "jane.roe@acme.example"))
	r.qb(customer("Maple Leaf Outfitters", "Luc", "Tremblay", "Maple Leaf Outfitters", "514-555-0199", "luc@mapleleaf.example"))
	r.qb(customer("Target", "", "", "Target", "612-555-0101", "orders@target.example"))
	return r
}

func customer(name, first, last, company, phone, email string) string {
	return fmt.Sprintf(`<CustomerAddRq><CustomerAdd><Name>%s</Name><CompanyName>%s</CompanyName><FirstName>%s</FirstName><LastName>%s</LastName><Phone>%s</Phone><Email>%s</Email></CustomerAdd></CustomerAddRq>`,
		name, company, first, last, phone, email)
}

// qb posts one request to the company as someone at the QuickBooks PC would, and returns the
// answer.
func (r *rig) qb(rq string) string { r.t.Helper(); return r.QB(rq) }

// between returns the text of the first <tag>…</tag> of s.
func between(s, tag string) string {
	_, after, _ := strings.Cut(s, "<"+tag+">")
	v, _, _ := strings.Cut(after, "</"+tag+">")
	return v
}

// run queues a read and runs the Web Connector (with faults f) until QuickBooks has nothing
// to do, then pushes.
func (r *rig) run(f qbdsim.Faults) ssexport.PushResult {
	r.t.Helper()
	ctx := context.Background()
	if _, err := r.x.Start(ctx, r.Conn.AccountID, r.Conn.ID); err != nil {
		r.t.Fatal(err)
	}
	r.Run(f)
	res, err := r.x.Push(ctx, r.Conn.AccountID, r.sc.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return res
}

// order returns the ShipStation order of QuickBooks sale txnID, as V1 shows it.
func (r *rig) order(typ, txnID string) (shipstation.Order, bool) {
	r.t.Helper()
	o, ok := r.ss.OrderByKey(shipstation.QuickBooksOrderKey(r.Conn.ID, typ, txnID))
	if !ok {
		return shipstation.Order{}, false
	}
	raw, _ := json.Marshal(o)
	var out shipstation.Order
	if err := json.Unmarshal(raw, &out); err != nil {
		r.t.Fatal(err)
	}
	return out, true
}

func (r *rig) createOrderCalls() int {
	n := 0
	for _, rq := range r.ss.Requests() {
		if strings.EqualFold(rq.Path, "/orders/createorders") {
			n++
		}
	}
	return n
}

func (r *rig) exportRow(typ, txnID string) *db.ShipStationExport {
	r.t.Helper()
	rows, err := db.ShipStationExportsOfSales(context.Background(), dbtest.SQL(r.t), r.sc.AccountID, r.sc.ID, r.Conn.ID, []string{txnID})
	if err != nil {
		r.t.Fatal(err)
	}
	row := rows[typ+"/"+txnID]
	if row == nil || row.OrderKey != shipstation.QuickBooksOrderKey(r.Conn.ID, typ, txnID) {
		r.t.Fatalf("export row of %s %s: %+v", typ, txnID, row)
	}
	return row
}

const (
	// An invoice in class ShipStation to a company with an ATTN line, shipped UPSGrd.
	invoiceAttn = `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme Corp</FullName></CustomerRef><ClassRef><FullName>ShipStation</FullName></ClassRef><TxnDate>2026-12-04</TxnDate><RefNumber>7001</RefNumber>` +
		`<BillAddress><Addr1>Acme Corp</Addr1><Addr2>ATTN: Accounts Payable</Addr2><Addr3>PO Box 77</Addr3><City>Chicago</City><State>IL</State><PostalCode>60601</PostalCode></BillAddress>` +
		`<ShipAddress><Addr1>Acme Corp</Addr1><Addr2>ATTN: Jane Roe</Addr2><Addr3>400 W Madison St</Addr3><Addr4>Suite 1200</Addr4><City>Chicago</City><State>IL</State><PostalCode>60606</PostalCode></ShipAddress>` +
		`<ShipMethodRef><FullName>UPSGrd</FullName></ShipMethodRef>` +
		`<InvoiceLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>3</Quantity><Rate>19.99</Rate></InvoiceLineAdd>` +
		`<InvoiceLineAdd><ItemRef><FullName>Shipping</FullName></ItemRef><Amount>12.50</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`
	// A sales receipt to a Canadian customer, no ATTN, no country.
	receiptCanada = `<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Maple Leaf Outfitters</FullName></CustomerRef><ClassRef><FullName>ShipStation</FullName></ClassRef><TxnDate>2026-12-04</TxnDate><RefNumber>7002</RefNumber>` +
		`<ShipAddress><Addr1>Luc Tremblay</Addr1><Addr2>1200 Rue Sainte-Catherine O</Addr2><City>Montréal</City><State>QC</State><PostalCode>H3B 1K9</PostalCode></ShipAddress>` +
		`<SalesReceiptLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>2</Quantity><Rate>49.00</Rate></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`
	// A sales order with a fractional quantity.
	orderFraction = `<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><ClassRef><FullName>ShipStation</FullName></ClassRef><TxnDate>2026-12-04</TxnDate><RefNumber>7003</RefNumber>` +
		`<SalesOrderLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1.5</Quantity><Rate>19.99</Rate></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>`
	// A retail sale: another class.
	receiptRetail = `<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><ClassRef><FullName>Retail</FullName></ClassRef><TxnDate>2026-12-04</TxnDate><RefNumber>7004</RefNumber>` +
		`<SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`
	// An invoice to Target: a rule sends it to the Target store.
	invoiceTarget = `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Target</FullName></CustomerRef><ClassRef><FullName>ShipStation</FullName></ClassRef><TxnDate>2026-12-04</TxnDate><RefNumber>7005</RefNumber>` +
		`<ShipAddress><Addr1>Target</Addr1><Addr2>ATTN: Receiving Dock 4</Addr2><Addr3>7000 Target Pkwy N</Addr3><City>Brooklyn Park</City><State>MN</State><PostalCode>55445</PostalCode><Country>USA</Country></ShipAddress>` +
		`<InvoiceLineAdd><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>10</Quantity><Rate>129.00</Rate></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`
)

// addTemplateRule saves the rule template key as it stands.
func (r *rig) addTemplateRule(key string) {
	r.t.Helper()
	var tpl rules.Rule
	for _, t := range rules.Templates() {
		if t.Key == key {
			tpl = t.Rule
		}
	}
	r.AddRule(r.d, tpl)
}

// Hand-entered QuickBooks sales reach ShipStation once each with the seed's mapping; the
// retail sale stays out (class filter), the fractional quantity is parked with the seed's
// explanation, the Target rule picks the Target store, and a dropped Web Connector answer
// sends nothing twice.
func TestQuickBooksSalesReachShipStationOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t, orders.QuickBooksToShipStationSettings{Enabled: true})
	r.addTemplateRule("target-store")
	inv := between(r.qb(invoiceAttn), "TxnID")
	sr := between(r.qb(receiptCanada), "TxnID")
	so := between(r.qb(orderFraction), "TxnID")
	retail := between(r.qb(receiptRetail), "TxnID")
	target := between(r.qb(invoiceTarget), "TxnID")

	// The second message set's answer is lost after QuickBooks applied it.
	res := r.run(qbdsim.Faults{DropAfterApply: 2})
	if res.Sent != 3 || res.Parked != 0 {
		t.Fatalf("push: %+v, want 3 sent", res)
	}

	o, ok := r.order(shipstation.KeyInvoice, inv)
	if !ok {
		t.Fatal("invoice 7001 is not in ShipStation")
	}
	wantShip := shipstation.Address{Name: "Jane Roe", Company: "Acme Corp", Street1: "400 W Madison St", Street2: "Suite 1200",
		City: "Chicago", State: "IL", PostalCode: "60606", Country: "US", Phone: "312-555-0140"}
	got := o.ShipTo
	got.Residential, got.AddressVerified = nil, ""
	if got != wantShip {
		t.Errorf("ship to of 7001:\n got %+v\nwant %+v", got, wantShip)
	}
	if o.BillTo.Name != "Accounts Payable" || o.BillTo.Company != "Acme Corp" || o.BillTo.Street1 != "PO Box 77" {
		t.Errorf("bill to of 7001: %+v", o.BillTo)
	}
	if o.OrderNumber != "7001" || o.OrderStatus != "awaiting_shipment" || o.RequestedShippingService != "UPSGrd" ||
		o.CustomerEmail != "jane.roe@acme.example" || o.ShippingAmount != 1250 || len(o.Items) != 1 ||
		o.Items[0].SKU != "Widget" || o.Items[0].Quantity != 3 || o.Items[0].UnitPrice != 1999 {
		t.Errorf("order 7001: number %q status %q service %q email %q shipping %v items %+v", o.OrderNumber, o.OrderStatus,
			o.RequestedShippingService, o.CustomerEmail, o.ShippingAmount, o.Items)
	}
	if o.AdvancedOptions == nil || o.AdvancedOptions.StoreID != shipstationsim.ManualStoreID {
		t.Errorf("7001 is not in Manual Orders: %+v", o.AdvancedOptions)
	}

	c, ok := r.order(shipstation.KeySalesReceipt, sr)
	if !ok {
		t.Fatal("sales receipt 7002 is not in ShipStation")
	}
	if c.ShipTo.Name != "Luc Tremblay" || c.ShipTo.Company != "" || c.ShipTo.Street1 != "1200 Rue Sainte-Catherine O" ||
		c.ShipTo.Country != "CA" || c.ShipTo.State != "QC" || c.ShipTo.Phone != "514-555-0199" || c.AmountPaid != 9800 {
		t.Errorf("order 7002 ship to %+v, paid %v", c.ShipTo, c.AmountPaid)
	}

	tg, ok := r.order(shipstation.KeyInvoice, target)
	if !ok || tg.AdvancedOptions == nil || tg.AdvancedOptions.StoreID != targetStoreID {
		t.Fatalf("7005 not in the Target store: %+v %v", tg.AdvancedOptions, ok)
	}
	if tg.ShipTo.Name != "Receiving Dock 4" || tg.ShipTo.Company != "Target" || tg.ShipTo.Country != "US" {
		t.Errorf("7005 ship to: %+v", tg.ShipTo)
	}

	if _, ok := r.order(shipstation.KeySalesReceipt, retail); ok {
		t.Error("the Retail sale was sent despite the class filter")
	}
	if _, ok := r.order(shipstation.KeySalesOrder, so); ok {
		t.Error("the fractional sales order was sent")
	}
	if row := r.exportRow(shipstation.KeySalesOrder, so); row.State != db.ExportParked || !strings.Contains(row.LastResult, "whole quantities") {
		t.Errorf("fractional sale: state %q, %q", row.State, row.LastResult)
	}
	if n := len(r.ss.Orders()); n != 3 {
		t.Fatalf("ShipStation holds %d orders, want 3", n)
	}

	// Nothing changed: the next run (overlap included) sends nothing.
	calls := r.createOrderCalls()
	if res := r.run(qbdsim.Faults{}); res.Sent != 0 || r.createOrderCalls() != calls {
		t.Fatalf("a run without changes sent %+v", res)
	}

	// The invoice changes in QuickBooks: the order is updated, not duplicated.
	seq := r.exportRow(shipstation.KeyInvoice, inv).SentEditSequence
	time.Sleep(1100 * time.Millisecond) // QuickBooks keeps TimeModified to the second
	r.qb(`<InvoiceModRq><InvoiceMod><TxnID>` + inv + `</TxnID><EditSequence>` + seq + `</EditSequence><Memo>Leave at reception</Memo></InvoiceMod></InvoiceModRq>`)
	if res := r.run(qbdsim.Faults{}); res.Sent != 1 {
		t.Fatalf("after the change: %+v, want 1 sent", res)
	}
	if o, _ := r.order(shipstation.KeyInvoice, inv); o.InternalNotes != "Leave at reception" || o.OrderID == 0 {
		t.Errorf("updated order: notes %q", o.InternalNotes)
	}
	if n := len(r.ss.Orders()); n != 3 {
		t.Fatalf("after the update ShipStation holds %d orders, want 3", n)
	}

	// ShipStation ships it; a later change in QuickBooks is left alone.
	if _, err := r.ss.Ship(o.OrderID, "ups", "ups_ground", "1Z999AA10123456784", 9.85); err != nil {
		t.Fatal(err)
	}
	seq = r.exportRow(shipstation.KeyInvoice, inv).SentEditSequence
	time.Sleep(1100 * time.Millisecond)
	r.qb(`<InvoiceModRq><InvoiceMod><TxnID>` + inv + `</TxnID><EditSequence>` + seq + `</EditSequence><Memo>Too late</Memo></InvoiceMod></InvoiceModRq>`)
	res = r.run(qbdsim.Faults{})
	if res.Locked != 1 {
		t.Fatalf("after shipping: %+v, want 1 locked", res)
	}
	if o, _ := r.order(shipstation.KeyInvoice, inv); o.InternalNotes != "Leave at reception" {
		t.Errorf("a shipped order was changed: %q", o.InternalNotes)
	}
}

// Test sales: the numbers entered are sent on the next run whatever their class, with the
// result recorded; an unknown number says so.
// The set-up wizard's "create exclusion rule" template keeps a Will Call sale of class
// ShipStation out, parked with the rule's reason; the other sale goes.
func TestExclusionTemplateKeepsASaleOut(t *testing.T) {
	t.Parallel()
	r := newRig(t, orders.QuickBooksToShipStationSettings{Enabled: true})
	r.addTemplateRule("shipstation-exclude")
	r.qb(`<ShipMethodAddRq><ShipMethodAdd><Name>Will Call</Name></ShipMethodAdd></ShipMethodAddRq>`)
	inv := between(r.qb(invoiceAttn), "TxnID")
	willCall := between(r.qb(strings.Replace(receiptCanada, `<SalesReceiptLineAdd>`, `<ShipMethodRef><FullName>Will Call</FullName></ShipMethodRef><SalesReceiptLineAdd>`, 1)), "TxnID")
	if res := r.run(qbdsim.Faults{}); res.Sent != 1 {
		t.Fatalf("push: %+v, want only the invoice sent", res)
	}
	if _, ok := r.order(shipstation.KeyInvoice, inv); !ok {
		t.Fatal("invoice 7001 is not in ShipStation")
	}
	if _, ok := r.order(shipstation.KeySalesReceipt, willCall); ok {
		t.Fatal("the Will Call sale reached ShipStation")
	}
	row := r.exportRow(shipstation.KeySalesReceipt, willCall)
	if row.State != db.ExportParked || row.LastResult != "Not sent to ShipStation: picked up at the counter, nothing to ship." {
		t.Fatalf("Will Call sale: %s %q", row.State, row.LastResult)
	}
}

func TestTestSalesAreSentOnTheNextRun(t *testing.T) {
	t.Parallel()
	r := newRig(t, orders.QuickBooksToShipStationSettings{Enabled: true, TxnTypes: []string{orders.QBTxnInvoice}})
	retail := between(r.qb(receiptRetail), "TxnID")
	ctx := context.Background()
	if err := db.RequestShipStationExportTests(ctx, dbtest.SQL(t), r.sc.AccountID, r.sc.ID, []string{"7004", "9999"}); err != nil {
		t.Fatal(err)
	}
	if res := r.run(qbdsim.Faults{}); res.Sent != 1 {
		t.Fatalf("push: %+v, want the test sale sent", res)
	}
	if _, ok := r.order(shipstation.KeySalesReceipt, retail); !ok {
		t.Fatal("test sale 7004 is not in ShipStation")
	}
	tests, err := r.d.RecentShipStationExportTests(ctx, r.sc.AccountID, r.sc.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tt := range tests {
		got[tt.RefNumber] = tt.State
	}
	if got["7004"] != db.TestSent || got["9999"] != db.TestNotFound {
		t.Fatalf("test results: %v", got)
	}
}

// Resend reads a failed or parked sale again from QuickBooks on the next run and builds its
// order anew: a fractional sale the bookkeeper fixed, a sale a rule kept out until the rule
// went (unchanged in QuickBooks, so only the resend reads it, customer contact included), and
// a sale QuickBooks no longer has (parked, saying so). Each reaches ShipStation once.
func TestResendReadsTheSaleAgain(t *testing.T) {
	t.Parallel()
	r := newRig(t, orders.QuickBooksToShipStationSettings{Enabled: true})
	ctx := context.Background()
	rule := rules.ToDB(r.sc.AccountID, rules.Rule{Name: "No Canada", Enabled: true, Pipelines: []rules.Pipeline{rules.QuickBooksToShipStation},
		Match: rules.MatchAll, Conditions: []rules.Condition{{Field: "shipTo.country", Op: rules.OpEquals, Value: "CA"}},
		Actions: []rules.Action{{Type: rules.ActExclude, Reason: "we do not ship to Canada yet"}}})
	if err := r.d.CreateRule(ctx, rule, db.RuleActor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	so := between(r.qb(orderFraction), "TxnID")
	sr := between(r.qb(receiptCanada), "TxnID")
	if res := r.run(qbdsim.Faults{}); res.Sent != 0 {
		t.Fatalf("first run: %+v, want nothing sent", res)
	}
	fraction, canada := r.exportRow(shipstation.KeySalesOrder, so), r.exportRow(shipstation.KeySalesReceipt, sr)
	if fraction.State != db.ExportParked || canada.State != db.ExportParked || !strings.Contains(canada.LastResult, "do not ship to Canada") {
		t.Fatalf("parked: %s %q / %s %q", fraction.State, fraction.LastResult, canada.State, canada.LastResult)
	}
	// A sale QuickBooks does not have (deleted there since it was parked).
	gone := &db.ShipStationExport{AccountID: r.sc.AccountID, StoreConnectionID: r.sc.ID, QBDConnectionID: r.Conn.ID, TxnType: shipstation.KeyInvoice,
		TxnID: "DEAD-1764900000", RefNumber: "7999", OrderKey: shipstation.QuickBooksOrderKey(r.Conn.ID, shipstation.KeyInvoice, "DEAD-1764900000"),
		State: db.ExportParked, LastResult: "Not sent."}
	if err := db.SaveShipStationExport(ctx, dbtest.SQL(t), gone); err != nil {
		t.Fatal(err)
	}

	// Resend before anything was fixed: read again, parked again, nothing sent.
	if _, err := r.d.RequeueShipStationExport(ctx, r.sc.AccountID, fraction.ID); err != nil {
		t.Fatal(err)
	}
	if row := r.exportRow(shipstation.KeySalesOrder, so); row.State != db.ExportResend || row.LastResult != db.ResendResult {
		t.Fatalf("after Resend: %s %q", row.State, row.LastResult)
	}
	if res := r.run(qbdsim.Faults{}); res.Sent != 0 {
		t.Fatalf("resend of an unfixed sale sent %+v", res)
	}
	if row := r.exportRow(shipstation.KeySalesOrder, so); row.State != db.ExportParked || !strings.Contains(row.LastResult, "whole quantities") {
		t.Fatalf("unfixed sale after its resend: %s %q", row.State, row.LastResult)
	}

	// The bookkeeper fixes the quantity and the rule goes; both are resent.
	time.Sleep(1100 * time.Millisecond) // QuickBooks keeps TimeModified to the second
	got := r.qb(`<SalesOrderQueryRq><TxnID>` + so + `</TxnID><IncludeLineItems>true</IncludeLineItems></SalesOrderQueryRq>`)
	r.qb(`<SalesOrderModRq><SalesOrderMod><TxnID>` + so + `</TxnID><EditSequence>` + between(got, "EditSequence") + `</EditSequence>` +
		`<SalesOrderLineMod><TxnLineID>` + between(got, "TxnLineID") + `</TxnLineID><Quantity>2</Quantity></SalesOrderLineMod></SalesOrderMod></SalesOrderModRq>`)
	if _, err := r.d.DeleteRule(ctx, r.sc.AccountID, rule.ID, db.RuleActor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{fraction.ID, canada.ID, gone.ID} {
		if _, err := r.d.RequeueShipStationExport(ctx, r.sc.AccountID, id); err != nil {
			t.Fatal(err)
		}
	}
	if res := r.run(qbdsim.Faults{}); res.Sent != 2 {
		t.Fatalf("after the fixes: %+v, want 2 sent", res)
	}
	o, ok := r.order(shipstation.KeySalesOrder, so)
	if !ok || len(o.Items) != 1 || o.Items[0].Quantity != 2 {
		t.Fatalf("fixed sales order in ShipStation: %v %+v", ok, o.Items)
	}
	c, ok := r.order(shipstation.KeySalesReceipt, sr)
	if !ok || c.ShipTo.Country != "CA" || c.ShipTo.Phone != "514-555-0199" || c.CustomerEmail != "luc@mapleleaf.example" {
		t.Fatalf("resent Canadian sale: %v ship to %+v email %q, want the customer's phone and e-mail", ok, c.ShipTo, c.CustomerEmail)
	}
	row, err := r.d.GetShipStationExport(ctx, r.sc.AccountID, gone.ID)
	if err != nil || row.State != db.ExportParked || !strings.Contains(row.LastResult, "no longer has this sale") {
		t.Fatalf("resent sale QuickBooks lacks: %+v %v", row, err)
	}
	if n := len(r.ss.Orders()); n != 2 {
		t.Fatalf("ShipStation holds %d orders, want 2", n)
	}
	calls := r.createOrderCalls()
	if res := r.run(qbdsim.Faults{}); res.Sent != 0 || r.createOrderCalls() != calls {
		t.Fatalf("a run after the resends sent %+v", res)
	}
}
