package qbxml

import (
	"encoding/xml"
	"strings"
)

// Records returned in *Rs elements. Only the fields an integration hub needs
// are decoded; unknown elements are ignored. Amounts, prices, quantities and
// dates use the exact types of this package, so a malformed number makes
// ParseResponse fail rather than silently read zero.

// ListCore holds the fields every list record carries.
type ListCore struct {
	ListID       string   `xml:"ListID"`
	TimeCreated  DateTime `xml:"TimeCreated"`
	TimeModified DateTime `xml:"TimeModified"`
	EditSequence string   `xml:"EditSequence"`
}

// CustomerRet is a customer or job.
type CustomerRet struct {
	ListCore
	Name            string  `xml:"Name"`
	FullName        string  `xml:"FullName"`
	IsActive        bool    `xml:"IsActive"`
	ClassRef        Ref     `xml:"ClassRef"`
	ParentRef       Ref     `xml:"ParentRef"`
	Sublevel        int     `xml:"Sublevel"`
	CompanyName     string  `xml:"CompanyName"`
	Salutation      string  `xml:"Salutation"`
	FirstName       string  `xml:"FirstName"`
	MiddleName      string  `xml:"MiddleName"`
	LastName        string  `xml:"LastName"`
	BillAddress     Address `xml:"BillAddress"`
	ShipAddress     Address `xml:"ShipAddress"`
	Phone           string  `xml:"Phone"`
	Email           string  `xml:"Email"`
	Balance         Amount  `xml:"Balance"`
	TotalBalance    Amount  `xml:"TotalBalance"`
	SalesTaxCodeRef Ref     `xml:"SalesTaxCodeRef"`
	ItemSalesTaxRef Ref     `xml:"ItemSalesTaxRef"`
	AccountNumber   string  `xml:"AccountNumber"`
	CreditLimit     Amount  `xml:"CreditLimit"`
	JobStatus       string  `xml:"JobStatus"`
	Notes           string  `xml:"Notes"`
	ExternalGUID    string  `xml:"ExternalGUID"`
}

// ItemRet is an item of any type. Type is the element name without "Ret":
// "ItemInventory", "ItemNonInventory", "ItemService", "ItemOtherCharge",
// "ItemInventoryAssembly", "ItemGroup", "ItemDiscount", "ItemPayment",
// "ItemSalesTax", "ItemSalesTaxGroup", "ItemSubtotal", "ItemFixedAsset".
// Fields a type does not have stay zero.
type ItemRet struct {
	Type string `xml:"-"`
	ListCore
	Name                   string `xml:"Name"`
	FullName               string `xml:"FullName"` // empty for types without one (ItemGroup, ItemSalesTax, ...): see Ref
	BarCodeValue           string `xml:"BarCodeValue"`
	IsActive               bool   `xml:"IsActive"`
	ClassRef               Ref    `xml:"ClassRef"`
	ParentRef              Ref    `xml:"ParentRef"`
	Sublevel               int    `xml:"Sublevel"`
	ManufacturerPartNumber string `xml:"ManufacturerPartNumber"`
	SalesTaxCodeRef        Ref    `xml:"SalesTaxCodeRef"`
	ItemDesc               string `xml:"ItemDesc"`

	// Non-inventory, service and other-charge items: one of these two.
	SalesOrPurchase  *SalesOrPurchase  `xml:"SalesOrPurchase"`
	SalesAndPurchase *SalesAndPurchase `xml:"SalesAndPurchase"`

	// Inventory parts and assemblies.
	SalesDesc            string   `xml:"SalesDesc"`
	SalesPrice           Price    `xml:"SalesPrice"`
	IncomeAccountRef     Ref      `xml:"IncomeAccountRef"`
	PurchaseDesc         string   `xml:"PurchaseDesc"`
	PurchaseCost         Price    `xml:"PurchaseCost"`
	COGSAccountRef       Ref      `xml:"COGSAccountRef"`
	PrefVendorRef        Ref      `xml:"PrefVendorRef"`
	AssetAccountRef      Ref      `xml:"AssetAccountRef"`
	ReorderPoint         Quantity `xml:"ReorderPoint"`
	QuantityOnHand       Quantity `xml:"QuantityOnHand"`
	AverageCost          Price    `xml:"AverageCost"`
	QuantityOnOrder      Quantity `xml:"QuantityOnOrder"`
	QuantityOnSalesOrder Quantity `xml:"QuantityOnSalesOrder"`

	ExternalGUID string `xml:"ExternalGUID"`
}

