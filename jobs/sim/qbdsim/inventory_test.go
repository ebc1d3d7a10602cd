package qbdsim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// process sends a message set built with Ledgerlink's own builders (jobs/qbxml) and parses the
// answer with its parser, so the simulator and the builders are checked against each other
// (the harness validates the request and the recorded response against the XSD).
func (h *harness) process(m *qbxml.MsgSet) *qbxml.MsgSetResponse {
	h.t.Helper()
	b, err := m.Bytes()
	if err != nil {
		h.t.Fatal(err)
	}
	resp, err := h.c.ProcessQBXML(string(b))
	if err != nil {
		h.t.Fatal(err)
	}
	h.record(resp)
	out, err := qbxml.ParseResponse([]byte(resp))
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// TestInventoryChangesAndQueries plays a morning in the company — a count correction before
// the watermark, then a sale, a bill, an item receipt, a return and an adjustment after it —
// and reads it back the way inventory detection does. Expected quantities and sets are worked
// out by hand from the seed (Widget 100, Gadget 40, Gizmo Deluxe 12).
func TestInventoryChangesAndQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	at := func(hh, mm int) { h.clock.Set(time.Date(2026, 3, 5, hh, mm, 0, 0, testZone)) }
	item := func(name string) Item {
		it, err := h.c.Item(name)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	must := func(rq string) {
		t.Helper()
		if rs := h.one(rq); code(rs) != "0" {
			t.Fatalf("%s: %s", rq[:40], status(rs))
		}
	}
	at(9, 50)
	must(`<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><RefNumber>COUNT-1</RefNumber><InventoryAdjustmentLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><QuantityAdjustment><QuantityDifference>-5</QuantityDifference></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`)
	widgetAt950 := item("Widget")
	watermark := qbxml.DateTimeOf(time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)) // 10:00 CDT (-05:00)

	at(10, 1)
	must(`<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>S-1</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>3</Quantity></SalesReceiptLineAdd><SalesReceiptLineAdd><ItemRef><FullName>Shipping</FullName></ItemRef><Amount>5.00</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`)
	at(10, 2)
	must(`<BillAddRq><BillAdd><VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><RefNumber>INV-2026-0001</RefNumber><Memo>restock</Memo><ExpenseLineAdd><AccountRef><FullName>Merchant Account Fees</FullName></AccountRef><Amount>12.00</Amount></ExpenseLineAdd><ItemLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>10</Quantity><Cost>20.00</Cost></ItemLineAdd></BillAdd></BillAddRq>`)
	at(10, 3)
	must(`<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><ItemLineAdd><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>4</Quantity></ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>`)
	at(10, 4)
	must(`<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`)
	at(10, 5)
	must(`<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><QuantityAdjustment><QuantityDifference>-2</QuantityDifference></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`)

	// Quantities: Widget 100 − 5 − 3 + 1, Gadget 40 + 10 − 2, Gizmo Deluxe 12 + 4.
	for name, want := range map[string]float64{"Widget": 93, "Gadget": 48, "Gizmo Deluxe": 16} {
		if got := item(name).QuantityOnHand; got != want {
			t.Errorf("%s QuantityOnHand %v, want %v", name, got, want)
		}
	}
	// The sale and the return moved Widget's quantity, not its TimeModified.
	if w := item("Widget"); !w.TimeModified.Equal(widgetAt950.TimeModified) || w.EditSequence != widgetAt950.EditSequence {
		t.Errorf("Widget modified by transactions: %v %s -> %v %s", widgetAt950.TimeModified, widgetAt950.EditSequence, w.TimeModified, w.EditSequence)
	}

	txnFilter := qbxml.TxnFilter{FromModifiedDate: watermark}
	m := qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
	m.Add(qbxml.ItemInventoryQuery{Filter: qbxml.ListFilter{FromModifiedDate: watermark, ActiveStatus: qbxml.ActiveAll}, IncludeRetElements: qbxml.InventoryItemRetElements})
	m.Add(qbxml.ItemInventoryAssemblyQuery{Filter: qbxml.ListFilter{FromModifiedDate: watermark}, IncludeRetElements: qbxml.InventoryItemRetElements})
	m.Add(qbxml.SalesReceiptQuery{Filter: txnFilter, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("SalesReceipt")})
	m.Add(qbxml.InvoiceQuery{Filter: txnFilter, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("Invoice")})
	m.Add(qbxml.CreditMemoQuery{Filter: txnFilter, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("CreditMemo")})
	m.Add(qbxml.InventoryAdjustmentQuery{Filter: txnFilter, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("InventoryAdjustment")})
	m.Add(qbxml.BillQuery{Filter: txnFilter, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("Bill")})
	m.Add(qbxml.ItemReceiptQuery{Filter: txnFilter, IncludeLineItems: true, IncludeRetElements: qbxml.InventoryTxnRetElements("ItemReceipt")})
	res := h.process(m)
	if len(res.Responses) != 8 {
		t.Fatalf("%d responses", len(res.Responses))
	}
	// Items modified since 10:00: only Gadget (adjusted at 10:05); Widget's last edit was the
	// 09:50 adjustment, the sale and the return do not count.
	items := res.Responses[0]
	if len(items.Items) != 1 || items.Items[0].FullName != "Gadget" || items.Items[0].QuantityOnHand != qbxml.Units(48) || items.Items[0].ListID == "" {
		t.Errorf("modified items: %+v (%d %s)", items.Items, items.StatusCode, items.StatusMessage)
	}
	if a := res.Responses[1]; a.StatusCode != 1 || len(a.Items) != 0 {
		t.Errorf("assemblies: %d %s", a.StatusCode, a.StatusMessage)
	}
	if inv := res.Responses[3]; inv.StatusCode != 1 {
		t.Errorf("invoices: %d %s", inv.StatusCode, inv.StatusMessage)
	}
	var got []string
	for _, rs := range res.Responses {
		for _, ti := range rs.TxnItems() {
			var names []string
			for _, r := range ti.Items {
				names = append(names, r.FullName)
			}
			got = append(got, ti.Kind+" "+string(ti.TimeModified)+": "+strings.Join(names, ", "))
		}
	}
	want := []string{
		"SalesReceipt 2026-03-05T10:01:00-05:00: Widget, Shipping",
		"CreditMemo 2026-03-05T10:04:00-05:00: Widget",
		"InventoryAdjustment 2026-03-05T10:05:00-05:00: Gadget",
		"Bill 2026-03-05T10:02:00-05:00: Gadget",
		"ItemReceipt 2026-03-05T10:03:00-05:00: Gizmo Deluxe",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("transactions since 10:00:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// IncludeRetElement kept only what detection needs: no totals, no vendor.
	if b := res.Responses[6].Bills; len(b) != 1 || b[0].VendorRef.FullName != "" || b[0].AmountDue != 0 || b[0].ItemLines[0].Quantity != qbxml.Units(10) {
		t.Errorf("trimmed bill: %+v", b)
	}

	// The whole records, and filters by vendor and by date.
	m = qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
	m.Add(qbxml.BillQuery{Filter: qbxml.TxnFilter{EntityFullNames: []string{"Acme Supply Co."}}, IncludeLineItems: true})
	m.Add(qbxml.ItemReceiptQuery{Filter: qbxml.TxnFilter{ToModifiedDate: watermark}})
	m.Add(qbxml.BillQuery{RefNumbers: []string{"INV-2026-0001"}, PaidStatus: "", IncludeLineItems: false})
	res = h.process(m)
	bills := res.Responses[0].Bills
	if len(bills) != 1 || bills[0].RefNumber != "INV-2026-0001" || bills[0].VendorRef.FullName != "Acme Supply Co." ||
		bills[0].APAccountRef.FullName != "Accounts Payable" || bills[0].AmountDue != qbxml.Cents(21200) || bills[0].IsPaid ||
		len(bills[0].ItemLines) != 1 || bills[0].ItemLines[0].Cost != qbxml.PriceCents(2000) || bills[0].ItemLines[0].Amount != qbxml.Cents(20000) ||
		bills[0].Memo != "restock" {
		t.Errorf("bill: %+v", bills)
	}
	if rs := res.Responses[1]; rs.StatusCode != 1 {
		t.Errorf("item receipts before 10:00: %d %s", rs.StatusCode, rs.StatusMessage)
	}
	if rs := res.Responses[2]; len(rs.Bills) != 1 || len(rs.Bills[0].ItemLines) != 0 {
		t.Errorf("bill by RefNumber without lines: %+v", rs.Bills)
	}

	// Adjustments page by page with an iterator: the 09:50 and the 10:05 one.
	m = qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
	m.Add(qbxml.InventoryAdjustmentQuery{Iterator: qbxml.IteratorStart, Filter: qbxml.TxnFilter{MaxReturned: 1}, IncludeLineItems: true})
	first := h.process(m).Responses[0]
	if len(first.InventoryAdjustments) != 1 || first.IteratorRemainingCount != 1 || first.IteratorID == "" ||
		first.InventoryAdjustments[0].RefNumber != "COUNT-1" || first.InventoryAdjustments[0].Lines[0].QuantityDifference != qbxml.Units(-5) {
		t.Fatalf("first page: %+v remaining %d", first.InventoryAdjustments, first.IteratorRemainingCount)
	}
	m = qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
	m.Add(qbxml.InventoryAdjustmentQuery{Iterator: qbxml.IteratorContinue, IteratorID: first.IteratorID, Filter: qbxml.TxnFilter{MaxReturned: 1}, IncludeLineItems: true})
	second := h.process(m).Responses[0]
	if len(second.InventoryAdjustments) != 1 || second.IteratorRemainingCount != 0 || second.InventoryAdjustments[0].Lines[0].ItemRef.FullName != "Gadget" {
		t.Errorf("second page: %+v remaining %d", second.InventoryAdjustments, second.IteratorRemainingCount)
	}

	// A full quantity read, page by page, as detection's periodic snapshot does it.
	var all []string
	id := ""
	for page := 0; page < 5; page++ {
		q := qbxml.ItemInventoryQuery{Iterator: qbxml.IteratorStart, Filter: qbxml.ListFilter{MaxReturned: 2, ActiveStatus: qbxml.ActiveAll}, IncludeRetElements: qbxml.InventoryItemRetElements}
		if id != "" {
			q.Iterator, q.IteratorID = qbxml.IteratorContinue, id
		}
		m = qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
		m.Add(q)
		rs := h.process(m).Responses[0]
		for _, it := range rs.Items {
			all = append(all, fmt.Sprintf("%s=%s/%s", it.FullName, it.QuantityOnHand, it.QuantityOnSalesOrder))
		}
		if rs.IteratorRemainingCount == 0 {
			break
		}
		id = rs.IteratorID
	}
	if got := strings.Join(all, " "); got != "Gadget=48/0 Gizmo Deluxe=16/0 Widget=93/0" {
		t.Errorf("full read: %s", got)
	}
}

func TestAdjustQuantity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before, _ := h.c.Item("Gadget")
	h.clock.Advance(time.Hour)
	txn, err := h.c.AdjustQuantity("gadget", -3, false, "broken in the warehouse")
	if err != nil {
		t.Fatal(err)
	}
	after, _ := h.c.Item("Gadget")
	if after.QuantityOnHand != 37 || !after.TimeModified.After(before.TimeModified) || txn.Type != "InventoryAdjustment" ||
		len(txn.Lines) != 1 || txn.Lines[0].ItemFullName != "Gadget" || txn.Lines[0].Quantity != -3 {
		t.Errorf("after -3: %+v, %+v", after, txn)
	}
	if _, err := h.c.AdjustQuantity("Gadget", 12.5, true, ""); err != nil {
		t.Fatal(err)
	}
	if g, _ := h.c.Item("Gadget"); g.QuantityOnHand != 12.5 {
		t.Errorf("set to 12.5: %v", g.QuantityOnHand)
	}
	for _, name := range []string{"No Such Thing", "Installation"} {
		if _, err := h.c.AdjustQuantity(name, 1, false, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The adjustment is a real transaction: QuickBooks' queries see it.
	rs := h.one(`<InventoryAdjustmentQueryRq><IncludeLineItems>true</IncludeLineItems></InventoryAdjustmentQueryRq>`)
	if n := len(rs.all("InventoryAdjustmentRet")); n != 2 || !strings.Contains(rs.all("InventoryAdjustmentRet")[0].text("Memo"), "broken") {
		t.Errorf("%d adjustments: %s", n, status(rs))
	}
}
