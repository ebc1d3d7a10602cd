package qbxml

// This file holds the list requests: customers, items, classes, ship methods
// and accounts. Every encode method writes elements in the order of the XSD
// sequence for that element (xsd/13.0/qbxml130.xsd; 16.0 is the same).

// CustomerQuery looks customers up by ListIDs, by FullNames (many in one
// request) or by Filter; these are alternatives. Supports iterators.
type CustomerQuery struct {
	ListIDs            []string
	FullNames          []string // normalised like CustomerAdd.Name (≤ 209 for jobs "Parent:Job")
	Filter             ListFilter
	IncludeRetElements []string // e.g. "ListID", "FullName", "EditSequence": smaller responses
	Iterator           IteratorMode
	IteratorID         string
}

func (CustomerQuery) element() string { return "CustomerQueryRq" }

func (q CustomerQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	listQuery(e, q.ListIDs, q.FullNames, MaxCustomerFullName, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// ItemQuery looks up items of every type (inventory, non-inventory, service,
// other charge, group, discount, ...) by ListIDs, FullNames or Filter.
// Supports iterators.
type ItemQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	IncludeRetElements []string
	Iterator           IteratorMode
	IteratorID         string
}

func (ItemQuery) element() string { return "ItemQueryRq" }

func (q ItemQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	listQuery(e, q.ListIDs, q.FullNames, MaxItemFullName, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// ItemInventoryQuery reads inventory parts, e.g. quantities on hand changed
// since Filter.FromModifiedDate, page by page with an iterator:
// Iterator: IteratorStart + Filter.MaxReturned, then IteratorContinue with the
// IteratorID of the response and the same filter until
// IteratorRemainingCount is 0.
type ItemInventoryQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	IncludeRetElements []string
	Iterator           IteratorMode
	IteratorID         string
}

func (ItemInventoryQuery) element() string { return "ItemInventoryQueryRq" }

func (q ItemInventoryQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	listQuery(e, q.ListIDs, q.FullNames, MaxItemFullName, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// ClassQuery reads classes. No iterator support in qbXML.
type ClassQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	IncludeRetElements []string
}

func (ClassQuery) element() string { return "ClassQueryRq" }

func (q ClassQuery) encode(e *encoder) {
	listQuery(e, q.ListIDs, q.FullNames, MaxListFullName, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// ShipMethodQuery reads ship methods (names are at most 15 characters). No
// iterator support in qbXML.
type ShipMethodQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	IncludeRetElements []string
}

func (ShipMethodQuery) element() string { return "ShipMethodQueryRq" }

func (q ShipMethodQuery) encode(e *encoder) {
	listQuery(e, q.ListIDs, q.FullNames, MaxShipMethodFullName, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// AccountQuery reads the chart of accounts, optionally only some AccountTypes
// (part of the filter alternative). No iterator support in qbXML.
type AccountQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	AccountTypes       []string // AccountsReceivable, Bank, CostOfGoodsSold, Income, OtherCurrentAsset, ...
	IncludeRetElements []string
}

func (AccountQuery) element() string { return "AccountQueryRq" }

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

func (CustomerAdd) element() string { return "CustomerAddRq" }

func (c CustomerAdd) encode(e *encoder) {
	e.open("CustomerAdd")
	e.reqStr("Name", c.Name, MaxCustomerName)
	e.boolp("IsActive", c.IsActive)
	e.ref("ClassRef", c.ClassRef, MaxListFullName)
	e.ref("ParentRef", c.ParentRef, MaxCustomerFullName)
	e.str("CompanyName", c.CompanyName, MaxCompanyName)
	e.str("Salutation", c.Salutation, MaxSalutation)
	e.str("FirstName", c.FirstName, MaxFirstName)
	e.str("MiddleName", c.MiddleName, MaxMiddleName)
	e.str("LastName", c.LastName, MaxLastName)
	e.str("JobTitle", c.JobTitle, MaxJobTitle)
	e.address("BillAddress", c.BillAddress)
	e.address("ShipAddress", c.ShipAddress)
	e.str("Phone", c.Phone, MaxPhone)
	e.str("AltPhone", c.AltPhone, MaxPhone)
	e.str("Fax", c.Fax, MaxPhone)
	e.str("Email", c.Email, MaxEmail)
	e.str("Cc", c.Cc, MaxEmail)
	e.str("Contact", c.Contact, MaxContact)
	e.str("AltContact", c.AltContact, MaxContact)
	e.ref("CustomerTypeRef", c.CustomerTypeRef, MaxListFullName)
	e.ref("TermsRef", c.TermsRef, MaxSimpleListFullName)
	e.ref("SalesRepRef", c.SalesRepRef, MaxSalesRepFullName)
	e.ref("SalesTaxCodeRef", c.SalesTaxCodeRef, MaxSalesTaxCodeName)
	e.ref("ItemSalesTaxRef", c.ItemSalesTaxRef, MaxSimpleListFullName)
	e.str("ResaleNumber", c.ResaleNumber, MaxResaleNumber)
	e.str("AccountNumber", c.AccountNumber, MaxAccountNumber)
	e.amount("CreditLimit", c.CreditLimit)
	e.ref("PreferredPaymentMethodRef", c.PreferredPaymentMethodRef, MaxSimpleListFullName)
	e.text("Notes", c.Notes, MaxMemo)
	e.ref("PriceLevelRef", c.PriceLevelRef, MaxSimpleListFullName)
	e.guid("ExternalGUID", c.ExternalGUID)
	e.close()
}

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

func (ItemInventoryAdd) element() string { return "ItemInventoryAddRq" }

func (it ItemInventoryAdd) encode(e *encoder) {
	e.open("ItemInventoryAdd")
	e.reqStr("Name", it.Name, MaxItemName)
	barCode(e, it.BarCodeValue)
	e.boolp("IsActive", it.IsActive)
	e.ref("ClassRef", it.ClassRef, MaxListFullName)
	e.ref("ParentRef", it.ParentRef, MaxItemFullName)
	e.str("ManufacturerPartNumber", it.ManufacturerPartNumber, MaxManufacturerPartNo)
	e.ref("SalesTaxCodeRef", it.SalesTaxCodeRef, MaxSalesTaxCodeName)
	e.text("SalesDesc", it.SalesDesc, MaxDesc)
	e.price("SalesPrice", it.SalesPrice)
	e.ref("IncomeAccountRef", it.IncomeAccountRef, MaxListFullName)
	e.text("PurchaseDesc", it.PurchaseDesc, MaxDesc)
	e.price("PurchaseCost", it.PurchaseCost)
	e.ref("COGSAccountRef", it.COGSAccountRef, MaxListFullName)
	e.ref("PrefVendorRef", it.PrefVendorRef, MaxVendorFullName)
	e.ref("AssetAccountRef", it.AssetAccountRef, MaxListFullName)
	e.quantity("ReorderPoint", it.ReorderPoint)
	e.quantity("Max", it.Max)
	e.quantity("QuantityOnHand", it.QuantityOnHand)
	e.amount("TotalValue", it.TotalValue)
	e.date("InventoryDate", it.InventoryDate)
	e.guid("ExternalGUID", it.ExternalGUID)
	e.close()
}

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
	ParentRef              Ref
	ClassRef               Ref
	ManufacturerPartNumber string
	SalesTaxCodeRef        Ref
	SalesOrPurchase        *SalesOrPurchase
	SalesAndPurchase       *SalesAndPurchase
	ExternalGUID           string
}

func (ItemNonInventoryAdd) element() string { return "ItemNonInventoryAddRq" }

func (it ItemNonInventoryAdd) encode(e *encoder) {
	e.open("ItemNonInventoryAdd")
	e.reqStr("Name", it.Name, MaxItemName)
	barCode(e, it.BarCodeValue)
	e.boolp("IsActive", it.IsActive)
	// Unlike the other item adds, ParentRef comes before ClassRef here.
	e.ref("ParentRef", it.ParentRef, MaxItemFullName)
	e.ref("ClassRef", it.ClassRef, MaxListFullName)
	e.str("ManufacturerPartNumber", it.ManufacturerPartNumber, MaxManufacturerPartNo)
	e.ref("SalesTaxCodeRef", it.SalesTaxCodeRef, MaxSalesTaxCodeName)
	salesPurchase(e, it.SalesOrPurchase, it.SalesAndPurchase)
	e.guid("ExternalGUID", it.ExternalGUID)
	e.close()
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

func (ItemServiceAdd) element() string { return "ItemServiceAddRq" }

func (it ItemServiceAdd) encode(e *encoder) {
	e.open("ItemServiceAdd")
	e.reqStr("Name", it.Name, MaxItemName)
	barCode(e, it.BarCodeValue)
	e.boolp("IsActive", it.IsActive)
	e.ref("ClassRef", it.ClassRef, MaxListFullName)
	e.ref("ParentRef", it.ParentRef, MaxItemFullName)
	e.ref("SalesTaxCodeRef", it.SalesTaxCodeRef, MaxSalesTaxCodeName)
	salesPurchase(e, it.SalesOrPurchase, it.SalesAndPurchase)
	e.guid("ExternalGUID", it.ExternalGUID)
	e.close()
}

// ItemOtherChargeAdd creates an other-charge item (shipping, handling,
// surcharges). Exactly one of SalesOrPurchase and SalesAndPurchase is
// required.
type ItemOtherChargeAdd struct {
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

func (ItemOtherChargeAdd) element() string { return "ItemOtherChargeAddRq" }

func (it ItemOtherChargeAdd) encode(e *encoder) {
	e.open("ItemOtherChargeAdd")
	e.reqStr("Name", it.Name, MaxItemName)
	barCode(e, it.BarCodeValue)
	e.boolp("IsActive", it.IsActive)
	e.ref("ClassRef", it.ClassRef, MaxListFullName)
	e.ref("ParentRef", it.ParentRef, MaxItemFullName)
	e.ref("SalesTaxCodeRef", it.SalesTaxCodeRef, MaxSalesTaxCodeName)
	salesPurchase(e, it.SalesOrPurchase, it.SalesAndPurchase)
	e.guid("ExternalGUID", it.ExternalGUID)
	e.close()
}
