package qbxml

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.xml from the current builders")

type buildCase struct {
	name    string
	onError OnError
	reqs    []Request
	golden  bool // also compared byte for byte with testdata/golden/<name>.xml (13.0)
}

var (
	billTo = &Address{Addr1: "Żaneta Wiśniewska", Addr2: "ul. Długa 5/7", City: "Łódź", State: "Łódzkie", PostalCode: "90-001", Country: "Poland"}
	shipTo = &Address{Addr1: "1234 Awesome Street", Addr2: "Suite “B” – rear", City: "Hollywood", State: "CA", PostalCode: "90210-1234", Country: "USA", Note: "Leave at door"}
	// Every address line too long for QuickBooks.
	longAddr = &Address{
		Addr1: strings.Repeat("A", 60), Addr2: strings.Repeat("é", 60), Addr3: strings.Repeat("3", 60),
		Addr4: strings.Repeat("4", 60), Addr5: strings.Repeat("5", 60), City: strings.Repeat("c", 40),
		State: strings.Repeat("s", 30), PostalCode: strings.Repeat("9", 20), Country: strings.Repeat("k", 40), Note: strings.Repeat("n", 50),
	}
	day      = Date{2026, time.March, 14}
	fullLine = Line{
		ItemRef: ByName("SPREE-T-SHIRT"), Desc: "T-shirt — size M\nColour: “navy”", Quantity: Ptr(Units(2)),
		Rate: Ptr(PriceCents(1999)), ClassRef: ByName("Web"), Amount: Ptr(Cents(3998)), ServiceDate: day,
		SalesTaxCodeRef: ByName("Tax"), Other1: "SKU-1", Other2: "variant 42",
	}
	shippingLine = Line{ItemRef: ByName("Shipping"), Amount: Ptr(Cents(500)), SalesTaxCodeRef: ByName("Non")}
)