// Ref returns a Ref to the item, by ListID and FullName (Name for item types
// that have no FullName, such as ItemGroup or ItemSalesTax).
func (it ItemRet) Ref() Ref {
	name := it.FullName
	if name == "" {
		name = it.Name
	}
	return Ref{ListID: it.ListID, FullName: name}
}

// TxnCore holds the fields every transaction carries.
type TxnCore struct {
	TxnID        string   `xml:"TxnID"`
	TimeCreated  DateTime `xml:"TimeCreated"`
	TimeModified DateTime `xml:"TimeModified"`
	EditSequence string   `xml:"EditSequence"`
	TxnNumber    int      `xml:"TxnNumber"`
}

// LineRet is one line of a returned sales transaction. Lines inside line
// groups (…LineGroupRet) are not decoded.
type LineRet struct {
	TxnLineID       string   `xml:"TxnLineID"`
	ItemRef         Ref      `xml:"ItemRef"`
	Desc            string   `xml:"Desc"`
	Quantity        Quantity `xml:"Quantity"`
	Rate            Price    `xml:"Rate"`
	ClassRef        Ref      `xml:"ClassRef"`
	Amount          Amount   `xml:"Amount"`
	ServiceDate     Date     `xml:"ServiceDate"`
	SalesTaxCodeRef Ref      `xml:"SalesTaxCodeRef"`
	Other1          string   `xml:"Other1"`
	Other2          string   `xml:"Other2"`
}

// SalesTxnRet holds the fields sales receipts, invoices, sales orders and
// credit memos share.
type SalesTxnRet struct {
	TxnCore
	CustomerRef     Ref     `xml:"CustomerRef"`
	ClassRef        Ref     `xml:"ClassRef"`
	TemplateRef     Ref     `xml:"TemplateRef"`
	TxnDate         Date    `xml:"TxnDate"`
	RefNumber       string  `xml:"RefNumber"`
	BillAddress     Address `xml:"BillAddress"`
	ShipAddress     Address `xml:"ShipAddress"`
	DueDate         Date    `xml:"DueDate"`
	ShipDate        Date    `xml:"ShipDate"`
	ShipMethodRef   Ref     `xml:"ShipMethodRef"`
	Subtotal        Amount  `xml:"Subtotal"`
	ItemSalesTaxRef Ref     `xml:"ItemSalesTaxRef"`
	SalesTaxTotal   Amount  `xml:"SalesTaxTotal"`
	Memo            string  `xml:"Memo"`
	Other           string  `xml:"Other"`
	ExternalGUID    string  `xml:"ExternalGUID"`
}

// SalesReceiptRet is a sales receipt.
type SalesReceiptRet struct {
	SalesTxnRet
	CheckNumber         string         `xml:"CheckNumber"`
	PaymentMethodRef    Ref            `xml:"PaymentMethodRef"`
	TotalAmount         Amount         `xml:"TotalAmount"`
	DepositToAccountRef Ref            `xml:"DepositToAccountRef"`
	Lines               []LineRet      `xml:"SalesReceiptLineRet"`
	LineGroups          []LineGroupRet `xml:"SalesReceiptLineGroupRet"`
}

// InvoiceRet is an invoice. qbXML has no TotalAmount on invoices: see Total.
type InvoiceRet struct {
	SalesTxnRet
	ARAccountRef     Ref            `xml:"ARAccountRef"`
	PONumber         string         `xml:"PONumber"`
	TermsRef         Ref            `xml:"TermsRef"`
	AppliedAmount    Amount         `xml:"AppliedAmount"` // payments and credits applied, negative
	BalanceRemaining Amount         `xml:"BalanceRemaining"`
	IsPaid           bool           `xml:"IsPaid"`
	IsPending        bool           `xml:"IsPending"`
	Lines            []LineRet      `xml:"InvoiceLineRet"`
	LineGroups       []LineGroupRet `xml:"InvoiceLineGroupRet"`
}

// Total returns Subtotal + SalesTaxTotal, the invoice total.
func (inv InvoiceRet) Total() Amount { return inv.Subtotal + inv.SalesTaxTotal }

// SalesOrderRet is a sales order.
type SalesOrderRet struct {
	SalesTxnRet
	PONumber         string         `xml:"PONumber"`
	TotalAmount      Amount         `xml:"TotalAmount"`
	IsManuallyClosed bool           `xml:"IsManuallyClosed"`
	IsFullyInvoiced  bool           `xml:"IsFullyInvoiced"`
	Lines            []LineRet      `xml:"SalesOrderLineRet"`
	LineGroups       []LineGroupRet `xml:"SalesOrderLineGroupRet"`
}

