package qbxml

// This file holds the list requests: customers, items, classes, ship methods
// and accounts. Every Add declares its fields in the order of the XSD sequence
// for that element (xsd/13.0/qbxml130.xsd; 16.0 is the same) and is written by
// document (see elements.go).

// ListQuery is the request of the list queries with iterators
// (CustomerQuery, ItemQuery, ItemInventoryQuery, ItemInventoryAssemblyQuery):
// ListIDs, FullNames (many in one request) or Filter; these are alternatives.
type ListQuery struct {
	ListIDs            []string
	FullNames          []string // normalised like the Add's Name
	Filter             ListFilter
	IncludeRetElements []string // e.g. "ListID", "FullName", "EditSequence": smaller responses
	Iterator           IteratorMode
	IteratorID         string
}

// write writes q; FullNames hold nameMax characters.
func (q ListQuery) write(e *encoder, nameMax int) {
	e.iterator(q.Iterator, q.IteratorID)
	listQuery(e, q.ListIDs, q.FullNames, nameMax, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// CustomerQuery looks customers up (see ListQuery); FullNames of jobs
// ("Parent:Job") hold 209 characters.
type CustomerQuery ListQuery

func (q CustomerQuery) encode(e *encoder) { ListQuery(q).write(e, MaxCustomerFullName) }

// ItemQuery looks up items of every type (inventory, non-inventory, service,
// other charge, group, discount, ...); see ListQuery.
type ItemQuery ListQuery

func (q ItemQuery) encode(e *encoder) { ListQuery(q).write(e, MaxItemFullName) }

// ItemInventoryQuery reads inventory parts, e.g. quantities on hand changed
// since Filter.FromModifiedDate, page by page with an iterator:
// Iterator: IteratorStart + Filter.MaxReturned, then IteratorContinue with the
// IteratorID of the response and the same filter until
// IteratorRemainingCount is 0.
type ItemInventoryQuery ListQuery

func (q ItemInventoryQuery) encode(e *encoder) { ListQuery(q).write(e, MaxItemFullName) }

// PlainListQuery is the request of the list queries without iterators
// (ClassQuery, ShipMethodQuery): ListIDs, FullNames or Filter; these are
// alternatives.
type PlainListQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	IncludeRetElements []string
}

// write writes q; FullNames hold nameMax characters.
func (q PlainListQuery) write(e *encoder, nameMax int) {
	listQuery(e, q.ListIDs, q.FullNames, nameMax, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// ClassQuery reads classes (see PlainListQuery).
type ClassQuery PlainListQuery

func (q ClassQuery) encode(e *encoder) { PlainListQuery(q).write(e, MaxListFullName) }

// ShipMethodQuery reads ship methods (see PlainListQuery); names are at most
// 15 characters.
type ShipMethodQuery PlainListQuery

func (q ShipMethodQuery) encode(e *encoder) { PlainListQuery(q).write(e, MaxShipMethodFullName) }

// AccountQuery reads the chart of accounts, optionally only some AccountTypes
// (part of the filter alternative). No iterator support in qbXML.
type AccountQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	AccountTypes       []string // AccountsReceivable, Bank, CostOfGoodsSold, Income, OtherCurrentAsset, ...
	IncludeRetElements []string
}

var accountTypes = map[string]bool{
	"AccountsPayable": true, "AccountsReceivable": true, "Bank": true, "CostOfGoodsSold": true,
	"CreditCard": true, "Equity": true, "Expense": true, "FixedAsset": true, "Income": true,
	"LongTermLiability": true, "NonPosting": true, "OtherAsset": true, "OtherCurrentAsset": true,
	"OtherCurrentLiability": true, "OtherExpense": true, "OtherIncome": true,
}

func (q AccountQuery) encode(e *encoder) {
	listQuery(e, q.ListIDs, q.FullNames, MaxListFullName, q.Filter, len(q.AccountTypes) > 0, func() {
		for _, t := range q.AccountTypes {
			if !accountTypes[t] {
				e.fail("AccountType", "unknown account type %q", t)
				return
			}
			e.raw("AccountType", t)
		}
	})
	e.includeRet(q.IncludeRetElements)
}

// CustomerAdd creates a customer. Name is required and unique across
// customers, vendors, employees and other names (status 3100 otherwise).
type CustomerAdd struct {
	Name        string // ≤ 41
	IsActive    *bool
	ClassRef    Ref
	ParentRef   Ref // makes this a job of the parent customer
	CompanyName string
	Salutation  string
	FirstName   string
	MiddleName  string
	LastName    string
	JobTitle    string
	BillAddress *Address
	ShipAddress *Address
	Phone       string
	AltPhone    string
	Fax         string
	Email       string
	Cc          string
	Contact     string
	AltContact  string

	CustomerTypeRef           Ref
	TermsRef                  Ref
	SalesRepRef               Ref
	SalesTaxCodeRef           Ref
	ItemSalesTaxRef           Ref
	ResaleNumber              string
	AccountNumber             string
	CreditLimit               *Amount
	PreferredPaymentMethodRef Ref
	Notes                     string
	PriceLevelRef             Ref
	ExternalGUID              string // your own GUID, stored on the record (qbXML 8.0+)
}

func (c CustomerAdd) encode(e *encoder) { e.document(&c, customerElements) }

// ItemInventoryAdd creates an inventory part. The XSD marks the three account
// refs optional, but QuickBooks' own item form requires an income, a COGS and
// an asset account for inventory parts: send all three.
type ItemInventoryAdd struct {
	Name                   string // ≤ 31
	BarCodeValue           string
	IsActive               *bool
	ClassRef               Ref
	ParentRef              Ref
	ManufacturerPartNumber string
	SalesTaxCodeRef        Ref
	SalesDesc              string
	SalesPrice             *Price
	IncomeAccountRef       Ref
	PurchaseDesc           string
	PurchaseCost           *Price
	COGSAccountRef         Ref
	PrefVendorRef          Ref
	AssetAccountRef        Ref
	ReorderPoint           *Quantity
	Max                    *Quantity // qbXML 13.0+
	QuantityOnHand         *Quantity // opening quantity
	TotalValue             *Amount   // opening value
	InventoryDate          Date
	ExternalGUID           string
}

func (it ItemInventoryAdd) encode(e *encoder) { e.document(&it, itemElements) }

// SalesOrPurchase is the single-account form of a non-inventory, service or
// other-charge item: one description, one price, one account (income for
// items you sell).
type SalesOrPurchase struct {
	Desc       string `xml:"Desc"`
	Price      *Price `xml:"Price"`
	AccountRef Ref    `xml:"AccountRef"`
}

// SalesAndPurchase is the two-sided form: the item is bought and sold, with an
// income and an expense account.
type SalesAndPurchase struct {
	SalesDesc         string `xml:"SalesDesc"`
	SalesPrice        *Price `xml:"SalesPrice"`
	IncomeAccountRef  Ref    `xml:"IncomeAccountRef"`
	PurchaseDesc      string `xml:"PurchaseDesc"`
	PurchaseCost      *Price `xml:"PurchaseCost"`
	ExpenseAccountRef Ref    `xml:"ExpenseAccountRef"`
	PrefVendorRef     Ref    `xml:"PrefVendorRef"`
}

// salesPurchase writes the required SalesOrPurchase | SalesAndPurchase choice.
func salesPurchase(e *encoder, sp *SalesOrPurchase, sap *SalesAndPurchase) {
	switch {
	case sp != nil && sap != nil:
		e.fail("SalesOrPurchase", "SalesOrPurchase and SalesAndPurchase are alternatives")
	case sp != nil:
		e.open("SalesOrPurchase")
		e.text("Desc", sp.Desc, MaxDesc)
		e.price("Price", sp.Price)
		e.ref("AccountRef", sp.AccountRef, MaxListFullName)
		e.close()
	case sap != nil:
		e.open("SalesAndPurchase")
		e.text("SalesDesc", sap.SalesDesc, MaxDesc)
		e.price("SalesPrice", sap.SalesPrice)
		e.ref("IncomeAccountRef", sap.IncomeAccountRef, MaxListFullName)
		e.text("PurchaseDesc", sap.PurchaseDesc, MaxDesc)
		e.price("PurchaseCost", sap.PurchaseCost)
		e.ref("ExpenseAccountRef", sap.ExpenseAccountRef, MaxListFullName)
		e.ref("PrefVendorRef", sap.PrefVendorRef, MaxVendorFullName)
		e.close()
	default:
		e.fail("SalesOrPurchase", "required: SalesOrPurchase or SalesAndPurchase (with the income account)")
	}
}

func barCode(e *encoder, v string) {
	if v == "" {
		return
	}
	e.open("BarCode")
	e.str("BarCodeValue", v, MaxBarCodeValue)
	e.close()
}

// ItemNonInventoryAdd creates a non-inventory part. Exactly one of
// SalesOrPurchase and SalesAndPurchase is required.
type ItemNonInventoryAdd struct {
	Name                   string // ≤ 31
	BarCodeValue           string
	IsActive               *bool
	ParentRef              Ref // unlike the other item Adds, ParentRef comes before ClassRef here
	ClassRef               Ref
	ManufacturerPartNumber string
	SalesTaxCodeRef        Ref
	SalesOrPurchase        *SalesOrPurchase
	SalesAndPurchase       *SalesAndPurchase
	ExternalGUID           string
}

func (it ItemNonInventoryAdd) encode(e *encoder) {
	e.document(&it, itemElements)
}

// ItemServiceAdd creates a service item. Exactly one of SalesOrPurchase and
// SalesAndPurchase is required.
type ItemServiceAdd struct {
	Name             string // ≤ 31
	BarCodeValue     string
	IsActive         *bool
	ClassRef         Ref
	ParentRef        Ref
	SalesTaxCodeRef  Ref
	SalesOrPurchase  *SalesOrPurchase
	SalesAndPurchase *SalesAndPurchase
	ExternalGUID     string
}

func (it ItemServiceAdd) encode(e *encoder) { e.document(&it, itemElements) }

// ItemOtherChargeAdd creates an other-charge item (shipping, handling,
// surcharges). Its XSD sequence is ItemServiceAdd's: the same fields, and
// exactly one of SalesOrPurchase and SalesAndPurchase is required.
type ItemOtherChargeAdd ItemServiceAdd

func (it ItemOtherChargeAdd) encode(e *encoder) { e.document(&it, itemElements) }

// ShipMethodAdd creates a ship method ("UPS", "FedEx"): the list a sale's
// ShipMethodRef names. Name is at most 15 characters.
type ShipMethodAdd struct {
	Name     string
	IsActive *bool
}

func (s ShipMethodAdd) encode(e *encoder) {
	e.open("ShipMethodAdd")
	e.reqStr("Name", s.Name, MaxShipMethodFullName)
	e.boolp("IsActive", s.IsActive)
	e.close()
}