func buildCases() []buildCase {
	soLine := fullLine
	soLine.ServiceDate = Date{}
	modLine := fullLine
	modLine.TxnLineID = "4E-1415942229"
	newModLine := shippingLine
	newModLine.TxnLineID = "-1"

	return []buildCase{
		{name: "CustomerQuery-FullNames", onError: ContinueOnError, golden: true, reqs: []Request{
			CustomerQuery{FullNames: []string{"Shannon 171 Daniels", "Acme:Job 1", "Zoë O’Brien"}},
		}},
		{name: "CustomerQuery-ListIDs", onError: StopOnError, reqs: []Request{
			CustomerQuery{ListIDs: []string{"8000001B-1405768916", "80000013-1416570432"}, IncludeRetElements: []string{"ListID", "FullName", "EditSequence"}},
		}},
		{name: "CustomerQuery-filter-iterator", onError: ContinueOnError, reqs: []Request{
			CustomerQuery{Iterator: IteratorStart, Filter: ListFilter{MaxReturned: 100, ActiveStatus: ActiveAll,
				FromModifiedDate: "2015-03-30T15:06:31-04:00", ToModifiedDate: DateTimeOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
				NameFilter: &NameFilter{MatchCriterion: StartsWith, Name: "Acme"}}},
			CustomerQuery{Iterator: IteratorContinue, IteratorID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}", Filter: ListFilter{MaxReturned: 100, NameRangeFilter: &NameRangeFilter{FromName: "A", ToName: "M"}}},
			CustomerQuery{Iterator: IteratorStop, IteratorID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}"},
		}},
		{name: "CustomerAdd-full", onError: StopOnError, golden: true, reqs: []Request{
			CustomerAdd{
				Name: "Żaneta Wiśniewska (#10042)", IsActive: Ptr(true), ClassRef: ByName("Web"), CompanyName: "Łódź Café & Bar <Ltd>",
				Salutation: "Ms.", FirstName: "Żaneta", MiddleName: "M", LastName: "Wiśniewska", JobTitle: "Owner",
				BillAddress: billTo, ShipAddress: shipTo, Phone: "+48 42 123 45 67", AltPhone: "555-0100", Fax: "555-0101",
				Email: "zaneta@example.com", Cc: "books@example.com", Contact: "Żaneta", AltContact: "Piotr",
				CustomerTypeRef: ByName("Online"), TermsRef: ByName("Net 30"), SalesRepRef: ByName("JD"),
				SalesTaxCodeRef: ByName("Tax"), ItemSalesTaxRef: ByName("Out of State"), ResaleNumber: "R-1",
				AccountNumber: "10042", CreditLimit: Ptr(Cents(200000)), PreferredPaymentMethodRef: ByName("Visa"),
				Notes: "First order via Shopify.\nPrefers e-mail.", PriceLevelRef: ByName("Retail"),
				ExternalGUID: "6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10",
			},
		}},
		{name: "CustomerAdd-job-minimal", onError: ContinueOnError, reqs: []Request{
			CustomerAdd{Name: "Job 1", ParentRef: ByName("Acme")},
			CustomerAdd{Name: "王小明 🎉", BillAddress: longAddr},
		}},
		{name: "ItemQuery", onError: ContinueOnError, reqs: []Request{
			ItemQuery{FullNames: []string{"SPREE-T-SHIRT", "Shipping", "Parts:Widget"}},
			ItemQuery{Iterator: IteratorStart, Filter: ListFilter{MaxReturned: 50, ActiveStatus: ActiveOnly, FromModifiedDate: "2026-01-01"}},
			ItemQuery{ListIDs: []string{"80000034-1415899267"}},
		}},
		{name: "ItemInventoryQuery-iterator", onError: ContinueOnError, golden: true, reqs: []Request{
			ItemInventoryQuery{Iterator: IteratorStart, Filter: ListFilter{MaxReturned: 200, FromModifiedDate: "2015-03-30T15:06:31-04:00"},
				IncludeRetElements: []string{"ListID", "FullName", "EditSequence", "QuantityOnHand", "TimeModified"}},
		}},
		{name: "ItemInventoryQuery-continue-names", onError: ContinueOnError, reqs: []Request{
			ItemInventoryQuery{Iterator: IteratorContinue, IteratorID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}", Filter: ListFilter{MaxReturned: 200, FromModifiedDate: "2015-03-30T15:06:31-04:00"}},
			ItemInventoryQuery{FullNames: []string{"12797", "SPREE-T-SHIRT"}},
		}},
		{name: "inventory-reads", onError: ContinueOnError, reqs: []Request{
			ItemInventoryQuery{Iterator: IteratorStart, Filter: ListFilter{MaxReturned: 500, ActiveStatus: ActiveAll}, IncludeRetElements: InventoryItemRetElements},
			ItemInventoryAssemblyQuery{Iterator: IteratorStart, Filter: ListFilter{MaxReturned: 500, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeRetElements: InventoryItemRetElements},
			ItemInventoryAssemblyQuery{Iterator: IteratorContinue, IteratorID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}", Filter: ListFilter{MaxReturned: 500}},
			ItemInventoryAssemblyQuery{FullNames: []string{"Kit:Deluxe"}},
			SalesReceiptQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("SalesReceipt")},
			InvoiceQuery{Filter: TxnFilter{FromModifiedDate: "2026-12-05T09:55:00-05:00", ToModifiedDate: "2026-12-05T10:30:00-05:00"}, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("Invoice")},
			SalesOrderQuery{Filter: TxnFilter{FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("SalesOrder")},
			CreditMemoQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeLineItems: true, IncludeLinkedTxns: true, IncludeRetElements: InventoryTxnRetElements("CreditMemo")},
			CreditMemoQuery{RefNumbers: []string{"CM-1"}},
			InventoryAdjustmentQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("InventoryAdjustment")},
			InventoryAdjustmentQuery{TxnIDs: []string{"1F-1772460045"}},
			BillQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-12-05T09:55:00-05:00", EntityFullNames: []string{"Acme Supply Co."}}, PaidStatus: NotPaidOnly, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("Bill")},
			BillQuery{RefNumbers: []string{"INV-2026-000012345"}, IncludeLinkedTxns: true},
			ItemReceiptQuery{Iterator: IteratorContinue, IteratorID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}", Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("ItemReceipt")},
		}},
		{name: "ItemInventoryAdd", onError: StopOnError, golden: true, reqs: []Request{
			ItemInventoryAdd{
				Name: "SPREE-T-SHIRT-BLUE-XXL-LONGSLEEVE", BarCodeValue: "0001910191", IsActive: Ptr(true), ClassRef: ByName("Web"),
				ParentRef: ByName("Apparel"), ManufacturerPartNumber: "MPN-77", SalesTaxCodeRef: ByName("Tax"),
				SalesDesc: "Blue T-shirt", SalesPrice: Ptr(PriceCents(1999)), IncomeAccountRef: ByName("Sales:Merchandise"),
				PurchaseDesc: "Blank tee", PurchaseCost: Ptr(Price(733333)), COGSAccountRef: ByName("Cost of Goods Sold"),
				PrefVendorRef: ByName("Tee Supply Co"), AssetAccountRef: ByName("Inventory Asset"), ReorderPoint: Ptr(Units(5)),
				Max: Ptr(Units(100)), QuantityOnHand: Ptr(Units(12)), TotalValue: Ptr(Cents(8800)), InventoryDate: day,
				ExternalGUID: "{6B474085-4E7F-4BD4-9AB0-2E4A5E6D9A11}",
			},
			ItemInventoryAdd{Name: "Mug", IncomeAccountRef: ByName("Sales"), COGSAccountRef: ByName("Cost of Goods Sold"), AssetAccountRef: ByName("Inventory Asset")},
		}},
		{name: "ItemNonInventoryAdd", onError: ContinueOnError, reqs: []Request{
			ItemNonInventoryAdd{Name: "Gift wrap", BarCodeValue: "123", IsActive: Ptr(true), ParentRef: ByName("Extras"), ClassRef: ByName("Web"),
				ManufacturerPartNumber: "GW-1", SalesTaxCodeRef: ByName("Non"),
				SalesOrPurchase: &SalesOrPurchase{Desc: "Gift wrapping", Price: Ptr(PriceCents(450)), AccountRef: ByName("Sales")}},
			ItemNonInventoryAdd{Name: "Test noninv product", SalesAndPurchase: &SalesAndPurchase{SalesDesc: "Sold", SalesPrice: Ptr(PriceCents(2000)),
				IncomeAccountRef: ByName("Income Account"), PurchaseDesc: "Bought", PurchaseCost: Ptr(PriceCents(500)),
				ExpenseAccountRef: ByName("Expense Account"), PrefVendorRef: ByName("Sully's Hot Dog Stand")}},
		}},
		{name: "ItemServiceAdd", onError: ContinueOnError, reqs: []Request{
			ItemServiceAdd{Name: "Shipping Item - QuickBooks Integration", BarCodeValue: "S-1", IsActive: Ptr(true), ClassRef: ByName("Web"),
				ParentRef: ByName("Services"), SalesTaxCodeRef: ByName("Non"),
				SalesOrPurchase: &SalesOrPurchase{Desc: "Shipping", Price: Ptr(PriceCents(0)), AccountRef: ByName("Shipping Income")}, ExternalGUID: "{6B474085-4E7F-4BD4-9AB0-2E4A5E6D9A17}"},
			ItemServiceAdd{Name: "Install", SalesAndPurchase: &SalesAndPurchase{IncomeAccountRef: ByName("Services"), ExpenseAccountRef: ByName("Subcontractors")}},
		}},
		{name: "ItemOtherChargeAdd", onError: ContinueOnError, reqs: []Request{
			ItemOtherChargeAdd{Name: "Handling", BarCodeValue: "H-1", IsActive: Ptr(false), ClassRef: ByName("Web"), ParentRef: ByName("Charges"),
				SalesTaxCodeRef: ByName("Non"), SalesOrPurchase: &SalesOrPurchase{Desc: "Handling fee", Price: Ptr(PriceCents(250)), AccountRef: ByName("Other Income")}},
			ItemOtherChargeAdd{Name: "Drop-ship fee", SalesAndPurchase: &SalesAndPurchase{SalesPrice: Ptr(PriceCents(300)), IncomeAccountRef: ByName("Other Income"), PurchaseCost: Ptr(PriceCents(200)), ExpenseAccountRef: ByName("COGS")}},
		}},
		{name: "SalesReceiptAdd-full", onError: ContinueOnError, golden: true, reqs: []Request{
			SalesReceiptAdd{
				CustomerRef: ByName("Żaneta Wiśniewska (#10042)"), ClassRef: ByName("Web"), TemplateRef: ByName("Custom Sales Receipt"),
				TxnDate: day, RefNumber: "SHOP-2026-000123456", BillAddress: billTo, ShipAddress: shipTo, IsPending: Ptr(false),
				CheckNumber: "pi_3N2", PaymentMethodRef: ByName("Visa"), DueDate: day, SalesRepRef: ByName("JD"), ShipDate: day,
				ShipMethodRef: ByName("UPS Ground Residential"), FOB: "Warehouse", ItemSalesTaxRef: ByName("Out of State"),
				Memo: "Shopify order #SHOP-2026-000123456", CustomerMsgRef: ByName("Thank you for your business."),
				IsToBePrinted: Ptr(false), IsToBeEmailed: Ptr(true), CustomerSalesTaxCodeRef: ByName("Tax"),
				DepositToAccountRef: ByName("Undeposited Funds"), Other: "utm=newsletter", ExternalGUID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a12}",
				Lines: []Line{fullLine, shippingLine},
			},
		}},
		{name: "SalesReceiptAdd-minimal", onError: RollbackOnError, reqs: []Request{
			SalesReceiptAdd{Lines: []Line{{ItemRef: Ref{ListID: "80000034-1415899267"}, Quantity: Ptr(Quantity(150000))}}},
		}},
		{name: "ReceivePaymentQuery", onError: ContinueOnError, reqs: []Request{
			ReceivePaymentQuery{RefNumbers: []string{"1001", "SHOP-2026-000123456"}},
			ReceivePaymentQuery{Filter: TxnFilter{MaxReturned: 50, EntityFullNames: []string{"Web Store"}}, IncludeRetElements: []string{"TxnID", "RefNumber", "TotalAmount"}},
		}},
		{name: "SalesReceiptQuery", onError: ContinueOnError, golden: true, reqs: []Request{
			SalesReceiptQuery{RefNumbers: []string{"1001", "1002", "SHOP-2026-000123456"}, IncludeLineItems: true},
			SalesReceiptQuery{TxnIDs: []string{"4C-1415942229"}},
			SalesReceiptQuery{RefNumbersCaseSensitive: []string{"qbe-sr-1"}},
			SalesReceiptQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-01-01T00:00:00+00:00", EntityFullNames: []string{"Acme"}}, IncludeRetElements: []string{"TxnID", "RefNumber"}},
			SalesReceiptQuery{Filter: TxnFilter{FromTxnDate: day, ToTxnDate: day, EntityListIDs: []string{"80000013-1416570432"}}},
		}},
		{name: "SalesReceiptMod", onError: ContinueOnError, reqs: []Request{
			SalesReceiptMod{TxnID: "4C-1415942229", EditSequence: "1415942229", CustomerRef: ByName("Acme"), ClassRef: ByName("Web"),
				TemplateRef: ByName("T"), TxnDate: day, RefNumber: "1001", BillAddress: billTo, ShipAddress: shipTo, IsPending: Ptr(true),
				CheckNumber: "1", PaymentMethodRef: ByName("Cash"), DueDate: day, SalesRepRef: ByName("JD"), ShipDate: day,
				ShipMethodRef: ByName("UPS"), FOB: "x", ItemSalesTaxRef: ByName("Out of State"), Memo: "m", CustomerMsgRef: ByName("Thanks"),
				IsToBePrinted: Ptr(true), IsToBeEmailed: Ptr(false), CustomerSalesTaxCodeRef: ByName("Non"),
				DepositToAccountRef: ByName("Checking"), Other: "o", Lines: []Line{modLine, newModLine}},
			SalesReceiptMod{TxnID: "4C-1415942229", EditSequence: "1415942230", Memo: "only the memo"},
		}},
		{name: "InvoiceAdd", onError: ContinueOnError, golden: true, reqs: []Request{
			InvoiceAdd{CustomerRef: ByName("Acme"), ClassRef: ByName("Web"), ARAccountRef: ByName("Accounts Receivable"),
				TemplateRef: ByName("Intuit Service Invoice"), TxnDate: day, RefNumber: "R1TT46883", BillAddress: billTo, ShipAddress: shipTo,
				IsPending: Ptr(false), PONumber: "PO-7", TermsRef: ByName("Net 30"), DueDate: Date{2026, time.April, 13}, SalesRepRef: ByName("JD"),
				FOB: "Origin", ShipDate: day, ShipMethodRef: ByName("FedEx"), ItemSalesTaxRef: ByName("CA Sales Tax"), Memo: "Net 30 order",
				CustomerMsgRef: ByName("Thanks"), IsToBePrinted: Ptr(true), IsToBeEmailed: Ptr(false), CustomerSalesTaxCodeRef: ByName("Tax"),
				Other: "B2B", ExternalGUID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a13}", LinkToTxnIDs: []string{"4C-1415942229"},
				Lines: []Line{fullLine, shippingLine}},
			InvoiceAdd{CustomerRef: Ref{ListID: "80000013-1416570432"}},
		}},
		{name: "InvoiceQuery", onError: ContinueOnError, reqs: []Request{
			InvoiceQuery{RefNumbers: []string{"R1TT46883", "R1TT46884"}, IncludeLineItems: true, IncludeLinkedTxns: true},
			InvoiceQuery{TxnIDs: []string{"C5-1417118624"}},
			InvoiceQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 25, FromTxnDate: day}, PaidStatus: NotPaidOnly},
			InvoiceQuery{PaidStatus: PaidOnly},
		}},
		{name: "SalesOrderQuery", onError: ContinueOnError, reqs: []Request{
			SalesOrderQuery{RefNumbers: []string{"1001", "SHOP-2026-000123456"}},
			SalesOrderQuery{TxnIDs: []string{"C5-1417118624"}, IncludeLineItems: true, IncludeLinkedTxns: true},
			SalesOrderQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 25, FromTxnDate: day, EntityFullNames: []string{"Web Store"}},
				IncludeRetElements: []string{"TxnID", "RefNumber", "TxnDate", "Other"}},
		}},
		{name: "SalesOrderMod", onError: ContinueOnError, reqs: []Request{
			SalesOrderMod{TxnID: "C5-1417118624", EditSequence: "1417118624", CustomerRef: ByName("Acme"), ClassRef: ByName("Web"),
				TemplateRef: ByName("T"), TxnDate: day, RefNumber: "R1", BillAddress: billTo, ShipAddress: shipTo, PONumber: "PO",
				TermsRef: ByName("Net 30"), DueDate: day, SalesRepRef: ByName("JD"), FOB: "x", ShipDate: day, ShipMethodRef: ByName("UPS"),
				ItemSalesTaxRef: ByName("Out of State"), IsManuallyClosed: Ptr(false), Memo: "m", CustomerMsgRef: ByName("Thanks"),
				IsToBePrinted: Ptr(true), IsToBeEmailed: Ptr(false), CustomerSalesTaxCodeRef: ByName("Non"), Other: "o",
				Lines: []Line{{TxnLineID: "C6-1417118624"}, {TxnLineID: "-1", ItemRef: ByName("Shipping"), Desc: "UPS Ground", Amount: Ptr(Cents(1234))}}},
			SalesOrderMod{TxnID: "C5-1417118624", EditSequence: "1417118625", ShipDate: day},
			ShipMethodAdd{Name: "DHL Express", IsActive: Ptr(true)},
		}},
		{name: "InvoiceMod", onError: ContinueOnError, reqs: []Request{
			InvoiceMod{TxnID: "C5-1417118624", EditSequence: "1417118624", CustomerRef: ByName("Acme"), ClassRef: ByName("Web"),
				ARAccountRef: ByName("Accounts Receivable"), TemplateRef: ByName("T"), TxnDate: day, RefNumber: "R1", BillAddress: billTo,
				ShipAddress: shipTo, IsPending: Ptr(false), PONumber: "PO", TermsRef: ByName("Net 30"), DueDate: day, SalesRepRef: ByName("JD"),
				FOB: "F", ShipDate: day, ShipMethodRef: ByName("UPS"), ItemSalesTaxRef: ByName("Tax item"), Memo: "m",
				CustomerMsgRef: ByName("Thanks"), IsToBePrinted: Ptr(false), IsToBeEmailed: Ptr(true), CustomerSalesTaxCodeRef: ByName("Tax"),
				Other: "o", Lines: []Line{modLine, newModLine}},
		}},
		{name: "ReceivePaymentAdd", onError: ContinueOnError, golden: true, reqs: []Request{
			ReceivePaymentAdd{CustomerRef: ByName("Acme"), ARAccountRef: ByName("Accounts Receivable"), TxnDate: day,
				RefNumber: "ch_3N2xYzABCDEFGHIJKLMNOP", TotalAmount: Ptr(Cents(21000)), PaymentMethodRef: ByName("Check"), Memo: "Stripe payout",
				DepositToAccountRef: ByName("Undeposited Funds"), ExternalGUID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a14}",
				AppliedToTxns: []AppliedToTxn{
					{TxnID: "C5-1417118624", PaymentAmount: Ptr(Cents(20600))},
					{TxnID: "C6-1417118625", PaymentAmount: Ptr(Cents(400)), DiscountAmount: Ptr(Cents(10)), DiscountAccountRef: ByName("Discounts"), DiscountClassRef: ByName("Web")},
				}},
			ReceivePaymentAdd{CustomerRef: ByName("Acme"), TotalAmount: Ptr(Cents(500)), IsAutoApply: true},
			ReceivePaymentAdd{CustomerRef: ByName("Acme"), TotalAmount: Ptr(Cents(0))},
			// A credit memo applied to an invoice: no money, the credit set against the invoice.
			ReceivePaymentAdd{CustomerRef: ByName("Acme"), TotalAmount: Ptr(Cents(0)), Memo: "Refund 1001-R1",
				AppliedToTxns: []AppliedToTxn{{TxnID: "C5-1417118624", PaymentAmount: Ptr(Cents(0)),
					SetCredits: []SetCredit{{CreditTxnID: "C9-1417118700", AppliedAmount: Cents(2500)}}}}},
		}},
		{name: "ARRefundCreditCard", onError: ContinueOnError, golden: true, reqs: []Request{
			ARRefundCreditCardAdd{CustomerRef: ByName("Acme"), RefundFromAccountRef: ByName("Undeposited Funds"),
				ARAccountRef: ByName("Accounts Receivable"), TxnDate: day, RefNumber: "1001-R1", PaymentMethodRef: ByName("Visa"),
				Memo: "Shopify refund 1001-R1 LLQ2F4ABCDEFGH-S1", ExternalGUID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a17}",
				RefundApplied: []RefundAppliedToTxn{{TxnID: "C9-1417118700", RefundAmount: Cents(2500)}}},
			ARRefundCreditCardQuery{RefNumbers: []string{"1001-R1", "1002-R2"}},
			ARRefundCreditCardQuery{Filter: TxnFilter{MaxReturned: 10, FromTxnDate: day}},
		}},
		{name: "SalesOrderAdd", onError: ContinueOnError, reqs: []Request{
			SalesOrderAdd{CustomerRef: ByName("a123191"), ClassRef: ByName("Web"), TemplateRef: ByName("Custom Sales Order"), TxnDate: day,
				RefNumber: "13", BillAddress: billTo, ShipAddress: shipTo, PONumber: "R15408534641", TermsRef: ByName("Net 30"), DueDate: day,
				SalesRepRef: ByName("JD"), FOB: "F", ShipDate: day, ShipMethodRef: ByName("UPS"), ItemSalesTaxRef: ByName("Tax item"),
				IsManuallyClosed: Ptr(false), Memo: "m", CustomerMsgRef: ByName("Thanks"), IsToBePrinted: Ptr(true), IsToBeEmailed: Ptr(false),
				CustomerSalesTaxCodeRef: ByName("Non"), Other: "o", ExternalGUID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a15}",
				Lines: []Line{soLine, shippingLine}},
		}},
		{name: "CreditMemoAdd", onError: ContinueOnError, reqs: []Request{
			CreditMemoAdd{CustomerRef: ByName("Acme"), ClassRef: ByName("Web"), ARAccountRef: ByName("Accounts Receivable"),
				TemplateRef: ByName("Custom Credit Memo"), TxnDate: day, RefNumber: "RMA-77", BillAddress: billTo, ShipAddress: shipTo,
				IsPending: Ptr(false), PONumber: "PO", TermsRef: ByName("Net 30"), DueDate: day, SalesRepRef: ByName("JD"), FOB: "F",
				ShipDate: day, ShipMethodRef: ByName("UPS"), ItemSalesTaxRef: ByName("Tax item"), Memo: "Return of order 1001",
				CustomerMsgRef: ByName("Sorry"), IsToBePrinted: Ptr(false), IsToBeEmailed: Ptr(true), CustomerSalesTaxCodeRef: ByName("Tax"),
				Other: "o", ExternalGUID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a16}", Lines: []Line{fullLine}},
		}},
		{name: "Class-ShipMethod-Account-queries", onError: ContinueOnError, golden: true, reqs: []Request{
			ClassQuery{},
			ClassQuery{FullNames: []string{"Web", "Retail:Store 1"}},
			ShipMethodQuery{Filter: ListFilter{ActiveStatus: ActiveOnly}},
			ShipMethodQuery{FullNames: []string{"UPS Ground Residential Delivery"}},
			AccountQuery{AccountTypes: []string{"Income", "Bank", "OtherCurrentAsset"}, Filter: ListFilter{ActiveStatus: ActiveOnly}},
			AccountQuery{ListIDs: []string{"8000001E-1416683831"}, IncludeRetElements: []string{"ListID", "FullName", "AccountType"}},
		}},
		{name: "batch-order-flow", onError: ContinueOnError, reqs: []Request{
			CustomerQuery{FullNames: []string{"Acme", "Zoë O’Brien"}},
			ItemQuery{FullNames: []string{"SPREE-T-SHIRT", "Shipping"}},
			SalesReceiptQuery{RefNumbers: []string{"1001", "1002"}},
			CustomerAdd{Name: "Zoë O’Brien", FirstName: "Zoë", LastName: "O’Brien"},
			SalesReceiptAdd{CustomerRef: ByName("Zoë O’Brien"), RefNumber: "1002", Lines: []Line{fullLine}},
			ReceivePaymentAdd{CustomerRef: ByName("Acme"), TotalAmount: Ptr(Cents(100)), IsAutoApply: true},
		}},
	}
}