// CreditMemoRet is a credit memo.
type CreditMemoRet struct {
	SalesTxnRet
	ARAccountRef    Ref            `xml:"ARAccountRef"`
	PONumber        string         `xml:"PONumber"`
	TotalAmount     Amount         `xml:"TotalAmount"`
	CreditRemaining Amount         `xml:"CreditRemaining"`
	Lines           []LineRet      `xml:"CreditMemoLineRet"`
	LineGroups      []LineGroupRet `xml:"CreditMemoLineGroupRet"`
}

// ReceivePaymentRet is a received payment.
type ReceivePaymentRet struct {
	TxnCore
	CustomerRef         Ref               `xml:"CustomerRef"`
	ARAccountRef        Ref               `xml:"ARAccountRef"`
	TxnDate             Date              `xml:"TxnDate"`
	RefNumber           string            `xml:"RefNumber"`
	TotalAmount         Amount            `xml:"TotalAmount"`
	PaymentMethodRef    Ref               `xml:"PaymentMethodRef"`
	Memo                string            `xml:"Memo"`
	DepositToAccountRef Ref               `xml:"DepositToAccountRef"`
	UnusedPayment       Amount            `xml:"UnusedPayment"`
	UnusedCredits       Amount            `xml:"UnusedCredits"`
	ExternalGUID        string            `xml:"ExternalGUID"`
	AppliedToTxns       []AppliedToTxnRet `xml:"AppliedToTxnRet"`
}

// ARRefundCreditCardRet is a refund of customer credit to a card.
type ARRefundCreditCardRet struct {
	TxnCore
	CustomerRef          Ref                     `xml:"CustomerRef"`
	RefundFromAccountRef Ref                     `xml:"RefundFromAccountRef"`
	TxnDate              Date                    `xml:"TxnDate"`
	RefNumber            string                  `xml:"RefNumber"`
	TotalAmount          Amount                  `xml:"TotalAmount"`
	Memo                 string                  `xml:"Memo"`
	RefundApplied        []RefundAppliedToTxnRet `xml:"RefundAppliedToTxnRet"`
}

// RefundAppliedToTxnRet is the part of a refund paid out of one credit.
type RefundAppliedToTxnRet struct {
	TxnID           string `xml:"TxnID"`
	TxnType         string `xml:"TxnType"`
	RefNumber       string `xml:"RefNumber"`
	CreditRemaining Amount `xml:"CreditRemaining"`
	RefundAmount    Amount `xml:"RefundAmount"`
}

// AppliedToTxnRet is the part of a payment applied to one transaction.
type AppliedToTxnRet struct {
	TxnID            string `xml:"TxnID"`
	TxnType          string `xml:"TxnType"`
	TxnDate          Date   `xml:"TxnDate"`
	RefNumber        string `xml:"RefNumber"`
	BalanceRemaining Amount `xml:"BalanceRemaining"`
	Amount           Amount `xml:"Amount"`
	DiscountAmount   Amount `xml:"DiscountAmount"`
}

// ClassRet is a class.
type ClassRet struct {
	ListCore
	Name      string `xml:"Name"`
	FullName  string `xml:"FullName"`
	IsActive  bool   `xml:"IsActive"`
	ParentRef Ref    `xml:"ParentRef"`
	Sublevel  int    `xml:"Sublevel"`
}

// ShipMethodRet is a ship method (no FullName: Name is the reference name).
type ShipMethodRet struct {
	ListCore
	Name     string `xml:"Name"`
	IsActive bool   `xml:"IsActive"`
}

// AccountRet is an account of the chart of accounts.
type AccountRet struct {
	ListCore
	Name               string `xml:"Name"`
	FullName           string `xml:"FullName"`
	IsActive           bool   `xml:"IsActive"`
	ParentRef          Ref    `xml:"ParentRef"`
	Sublevel           int    `xml:"Sublevel"`
	AccountType        string `xml:"AccountType"`
	SpecialAccountType string `xml:"SpecialAccountType"`
	AccountNumber      string `xml:"AccountNumber"`
	Desc               string `xml:"Desc"`
	Balance            Amount `xml:"Balance"`
	TotalBalance       Amount `xml:"TotalBalance"`
}

