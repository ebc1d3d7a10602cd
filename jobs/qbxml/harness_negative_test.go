package qbxml

import (
	"strings"
	"testing"
)

// TestXSDHarnessRejectsInvalidMessages proves the validation harness can fail:
// hand-written messages with the classic mistakes (wrong element order,
// over-long fields, bad formats) must be rejected by xmllint, while a
// hand-written valid control and the unmodified builder output pass.
func TestXSDHarnessRejectsInvalidMessages(t *testing.T) {
	const head = `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<?qbxml version="13.0"?>` + "\n"
	wrap := func(body string) []byte {
		return []byte(head + `<QBXML><QBXMLMsgsRq onError="stopOnError">` + body + `</QBXMLMsgsRq></QBXML>`)
	}
	built := buildCase{name: "sr", onError: StopOnError, reqs: []Request{SalesReceiptAdd{
		TxnDate: day, RefNumber: "1001", Lines: []Line{shippingLine},
	}}}.build(t, Version13)
	swapped := strings.Replace(string(built), "<TxnDate>2026-03-14</TxnDate><RefNumber>1001</RefNumber>",
		"<RefNumber>1001</RefNumber><TxnDate>2026-03-14</TxnDate>", 1)
	if swapped == string(built) {
		t.Fatal("mutation did not apply; builder output changed shape")
	}

	valid := map[string][]byte{
		"control: hand-written CustomerAdd": wrap(`<CustomerAddRq requestID="1"><CustomerAdd><Name>Acme</Name><CompanyName>Acme Inc</CompanyName></CustomerAdd></CustomerAddRq>`),
		"control: builder output":           built,
	}
	invalid := map[string][]byte{
		"CompanyName before Name": wrap(`<CustomerAddRq><CustomerAdd><CompanyName>Acme Inc</CompanyName><Name>Acme</Name></CustomerAdd></CustomerAddRq>`),
		"ClassRef before ParentRef in ItemNonInventoryAdd": wrap(`<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Wrap</Name>` +
			`<ClassRef><FullName>Web</FullName></ClassRef><ParentRef><FullName>Extras</FullName></ParentRef>` +
			`<SalesOrPurchase><Price>1.00</Price></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>`),
		"RefNumber before TxnDate (mutated builder output)": []byte(swapped),
		"RefNumber of 12 characters": wrap(`<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>123456789012</RefNumber>` +
			`<SalesReceiptLineAdd><Amount>1.00</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`),
		"Name of 42 characters": wrap(`<CustomerAddRq><CustomerAdd><Name>` + strings.Repeat("n", 42) + `</Name></CustomerAdd></CustomerAddRq>`),
		"ShipMethodRef FullName of 16 characters": wrap(`<SalesReceiptAddRq><SalesReceiptAdd><ShipMethodRef><FullName>UPS Ground Resid</FullName></ShipMethodRef>` +
			`<SalesReceiptLineAdd><Amount>1.00</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`),
		"amount with three decimals":  wrap(`<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><Amount>1.005</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`),
		"FromModifiedDate with Z":     wrap(`<ItemInventoryQueryRq><FromModifiedDate>2026-01-01T00:00:00Z</FromModifiedDate></ItemInventoryQueryRq>`),
		"sales receipt without lines": wrap(`<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>1</RefNumber></SalesReceiptAdd></SalesReceiptAddRq>`),
		"missing onError":             []byte(head + `<QBXML><QBXMLMsgsRq><ClassQueryRq/></QBXMLMsgsRq></QBXML>`),
	}
	docs := map[string][]byte{}
	for n, d := range valid {
		docs[n] = d
	}
	for n, d := range invalid {
		docs[n] = d
	}
	res := xsdValidate(t, Version13, docs)
	for n := range valid {
		if res[n] != "" {
			t.Errorf("valid control %q rejected: %s", n, res[n])
		}
	}
	for n := range invalid {
		if res[n] == "" {
			t.Errorf("invalid message %q was accepted by the harness", n)
		} else if strings.HasPrefix(res[n], "no verdict") {
			t.Errorf("invalid message %q: %s", n, res[n])
		}
	}
}