// build returns the message of c for version, failing the test on error.
func (c buildCase) build(t testing.TB, version string) []byte {
	t.Helper()
	m := NewMsgSet(version, c.onError)
	for _, r := range c.reqs {
		m.Add(r)
	}
	b, err := m.Bytes()
	if err != nil {
		t.Fatalf("%s: Bytes: %v", c.name, err)
	}
	return b
}

// TestBuildersValidateAgainstXSD builds every case for 13.0 and 16.0 and
// validates all of them with xmllint against the matching Intuit schema.
func TestBuildersValidateAgainstXSD(t *testing.T) {
	cases := buildCases()
	covered := map[string]bool{}
	for _, version := range []string{Version13, Version16} {
		t.Run(version, func(t *testing.T) {
			docs := map[string][]byte{}
			for _, c := range cases {
				b := c.build(t, version)
				header := `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<?qbxml version="` + version + `"?>` + "\n" +
					`<QBXML><QBXMLMsgsRq onError="` + string(c.onError) + `">`
				if !bytes.HasPrefix(b, []byte(header)) {
					t.Errorf("%s: header is\n%.200s\nwant prefix\n%s", c.name, b, header)
				}
				docs[c.name] = b
				for _, r := range c.reqs {
					covered[element(r)] = true
				}
			}
			for name, problem := range xsdValidate(t, version, docs) {
				if problem != "" {
					t.Errorf("%s does not validate against qbXML %s:\n%s\n--- message ---\n%s", name, version, problem, docs[name])
				}
			}
		})
	}
	for _, rq := range []string{"CustomerQueryRq", "CustomerAddRq", "ItemQueryRq", "ItemInventoryQueryRq", "ItemInventoryAddRq",
		"ItemNonInventoryAddRq", "ItemServiceAddRq", "ItemOtherChargeAddRq", "SalesReceiptAddRq", "SalesReceiptQueryRq",
		"SalesReceiptModRq", "InvoiceAddRq", "InvoiceQueryRq", "InvoiceModRq", "ReceivePaymentAddRq", "ReceivePaymentQueryRq", "SalesOrderAddRq",
		"SalesOrderModRq", "ShipMethodAddRq", "CreditMemoAddRq", "ARRefundCreditCardAddRq", "ARRefundCreditCardQueryRq", "ClassQueryRq", "ShipMethodQueryRq", "AccountQueryRq"} {
		if !covered[rq] {
			t.Errorf("no build case covers %s", rq)
		}
	}
}

