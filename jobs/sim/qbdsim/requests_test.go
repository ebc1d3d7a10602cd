package qbdsim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func retNames(rs *node) []string {
	var out []string
	for _, r := range rs.Children {
		v := r.text("FullName")
		if v == "" {
			v = r.text("Name")
		}
		out = append(out, r.Name+":"+v)
	}
	return out
}

func TestListQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc, _ := h.c.Item("Installation")
	h.do("stopOnError",
		fmt.Sprintf(`<ItemServiceModRq><ItemServiceMod><ListID>%s</ListID><EditSequence>%s</EditSequence><IsActive>false</IsActive></ItemServiceMod></ItemServiceModRq>`, svc.ListID, svc.EditSequence),
		`<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Store Credit Card</Name><ClassRef><FullName>Retail</FullName></ClassRef><SalesOrPurchase><Price>5.00</Price></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>`,
		`<CustomerAddRq><CustomerAdd><Name>Big Spender</Name><OpenBalance>500.00</OpenBalance></CustomerAdd></CustomerAddRq>`)
	tests := []struct {
		name, rq string
		want     []string
	}{
		{"ItemQuery mixes types in name order", `<ItemQueryRq><NameFilter><MatchCriterion>Contains</MatchCriterion><Name>I</Name></NameFilter></ItemQueryRq>`,
			[]string{"ItemNonInventoryRet:Gift Wrap", "ItemInventoryRet:Gizmo Deluxe", "ItemOtherChargeRet:Shipping", "ItemGroupRet:Starter Kit", "ItemNonInventoryRet:Store Credit Card", "ItemInventoryRet:Widget"}},
		{"inactive items are hidden", `<ItemServiceQueryRq/>`, nil},
		{"ActiveStatus All", `<ItemServiceQueryRq><ActiveStatus>All</ActiveStatus></ItemServiceQueryRq>`, []string{"ItemServiceRet:Installation"}},
		{"ActiveStatus InactiveOnly", `<ItemQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></ItemQueryRq>`, []string{"ItemServiceRet:Installation"}},
		{"by FullName includes inactive", `<ItemQueryRq><FullName>installation</FullName><FullName>Widget</FullName></ItemQueryRq>`, []string{"ItemServiceRet:Installation", "ItemInventoryRet:Widget"}},
		{"by ListID", `<ItemOtherChargeQueryRq><ListID>` + mustItem(t, h, "Shipping").ListID + `</ListID></ItemOtherChargeQueryRq>`, []string{"ItemOtherChargeRet:Shipping"}},
		{"NameRangeFilter", `<ItemInventoryQueryRq><NameRangeFilter><FromName>G</FromName><ToName>H</ToName></NameRangeFilter></ItemInventoryQueryRq>`, []string{"ItemInventoryRet:Gadget", "ItemInventoryRet:Gizmo Deluxe"}},
		{"ClassFilter", `<ItemNonInventoryQueryRq><ClassFilter><FullName>Retail</FullName></ClassFilter></ItemNonInventoryQueryRq>`, []string{"ItemNonInventoryRet:Store Credit Card"}},
		{"EndsWith", `<ItemDiscountQueryRq><NameFilter><MatchCriterion>EndsWith</MatchCriterion><Name>off</Name></NameFilter></ItemDiscountQueryRq>`, []string{"ItemDiscountRet:10% Off"}},
		{"TotalBalanceFilter", `<CustomerQueryRq><TotalBalanceFilter><Operator>GreaterThan</Operator><Amount>100.00</Amount></TotalBalanceFilter></CustomerQueryRq>`, []string{"CustomerRet:Big Spender"}},
		{"AccountQuery by type", `<AccountQueryRq><AccountType>Income</AccountType><AccountType>CostOfGoodsSold</AccountType></AccountQueryRq>`,
			[]string{"AccountRet:Cost of Goods Sold", "AccountRet:Sales", "AccountRet:Sales Discounts", "AccountRet:Shipping and Delivery Income"}},
		{"ClassQuery", `<ClassQueryRq/>`, []string{"ClassRet:Online", "ClassRet:Retail", "ClassRet:Wholesale"}},
		{"ShipMethodQuery", `<ShipMethodQueryRq><FullName>FedEx</FullName></ShipMethodQueryRq>`, []string{"ShipMethodRet:FedEx"}},
		{"ItemSalesTaxQuery", `<ItemSalesTaxQueryRq/>`, []string{"ItemSalesTaxRet:Out of State", "ItemSalesTaxRet:State Sales Tax"}},
		{"SalesTaxCodeQuery", `<SalesTaxCodeQueryRq/>`, []string{"SalesTaxCodeRet:Non", "SalesTaxCodeRet:Tax"}},
		{"PaymentMethodQuery", `<PaymentMethodQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>C</Name></NameFilter></PaymentMethodQueryRq>`, []string{"PaymentMethodRet:Cash", "PaymentMethodRet:Check"}},
		{"IncludeRetElement", `<CustomerQueryRq><FullName>Jane Doe</FullName><IncludeRetElement>Name</IncludeRetElement><IncludeRetElement>Email</IncludeRetElement></CustomerQueryRq>`, []string{"CustomerRet:Jane Doe"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := h.one(tc.rq)
			if got := retNames(rs); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v (%s)", got, tc.want, status(rs))
			}
		})
	}
	r := h.one(`<CustomerQueryRq><FullName>Jane Doe</FullName><IncludeRetElement>Name</IncludeRetElement><IncludeRetElement>Email</IncludeRetElement></CustomerQueryRq>`).child("CustomerRet")
	if len(r.Children) != 2 || r.text("Email") != "jane.doe@example.com" {
		t.Errorf("IncludeRetElement kept %d elements", len(r.Children))
	}
	if c, _ := h.c.Customer("Big Spender"); c.Balance != 500 || c.TotalBalance != 500 {
		t.Errorf("opening balance: %+v", c)
	}
	if n := len(h.c.Customers()); n != 3 {
		t.Errorf("Customers() = %d", n)
	}
}