// HostRet describes the QuickBooks installation (HostQueryRs, the first part
// of the strHCPResponse QBWC sends with the first sendRequestXML).
// MajorVersion is the QuickBooks product version (16 for QuickBooks 2006), not
// a qbXML version: use SupportedQBXMLVersions and ChooseVersion.
type HostRet struct {
	ProductName            string   `xml:"ProductName"`
	MajorVersion           string   `xml:"MajorVersion"`
	MinorVersion           string   `xml:"MinorVersion"`
	Country                string   `xml:"Country"`
	SupportedQBXMLVersions []string `xml:"SupportedQBXMLVersion"`
	IsAutomaticLogin       bool     `xml:"IsAutomaticLogin"`
	QBFileMode             string   `xml:"QBFileMode"` // SingleUser or MultiUser
}

// CompanyRet describes the company file (CompanyQueryRs in strHCPResponse).
// DataExts carries QBWC's "FileID" (compare with the .qwc FileID to make sure
// the expected company file is open) and "AppLock".
type CompanyRet struct {
	CompanyName      string       `xml:"CompanyName"`
	LegalCompanyName string       `xml:"LegalCompanyName"`
	IsSampleCompany  bool         `xml:"IsSampleCompany"`
	DataExts         []DataExtRet `xml:"DataExtRet"`
}

// DataExtRet is a custom field value.
type DataExtRet struct {
	OwnerID      string `xml:"OwnerID"`
	DataExtName  string `xml:"DataExtName"`
	DataExtType  string `xml:"DataExtType"`
	DataExtValue string `xml:"DataExtValue"`
}

// DataExt returns the value of the custom field name, or ErrNotFound.
func (c CompanyRet) DataExt(name string) (string, error) {
	for _, d := range c.DataExts {
		if d.DataExtName == name {
			return d.DataExtValue, nil
		}
	}
	return "", ErrNotFound
}

// LineGroupRet is a group line of a returned sales transaction
// (SalesReceiptLineGroupRet, InvoiceLineGroupRet, SalesOrderLineGroupRet,
// CreditMemoLineGroupRet): an ItemGroup sold as one line, whose component
// items are in Lines.
type LineGroupRet struct {
	TxnLineID    string
	ItemGroupRef Ref
	Desc         string
	Quantity     Quantity
	TotalAmount  Amount
	Lines        []LineRet
}

// UnmarshalXML decodes a *LineGroupRet: the component lines are the
// children whose name ends in "LineRet", whatever the transaction type.
func (g *LineGroupRet) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return eachChild(d, func(se xml.StartElement) error {
		switch n := se.Name.Local; {
		case n == "TxnLineID":
			return d.DecodeElement(&g.TxnLineID, &se)
		case n == "ItemGroupRef":
			return d.DecodeElement(&g.ItemGroupRef, &se)
		case n == "Desc":
			return d.DecodeElement(&g.Desc, &se)
		case n == "Quantity":
			return d.DecodeElement(&g.Quantity, &se)
		case n == "TotalAmount":
			return d.DecodeElement(&g.TotalAmount, &se)
		case strings.HasSuffix(n, "LineRet"):
			var l LineRet
			err := d.DecodeElement(&l, &se)
			g.Lines = append(g.Lines, l)
			return err
		default:
			return d.Skip()
		}
	})
}

// InventoryAdjustmentRet is an inventory adjustment. Lines carry the change
// per item (QuantityDifference), not the new quantity.
type InventoryAdjustmentRet struct {
	TxnCore
	AccountRef   Ref                          `xml:"AccountRef"`
	TxnDate      Date                         `xml:"TxnDate"`
	RefNumber    string                       `xml:"RefNumber"`
	CustomerRef  Ref                          `xml:"CustomerRef"`
	ClassRef     Ref                          `xml:"ClassRef"`
	Memo         string                       `xml:"Memo"`
	ExternalGUID string                       `xml:"ExternalGUID"`
	Lines        []InventoryAdjustmentLineRet `xml:"InventoryAdjustmentLineRet"`
}

// InventoryAdjustmentLineRet is one item of an inventory adjustment.
type InventoryAdjustmentLineRet struct {
	TxnLineID          string   `xml:"TxnLineID"`
	ItemRef            Ref      `xml:"ItemRef"`
	QuantityDifference Quantity `xml:"QuantityDifference"`
	ValueDifference    Amount   `xml:"ValueDifference"`
}

// PurchaseLineRet is an item line of a bill or item receipt (ItemLineRet).
type PurchaseLineRet struct {
	TxnLineID string   `xml:"TxnLineID"`
	ItemRef   Ref      `xml:"ItemRef"`
	Desc      string   `xml:"Desc"`
	Quantity  Quantity `xml:"Quantity"`
	Cost      Price    `xml:"Cost"`
	Amount    Amount   `xml:"Amount"`
}