// TestGolden compares representative messages with testdata/golden; run
// `go test ./jobs/qbxml -run TestGolden -update` to rewrite them after a
// deliberate change (then validate and review the diff).
func TestGolden(t *testing.T) {
	goldens := map[string][]byte{}
	defer func() {
		// The committed files themselves must be valid qbXML.
		if len(goldens) == 0 {
			return
		}
		for name, problem := range xsdValidate(t, Version13, goldens) {
			if problem != "" {
				t.Errorf("golden %s does not validate: %s", name, problem)
			}
		}
	}()
	for _, c := range buildCases() {
		if !c.golden {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			got := c.build(t, Version13)
			path := filepath.Join("testdata", "golden", c.name+".xml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			goldens[c.name] = want
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from golden file\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
			}
		})
	}
}

func TestRequestIDsAreSequential(t *testing.T) {
	m := NewMsgSet(Version13, ContinueOnError)
	var ids []string
	for range 12 {
		ids = append(ids, m.Add(ClassQuery{}))
	}
	if got := strings.Join(ids, ","); got != "1,2,3,4,5,6,7,8,9,10,11,12" {
		t.Fatalf("requestIDs = %s", got)
	}
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !bytes.Contains(b, []byte(`<ClassQueryRq requestID="`+id+`">`)) {
			t.Errorf("requestID %s missing from message", id)
		}
	}
	// Same sequence of Adds, same bytes.
	m2 := NewMsgSet(Version13, ContinueOnError)
	for range 12 {
		m2.Add(ClassQuery{})
	}
	if b2, _ := m2.Bytes(); !bytes.Equal(b, b2) {
		t.Error("two identical message sets encode differently")
	}
}