func mustItem(t *testing.T, h *harness, name string) Item {
	t.Helper()
	it, err := h.c.Item(name)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestItemMods(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := mustItem(t, h, "Widget")
	h.clock.Advance(time.Minute)
	rs := h.one(fmt.Sprintf(`<ItemInventoryModRq><ItemInventoryMod><ListID>%s</ListID><EditSequence>%s</EditSequence><Name>Widget Classic</Name><SalesPrice>21.50</SalesPrice></ItemInventoryMod></ItemInventoryModRq>`, w.ListID, w.EditSequence))
	ret := rs.child("ItemInventoryRet")
	if code(rs) != "0" || ret.text("FullName") != "Widget Classic" || ret.text("SalesPrice") != "21.50" || ret.text("QuantityOnHand") != "100" || ret.text("SalesDesc") != "Standard widget" {
		t.Fatalf("mod: %s", status(rs))
	}
	if _, err := h.c.Item("Widget"); !errors.Is(err, ErrNotFound) {
		t.Error("old name still resolves")
	}
	kit := h.one(`<ItemGroupQueryRq><FullName>Starter Kit</FullName></ItemGroupQueryRq>`).child("ItemGroupRet")
	if kit.child("ItemGroupLine").child("ItemRef").text("FullName") != "Widget Classic" {
		t.Error("group line does not follow the rename")
	}
	sr := h.one(`<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>Widget Classic</FullName></ItemRef><Quantity>2</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`)
	if sr.child("SalesReceiptRet").text("TotalAmount") != "43.00" {
		t.Errorf("new price not used: %s", sr.child("SalesReceiptRet").text("TotalAmount"))
	}
	g := mustItem(t, h, "Gift Wrap")
	rs = h.one(fmt.Sprintf(`<ItemNonInventoryModRq><ItemNonInventoryMod><ListID>%s</ListID><EditSequence>%s</EditSequence><Name>Gadget</Name></ItemNonInventoryMod></ItemNonInventoryModRq>`, g.ListID, g.EditSequence))
	if code(rs) != "3100" {
		t.Errorf("rename onto another item: %s", status(rs))
	}
	s := mustItem(t, h, "Shipping")
	rs = h.one(fmt.Sprintf(`<ItemOtherChargeModRq><ItemOtherChargeMod><ListID>%s</ListID><EditSequence>%s</EditSequence><SalesOrPurchaseMod><Price>9.95</Price></SalesOrPurchaseMod></ItemOtherChargeMod></ItemOtherChargeModRq>`, s.ListID, s.EditSequence))
	if sp := rs.child("ItemOtherChargeRet").child("SalesOrPurchase"); code(rs) != "0" || sp.text("Price") != "9.95" || sp.text("Desc") != "Shipping and handling" || sp.child("AccountRef").text("FullName") != "Shipping and Delivery Income" {
		t.Errorf("other charge mod: %s", status(rs))
	}
	rs = h.one(fmt.Sprintf(`<ItemServiceModRq><ItemServiceMod><ListID>%s</ListID><EditSequence>%s</EditSequence></ItemServiceMod></ItemServiceModRq>`, s.ListID, s.EditSequence))
	if code(rs) != "3120" {
		t.Errorf("mod of the wrong item type: %s", status(rs))
	}
}

func TestInvoiceMod(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.one(`<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>M-1</RefNumber><InvoiceLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>2</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`).child("InvoiceRet")
	line := inv.child("InvoiceLineRet").text("TxnLineID")
	rs := h.one(fmt.Sprintf(`<InvoiceModRq><InvoiceMod><TxnID>%s</TxnID><EditSequence>%s</EditSequence><InvoiceLineMod><TxnLineID>%s</TxnLineID><Quantity>3</Quantity></InvoiceLineMod></InvoiceMod></InvoiceModRq>`, inv.text("TxnID"), inv.text("EditSequence"), line))
	if code(rs) != "0" || rs.child("InvoiceRet").text("BalanceRemaining") != "147.00" {
		t.Fatalf("InvoiceMod: %s", status(rs))
	}
	if c, _ := h.c.Customer("Jane Doe"); c.Balance != 147 {
		t.Errorf("customer balance %v after the mod", c.Balance)
	}
	if g := mustItem(t, h, "Gadget"); g.QuantityOnHand != 37 {
		t.Errorf("Gadget QuantityOnHand %v", g.QuantityOnHand)
	}
	h.one(fmt.Sprintf(`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TotalAmount>100.00</TotalAmount><AppliedToTxnAdd><TxnID>%s</TxnID><PaymentAmount>100.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`, inv.text("TxnID")))
	cur, _ := h.c.Txn(inv.text("TxnID"))
	if cur.BalanceRemaining != 47 || cur.Lines[0].Quantity != 3 || cur.CustomerFullName != "Jane Doe" {
		t.Errorf("Txn view: %+v", cur)
	}
	rs = h.one(fmt.Sprintf(`<InvoiceModRq><InvoiceMod><TxnID>%s</TxnID><EditSequence>%s</EditSequence><InvoiceLineMod><TxnLineID>%s</TxnLineID><Quantity>1</Quantity></InvoiceLineMod></InvoiceMod></InvoiceModRq>`, cur.TxnID, cur.EditSequence, line))
	if code(rs) != "3210" {
		t.Errorf("lowering the total below the payments: %s", status(rs))
	}
	rs = h.one(fmt.Sprintf(`<InvoiceModRq><InvoiceMod><TxnID>%s</TxnID><EditSequence>%s</EditSequence><InvoiceLineMod><TxnLineID>99-1</TxnLineID></InvoiceLineMod></InvoiceMod></InvoiceModRq>`, cur.TxnID, cur.EditSequence))
	if code(rs) != "3120" {
		t.Errorf("unknown TxnLineID: %s", status(rs))
	}
}

func TestOtherTransactionQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.do("stopOnError",
		`<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>SO-1</RefNumber><SalesOrderLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>4</Quantity></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>`,
		`<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>CM-1</RefNumber><CreditMemoLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`,
		`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>PAY-1</RefNumber><TotalAmount>5.00</TotalAmount><IsAutoApply>true</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>`)
	for _, tc := range []struct{ rq, ret, ref string }{
		{`<SalesOrderQueryRq><RefNumber>SO-1</RefNumber><IncludeLineItems>true</IncludeLineItems></SalesOrderQueryRq>`, "SalesOrderRet", "SO-1"},
		{`<CreditMemoQueryRq><EntityFilter><FullName>Jane Doe</FullName></EntityFilter><IncludeLineItems>true</IncludeLineItems></CreditMemoQueryRq>`, "CreditMemoRet", "CM-1"},
		{`<ReceivePaymentQueryRq><RefNumber>PAY-1</RefNumber></ReceivePaymentQueryRq>`, "ReceivePaymentRet", "PAY-1"},
	} {
		rs := h.one(tc.rq)
		if code(rs) != "0" || rs.child(tc.ret).text("RefNumber") != tc.ref {
			t.Errorf("%s: %s", tc.ret, status(rs))
		}
	}
	so := h.one(`<SalesOrderQueryRq><RefNumber>SO-1</RefNumber><IncludeLineItems>true</IncludeLineItems></SalesOrderQueryRq>`).child("SalesOrderRet")
	if l := so.child("SalesOrderLineRet"); l == nil || l.text("Invoiced") != "0" || l.text("IsManuallyClosed") != "false" {
		t.Error("sales order line")
	}
	if c, _ := h.c.Customer("Jane Doe"); c.Balance != -24.99 {
		t.Errorf("balance after credit memo and unapplied payment = %v, want -24.99", c.Balance)
	}
	// Iterators work on transaction queries too.
	for i := 0; i < 5; i++ {
		h.one(fmt.Sprintf(`<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>IT-%d</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Gift Wrap</FullName></ItemRef></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`, i))
	}
	rs := h.one(`<SalesReceiptQueryRq iterator="Start"><MaxReturned>2</MaxReturned></SalesReceiptQueryRq>`)
	id := attrOf(rs, "iteratorID")
	got := len(rs.all("SalesReceiptRet"))
	for attrOf(rs, "iteratorRemainingCount") != "0" {
		rs = h.one(`<SalesReceiptQueryRq iterator="Continue" iteratorID="` + id + `"><MaxReturned>2</MaxReturned></SalesReceiptQueryRq>`)
		got += len(rs.all("SalesReceiptRet"))
	}
	if got != 5 {
		t.Errorf("iterated %d receipts", got)
	}
	rs = h.one(`<SalesReceiptQueryRq iterator="Start"><MaxReturned>2</MaxReturned></SalesReceiptQueryRq>`)
	if stop := h.one(`<SalesReceiptQueryRq iterator="Stop" iteratorID="` + attrOf(rs, "iteratorID") + `"/>`); code(stop) != "0" {
		t.Errorf("Stop: %s", status(stop))
	}
	if cont := h.one(`<SalesReceiptQueryRq iterator="Continue" iteratorID="` + attrOf(rs, "iteratorID") + `"/>`); code(cont) != "3391" {
		t.Errorf("Continue after Stop: %s", status(cont))
	}
	if n := len(h.c.Txns("SalesReceipt", "")); n != 5 {
		t.Errorf("Txns(SalesReceipt) = %d", n)
	}
}