// PurchaseLineGroupRet is a group line of a bill or item receipt
// (ItemGroupLineRet).
type PurchaseLineGroupRet struct {
	TxnLineID    string            `xml:"TxnLineID"`
	ItemGroupRef Ref               `xml:"ItemGroupRef"`
	Desc         string            `xml:"Desc"`
	Quantity     Quantity          `xml:"Quantity"`
	TotalAmount  Amount            `xml:"TotalAmount"`
	Lines        []PurchaseLineRet `xml:"ItemLineRet"`
}

// PurchaseTxnRet holds what bills and item receipts share. Expense lines
// (ExpenseLineRet) are not decoded: they carry no items.
type PurchaseTxnRet struct {
	TxnCore
	VendorRef      Ref                    `xml:"VendorRef"`
	APAccountRef   Ref                    `xml:"APAccountRef"`
	TxnDate        Date                   `xml:"TxnDate"`
	RefNumber      string                 `xml:"RefNumber"`
	Memo           string                 `xml:"Memo"`
	ExternalGUID   string                 `xml:"ExternalGUID"`
	ItemLines      []PurchaseLineRet      `xml:"ItemLineRet"`
	ItemGroupLines []PurchaseLineGroupRet `xml:"ItemGroupLineRet"`
}

// BillRet is a vendor bill.
type BillRet struct {
	PurchaseTxnRet
	DueDate    Date   `xml:"DueDate"`
	AmountDue  Amount `xml:"AmountDue"`
	IsPaid     bool   `xml:"IsPaid"`
	OpenAmount Amount `xml:"OpenAmount"`
}

// ItemReceiptRet is an item receipt (goods received, bill to follow).
type ItemReceiptRet struct {
	PurchaseTxnRet
	TotalAmount Amount `xml:"TotalAmount"`
}

// TxnItems names the items on the lines of one returned transaction: what
// inventory change detection needs from the transactions modified since its
// watermark.
type TxnItems struct {
	Kind         string // "SalesReceipt", "Invoice", "SalesOrder", "CreditMemo", "InventoryAdjustment", "Bill", "ItemReceipt"
	TxnID        string
	TimeModified DateTime
	// Items holds each line's ItemRef once, in line order, including the
	// components of group lines and the group items themselves.
	Items []Ref
}

// TxnItems returns, for every transaction record in the response, the items
// on its lines (empty without IncludeLineItems).
func (rs *Rs) TxnItems() []TxnItems {
	var out []TxnItems
	sales := func(kind string, c TxnCore, lines []LineRet, groups []LineGroupRet) {
		t := TxnItems{Kind: kind, TxnID: c.TxnID, TimeModified: c.TimeModified}
		for _, l := range lines {
			t.add(l.ItemRef)
		}
		for _, g := range groups {
			t.add(g.ItemGroupRef)
			for _, l := range g.Lines {
				t.add(l.ItemRef)
			}
		}
		out = append(out, t)
	}
	purchase := func(kind string, p PurchaseTxnRet) {
		t := TxnItems{Kind: kind, TxnID: p.TxnID, TimeModified: p.TimeModified}
		for _, l := range p.ItemLines {
			t.add(l.ItemRef)
		}
		for _, g := range p.ItemGroupLines {
			t.add(g.ItemGroupRef)
			for _, l := range g.Lines {
				t.add(l.ItemRef)
			}
		}
		out = append(out, t)
	}
	for _, r := range rs.SalesReceipts {
		sales("SalesReceipt", r.TxnCore, r.Lines, r.LineGroups)
	}
	for _, r := range rs.Invoices {
		sales("Invoice", r.TxnCore, r.Lines, r.LineGroups)
	}
	for _, r := range rs.SalesOrders {
		sales("SalesOrder", r.TxnCore, r.Lines, r.LineGroups)
	}
	for _, r := range rs.CreditMemos {
		sales("CreditMemo", r.TxnCore, r.Lines, r.LineGroups)
	}
	for _, r := range rs.InventoryAdjustments {
		t := TxnItems{Kind: "InventoryAdjustment", TxnID: r.TxnID, TimeModified: r.TimeModified}
		for _, l := range r.Lines {
			t.add(l.ItemRef)
		}
		out = append(out, t)
	}
	for _, r := range rs.Bills {
		purchase("Bill", r.PurchaseTxnRet)
	}
	for _, r := range rs.ItemReceipts {
		purchase("ItemReceipt", r.PurchaseTxnRet)
	}
	return out
}

func (t *TxnItems) add(r Ref) {
	if r.IsZero() {
		return
	}
	for _, have := range t.Items {
		if have == r {
			return
		}
	}
	t.Items = append(t.Items, r)
}