func TestMsgSetAttributes(t *testing.T) {
	m := NewMsgSet(Version16, RollbackOnError)
	m.NewMessageSetID = "batch-42"
	m.OldMessageSetID = "batch-41"
	m.ResponseData = IncludeNone
	m.Add(CustomerAdd{Name: "Acme"})
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := `<QBXML><QBXMLMsgsRq onError="rollbackOnError" newMessageSetID="batch-42" oldMessageSetID="batch-41" responseData="includeNone">`
	if !bytes.Contains(b, []byte(want)) {
		t.Fatalf("message:\n%s\nwant %s", b, want)
	}
	empty := NewMsgSet(Version13, StopOnError)
	empty.OldMessageSetID = "batch-41" // error-recovery status request: no requests
	eb, err := empty.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	res := xsdValidate(t, Version16, map[string][]byte{"attrs": b})
	res13 := xsdValidate(t, Version13, map[string][]byte{"empty-recovery": eb})
	for n, p := range map[string]string{"attrs": res["attrs"], "empty-recovery": res13["empty-recovery"]} {
		if p != "" {
			t.Errorf("%s does not validate: %s", n, p)
		}
	}
}

func TestMsgSetErrors(t *testing.T) {
	tests := []struct {
		name string
		m    func() *MsgSet
		want error
	}{
		{"version 12.0", func() *MsgSet { return NewMsgSet("12.0", ContinueOnError) }, ErrUnsupportedVersion},
		{"bad onError", func() *MsgSet { return NewMsgSet(Version13, "continue") }, ErrInvalidMessageSet},
		{"bad responseData", func() *MsgSet { m := NewMsgSet(Version13, StopOnError); m.ResponseData = "all"; return m }, ErrInvalidMessageSet},
		{"bad message set ID", func() *MsgSet { m := NewMsgSet(Version13, StopOnError); m.NewMessageSetID = "a b"; return m }, ErrInvalidMessageSet},
		{"invalid request", func() *MsgSet { m := NewMsgSet(Version13, StopOnError); m.Add(CustomerAdd{}); return m }, ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.m().Bytes()
			if !errors.Is(err, tc.want) || b != nil {
				t.Fatalf("Bytes() = %q, %v; want nil, %v", b, err, tc.want)
			}
		})
	}
}