func TestErrorRecovery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	withID := func(m, attrs string) string {
		return strings.Replace(m, `onError="continueOnError"`, `onError="continueOnError" `+attrs, 1)
	}
	resp, err := h.c.ProcessQBXML(withID(msg("continueOnError",
		`<CustomerAddRq requestID="1"><CustomerAdd><Name>Recovered</Name></CustomerAdd></CustomerAddRq>`,
		`<CustomerAddRq requestID="2"><CustomerAdd><Name>Jane Doe</Name></CustomerAdd></CustomerAddRq>`), `newMessageSetID="AB1F2395"`))
	if err != nil {
		t.Fatal(err)
	}
	h.record(resp)
	if !strings.Contains(resp, `<QBXMLMsgsRs newMessageSetID="AB1F2395" messageSetStatusCode="0">`) {
		t.Errorf("response:\n%s", resp)
	}
	check := withID(msg("continueOnError"), `oldMessageSetID="AB1F2395" newMessageSetID="AB1F2395"`)
	resp, err = h.c.ProcessQBXML(check)
	if err != nil {
		t.Fatal(err)
	}
	h.record(resp)
	rs := parseResponse(t, resp)
	cust, _ := h.c.Customer("Recovered")
	if len(rs) != 2 || code(rs[0]) != "0" || rs[0].child("ErrorRecovery").text("ListID") != cust.ListID || code(rs[1]) != "3100" || rs[1].has("ErrorRecovery") {
		t.Errorf("status check:\n%s", resp)
	}
	if _, err := h.c.Customer("Recovered"); err != nil {
		t.Error(err)
	}
	resp, _ = h.c.ProcessQBXML(withID(msg("continueOnError"), `oldMessageSetID="AB1F2395"`))
	h.record(resp)
	resp, _ = h.c.ProcessQBXML(check)
	h.record(resp)
	if !strings.Contains(resp, `messageSetStatusCode="600"`) || len(parseResponse(t, resp)) != 0 {
		t.Errorf("after clearing:\n%s", resp)
	}
}

