package qbdsim

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the testdata golden files")

// golden compares got with testdata/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update and review the diff)\n got:\n%s", path, got)
	}
}

// Whole response documents for a seeded company at a fixed time are stable.
func TestGoldenResponses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		rqs  []string
	}{
		{"hcp_response.xml", []string{
			`<HostQueryRq requestID="0"/>`,
			`<CompanyQueryRq requestID="1"><OwnerID>{68b5925b-4347-4784-e58d-35a2d190962f}</OwnerID></CompanyQueryRq>`,
			`<PreferencesQueryRq requestID="2"/>`,
		}},
		{"sales_receipt_add.xml", []string{
			`<SalesReceiptAddRq requestID="order-1001"><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><ClassRef><FullName>Online</FullName></ClassRef><TxnDate>2026-03-01</TxnDate><RefNumber>1001</RefNumber><PaymentMethodRef><FullName>Visa</FullName></PaymentMethodRef><ShipMethodRef><FullName>UPS</FullName></ShipMethodRef><ItemSalesTaxRef><FullName>State Sales Tax</FullName></ItemSalesTaxRef><Memo>Web order #1001</Memo>` +
				`<SalesReceiptLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>3</Quantity></SalesReceiptLineAdd>` +
				`<SalesReceiptLineGroupAdd><ItemGroupRef><FullName>Starter Kit</FullName></ItemGroupRef><Quantity>1</Quantity></SalesReceiptLineGroupAdd>` +
				`<SalesReceiptLineAdd><ItemRef><FullName>10% Off</FullName></ItemRef></SalesReceiptLineAdd>` +
				`<SalesReceiptLineAdd><ItemRef><FullName>Shipping</FullName></ItemRef><Amount>7.50</Amount></SalesReceiptLineAdd>` +
				`</SalesReceiptAdd></SalesReceiptAddRq>`,
		}},
		{"invoice_and_payment.xml", []string{
			`<InvoiceAddRq requestID="inv"><InvoiceAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TxnDate>2026-03-01</TxnDate><RefNumber>INV-7</RefNumber><TermsRef><FullName>Net 30</FullName></TermsRef><InvoiceLineAdd><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineAdd><InvoiceLineAdd><ItemRef><FullName>Installation</FullName></ItemRef><Quantity>1.5</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`,
			`<ReceivePaymentAddRq requestID="pay"><ReceivePaymentAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TxnDate>2026-03-02</TxnDate><RefNumber>CHK-88</RefNumber><TotalAmount>100.00</TotalAmount><PaymentMethodRef><FullName>Check</FullName></PaymentMethodRef><IsAutoApply>true</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>`,
			`<CustomerQueryRq requestID="cust"><FullName>Jane Doe</FullName></CustomerQueryRq>`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			resp, err := h.c.ProcessQBXML(msg("stopOnError", tc.rqs...))
			if err != nil {
				t.Fatal(err)
			}
			h.record(resp)
			golden(t, tc.file, resp)
		})
	}
}