// TestInvalidRequests checks that requests the schema or QuickBooks would
// reject are refused with a *RequestError naming the field.
func TestInvalidRequests(t *testing.T) {
	tests := []struct {
		name  string
		rq    Request
		field string
	}{
		{"customer without name", CustomerAdd{}, "CustomerAdd/Name"},
		{"name with nothing storable", CustomerAdd{Name: "🎉🎉"}, "CustomerAdd/Name"},
		{"ListIDs and FullNames", CustomerQuery{ListIDs: []string{"1"}, FullNames: []string{"a"}}, "ListID|FullName|filter"},
		{"FullNames and filter", ItemQuery{FullNames: []string{"a"}, Filter: ListFilter{MaxReturned: 5}}, "ListID|FullName|filter"},
		{"negative MaxReturned", ItemInventoryQuery{Filter: ListFilter{MaxReturned: -1}}, "MaxReturned"},
		{"bad ActiveStatus", ClassQuery{Filter: ListFilter{ActiveStatus: "Some"}}, "ActiveStatus"},
		{"both name filters", ShipMethodQuery{Filter: ListFilter{NameFilter: &NameFilter{StartsWith, "a"}, NameRangeFilter: &NameRangeFilter{"a", "b"}}}, "NameFilter"},
		{"bad match criterion", ClassQuery{Filter: ListFilter{NameFilter: &NameFilter{"Like", "a"}}}, "NameFilter/MatchCriterion"},
		{"continue without ID", ItemInventoryQuery{Iterator: IteratorContinue}, "@iteratorID"},
		{"ID without iterator", ItemInventoryQuery{IteratorID: "{x}"}, "@iteratorID"},
		{"start with ID", ItemInventoryQuery{Iterator: IteratorStart, IteratorID: "{x}"}, "@iteratorID"},
		{"unknown iterator", ItemQuery{Iterator: "Next"}, "@iterator"},
		{"Z in FromModifiedDate", ItemInventoryQuery{Filter: ListFilter{FromModifiedDate: "2026-01-01T00:00:00Z"}}, "FromModifiedDate"},
		{"fractional seconds", CustomerQuery{Filter: ListFilter{FromModifiedDate: "2026-01-01T00:00:00.5-05:00"}}, "FromModifiedDate"},
		{"bad account type", AccountQuery{AccountTypes: []string{"Cash"}}, "AccountType"},
		{"account types and names", AccountQuery{FullNames: []string{"Sales"}, AccountTypes: []string{"Income"}}, "ListID|FullName|filter"},
		{"bad IncludeRetElement", CustomerQuery{IncludeRetElements: []string{"List ID"}}, "IncludeRetElement"},
		{"item service without sales info", ItemServiceAdd{Name: "X"}, "ItemServiceAdd/SalesOrPurchase"},
		{"item with both sales forms", ItemOtherChargeAdd{Name: "X", SalesOrPurchase: &SalesOrPurchase{}, SalesAndPurchase: &SalesAndPurchase{}}, "ItemOtherChargeAdd/SalesOrPurchase"},
		{"sales receipt without lines", SalesReceiptAdd{RefNumber: "1"}, "SalesReceiptAdd/SalesReceiptLineAdd"},
		{"sales order without customer", SalesOrderAdd{Lines: []Line{shippingLine}}, "SalesOrderAdd/CustomerRef"},
		{"sales order line with service date", SalesOrderAdd{CustomerRef: ByName("A"), Lines: []Line{fullLine}}, "SalesOrderAdd/SalesOrderLineAdd[1]/ServiceDate"},
		{"credit memo without lines", CreditMemoAdd{CustomerRef: ByName("A")}, "CreditMemoAdd/CreditMemoLineAdd"},
		{"invoice without customer", InvoiceAdd{}, "InvoiceAdd/CustomerRef"},
		{"TxnLineID in add", InvoiceAdd{CustomerRef: ByName("A"), Lines: []Line{{TxnLineID: "-1"}}}, "InvoiceAdd/InvoiceLineAdd[1]/TxnLineID"},
		{"mod without TxnID", InvoiceMod{EditSequence: "1"}, "InvoiceMod/TxnID"},
		{"mod without EditSequence", SalesReceiptMod{TxnID: "1-1"}, "SalesReceiptMod/EditSequence"},
		{"mod line without TxnLineID", SalesReceiptMod{TxnID: "1-1", EditSequence: "1", Lines: []Line{shippingLine}}, "SalesReceiptMod/SalesReceiptLineMod[1]/TxnLineID"},
		{"EditSequence too long", InvoiceMod{TxnID: "1-1", EditSequence: "12345678901234567"}, "InvoiceMod/EditSequence"},
		{"ListID too long", InvoiceAdd{CustomerRef: Ref{ListID: strings.Repeat("8", 37)}}, "InvoiceAdd/CustomerRef/ListID"},
		{"ListID with space", CustomerQuery{ListIDs: []string{"8000 1"}}, "ListID"},
		{"empty FullName in list", CustomerQuery{FullNames: []string{"a", ""}}, "FullName"},
		{"empty ListID in list", ItemQuery{ListIDs: []string{""}}, "ListID"},
		{"bad GUID", CustomerAdd{Name: "A", ExternalGUID: "109389220"}, "CustomerAdd/ExternalGUID"},
		{"half-braced GUID", CustomerAdd{Name: "A", ExternalGUID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10"}, "CustomerAdd/ExternalGUID"},
		{"invalid date", InvoiceAdd{CustomerRef: ByName("A"), TxnDate: Date{2026, time.February, 30}}, "InvoiceAdd/TxnDate"},
		{"amount too large", InvoiceAdd{CustomerRef: ByName("A"), Lines: []Line{{Amount: Ptr(Cents(1e15))}}}, "InvoiceAdd/InvoiceLineAdd[1]/Amount"},
		{"quantity too large", InvoiceAdd{CustomerRef: ByName("A"), Lines: []Line{{Quantity: Ptr(Units(1e10))}}}, "InvoiceAdd/InvoiceLineAdd[1]/Quantity"},
		{"price too large", ItemInventoryAdd{Name: "A", SalesPrice: Ptr(PriceCents(1e12))}, "ItemInventoryAdd/SalesPrice"},
		{"payment: auto-apply and applications", ReceivePaymentAdd{CustomerRef: ByName("A"), IsAutoApply: true, AppliedToTxns: []AppliedToTxn{{TxnID: "1-1"}}}, "ReceivePaymentAdd/IsAutoApply"},
		{"payment application without TxnID", ReceivePaymentAdd{CustomerRef: ByName("A"), AppliedToTxns: []AppliedToTxn{{}}}, "ReceivePaymentAdd/AppliedToTxnAdd[1]/TxnID"},
		{"txn query: refs and filter", SalesReceiptQuery{RefNumbers: []string{"1"}, Filter: TxnFilter{MaxReturned: 1}}, "TxnID|RefNumber|filter"},
		{"txn query: both date ranges", InvoiceQuery{Filter: TxnFilter{FromTxnDate: day, FromModifiedDate: "2026-01-01"}}, "ModifiedDateRangeFilter"},
		{"txn query: both entity forms", InvoiceQuery{Filter: TxnFilter{EntityListIDs: []string{"1"}, EntityFullNames: []string{"a"}}}, "EntityFilter"},
		{"bad paid status", InvoiceQuery{PaidStatus: "Partly"}, "PaidStatus"},
		{"paid status with RefNumbers", InvoiceQuery{PaidStatus: PaidOnly, RefNumbers: []string{"1"}}, "TxnID|RefNumber|filter"},
		{"assembly query: names and filter", ItemInventoryAssemblyQuery{FullNames: []string{"a"}, Filter: ListFilter{MaxReturned: 5}}, "ListID|FullName|filter"},
		{"bill query: paid status with TxnIDs", BillQuery{TxnIDs: []string{"1-1"}, PaidStatus: PaidOnly}, "TxnID|RefNumber|filter"},
		{"bill query: bad paid status", BillQuery{PaidStatus: "Partly"}, "PaidStatus"},
		{"credit memo query: refs and filter", CreditMemoQuery{RefNumbers: []string{"1"}, Filter: TxnFilter{MaxReturned: 1}}, "TxnID|RefNumber|filter"},
		{"adjustment query: both date ranges", InventoryAdjustmentQuery{Filter: TxnFilter{FromTxnDate: day, FromModifiedDate: "2026-01-01"}}, "ModifiedDateRangeFilter"},
		{"item receipt query: continue without ID", ItemReceiptQuery{Iterator: IteratorContinue}, "@iteratorID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Encode(tc.rq)
			var re *RequestError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("Encode = %v, want a *RequestError", err)
			}
			if re.Field != tc.field || re.Element != element(tc.rq) {
				t.Errorf("error at %s %s, want %s %s (%v)", re.Element, re.Field, element(tc.rq), tc.field, err)
			}
			// The same request inside a message set is reported with its requestID.
			m := NewMsgSet(Version13, ContinueOnError)
			m.Add(ClassQuery{})
			id := m.Add(tc.rq)
			_, err = m.Bytes()
			if !errors.As(err, &re) || re.RequestID != id {
				t.Errorf("Bytes error = %v, want RequestID %s", err, id)
			}
		})
	}
}