// The in-doubt case end to end: the connection drops after QuickBooks
// applied a write sent with newMessageSetID; in the next session the server
// asks QuickBooks what happened instead of resending.
func TestInDoubtRecoveredWithMessageSetID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	write := strings.Replace(msg("stopOnError", `<SalesReceiptAddRq requestID="o-77"><SalesReceiptAdd><RefNumber>77</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`),
		`onError="stopOnError"`, `onError="stopOnError" newMessageSetID="order-77"`, 1)
	srv := newQBWCServer(t, write)
	wc := newConnector(h, srv)
	wc.Faults.DropAfterApply = 1
	if _, err := wc.Run(context.Background()); !errors.Is(err, ErrConnectionDropped) {
		t.Fatalf("err = %v", err)
	}
	srv2 := newQBWCServer(t, strings.Replace(msg("stopOnError"), `onError="stopOnError"`, `onError="stopOnError" oldMessageSetID="order-77" newMessageSetID="order-77"`, 1))
	if _, err := newConnector(h, srv2).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := srv2.received()[0].response
	h.record(r)
	receipt := h.c.Txns("SalesReceipt", "77")
	if len(receipt) != 1 || !strings.Contains(r, "<TxnID>"+receipt[0].TxnID+"</TxnID>") || !strings.Contains(r, `<SalesReceiptAddRs requestID="o-77" statusCode="0"`) {
		t.Errorf("status check answer:\n%s", r)
	}
}

