package posting_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml/qbxmltest"
)

// The golden files under testdata are written by hand from the fixtures below (markers are
// the first 12 base32 characters of the SHA-256 of the document key, computed outside Go:
// printf 'order:501' | openssl dgst -sha256 -binary | base32). Each must also validate
// against Intuit's qbXML 13.0 schema.

// message writes requests as one qbXML 13.0 message set, the form of the golden files.
func message(t *testing.T, reqs ...qbxml.Request) []byte {
	t.Helper()
	return qbxmltest.Message(t, qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError), reqs...)
}

// checkGolden compares got with testdata/name.xml and validates that file against the XSD.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	qbxmltest.Golden(t, qbxml.Version13, name, got)
}

func day(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }

// shopifyOrder has two lines (one with a line discount), shipping, an order-level discount
// code and two taxes that add up to the store's total.
func shopifyOrder() orders.Order {
	return orders.Order{
		Channel: "shopify", ExternalID: "820982911946154508", Number: "1001", Status: "paid", CreatedAt: day(14),
		Customer: orders.Customer{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com"},
		BillTo: orders.Address{FirstName: "Jane", LastName: "Doe", Line1: "12 Main St", City: "Springfield", State: "IL",
			PostalCode: "62701", Country: "US", Phone: "555-0100"},
		ShipTo: orders.Address{Name: "Jane Doe", Company: "Doe & Co", Line1: "9 Elm St", Line2: "Unit 4", City: "Springfield",
			State: "IL", PostalCode: "62704", Country: "US"},
		Lines: []orders.Line{
			{SKU: "TEE-M", Name: "T-shirt", VariantTitle: "M / Navy", Quantity: 2, UnitPrice: 1999, Total: 3998},
			{SKU: "MUG", Name: "Mug", Quantity: 1, UnitPrice: 1200, Discount: 200, Total: 1000},
		},
		Shipping:      orders.Shipping{Method: "UPS Ground"},
		Discounts:     []orders.Discount{{Code: "SPRING", Amount: 500}},
		Taxes:         []orders.TaxLine{{Name: "IL State Tax", Amount: 300}, {Name: "Springfield City Tax", Amount: 67}},
		Subtotal:      4998,
		DiscountTotal: 700,
		ShippingTotal: 500,
		TaxTotal:      367,
		Total:         5365,
		Note:          "Gift wrap please",
	}
}

// wooOrder's parts add up to one cent less than its total, has a custom line without SKU
// and a SKU QuickBooks cannot take as an item name.
func wooOrder() orders.Order {
	return orders.Order{
		Channel: "woocommerce", ExternalID: "2002", Number: "2002", Status: "processing", CreatedAt: day(15),
		Customer: orders.Customer{Email: "bob@example.com"},
		BillTo:   orders.Address{FirstName: "Bob", LastName: "Roe", Company: "Roe Ltd", Line1: "1 High St", City: "London", PostalCode: "N1 9GU", Country: "GB"},
		Lines: []orders.Line{
			{Name: "Custom engraving", Quantity: 1, UnitPrice: 1500, Total: 1500},
			{SKU: "BOOK:1", Name: "Book", Quantity: 3, UnitPrice: 333, Total: 999},
		},
		Payments: []orders.Payment{{Method: "stripe", Amount: 2500}},
		Subtotal: 2499,
		Total:    2500,
	}
}

// shipStationOrder has tax-inclusive prices, a mapped item, a shipping item chosen by a rule,
// a class from a rule and a number longer than QuickBooks' RefNumber.
func shipStationOrder() orders.Order {
	return orders.Order{
		Channel: "shipstation", ExternalID: "94113592", Number: "SS-2026-000123", Status: "awaiting_shipment", CreatedAt: day(16),
		Customer: orders.Customer{Email: "ann@example.com"},
		BillTo:   orders.Address{Name: "Ann Smith", Line1: "5 Rue X", City: "Paris", Country: "FR", Email: "ann@example.com"},
		Lines: []orders.Line{
			{SKU: "SHIRT-L", ItemName: "Apparel:Shirt", Name: "Shirt", VariantTitle: "L", Quantity: 1, UnitPrice: 900, Total: 900},
		},
		Taxes:         []orders.TaxLine{{Name: "VAT", Amount: 150}},
		ShippingTotal: 100,
		TaxTotal:      150,
		Total:         1000,
		Custom:        map[string]string{"taxes_included": "true"},
		Class:         "Retail",
		ShippingItem:  "Freight",
	}
}

func TestBuild(t *testing.T) {
	invoice := orders.Settings{TransactionType: orders.PostInvoice, CustomerMatch: orders.MatchSingle, SingleCustomer: "Web Store",
		Class: "Online", RefPrefix: "W-", DepositAccount: "Checking"}
	salesOrder := orders.Settings{TransactionType: orders.PostSalesOrder, CustomerMatch: orders.MatchEmail, CreateMissingCustomers: true}
	cases := []struct {
		name                  string
		orderID, connectionID int64
		order                 orders.Order
		settings              orders.Settings
		// what Build must say besides the qbXML
		customer       string
		customerKey    string // "" when no customer is created
		lookup         qbd.Lookup
		rounding       orders.Money
		roundingReason string
		notes          []string
	}{{
		name: "sales-receipt", orderID: 501, connectionID: 7, order: shopifyOrder(), settings: orders.DefaultSettings(),
		customer: "Doe, Jane", customerKey: "customer:doe, jane",
		lookup: qbd.Lookup{Type: qbd.LookupSalesReceipt, Value: "1001", Marker: "LLBQDN4HEYFSDN-S7", Date: "2026-03-14"},
	}, {
		name: "invoice-rounding", orderID: 502, connectionID: 7, order: wooOrder(), settings: invoice,
		customer: "Web Store",
		lookup:   qbd.Lookup{Type: qbd.LookupInvoice, Value: "W-2002", Marker: "LL3PLQUBDNNPI2-S7", Date: "2026-03-15"},
		rounding: 1, roundingReason: "the lines, shipping, tax and discounts add up to 24.99 but the store's total is 25.00",
		notes: []string{`Item "BOOK:1" cannot be a QuickBooks item name as it is: matched as "BOOK-1"`},
	}, {
		name: "sales-order", orderID: 503, connectionID: 12, order: shipStationOrder(), settings: salesOrder,
		customer: "ann@example.com", customerKey: "customer:ann@example.com",
		lookup: qbd.Lookup{Type: qbd.LookupSalesOrder, Value: "SS-2026-000123", Marker: "LLVPYLVTLVWOLC-S12", Date: "2026-03-16"},
		notes: []string{
			"Prices include 1.50 of tax; it is part of the line amounts, not a separate line.",
			`RefNumber "SS-2026-000123" is longer than QuickBooks' 11 characters: posted as "2026-000123", the full number is in the memo`,
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := posting.Build(c.orderID, c.connectionID, c.order, c.settings, "Main Street Shop")
			if err != nil {
				t.Fatal(err)
			}
			var reqs []qbxml.Request
			if c.customerKey != "" {
				if p.Customer == nil {
					t.Fatal("no customer to create")
				}
				if p.Customer.DocKey != c.customerKey || *p.Customer.Lookup != (qbd.Lookup{Type: qbd.LookupCustomer, Value: c.customer}) {
					t.Errorf("customer = %q %+v, want %q looked up by name %q", p.Customer.DocKey, *p.Customer.Lookup, c.customerKey, c.customer)
				}
				reqs = append(reqs, p.Customer.Request)
			} else if p.Customer != nil {
				t.Errorf("customer %q created, want none", p.Customer.DocKey)
			}
			reqs = append(reqs, p.Sale.Request)
			checkGolden(t, c.name, message(t, reqs...))

			if p.CustomerName != c.customer {
				t.Errorf("CustomerName = %q, want %q", p.CustomerName, c.customer)
			}
			wantKey := map[int64]string{501: "order:501", 502: "order:502", 503: "order:503"}[c.orderID]
			if p.Sale.DocKey != wantKey || !p.Sale.CheckFirst || p.Sale.Lookup == nil || *p.Sale.Lookup != c.lookup {
				t.Errorf("sale = %q checkFirst=%v lookup %+v, want %q checked first by %+v", p.Sale.DocKey, p.Sale.CheckFirst, p.Sale.Lookup, wantKey, c.lookup)
			}
			if p.Rounding != c.rounding || p.RoundingReason != c.roundingReason {
				t.Errorf("rounding = %s (%q), want %s (%q)", p.Rounding, p.RoundingReason, c.rounding, c.roundingReason)
			}
			if !reflect.DeepEqual(p.Notes, c.notes) {
				t.Errorf("notes = %q, want %q", p.Notes, c.notes)
			}
		})
	}
}

func TestBuildRefusesAnEmptyOrder(t *testing.T) {
	o := orders.Order{Channel: "shopify", Number: "1002", CreatedAt: day(14)}
	_, err := posting.Build(1, 1, o, orders.DefaultSettings(), "Shop")
	if err == nil || err.Error() != "order 1002 has no lines, shipping or tax to post" {
		t.Fatalf("Build = %v, want the order named as having nothing to post", err)
	}
}

func TestPayment(t *testing.T) {
	s := orders.Settings{TransactionType: orders.PostInvoice, CustomerMatch: orders.MatchSingle, SingleCustomer: "Web Store", DepositAccount: "Checking"}
	pay := posting.Payment(502, 7, wooOrder(), s, "Web Store", "1A2B-1234567890")
	if pay == nil {
		t.Fatal("no payment for a paid order")
	}
	checkGolden(t, "payment", message(t, pay.Request))
	want := qbd.Lookup{Type: qbd.LookupPayment, Value: "2002", Marker: "LLV2JJ5RKER2O5-S7", Date: "2026-03-15"}
	if pay.DocKey != "payment:502" || !pay.CheckFirst || *pay.Lookup != want {
		t.Errorf("payment = %q checkFirst=%v %+v, want payment:502 checked first by %+v", pay.DocKey, pay.CheckFirst, *pay.Lookup, want)
	}

	// More paid than the order's total (a tip, a refund not yet seen): QuickBooks gets the total.
	over := wooOrder()
	over.Payments = append(over.Payments, orders.Payment{Method: "gift_card", Amount: 700})
	rq := posting.Payment(502, 7, over, s, "Web Store", "1A2B-1234567890").Request.(qbxml.ReceivePaymentAdd)
	if *rq.TotalAmount != qbxml.Cents(2500) || *rq.AppliedToTxns[0].PaymentAmount != qbxml.Cents(2500) {
		t.Errorf("overpaid order pays %v, want 25.00", *rq.TotalAmount)
	}

	unpaid := wooOrder()
	unpaid.Payments = nil
	if got := posting.Payment(502, 7, unpaid, s, "Web Store", "1A2B-1234567890"); got != nil {
		t.Errorf("unpaid order gets payment %+v, want none", got)
	}
}

func TestRepairs(t *testing.T) {
	def := orders.DefaultSettings()
	service, inventory, flag := def, def, def
	service.NewItemType = orders.ItemService
	inventory.NewItemType = orders.ItemInventory
	flag.MissingProduct = orders.MissingFlag

	cust := posting.MissingCustomer("Doe, Jane", def)
	shipping := posting.MissingItem("Shipping", def)
	mug := posting.MissingItem("MUG", def)
	tee := posting.MissingItem("TEE-M", service)
	lamp := posting.MissingItem("LAMP", inventory)
	for _, it := range []*qbd.Item{cust, shipping, mug, tee, lamp} {
		if it == nil {
			t.Fatal("a repair the settings allow was not built")
		}
	}
	inv := lamp.Request.(qbxml.ItemInventoryAdd)
	checkGolden(t, "repairs", message(t, cust.Request, shipping.Request, mug.Request, tee.Request, lamp.Request,
		posting.OpeningStock(inv, 7, day(14)), posting.Untracked(inv, false, inventory), posting.Untracked(inv, true, inventory)))

	keys := []string{cust.DocKey, shipping.DocKey, mug.DocKey, tee.DocKey, lamp.DocKey}
	if want := []string{"customer:doe, jane", "item:shipping", "item:mug", "item:tee-m", "item:lamp"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("doc keys = %q, want %q", keys, want)
	}
	if *lamp.Lookup != (qbd.Lookup{Type: qbd.LookupItem, Value: "LAMP"}) || *cust.Lookup != (qbd.Lookup{Type: qbd.LookupCustomer, Value: "Doe, Jane"}) {
		t.Errorf("lookups = %+v, %+v", *lamp.Lookup, *cust.Lookup)
	}

	noCustomers := def
	noCustomers.CreateMissingCustomers = false
	if got := posting.MissingCustomer("Doe, Jane", noCustomers); got != nil {
		t.Errorf("customer created with createMissingCustomers off: %+v", got)
	}
	if got := posting.MissingItem("TEE-M", flag); got != nil {
		t.Errorf("item created under Missing Product Action flag: %+v", got)
	}
	if got := posting.MissingItem("Shipping", flag); got == nil {
		t.Error("the shipping item is not created under Missing Product Action flag; charge items always are")
	}
}

func TestDocKeys(t *testing.T) {
	if id, ok := posting.SaleOrder("order:42"); !ok || id != 42 {
		t.Errorf(`SaleOrder("order:42") = %d, %v`, id, ok)
	}
	if id, ok := posting.PaymentOrder("payment:42"); !ok || id != 42 {
		t.Errorf(`PaymentOrder("payment:42") = %d, %v`, id, ok)
	}
	for _, k := range []string{"payment:42", "order:x", "customer:42", "itemlist:all:1:1"} {
		if _, ok := posting.SaleOrder(k); ok {
			t.Errorf("SaleOrder(%q) reads an order", k)
		}
	}
	if !posting.IsPaymentKey("payment:x") || posting.IsPaymentKey("order:1") || qbd.DocKey("item:mug").Kind() != qbd.KindItem || qbd.DocKey("itemlist:all:1:1").Kind() == qbd.KindItem {
		t.Error("IsPaymentKey/DocKey.Kind misread a key")
	}
}

// TestRefundRefFitsRefNumber: refunds are numbered after the sale within RefNumber's 11
// characters, the sale's number keeping its last characters (hand-written expectations).
func TestRefundRefFitsRefNumber(t *testing.T) {
	for _, tc := range []struct {
		sale string
		seq  int
		want string
	}{
		{"1001", 1, "1001-R1"},
		{"WEB-1001", 2, "WEB-1001-R2"},
		{"SHOP-2026-000123456", 2, "00123456-R2"},
		{"1001", 12, "1001-R12"},
		{"12345678901", 3, "45678901-R3"},
	} {
		if got := posting.RefundRef(tc.sale, tc.seq); got != tc.want || len(got) > qbxml.MaxRefNumber {
			t.Errorf("RefundRef(%q, %d) = %q, want %q", tc.sale, tc.seq, got, tc.want)
		}
	}
}
