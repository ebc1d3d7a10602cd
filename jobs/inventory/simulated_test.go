package inventory_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/inventory"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// company drives the simulated QuickBooks company with Ledgerlink's qbXML builders.
type company struct {
	t   *testing.T
	c   *qbdsim.Company
	now time.Time
}

func (co *company) send(reqs ...qbxml.Request) []*qbxml.Rs {
	co.t.Helper()
	m := qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
	for _, r := range reqs {
		m.Add(r)
	}
	b, err := m.Bytes()
	if err != nil {
		co.t.Fatal(err)
	}
	out, err := co.c.ProcessQBXML(string(b))
	if err != nil {
		co.t.Fatal(err)
	}
	res, err := qbxml.ParseResponse([]byte(out))
	if err != nil {
		co.t.Fatal(err)
	}
	for _, rs := range res.Responses {
		if rs.StatusCode != 0 && rs.StatusCode != 1 {
			co.t.Fatalf("%s: %d %s", rs.Name, rs.StatusCode, rs.StatusMessage)
		}
	}
	return res.Responses
}

// items reads inventory parts page by page (filter: the FromModifiedDate/ListIDs alternative).
func (co *company) items(q qbxml.ItemInventoryQuery) []inventory.Item {
	var out []inventory.Item
	q.Iterator, q.IncludeRetElements = qbxml.IteratorStart, qbxml.InventoryItemRetElements
	if len(q.ListIDs) == 0 {
		q.Filter.MaxReturned, q.Filter.ActiveStatus = 2, qbxml.ActiveAll
	} else {
		q.Iterator = ""
	}
	for {
		rs := co.send(q)[0]
		for _, r := range rs.Items {
			if it, ok := inventory.FromItemRet(r); ok {
				out = append(out, it)
			}
		}
		if q.Iterator == "" || rs.IteratorRemainingCount == 0 {
			return out
		}
		q.Iterator, q.IteratorID = qbxml.IteratorContinue, rs.IteratorID
	}
}

// detect runs one detection the way the design note says the wiring should.
func (co *company) detect(pol inventory.Policy, w inventory.Watermark, snap []inventory.Item) (inventory.Result, inventory.Watermark, []inventory.Item, int) {
	pl := pol.Plan(w, co.now)
	var reads []inventory.Read
	modified := 0
	if pl.Full {
		reads = append(reads, inventory.Read{Kind: inventory.Full, Items: co.items(qbxml.ItemInventoryQuery{})})
	} else {
		from := qbxml.DateTimeOf(pl.From)
		mod := co.items(qbxml.ItemInventoryQuery{Filter: qbxml.ListFilter{FromModifiedDate: from}})
		modified = len(mod)
		reads = append(reads, inventory.Read{Kind: inventory.Partial, Items: mod})
		f := qbxml.TxnFilter{FromModifiedDate: from}
		var txns []qbxml.TxnItems
		for _, rs := range co.send(
			qbxml.SalesReceiptQuery{Filter: f, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("SalesReceipt")},
			qbxml.InvoiceQuery{Filter: f, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("Invoice")},
			qbxml.SalesOrderQuery{Filter: f, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("SalesOrder")},
			qbxml.CreditMemoQuery{Filter: f, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("CreditMemo")},
			qbxml.InventoryAdjustmentQuery{Filter: f, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("InventoryAdjustment")},
			qbxml.BillQuery{Filter: f, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("Bill")},
			qbxml.ItemReceiptQuery{Filter: f, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("ItemReceipt")},
		) {
			txns = append(txns, rs.TxnItems()...)
		}
		if rr := inventory.ToReread(txns, snap); len(rr.Inventory) > 0 {
			reads = append(reads, inventory.Read{Kind: inventory.Partial, Items: co.items(qbxml.ItemInventoryQuery{ListIDs: rr.Inventory})})
		}
	}
	res := inventory.Detect(snap, reads...)
	next := map[string]inventory.Item{}
	for _, it := range snap {
		next[it.ListID] = it
	}
	for _, it := range res.Save {
		next[it.ListID] = it
	}
	for _, id := range res.Delete {
		delete(next, id)
	}
	var out []inventory.Item
	for _, it := range next {
		out = append(out, it)
	}
	return res, pol.Advance(w, pl, true), out, modified
}

func changes(res inventory.Result) string {
	var out []string
	for _, c := range res.Changes {
		if c.Before == nil {
			out = append(out, c.Item.FullName+" new "+c.Item.OnHand.String())
		} else {
			out = append(out, c.Item.FullName+" "+c.Before.OnHand.String()+"→"+c.Item.OnHand.String())
		}
	}
	return strings.Join(out, ", ")
}

// TestDetectionAgainstSimulatedQuickBooks runs detections against the simulated company, whose
// sales, bills and returns move quantities without moving the items' TimeModified, like
// QuickBooks. Quantities expected are worked out from the seed (Widget 100, Gadget 40, Gizmo
// Deluxe 12) by hand.
func TestDetectionAgainstSimulatedQuickBooks(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	co := &company{t: t, now: t0.Add(-time.Hour)}
	co.c = qbdsim.New(qbdsim.Config{Clock: func() time.Time { return co.now }, Location: time.FixedZone("EST", -5*3600)})
	if err := co.c.Seed(); err != nil {
		t.Fatal(err)
	}
	var pol inventory.Policy
	var w inventory.Watermark
	var snap []inventory.Item

	co.now = t0
	res, w, snap, _ := co.detect(pol, w, snap)
	if got := changes(res); got != "Gadget new 40, Gizmo Deluxe new 12, Widget new 100" {
		t.Fatalf("first detection: %s", got)
	}

	co.now = t0.Add(10 * time.Minute)
	sale := `<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>5</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`
	bill := `<BillAddRq><BillAdd><VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><ItemLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>10</Quantity></ItemLineAdd></BillAdd></BillAddRq>`
	memo := `<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`
	if _, err := co.c.ProcessQBXML(`<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` + sale + bill + memo + `</QBXMLMsgsRq></QBXML>`); err != nil {
		t.Fatal(err)
	}
	co.now = t0.Add(20 * time.Minute)
	res, w, snap, modified := co.detect(pol, w, snap)
	// Polling items by TimeModified alone finds nothing; the transactions find all three.
	if modified != 0 {
		t.Errorf("%d items modified since the watermark, want 0 (transactions do not bump TimeModified)", modified)
	}
	if got := changes(res); got != "Gadget 40→50, Gizmo Deluxe 12→13, Widget 100→95" {
		t.Errorf("after sale, bill, credit memo: %s", got)
	}

	co.now = t0.Add(25 * time.Minute)
	if _, err := co.c.AdjustQuantity("Widget", -3, false, "count"); err != nil {
		t.Fatal(err)
	}
	co.now = t0.Add(30 * time.Minute)
	res, w, snap, modified = co.detect(pol, w, snap)
	if modified != 1 || changes(res) != "Widget 95→92" {
		t.Errorf("after adjustment: %d modified, %s", modified, changes(res))
	}
	// The next detection re-reads the adjustment inside its overlap: no change.
	co.now = t0.Add(32 * time.Minute)
	res, _, _, _ = co.detect(pol, w, snap)
	if len(res.Changes) != 0 {
		t.Errorf("overlap re-read reported %s", changes(res))
	}
}
