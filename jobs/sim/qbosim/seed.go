package qbosim

import (
	"strconv"
	"time"
)

// Ids of the starter company's accounts, for Item and sales references.
const (
	undepositedFundsID = "4"
	// SalesIncomeAccountID ("Sales of Product Income"), COGSAccountID ("Cost of
	// Goods Sold") and InventoryAssetAccountID ("Inventory Asset") are what an
	// inventory Item's IncomeAccountRef, ExpenseAccountRef and AssetAccountRef
	// name in the starter company; CheckingAccountID is a bank account
	// (RefundReceipt's DepositToAccountRef).
	SalesIncomeAccountID    = "79"
	COGSAccountID           = "80"
	InventoryAssetAccountID = "81"
	CheckingAccountID       = "35"
	// TaxCodeCA is the starter company's sales tax code (California, 8%).
	TaxCodeCA = "2"
)

// seedCompany fills a new company with what a fresh US QuickBooks Online
// sandbox company has and Ledgerlink posts against: accounts, a sales tax
// code and rate, payment methods, CompanyInfo and Preferences (class tracking
// per transaction on, so a store can name a class; no classes yet). Ids follow the
// sandbox samples (Undeposited Funds "4", Checking "35").
func seedCompany(c *company, name, realm string, now time.Time) {
	add := func(kind string, d Object) {
		id := str(d["Id"])
		d["SyncToken"], d["domain"], d["sparse"] = "0", "QBO", false
		d["MetaData"] = Object{"CreateTime": stamp(now), "LastUpdatedTime": stamp(now)}
		c.put(&record{Kind: kind, Data: d, Updated: now})
		if n, err := strconv.Atoi(id); err == nil && n > c.NextID[kind] {
			c.NextID[kind] = n
		}
	}
	for _, a := range []struct{ id, name, typ, sub, class string }{
		{undepositedFundsID, "Undeposited Funds", "Other Current Asset", "UndepositedFunds", "Asset"},
		{CheckingAccountID, "Checking", "Bank", "Checking", "Asset"},
		{SalesIncomeAccountID, "Sales of Product Income", "Income", "SalesOfProductIncome", "Revenue"},
		{COGSAccountID, "Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs", "Expense"},
		{InventoryAssetAccountID, "Inventory Asset", "Other Current Asset", "Inventory", "Asset"},
		{"1", "Services", "Income", "ServiceFeeIncome", "Revenue"},
		{"84", "Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable", "Asset"},
		{"89", "Board of Equalization Payable", "Other Current Liability", "SalesTaxPayable", "Liability"},
		{"86", "Discounts given", "Income", "DiscountsRefundsGiven", "Revenue"},
		{"85", "Shipping Income", "Income", "OtherPrimaryIncome", "Revenue"},
	} {
		add(KindAccount, Object{"Id": a.id, "Name": a.name, "FullyQualifiedName": a.name, "AccountType": a.typ,
			"AccountSubType": a.sub, "Classification": a.class, "Active": true, "SubAccount": false,
			"CurrentBalance": 0.0, "CurrencyRef": Object{"value": "USD", "name": "United States Dollar"}})
	}
	add(KindTaxRate, Object{"Id": "3", "Name": "California", "RateValue": 8.0, "Active": true,
		"AgencyRef": Object{"value": "1"}, "SpecialTaxType": "NONE", "DisplayType": "ReadOnly"})
	add(KindTaxCode, Object{"Id": TaxCodeCA, "Name": "California", "Description": "California", "Active": true,
		"Taxable": true, "TaxGroup": true, "SalesTaxRateList": Object{"TaxRateDetail": []any{Object{
			"TaxRateRef": Object{"value": "3", "name": "California"}, "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0.0}}},
		"PurchaseTaxRateList": Object{"TaxRateDetail": []any{}}})
	for i, pm := range []struct{ name, typ string }{
		{"Cash", "NON_CREDIT_CARD"}, {"Check", "NON_CREDIT_CARD"}, {"Visa", "CREDIT_CARD"},
		{"MasterCard", "CREDIT_CARD"}, {"American Express", "CREDIT_CARD"}, {"Discover", "CREDIT_CARD"},
	} {
		add(KindPaymentMethod, Object{"Id": strconv.Itoa(i + 1), "Name": pm.name, "Type": pm.typ, "Active": true})
	}
	add(KindCompanyInfo, Object{"Id": "1", "CompanyName": name, "LegalName": name, "Country": "US",
		"CompanyAddr":        Object{"Line1": "123 Sierra Way", "City": "San Pablo", "CountrySubDivisionCode": "CA", "PostalCode": "87999"},
		"SupportedLanguages": "en", "FiscalYearStartMonth": "January", "realmId": realm})
	add(KindPreferences, Object{"Id": "1",
		// Class tracking on, one class per transaction, so the demo's stores can name one.
		"AccountingInfoPrefs": Object{"ClassTrackingPerTxn": true, "ClassTrackingPerLine": false, "TrackDepartments": false},
		"SalesFormsPrefs": Object{"CustomTxnNumbers": false, "AllowDiscount": true, "AllowShipping": true,
			"AllowDeposit": true, "DefaultTerms": Object{"value": "3"}, "ETransactionEnabledStatus": "NotApplicable"},
		"ProductAndServicesPrefs": Object{"ForSales": true, "ForPurchase": true, "QuantityWithPriceAndRate": true, "QuantityOnHand": true},
		"TaxPrefs":                Object{"UsingSalesTax": true, "PartnerTaxEnabled": true},
		"CurrencyPrefs":           Object{"MultiCurrencyEnabled": false, "HomeCurrency": Object{"value": "USD"}},
		"OtherPrefs":              Object{"NameValue": []any{Object{"Name": skuPreference, "Value": "true"}}}})
}

// skuPreference is the simulator's name for QuickBooks Online's "Show SKU
// column" setting (Account and Settings › Sales › Products and services),
// which Intuit's pages do not name in the API.
const skuPreference = "SalesFormsPrefs.UsingSKU"

// applyPreferences reads the SKU switch after Preferences were written.
func (s *Server) applyPreferences(p Object) {
	for _, nv := range list(obj(p["OtherPrefs"])["NameValue"]) {
		if str(obj(nv)["Name"]) == skuPreference {
			s.co.SKU = str(obj(nv)["Value"]) == "true"
		}
	}
}