func TestRequestErrorText(t *testing.T) {
	m := NewMsgSet(Version16, ContinueOnError)
	m.Add(ClassQuery{})
	m.Add(InvoiceMod{TxnID: "C5-1417118624"})
	if len(m.reqs) != 2 || m.version != Version16 {
		t.Errorf("requests, version = %d, %s", len(m.reqs), m.version)
	}
	_, err := m.Bytes()
	want := "qbxml: InvoiceModRq requestID 2: InvoiceMod/EditSequence: required"
	if err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	_, _, err = Encode(InvoiceMod{TxnID: "C5-1417118624"})
	if want := "qbxml: InvoiceModRq: InvoiceMod/EditSequence: required"; err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestGUIDNormalised(t *testing.T) {
	m := NewMsgSet(Version13, StopOnError)
	m.Add(CustomerAdd{Name: "A", ExternalGUID: "6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10"})
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("<ExternalGUID>{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}</ExternalGUID>")) {
		t.Fatalf("GUID not wrapped in braces:\n%s", b)
	}
}

// TestOptionalEmptyOmitted checks that zero values produce no elements at all.
func TestOptionalEmptyOmitted(t *testing.T) {
	m := NewMsgSet(Version13, StopOnError)
	m.Add(SalesReceiptAdd{BillAddress: &Address{}, Lines: []Line{{}}})
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := `<SalesReceiptAddRq requestID="1"><SalesReceiptAdd><SalesReceiptLineAdd></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`
	if !bytes.Contains(b, []byte(want)) {
		t.Fatalf("got\n%s\nwant it to contain\n%s", b, want)
	}
}
