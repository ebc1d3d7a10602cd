package qbdsim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNameUniqueness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rq   string
		want string
	}{
		{"customer named like a vendor", `<CustomerAddRq><CustomerAdd><Name>Acme Supply Co.</Name></CustomerAdd></CustomerAddRq>`,
			`3100 Error The name "Acme Supply Co." of the list element is already in use.`},
		{"customer, different case", `<CustomerAddRq><CustomerAdd><Name>JANE DOE</Name></CustomerAdd></CustomerAddRq>`,
			`3100 Error The name "JANE DOE" of the list element is already in use.`},
		{"service item named like an inventory item", `<ItemServiceAddRq><ItemServiceAdd><Name>Widget</Name><SalesOrPurchase><Price>1.00</Price></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>`,
			`3100 Error The name "Widget" of the list element is already in use.`},
		{"inventory item named like a sales tax item", `<ItemInventoryAddRq><ItemInventoryAdd><Name>Out of State</Name></ItemInventoryAdd></ItemInventoryAddRq>`,
			`3100 Error The name "Out of State" of the list element is already in use.`},
		{"class", `<ClassAddRq><ClassAdd><Name>online</Name></ClassAdd></ClassAddRq>`,
			`3100 Error The name "online" of the list element is already in use.`},
		{"item named like a customer (separate lists)", `<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Jane Doe</Name><SalesOrPurchase><Price>1.00</Price></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>`,
			"0 Info Status OK"},
		{"sub-item with a taken leaf name", `<ItemInventoryAddRq><ItemInventoryAdd><Name>Widget</Name><ParentRef><FullName>Gadget</FullName></ParentRef></ItemInventoryAdd></ItemInventoryAddRq>`,
			"0 Info Status OK"},
		{"job of an unknown customer", `<CustomerAddRq><CustomerAdd><Name>Kitchen</Name><ParentRef><FullName>NONEXISTENT-PARENT-CUSTOMER</FullName></ParentRef></CustomerAdd></CustomerAddRq>`,
			`3130 Error There is an invalid reference to a parent "NONEXISTENT-PARENT-CUSTOMER" in the Customers list.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			if got := status(h.one(tc.rq)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestSubItemFullName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rs := h.one(`<ItemInventoryAddRq><ItemInventoryAdd><Name>Blue</Name><ParentRef><FullName>Widget</FullName></ParentRef><QuantityOnHand>3</QuantityOnHand></ItemInventoryAdd></ItemInventoryAddRq>`)
	ret := rs.child("ItemInventoryRet")
	if ret.text("FullName") != "Widget:Blue" || ret.text("Sublevel") != "1" || ret.child("ParentRef").text("FullName") != "Widget" {
		t.Errorf("sub-item: FullName %q Sublevel %q", ret.text("FullName"), ret.text("Sublevel"))
	}
	rs = h.one(`<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>widget:blue</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`)
	if code(rs) != "0" {
		t.Fatal(status(rs))
	}
	if it, _ := h.c.Item("Widget:Blue"); it.QuantityOnHand != 2 {
		t.Errorf("QuantityOnHand = %v", it.QuantityOnHand)
	}
}

func TestInvalidReferences(t *testing.T) {
	t.Parallel()
	const tail = `.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.`
	tests := []struct {
		name string
		rq   string
		want string
	}{
		{"unknown ItemRef", `<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>sooo wrong</FullName></ItemRef></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks Item "sooo wrong" in the SalesReceipt line` + tail},
		{"unknown CustomerRef", `<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Joe Smith</FullName></CustomerRef><SalesOrderLineAdd><ItemRef><FullName>Widget</FullName></ItemRef></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks Customer "Joe Smith" in the SalesOrder` + tail},
		{"unknown CustomerRef ListID", `<InvoiceAddRq><InvoiceAdd><CustomerRef><ListID>80000999-1400000000</ListID></CustomerRef></InvoiceAdd></InvoiceAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks Customer "80000999-1400000000" in the Invoice` + tail},
		{"unknown IncomeAccountRef", `<ItemInventoryAddRq><ItemInventoryAdd><Name>Thing</Name><IncomeAccountRef><FullName>Nope Income</FullName></IncomeAccountRef></ItemInventoryAdd></ItemInventoryAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks Account "Nope Income" in the Item` + tail},
		{"unknown AccountRef in SalesOrPurchase", `<ItemServiceAddRq><ItemServiceAdd><Name>Repair</Name><SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Services</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks Account "Services" in the Item` + tail},
		{"unknown adjustment AccountRef", `<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Shrinkage</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><QuantityAdjustment><QuantityDifference>-1</QuantityDifference></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks Account "Shrinkage" in the InventoryAdjustment` + tail},
		{"ship method", `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><ShipMethodRef><FullName>Pigeon</FullName></ShipMethodRef></InvoiceAdd></InvoiceAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks ShipMethod "Pigeon" in the Invoice` + tail},
		{"class on a line", `<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><ClassRef><FullName>Mail order</FullName></ClassRef></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`,
			`3140 Error There is an invalid reference to QuickBooks Class "Mail order" in the CreditMemo line` + tail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			before := len(h.c.Txns("", ""))
			if got := status(h.one(tc.rq)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if w, _ := h.c.Item("Widget"); w.QuantityOnHand != 100 || len(h.c.Txns("", "")) != before {
				t.Error("a rejected request changed the company")
			}
		})
	}
}

func TestQuantityOnHand(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	qoh := func(name string) (float64, float64, time.Time) {
		it, err := h.c.Item(name)
		if err != nil {
			t.Fatal(err)
		}
		return it.QuantityOnHand, it.QuantityOnSalesOrder, it.TimeModified
	}
	steps := []struct {
		name       string
		rq         string
		item       string
		qoh, qoso  float64
		bumpsItems bool
	}{
		{"sales receipt sells 3", `<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>3</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`, "Widget", 97, 0, false},
		{"invoice sells 2", `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><InvoiceLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>2</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`, "Widget", 95, 0, false},
		{"credit memo returns 1", `<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`, "Widget", 96, 0, false},
		{"sales order reserves 5", `<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><SalesOrderLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>5</Quantity></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>`, "Widget", 96, 5, false},
		{"group line sells its members", `<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineGroupAdd><ItemGroupRef><FullName>Starter Kit</FullName></ItemGroupRef><Quantity>2</Quantity></SalesReceiptLineGroupAdd></SalesReceiptAdd></SalesReceiptAddRq>`, "Widget", 92, 5, false},
		{"bill receives 10", `<BillAddRq><BillAdd><VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><RefNumber>A-1</RefNumber><ExpenseLineAdd><AccountRef><FullName>Merchant Account Fees</FullName></AccountRef><Amount>4.00</Amount></ExpenseLineAdd><ItemLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>10</Quantity><Cost>8.50</Cost></ItemLineAdd></BillAdd></BillAddRq>`, "Widget", 102, 5, false},
		{"item receipt receives 4", `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><ItemLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>4</Quantity></ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>`, "Widget", 106, 5, false},
		{"adjustment to a new quantity", `<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><QuantityAdjustment><NewQuantity>150</NewQuantity></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`, "Widget", 150, 5, true},
		{"adjustment by a difference", `<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><QuantityAdjustment><QuantityDifference>-0.5</QuantityDifference></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`, "Widget", 149.5, 5, true},
		{"value adjustment (quantity only: the 13.0 schema allows no value)", `<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><ValueAdjustment><QuantityDifference>0.5</QuantityDifference></ValueAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`, "Widget", 150, 5, true},
		{"adjustment back", `<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><ValueAdjustment><NewQuantity>149.5</NewQuantity></ValueAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`, "Widget", 149.5, 5, true},
		{"service items have no quantity", `<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>Installation</FullName></ItemRef><Quantity>2</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`, "Widget", 149.5, 5, false},
	}
	for _, st := range steps {
		_, _, before := qoh(st.item)
		h.clock.Advance(time.Minute)
		if rs := h.one(st.rq); code(rs) != "0" {
			t.Fatalf("%s: %s", st.name, status(rs))
		}
		q, qs, modified := qoh(st.item)
		if q != st.qoh || qs != st.qoso {
			t.Errorf("%s: QuantityOnHand %v QuantityOnSalesOrder %v, want %v %v", st.name, q, qs, st.qoh, st.qoso)
		}
		if modified.After(before) != st.bumpsItems {
			t.Errorf("%s: TimeModified %v -> %v", st.name, before, modified)
		}
	}
	if g, _, _ := qoh("Gadget"); g != 38 {
		t.Errorf("Gadget QuantityOnHand %v, want 38 (2 starter kits)", g)
	}
	if rs := h.one(`<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><QuantityAdjustment><QuantityDifference>1</QuantityDifference><SerialNumber>SN-1</SerialNumber></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`); status(rs) != "3250 Error This feature is not enabled or not available in this version of QuickBooks." {
		t.Errorf("serial numbers: %s", status(rs))
	}
	if rs := h.one(`<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Installation</FullName></ItemRef><QuantityAdjustment><QuantityDifference>1</QuantityDifference></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`); code(rs) != "3140" {
		t.Errorf("adjusting a service item: %s", status(rs))
	}
	if w := mustItem(t, h, "Widget"); w.QuantityOnHand != 149.5 {
		t.Errorf("rejected adjustments changed the quantity: %v", w.QuantityOnHand)
	}
	// The query shows the same quantity.
	ret := h.one(`<ItemInventoryQueryRq><FullName>Widget</FullName></ItemInventoryQueryRq>`).child("ItemInventoryRet")
	if ret.text("QuantityOnHand") != "149.5" || ret.text("QuantityOnSalesOrder") != "5" {
		t.Errorf("ItemInventoryRet QuantityOnHand %s QuantityOnSalesOrder %s", ret.text("QuantityOnHand"), ret.text("QuantityOnSalesOrder"))
	}
}

// Without the schema (whose 13.0 ValueAdjustment forbids values), value
// adjustments change the average cost.
func TestValueAdjustment(t *testing.T) {
	t.Parallel()
	c := New(Config{})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	resp, err := c.ProcessQBXML(msg("stopOnError",
		`<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><ValueAdjustment><QuantityDifference>10</QuantityDifference><ValueDifference>160.00</ValueDifference></ValueAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`,
		`<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><ValueAdjustment><NewQuantity>50</NewQuantity><NewValue>1500.00</NewValue></ValueAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`,
		`<ItemInventoryQueryRq><FullName>Gadget</FullName></ItemInventoryQueryRq>`))
	if err != nil {
		t.Fatal(err)
	}
	rs := parseResponse(t, resp)
	// 40 × 21.00 = 840 + 160 = 1000 for 50 → 20.00; then set to 1500 → 30.00.
	if l := rs[0].child("InventoryAdjustmentRet").child("InventoryAdjustmentLineRet"); l.text("QuantityDifference") != "10" || l.text("ValueDifference") != "160.00" {
		t.Errorf("first adjustment line: %s %s", l.text("QuantityDifference"), l.text("ValueDifference"))
	}
	if l := rs[1].child("InventoryAdjustmentRet").child("InventoryAdjustmentLineRet"); l.text("QuantityDifference") != "0" || l.text("ValueDifference") != "500.00" {
		t.Errorf("second adjustment line: %s %s", l.text("QuantityDifference"), l.text("ValueDifference"))
	}
	if ret := rs[2].child("ItemInventoryRet"); ret.text("QuantityOnHand") != "50" || ret.text("AverageCost") != "30.00" {
		t.Errorf("Gadget: %s on hand, average cost %s", ret.text("QuantityOnHand"), ret.text("AverageCost"))
	}
	if adj := c.Txns("InventoryAdjustment", ""); len(adj) != 2 || adj[0].Lines[0].Quantity != 10 || adj[0].Lines[0].Amount != 160 {
		t.Errorf("Txns view: %+v", adj)
	}
}

func TestSalesReceiptModAdjustsQuantities(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ret := h.one(`<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>M1</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>4</Quantity></SalesReceiptLineAdd><SalesReceiptLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`).child("SalesReceiptRet")
	lines := ret.all("SalesReceiptLineRet")
	mod := fmt.Sprintf(`<SalesReceiptModRq><SalesReceiptMod><TxnID>%s</TxnID><EditSequence>%s</EditSequence><Memo>corrected</Memo><SalesReceiptLineMod><TxnLineID>%s</TxnLineID><Quantity>1</Quantity></SalesReceiptLineMod><SalesReceiptLineMod><TxnLineID>-1</TxnLineID><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>2</Quantity></SalesReceiptLineMod></SalesReceiptMod></SalesReceiptModRq>`,
		ret.text("TxnID"), ret.text("EditSequence"), lines[0].text("TxnLineID"))
	h.clock.Advance(time.Hour)
	rs := h.one(mod)
	if code(rs) != "0" {
		t.Fatal(status(rs))
	}
	got := rs.child("SalesReceiptRet")
	if got.text("Memo") != "corrected" || len(got.all("SalesReceiptLineRet")) != 2 || got.text("TotalAmount") != "277.99" {
		t.Errorf("modified receipt: memo %q lines %d total %s", got.text("Memo"), len(got.all("SalesReceiptLineRet")), got.text("TotalAmount"))
	}
	if got.text("EditSequence") == ret.text("EditSequence") || got.text("TimeModified") == ret.text("TimeModified") {
		t.Error("EditSequence/TimeModified unchanged by the mod")
	}
	for name, want := range map[string]float64{"Widget": 99, "Gadget": 40, "Gizmo Deluxe": 10} {
		if it, _ := h.c.Item(name); it.QuantityOnHand != want {
			t.Errorf("%s QuantityOnHand %v, want %v", name, it.QuantityOnHand, want)
		}
	}
}

func TestEditSequence(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cust, _ := h.c.Customer("Jane Doe")
	stale := cust.EditSequence
	h.clock.Advance(time.Minute)
	rs := h.one(fmt.Sprintf(`<CustomerModRq><CustomerMod><ListID>%s</ListID><EditSequence>%s</EditSequence><Phone>217-555-0199</Phone></CustomerMod></CustomerModRq>`, cust.ListID, stale))
	if code(rs) != "0" {
		t.Fatal(status(rs))
	}
	fresh := rs.child("CustomerRet").text("EditSequence")
	if fresh == stale || rs.child("CustomerRet").text("Phone") != "217-555-0199" || rs.child("CustomerRet").text("Email") != "jane.doe@example.com" {
		t.Errorf("mod result: %s", rs.child("CustomerRet").text("EditSequence"))
	}
	rs = h.one(fmt.Sprintf(`<CustomerModRq><CustomerMod><ListID>%s</ListID><EditSequence>%s</EditSequence><Phone>1</Phone></CustomerMod></CustomerModRq>`, cust.ListID, stale))
	want := fmt.Sprintf(`3200 Error The provided edit sequence "%s" is out-of-date.`, stale)
	if status(rs) != want {
		t.Errorf("got  %s\nwant %s", status(rs), want)
	}
	if cur := rs.child("CustomerRet"); cur == nil || cur.text("EditSequence") != fresh || cur.text("Phone") != "217-555-0199" {
		t.Error("3200 must carry the current record")
	}
	rs = h.one(`<CustomerModRq><CustomerMod><ListID>8000001B-1405768916</ListID><EditSequence>1</EditSequence></CustomerMod></CustomerModRq>`)
	if want := `3120 Error Object "8000001B-1405768916" specified in the request cannot be found.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.`; status(rs) != want {
		t.Errorf("got  %s\nwant %s", status(rs), want)
	}
	rs = h.one(fmt.Sprintf(`<CustomerModRq><CustomerMod><ListID>%s</ListID><EditSequence>%s</EditSequence><Name>Acme Supply Co.</Name></CustomerMod></CustomerModRq>`, cust.ListID, fresh))
	if code(rs) != "3100" {
		t.Errorf("rename to a vendor's name: %s", status(rs))
	}
	// Transactions too.
	sr := h.one(`<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`).child("SalesReceiptRet")
	rs = h.one(fmt.Sprintf(`<SalesReceiptModRq><SalesReceiptMod><TxnID>%s</TxnID><EditSequence>123</EditSequence><Memo>x</Memo></SalesReceiptMod></SalesReceiptModRq>`, sr.text("TxnID")))
	if status(rs) != `3200 Error The provided edit sequence "123" is out-of-date.` || rs.child("SalesReceiptRet").text("TxnID") != sr.text("TxnID") {
		t.Errorf("stale SalesReceiptMod: %s", status(rs))
	}
}

func TestRenameShowsInReferences(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.one(`<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><InvoiceLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`).child("InvoiceRet")
	cust, _ := h.c.Customer("Jane Doe")
	h.one(fmt.Sprintf(`<CustomerModRq><CustomerMod><ListID>%s</ListID><EditSequence>%s</EditSequence><Name>Jane Roe</Name></CustomerMod></CustomerModRq>`, cust.ListID, cust.EditSequence))
	got := h.one(fmt.Sprintf(`<InvoiceQueryRq><TxnID>%s</TxnID></InvoiceQueryRq>`, inv.text("TxnID"))).child("InvoiceRet")
	if got.child("CustomerRef").text("FullName") != "Jane Roe" {
		t.Errorf("CustomerRef after rename: %s", got.child("CustomerRef").text("FullName"))
	}
}

func TestIterators(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var adds []string
	for i := 1; i <= 250; i++ {
		adds = append(adds, fmt.Sprintf(`<ItemInventoryAddRq requestID="%d"><ItemInventoryAdd><Name>SKU-%03d</Name><SalesPrice>%d.00</SalesPrice><QuantityOnHand>%d</QuantityOnHand></ItemInventoryAdd></ItemInventoryAddRq>`, i, i, i, i))
	}
	for _, rs := range h.do("stopOnError", adds...) {
		if code(rs) != "0" {
			t.Fatal(status(rs))
		}
	}
	query := func(attrs string) *node {
		return h.one(`<ItemInventoryQueryRq requestID="it" ` + attrs + `><MaxReturned>100</MaxReturned><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>sku-</Name></NameFilter></ItemInventoryQueryRq>`)
	}
	rs := query(`iterator="Start"`)
	id := attrOf(rs, "iteratorID")
	seen := map[string]bool{}
	pages := []struct{ rets, remaining int }{{100, 150}, {100, 50}, {50, 0}}
	for i, p := range pages {
		if i > 0 {
			rs = query(`iterator="Continue" iteratorID="` + id + `"`)
		}
		rets := rs.all("ItemInventoryRet")
		if code(rs) != "0" || len(rets) != p.rets || attrOf(rs, "iteratorRemainingCount") != fmt.Sprint(p.remaining) || attrOf(rs, "iteratorID") != id {
			t.Fatalf("page %d: %s, %d rets, remaining %s, id %s", i, status(rs), len(rets), attrOf(rs, "iteratorRemainingCount"), attrOf(rs, "iteratorID"))
		}
		for _, r := range rets {
			if seen[r.text("Name")] {
				t.Fatalf("%s returned twice", r.text("Name"))
			}
			seen[r.text("Name")] = true
		}
	}
	if len(seen) != 250 || !strings.HasPrefix(id, "{") {
		t.Errorf("saw %d items, iterator %q", len(seen), id)
	}
	rs = query(`iterator="Continue" iteratorID="` + id + `"`)
	if want := `3391 Error The iteratorID "` + id + `" is not valid.`; status(rs) != want {
		t.Errorf("after the last page: %s", status(rs))
	}
	// Iterators belong to a session.
	rs = query(`iterator="Start"`)
	other := h.c.BeginSession()
	defer other.End()
	resp, err := other.ProcessQBXML(msg("stopOnError", `<ItemInventoryQueryRq iterator="Continue" iteratorID="`+attrOf(rs, "iteratorID")+`"><MaxReturned>100</MaxReturned></ItemInventoryQueryRq>`))
	if err != nil {
		t.Fatal(err)
	}
	h.record(resp)
	if code(parseResponse(t, resp)[0]) != "3391" {
		t.Errorf("continue in another session: %s", resp)
	}
	h.c.EndDefaultSession()
	if rs := query(`iterator="Continue" iteratorID="` + attrOf(rs, "iteratorID") + `"`); code(rs) != "3391" {
		t.Errorf("continue after EndDefaultSession: %s", status(rs))
	}
	// MaxReturned without an iterator just truncates.
	rs = query("")
	if len(rs.all("ItemInventoryRet")) != 100 || attrOf(rs, "iteratorID") != "" {
		t.Errorf("plain MaxReturned: %d rets", len(rs.all("ItemInventoryRet")))
	}
}

func TestFromModifiedDate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(time.Date(2026, 3, 5, 10, 0, 0, 0, testZone))
	// An adjustment edits the item, so it moves Gadget's TimeModified; a sale of Widget does not
	// move Widget's.
	h.one(`<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><InventoryAdjustmentLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><QuantityAdjustment><QuantityDifference>-1</QuantityDifference></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>`)
	h.one(`<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`)
	tests := []struct {
		name, filter string
		want         []string
	}{
		{"with offset", `<FromModifiedDate>2026-03-05T09:30:00-05:00</FromModifiedDate>`, []string{"Gadget"}},
		{"same instant, other offset", `<FromModifiedDate>2026-03-05T14:30:00+00:00</FromModifiedDate>`, []string{"Gadget"}},
		{"local time without offset", `<FromModifiedDate>2026-03-05T09:30:00</FromModifiedDate>`, []string{"Gadget"}},
		{"to date", `<ToModifiedDate>2026-03-04</ToModifiedDate>`, []string{"Gizmo Deluxe", "Widget"}},
		{"nothing after", `<FromModifiedDate>2026-03-06T00:00:00-05:00</FromModifiedDate>`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := h.one(`<ItemInventoryQueryRq>` + tc.filter + `</ItemInventoryQueryRq>`)
			var got []string
			for _, r := range rs.all("ItemInventoryRet") {
				got = append(got, r.text("Name"))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v (%s)", got, tc.want, status(rs))
			}
			if len(tc.want) == 0 && status(rs) != "1 Info A query request did not find a matching object in QuickBooks" {
				t.Errorf("empty result status: %s", status(rs))
			}
		})
	}
}

func TestTransactionQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, testZone))
	var ids []string
	for i, ref := range []string{"A1", "A2", "A3", "B1"} {
		cust := "Jane Doe"
		if ref == "B1" {
			cust = "Walk-in Customer"
		}
		rs := h.one(fmt.Sprintf(`<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>%s</FullName></CustomerRef><TxnDate>2026-03-0%d</TxnDate><RefNumber>%s</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`, cust, i+1, ref))
		ids = append(ids, rs.child("SalesReceiptRet").text("TxnID"))
		h.clock.Advance(time.Hour)
	}
	refs := func(rs *node) []string {
		var out []string
		for _, r := range rs.all("SalesReceiptRet") {
			out = append(out, r.text("RefNumber"))
		}
		return out
	}
	tests := []struct {
		name, body string
		want       []string
		status     string
	}{
		{"several RefNumbers", `<RefNumber>A1</RefNumber><RefNumber>a3</RefNumber><RefNumber>ZZ9</RefNumber>`, []string{"A1", "A3"}, "0"},
		{"case-sensitive RefNumber", `<RefNumberCaseSensitive>a1</RefNumberCaseSensitive>`, nil, "1"},
		{"several TxnIDs", `<TxnID>` + ids[3] + `</TxnID><TxnID>` + ids[1] + `</TxnID>`, []string{"B1", "A2"}, "0"},
		{"missing TxnID", `<TxnID>` + ids[0] + `</TxnID><TxnID>999-1</TxnID>`, nil, "3120"},
		{"TxnDateRangeFilter", `<TxnDateRangeFilter><FromTxnDate>2026-03-02</FromTxnDate><ToTxnDate>2026-03-03</ToTxnDate></TxnDateRangeFilter>`, []string{"A2", "A3"}, "0"},
		{"DateMacro", `<TxnDateRangeFilter><DateMacro>ThisMonthToDate</DateMacro></TxnDateRangeFilter>`, []string{"A1", "A2", "A3", "B1"}, "0"},
		{"ModifiedDateRangeFilter", `<ModifiedDateRangeFilter><FromModifiedDate>2026-03-10T10:30:00-05:00</FromModifiedDate></ModifiedDateRangeFilter>`, []string{"A3", "B1"}, "0"},
		{"EntityFilter", `<EntityFilter><FullName>Walk-in Customer</FullName></EntityFilter>`, []string{"B1"}, "0"},
		{"RefNumberFilter", `<RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>A</RefNumber></RefNumberFilter>`, []string{"A1", "A2", "A3"}, "0"},
		{"MaxReturned", `<MaxReturned>2</MaxReturned>`, []string{"A1", "A2"}, "0"},
		{"AccountFilter", `<AccountFilter><FullName>Undeposited Funds</FullName></AccountFilter>`, []string{"A1", "A2", "A3", "B1"}, "0"},
		{"RefNumberRangeFilter", `<RefNumberRangeFilter><FromRefNumber>A2</FromRefNumber><ToRefNumber>B0</ToRefNumber></RefNumberRangeFilter>`, []string{"A2", "A3"}, "0"},
		{"inverted TxnDateRangeFilter", `<TxnDateRangeFilter><FromTxnDate>2026-03-05</FromTxnDate><ToTxnDate>2026-03-01</ToTxnDate></TxnDateRangeFilter>`, nil, "3030"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := h.one(`<SalesReceiptQueryRq>` + tc.body + `</SalesReceiptQueryRq>`)
			if fmt.Sprint(refs(rs)) != fmt.Sprint(tc.want) || code(rs) != tc.status {
				t.Errorf("got %v (%s), want %v (%s)", refs(rs), status(rs), tc.want, tc.status)
			}
			for _, r := range rs.all("SalesReceiptRet") {
				if r.has("SalesReceiptLineRet") {
					t.Error("lines returned without IncludeLineItems")
				}
			}
		})
	}
	rs := h.one(`<SalesReceiptQueryRq><RefNumber>A2</RefNumber><IncludeLineItems>true</IncludeLineItems><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>RefNumber</IncludeRetElement><IncludeRetElement>SalesReceiptLineRet</IncludeRetElement></SalesReceiptQueryRq>`)
	ret := rs.child("SalesReceiptRet")
	if len(ret.Children) != 3 || ret.child("SalesReceiptLineRet").child("ItemRef").text("FullName") != "Widget" {
		t.Errorf("IncludeRetElement/IncludeLineItems: %d children", len(ret.Children))
	}
}

func TestReceivePayment(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := func(ref, qty string) string {
		rs := h.one(`<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>` + ref + `</RefNumber><InvoiceLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>` + qty + `</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`)
		return rs.child("InvoiceRet").text("TxnID")
	}
	a, b := inv("INV-1", "2"), inv("INV-2", "1") // 98.00 and 49.00
	if c, _ := h.c.Customer("Jane Doe"); c.Balance != 147 {
		t.Fatalf("balance after invoices = %v", c.Balance)
	}
	over := h.one(`<ReceivePaymentAddRq requestID="p"><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TotalAmount>129.43</TotalAmount><AppliedToTxnAdd><TxnID>` + b + `</TxnID><PaymentAmount>129.43</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`)
	if want := `3210 Info The "AppliedToTxnAdd payment amount" field has an invalid value "129.43".  QuickBooks error message: You cannot pay more than the amount due.`; status(over) != want {
		t.Errorf("overpayment:\ngot  %s\nwant %s", status(over), want)
	}
	rs := h.one(`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>CHK-12</RefNumber><TotalAmount>120.00</TotalAmount><PaymentMethodRef><FullName>Check</FullName></PaymentMethodRef><AppliedToTxnAdd><TxnID>` + a + `</TxnID><PaymentAmount>98.00</PaymentAmount></AppliedToTxnAdd><AppliedToTxnAdd><TxnID>` + b + `</TxnID><PaymentAmount>20.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`)
	if code(rs) != "0" {
		t.Fatal(status(rs))
	}
	pay := rs.child("ReceivePaymentRet")
	if pay.text("UnusedPayment") != "2.00" || len(pay.all("AppliedToTxnRet")) != 2 || pay.child("DepositToAccountRef").text("FullName") != "Undeposited Funds" {
		t.Errorf("payment: unused %s applied %d", pay.text("UnusedPayment"), len(pay.all("AppliedToTxnRet")))
	}
	if got := pay.all("AppliedToTxnRet")[1]; got.text("BalanceRemaining") != "29.00" || got.text("Amount") != "20.00" {
		t.Errorf("applied to INV-2: balance %s amount %s", got.text("BalanceRemaining"), got.text("Amount"))
	}
	q := h.one(`<InvoiceQueryRq><RefNumber>INV-1</RefNumber><RefNumber>INV-2</RefNumber><IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq>`)
	invs := q.all("InvoiceRet")
	if invs[0].text("IsPaid") != "true" || invs[0].text("BalanceRemaining") != "0.00" || invs[0].text("AppliedAmount") != "-98.00" ||
		invs[1].text("BalanceRemaining") != "29.00" || invs[1].child("LinkedTxn").text("TxnType") != "ReceivePayment" {
		t.Errorf("invoices after payment: %s %s / %s", invs[0].text("IsPaid"), invs[0].text("BalanceRemaining"), invs[1].text("BalanceRemaining"))
	}
	if c, _ := h.c.Customer("Jane Doe"); c.Balance != 27 {
		t.Errorf("customer balance = %v, want 27 (147 - 120)", c.Balance)
	}
	paid := h.one(`<InvoiceQueryRq><PaidStatus>NotPaidOnly</PaidStatus></InvoiceQueryRq>`)
	if n := len(paid.all("InvoiceRet")); n != 1 {
		t.Errorf("NotPaidOnly returned %d invoices", n)
	}
	auto := h.one(`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TotalAmount>29.00</TotalAmount><IsAutoApply>true</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>`)
	if code(auto) != "0" || auto.child("ReceivePaymentRet").child("AppliedToTxnRet").text("TxnID") != b {
		t.Errorf("auto-apply: %s", status(auto))
	}
	if rs := h.one(`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><AppliedToTxnAdd><TxnID>FFF-1</TxnID><PaymentAmount>1.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`); code(rs) != "3120" {
		t.Errorf("unknown invoice: %s", status(rs))
	}
}

func TestOnError(t *testing.T) {
	t.Parallel()
	batch := []string{
		`<CustomerAddRq requestID="1"><CustomerAdd><Name>First</Name></CustomerAdd></CustomerAddRq>`,
		`<CustomerAddRq requestID="2"><CustomerAdd><Name>Jane Doe</Name></CustomerAdd></CustomerAddRq>`,
		`<CustomerAddRq requestID="3"><CustomerAdd><Name>Third</Name></CustomerAdd></CustomerAddRq>`,
	}
	tests := []struct {
		onError   string
		wantCodes []string
		third     bool
	}{
		{"stopOnError", []string{"0", "3100"}, false},
		{"continueOnError", []string{"0", "3100", "0"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.onError, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			rs := h.do(tc.onError, batch...)
			var codes []string
			for i, r := range rs {
				codes = append(codes, code(r))
				if attrOf(r, "requestID") != fmt.Sprint(i+1) {
					t.Errorf("response %d requestID %q", i, attrOf(r, "requestID"))
				}
			}
			if fmt.Sprint(codes) != fmt.Sprint(tc.wantCodes) {
				t.Errorf("codes %v, want %v", codes, tc.wantCodes)
			}
			if _, err := h.c.Customer("First"); err != nil {
				t.Error("first request not applied")
			}
			if _, err := h.c.Customer("Third"); (err == nil) != tc.third {
				t.Errorf("third applied = %v, want %v", err == nil, tc.third)
			}
		})
	}
	t.Run("warnings do not stop", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rs := h.do("stopOnError", `<CustomerQueryRq><FullName>bleech</FullName></CustomerQueryRq>`, `<ItemInventoryQueryRq><FullName>nothing</FullName></ItemInventoryQueryRq>`,
			`<ItemQueryRq><NameFilter><MatchCriterion>Contains</MatchCriterion><Name>zzz</Name></NameFilter></ItemQueryRq>`, `<ClassQueryRq/>`)
		if len(rs) != 4 {
			t.Errorf("got %d responses", len(rs))
		}
	})
	t.Run("rollbackOnError is rejected", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		_, err := h.c.ProcessQBXML(msg("rollbackOnError", batch[0]))
		var he *HResultError
		if !errors.As(err, &he) || he.HResult != HResultParseError {
			t.Fatalf("err = %v", err)
		}
		if _, err := h.c.Customer("First"); err == nil {
			t.Error("request applied")
		}
	})
}

func TestResponseOptions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rs := h.do("continueOnError", `<CustomerQueryRq metaData="MetaDataOnly"/>`, `<ItemInventoryQueryRq metaData="MetaDataAndResponseData"/>`)
	if attrOf(rs[0], "retCount") != "2" || len(rs[0].Children) != 0 || attrOf(rs[1], "retCount") != "3" || len(rs[1].Children) != 3 {
		t.Errorf("metaData: %v %v", rs[0].Attrs, rs[1].Attrs)
	}
	resp, err := h.c.ProcessQBXML(strings.Replace(msg("stopOnError", `<CustomerAddRq><CustomerAdd><Name>Quiet</Name></CustomerAdd></CustomerAddRq>`), `onError="stopOnError"`, `onError="stopOnError" responseData="includeNone"`, 1))
	if err != nil {
		t.Fatal(err)
	}
	h.record(resp)
	if r := parseResponse(t, resp)[0]; code(r) != "0" || len(r.Children) != 0 {
		t.Errorf("includeNone: %s", resp)
	}
	// QuickBooks echoes requestIDs longer than the documented 50
	// characters (samples/qbxml/error-3210-…: 76 characters).
	long := strings.Repeat("x", 76)
	if r := h.one(`<ClassQueryRq requestID="` + long + `"/>`); code(r) != "0" || attrOf(r, "requestID") != long {
		t.Errorf("long requestID: %s", status(r))
	}
	if r := h.one(`<VendorQueryRq/>`); status(r) != "1030 Error This request is not supported by this implementation." {
		t.Errorf("request the simulator does not handle: %s", status(r))
	}
}

func TestLockFaultByRequestNumber(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	next := h.c.RequestCount() + 2
	if err := h.c.InjectLockFault(LockFault{Code: 3170, Request: next}); err != nil {
		t.Fatal(err)
	}
	if err := h.c.InjectLockFault(LockFault{Code: 9999}); err == nil {
		t.Error("code 9999 accepted")
	}
	cust, _ := h.c.Customer("Jane Doe")
	mod := fmt.Sprintf(`<CustomerModRq><CustomerMod><ListID>%s</ListID><EditSequence>%s</EditSequence><Phone>1</Phone></CustomerMod></CustomerModRq>`, cust.ListID, cust.EditSequence)
	rs := h.do("continueOnError", `<CustomerQueryRq><FullName>Jane Doe</FullName></CustomerQueryRq>`, mod, mod)
	want := `3170 Error There was an error when modifying a Customer list, element "Jane Doe". QuickBooks error message: This list has been modified by another user.`
	if code(rs[0]) != "0" || status(rs[1]) != want || code(rs[2]) != "0" {
		t.Errorf("statuses: %s | %s | %s", status(rs[0]), status(rs[1]), status(rs[2]))
	}
}

func TestCharactersAndLengths(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Characters above U+00FF written as character references are stored as "?".
	rs := h.one(`<CustomerAddRq><CustomerAdd><Name>Zoë &#x5F20;&#x4F1F;</Name><Notes>&#x20AC;5 off</Notes></CustomerAdd></CustomerAddRq>`)
	if ret := rs.child("CustomerRet"); ret.text("Name") != "Zoë ??" || ret.text("Notes") != "?5 off" {
		t.Errorf("stored %q / %q", ret.text("Name"), ret.text("Notes"))
	}
	// Markup characters survive the round trip, escaped.
	rs = h.one(`<CustomerAddRq requestID="a&amp;b &quot;1&quot;"><CustomerAdd><Name>Smith &amp; Sons &lt;West&gt;</Name><CompanyName>"Q" Co.</CompanyName></CustomerAdd></CustomerAddRq>`)
	if ret := rs.child("CustomerRet"); ret.text("Name") != "Smith & Sons <West>" || ret.text("CompanyName") != `"Q" Co.` || attrOf(rs, "requestID") != `a&b "1"` {
		t.Errorf("escaping: %q %q %q", ret.text("Name"), ret.text("CompanyName"), attrOf(rs, "requestID"))
	}
	if rs := h.one(`<CustomerAddRq><CustomerAdd><Name>smith &amp; sons &lt;west&gt;</Name></CustomerAdd></CustomerAddRq>`); attrOf(rs, "statusMessage") != `The name "smith & sons <west>" of the list element is already in use.` {
		t.Errorf("escaped message: %s", status(rs))
	}
	// Without schema validation, over-long text is truncated to the field.
	c := New(Config{})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	resp, err := c.ProcessQBXML(msg("stopOnError",
		`<CustomerAddRq><CustomerAdd><Name>`+strings.Repeat("N", 50)+`</Name><BillAddress><City>`+strings.Repeat("C", 40)+`</City></BillAddress></CustomerAdd></CustomerAddRq>`,
		`<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>ORDER-123456789</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`))
	if err != nil {
		t.Fatal(err)
	}
	h.record(resp)
	rets := parseResponse(t, resp)
	cust := rets[0].child("CustomerRet")
	if cust.text("Name") != strings.Repeat("N", 41) || cust.child("BillAddress").text("City") != strings.Repeat("C", 31) {
		t.Errorf("customer: %q %q", cust.text("Name"), cust.child("BillAddress").text("City"))
	}
	if got := rets[1].child("SalesReceiptRet").text("RefNumber"); got != "ORDER-12345" {
		t.Errorf("RefNumber %q, want ORDER-12345", got)
	}
}

func TestSaveLoad(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.one(`<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><InvoiceLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>7</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`)
	path := t.TempDir() + "/company.json"
	if err := h.c.Save(path); err != nil {
		t.Fatal(err)
	}
	c2, err := Load(path, Config{Clock: h.clock.Now, Location: testZone})
	if err != nil {
		t.Fatal(err)
	}
	if c2.Config().FileID != h.c.Config().FileID || c2.Config().OwnerID != h.c.Config().OwnerID {
		t.Errorf("FileID/OwnerID not kept: %s %s", c2.Config().FileID, c2.Config().OwnerID)
	}
	if fmt.Sprint(c2.Items()) != fmt.Sprint(h.c.Items()) || fmt.Sprint(c2.Customers()) != fmt.Sprint(h.c.Customers()) || fmt.Sprint(c2.Txns("", "")) != fmt.Sprint(h.c.Txns("", "")) {
		t.Error("loaded company differs")
	}
	q := msg("continueOnError", `<InvoiceQueryRq><IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>`, `<ItemQueryRq/>`, `<PreferencesQueryRq/>`)
	a, _ := h.c.ProcessQBXML(q)
	b, _ := c2.ProcessQBXML(q)
	if a != b || a == "" {
		t.Errorf("responses differ after Load:\n%s\n---\n%s", a, b)
	}
	// The loaded file keeps numbering.
	r1, _ := h.c.ProcessQBXML(msg("stopOnError", `<ClassAddRq><ClassAdd><Name>New</Name></ClassAdd></ClassAddRq>`))
	r2, _ := c2.ProcessQBXML(msg("stopOnError", `<ClassAddRq><ClassAdd><Name>New</Name></ClassAdd></ClassAddRq>`))
	if between(r1, "<ListID>", "</ListID>")[:8] != between(r2, "<ListID>", "</ListID>")[:8] {
		t.Errorf("ListID sequence differs: %s vs %s", between(r1, "<ListID>", "</ListID>"), between(r2, "<ListID>", "</ListID>"))
	}
	if _, err := Load(t.TempDir()+"/missing.json", Config{}); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	if _, err := h.c.Item("No Such Item"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Item not found: %v", err)
	}
	if _, err := h.c.Txn("1-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Txn not found: %v", err)
	}
}