func TestSessionAndSetup(t *testing.T) {
	h := newHarness(t)
	s := h.c.BeginSession()
	s.End()
	if _, err := s.ProcessQBXML(msg("stopOnError", `<ClassQueryRq/>`)); !errors.Is(err, ErrSessionEnded) {
		t.Errorf("ended session: %v", err)
	}
	t.Run("xmllint missing", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		c := New(Config{ValidateSchema: true, SpecsDir: testSpecsDir(t)})
		_, err := c.ProcessQBXML(msg("stopOnError", `<ClassQueryRq requestID="never validated before"/>`))
		if !errors.Is(err, ErrXMLLintMissing) || err.Error() != "xmllint missing: install libxml2-utils (make test does this)" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("LEDGERLINK_SPECS_DIR", func(t *testing.T) {
		dir := testSpecsDir(t)
		t.Setenv("LEDGERLINK_SPECS_DIR", dir)
		if got, err := SpecsDir(); err != nil || got != dir {
			t.Errorf("SpecsDir() = %q, %v", got, err)
		}
		t.Setenv("LEDGERLINK_SPECS_DIR", t.TempDir())
		if _, err := SpecsDir(); err == nil {
			t.Error("a directory without qbwc/xsd was accepted")
		}
	})
	cfg := New(Config{}).Config()
	if cfg.CompanyName == "" || !strings.HasSuffix(cfg.FilePath, ".QBW") || !strings.HasPrefix(cfg.FileID, "{") || len(cfg.Versions) != 2 {
		t.Errorf("defaults: %+v", cfg)
	}
	if !h.c.Running() {
		t.Error("a new company is not running")
	}
	if err := h.c.Seed(); err == nil {
		t.Error("seeding twice succeeded")
	}
}

// The company is safe for concurrent use (run with -race).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := New(Config{})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := c.BeginSession()
			defer s.End()
			for i := 0; i < 10; i++ {
				if _, err := s.ProcessQBXML(msg("stopOnError", `<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`)); err != nil {
					t.Error(err)
				}
				c.Items()
				c.Txns("", "")
			}
		}()
	}
	wg.Wait()
	if w, _ := c.Item("Widget"); w.QuantityOnHand != 20 || len(c.Txns("SalesReceipt", "")) != 80 {
		t.Errorf("after 80 concurrent sales: QuantityOnHand %v, %d receipts", w.QuantityOnHand, len(c.Txns("SalesReceipt", "")))
	}
	_ = h
}