// TestTruncationMakesOverlongInputValid builds messages from inputs longer than
// every limit and checks xmllint accepts them: the limits table matches the
// schema.
func TestTruncationMakesOverlongInputValid(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ł", n) } // 2 bytes per rune in, 1 char out
	ref := func() Ref { return ByName(long(300)) }
	line := Line{ItemRef: ref(), Desc: long(5000), ClassRef: ref(), SalesTaxCodeRef: ref(), Other1: long(40), Other2: long(40)}
	reqs := []Request{
		CustomerAdd{Name: long(50), ClassRef: ref(), ParentRef: ref(), CompanyName: long(50), Salutation: long(20),
			FirstName: long(30), MiddleName: long(9), LastName: long(30), JobTitle: long(50), BillAddress: longAddr, ShipAddress: longAddr,
			Phone: long(30), AltPhone: long(30), Fax: long(30), Email: long(1100), Cc: long(1100), Contact: long(50), AltContact: long(50),
			CustomerTypeRef: ref(), TermsRef: ref(), SalesRepRef: ref(), SalesTaxCodeRef: ref(), ItemSalesTaxRef: ref(),
			ResaleNumber: long(20), AccountNumber: long(120), PreferredPaymentMethodRef: ref(), Notes: long(5000), PriceLevelRef: ref()},
		ItemInventoryAdd{Name: long(40), BarCodeValue: long(60), ClassRef: ref(), ParentRef: ref(), ManufacturerPartNumber: long(40),
			SalesTaxCodeRef: ref(), SalesDesc: long(5000), IncomeAccountRef: ref(), PurchaseDesc: long(5000), COGSAccountRef: ref(),
			PrefVendorRef: ref(), AssetAccountRef: ref()},
		ItemNonInventoryAdd{Name: long(40), SalesAndPurchase: &SalesAndPurchase{SalesDesc: long(5000), IncomeAccountRef: ref(),
			PurchaseDesc: long(5000), ExpenseAccountRef: ref(), PrefVendorRef: ref()}},
		ItemServiceAdd{Name: long(40), SalesOrPurchase: &SalesOrPurchase{Desc: long(5000), AccountRef: ref()}},
		SalesReceiptAdd{CustomerRef: ref(), ClassRef: ref(), TemplateRef: ref(), RefNumber: long(20), BillAddress: longAddr,
			CheckNumber: long(30), PaymentMethodRef: ref(), SalesRepRef: ref(), ShipMethodRef: ref(), FOB: long(20),
			ItemSalesTaxRef: ref(), Memo: long(5000), CustomerMsgRef: ref(), CustomerSalesTaxCodeRef: ref(), DepositToAccountRef: ref(),
			Other: long(40), Lines: []Line{line}},
		InvoiceAdd{CustomerRef: ref(), ARAccountRef: ref(), RefNumber: long(20), PONumber: long(30), TermsRef: ref(), Lines: []Line{line}},
		SalesOrderAdd{CustomerRef: ref(), RefNumber: long(20), PONumber: long(30), Lines: []Line{line}},
		CreditMemoAdd{CustomerRef: ref(), RefNumber: long(20), PONumber: long(30), Lines: []Line{line}},
		ReceivePaymentAdd{CustomerRef: ref(), RefNumber: long(30), Memo: long(5000), DepositToAccountRef: ref(),
			AppliedToTxns: []AppliedToTxn{{TxnID: "1-1", DiscountAccountRef: ref(), DiscountClassRef: ref()}}},
		SalesReceiptQuery{RefNumbers: []string{long(20)}},
	}
	m := NewMsgSet(Version13, ContinueOnError)
	for _, r := range reqs {
		m.Add(r)
	}
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if p := xsdValidate(t, Version13, map[string][]byte{"overlong": b})["overlong"]; p != "" {
		t.Fatalf("truncated message does not validate: %s\n%s", p, b)
	}
	truncated := 0
	for _, a := range adjustments(m) {
		if a.Reason == Truncated {
			truncated++
			if n := len([]rune(a.To)); n != a.Limit {
				t.Errorf("%s truncated to %d characters, limit %d", a.Field, n, a.Limit)
			}
		}
	}
	if truncated < 60 {
		t.Errorf("only %d truncations reported", truncated)
	}
}