func TestDateMacro(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 14, 15, 0, 0, 0, testZone) // a Thursday
	tests := map[string][2]string{
		"All":                       {"", ""},
		"Today":                     {"2026-05-14", "2026-05-14"},
		"Yesterday":                 {"2026-05-13", "2026-05-13"},
		"ThisWeek":                  {"2026-05-10", "2026-05-16"},
		"ThisWeekToDate":            {"2026-05-10", "2026-05-14"},
		"LastWeek":                  {"2026-05-03", "2026-05-09"},
		"LastWeekToDate":            {"2026-05-03", "2026-05-07"},
		"NextWeek":                  {"2026-05-17", "2026-05-23"},
		"NextFourWeeks":             {"2026-05-17", "2026-06-13"},
		"ThisMonth":                 {"2026-05-01", "2026-05-31"},
		"ThisMonthToDate":           {"2026-05-01", "2026-05-14"},
		"LastMonth":                 {"2026-04-01", "2026-04-30"},
		"LastMonthToDate":           {"2026-04-01", "2026-04-14"},
		"NextMonth":                 {"2026-06-01", "2026-06-30"},
		"ThisCalendarQuarter":       {"2026-04-01", "2026-06-30"},
		"ThisFiscalQuarterToDate":   {"2026-04-01", "2026-05-14"},
		"LastCalendarQuarter":       {"2026-01-01", "2026-03-31"},
		"LastFiscalQuarterToDate":   {"2026-01-01", "2026-02-14"},
		"NextCalendarQuarter":       {"2026-07-01", "2026-09-30"},
		"ThisCalendarYear":          {"2026-01-01", "2026-12-31"},
		"ThisFiscalYearToDate":      {"2026-01-01", "2026-05-14"},
		"LastCalendarYear":          {"2025-01-01", "2025-12-31"},
		"LastCalendarYearToDate":    {"2025-01-01", "2025-05-14"},
		"NextFiscalYear":            {"2027-01-01", "2027-12-31"},
		"ThisCalendarQuarterToDate": {"2026-04-01", "2026-05-14"},
	}
	for m, want := range tests {
		from, to, ok := dateMacro(m, now)
		if !ok || from != want[0] || to != want[1] {
			t.Errorf("%s = %s..%s (%v), want %s..%s", m, from, to, ok, want[0], want[1])
		}
	}
	if _, _, ok := dateMacro("Someday", now); ok {
		t.Error("unknown macro accepted")
	}
	// Without the schema, an unknown macro reaches QuickBooks' own check.
	c := New(Config{})
	resp, err := c.ProcessQBXML(msg("stopOnError", `<InvoiceQueryRq><TxnDateRangeFilter><DateMacro>Someday</DateMacro></TxnDateRangeFilter></InvoiceQueryRq>`))
	if err != nil || !strings.Contains(resp, `statusCode="531" statusSeverity="Warn" statusMessage="The enum value &quot;Someday&quot; in the field &quot;DateMacro&quot; is not supported by this implementation."`) {
		t.Errorf("unknown DateMacro: %v %s", err, resp)
	}
}

func TestDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in                      string
		amount, quantity, price string
	}{
		{"206", "206.00", "206", "206.00"},
		{"-5.5", "-5.50", "-5.5", "-5.50"},
		{"22.335", "22.34", "22.335", "22.335"},
		{"0.00001", "0.00", "0.00001", "0.00001"},
		{"+7.25", "7.25", "7.25", "7.25"},
		{".5", "0.50", "0.5", "0.50"},
	}
	for _, tc := range tests {
		d, err := parseDec(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if d.amount() != tc.amount || d.quantity() != tc.quantity || d.price() != tc.price {
			t.Errorf("%s: %s %s %s", tc.in, d.amount(), d.quantity(), d.price())
		}
	}
	for _, bad := range []string{"", "abc", "1.234567", "-", "1e5", "1.2.3"} {
		if _, err := parseDec(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got := mul(decFromInt(3), dec(1999000)).amount(); got != "59.97" {
		t.Errorf("3 × 19.99 = %s", got)
	}
	if got := div(dec(10000000), decFromInt(3)).price(); got != "33.33333" {
		t.Errorf("100 / 3 = %s", got)
	}
}

// TestPaymentFoundByItsLongRefNumber: a payment's RefNumber holds 20 characters, and a
// ReceivePaymentQuery by RefNumber finds it by all 20 (a query's RefNumber is not cut to a
// sale's 11).
func TestPaymentFoundByItsLongRefNumber(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.do("stopOnError",
		`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>212-5236345-6954265</RefNumber><TotalAmount>5.00</TotalAmount><IsAutoApply>false</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>`)
	rs := h.one(`<ReceivePaymentQueryRq><RefNumber>212-5236345-6954265</RefNumber></ReceivePaymentQueryRq>`)
	if code(rs) != "0" || rs.child("ReceivePaymentRet").text("RefNumber") != "212-5236345-6954265" {
		t.Errorf("query by the 19-character RefNumber: %s", status(rs))
	}
	if rs := h.one(`<ReceivePaymentQueryRq><RefNumber>212-5236345</RefNumber></ReceivePaymentQueryRq>`); code(rs) != "1" {
		t.Errorf("query by its first 11 characters: %s, want no match", status(rs))
	}
}

// A credit memo is applied to an invoice with a zero payment carrying SetCredit, or paid back
// to a card with ARRefundCreditCardAdd; either uses up its credit, and a credit memo's lines
// on inventory items raise the quantity on hand.
func TestCreditMemoAppliedOrRefunded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.one(`<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>1001</RefNumber><InvoiceLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>2</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`).child("InvoiceRet")
	if g := mustItem(t, h, "Gadget"); g.QuantityOnHand != 38 {
		t.Fatalf("Gadget QuantityOnHand %v after selling 2 of 40", g.QuantityOnHand)
	}
	cm := h.one(`<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>1001-R1</RefNumber><CreditMemoLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`).child("CreditMemoRet")
	if cm.text("CreditRemaining") != "49.00" {
		t.Fatalf("new credit memo CreditRemaining %s", cm.text("CreditRemaining"))
	}
	if g := mustItem(t, h, "Gadget"); g.QuantityOnHand != 39 {
		t.Errorf("Gadget QuantityOnHand %v after the credit memo returned 1", g.QuantityOnHand)
	}
	rs := h.one(fmt.Sprintf(`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TotalAmount>0.00</TotalAmount><AppliedToTxnAdd><TxnID>%s</TxnID><PaymentAmount>0.00</PaymentAmount><SetCredit><CreditTxnID>%s</CreditTxnID><AppliedAmount>49.00</AppliedAmount></SetCredit></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`, inv.text("TxnID"), cm.text("TxnID")))
	if code(rs) != "0" {
		t.Fatalf("SetCredit: %s", status(rs))
	}
	if got := h.one(`<InvoiceQueryRq><RefNumber>1001</RefNumber></InvoiceQueryRq>`).child("InvoiceRet").text("BalanceRemaining"); got != "49.00" {
		t.Errorf("invoice BalanceRemaining %s after the credit, want 49.00", got)
	}
	if got := h.one(`<CreditMemoQueryRq><RefNumber>1001-R1</RefNumber></CreditMemoQueryRq>`).child("CreditMemoRet").text("CreditRemaining"); got != "0.00" {
		t.Errorf("applied credit memo CreditRemaining %s", got)
	}
	// The credit is used up: applying it again is refused.
	rs = h.one(fmt.Sprintf(`<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TotalAmount>0.00</TotalAmount><AppliedToTxnAdd><TxnID>%s</TxnID><SetCredit><CreditTxnID>%s</CreditTxnID><AppliedAmount>1.00</AppliedAmount></SetCredit></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`, inv.text("TxnID"), cm.text("TxnID")))
	if code(rs) != "3210" {
		t.Errorf("applying a used credit: %s", status(rs))
	}

	cm2 := h.one(`<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>1001-R2</RefNumber><CreditMemoLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`).child("CreditMemoRet")
	rs = h.one(fmt.Sprintf(`<ARRefundCreditCardAddRq><ARRefundCreditCardAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefundFromAccountRef><FullName>Undeposited Funds</FullName></RefundFromAccountRef><RefNumber>1001-R2</RefNumber><Memo>card refund</Memo><RefundAppliedToTxnAdd><TxnID>%s</TxnID><RefundAmount>25.00</RefundAmount></RefundAppliedToTxnAdd></ARRefundCreditCardAdd></ARRefundCreditCardAddRq>`, cm2.text("TxnID")))
	if code(rs) != "3210" {
		t.Errorf("refunding more than the credit: %s", status(rs))
	}
	rs = h.one(fmt.Sprintf(`<ARRefundCreditCardAddRq><ARRefundCreditCardAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>1001-R2</RefNumber><Memo>card refund</Memo><RefundAppliedToTxnAdd><TxnID>%s</TxnID><RefundAmount>19.99</RefundAmount></RefundAppliedToTxnAdd></ARRefundCreditCardAdd></ARRefundCreditCardAddRq>`, cm2.text("TxnID")))
	if code(rs) != "0" || rs.child("ARRefundCreditCardRet").text("TotalAmount") != "19.99" {
		t.Fatalf("ARRefundCreditCardAdd: %s", status(rs))
	}
	ret := h.one(`<ARRefundCreditCardQueryRq><RefNumber>1001-R2</RefNumber></ARRefundCreditCardQueryRq>`).child("ARRefundCreditCardRet")
	if ret == nil || ret.text("Memo") != "card refund" || ret.child("RefundFromAccountRef").text("FullName") != "Undeposited Funds" ||
		ret.child("RefundAppliedToTxnRet").text("CreditRemaining") != "0.00" || ret.child("RefundAppliedToTxnRet").text("RefundAmount") != "19.99" {
		t.Errorf("ARRefundCreditCardQuery by RefNumber: %+v", ret)
	}
	// 98.00 invoiced − 49.00 credited − 19.99 credited + 19.99 paid back: the invoice's open 49.00.
	if c, _ := h.c.Customer("Jane Doe"); c.Balance != 49 {
		t.Errorf("customer balance %v, want 49", c.Balance)
	}
}
