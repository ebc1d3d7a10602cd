package qbdsim

import (
	"strings"
)

// handlers maps each implemented request element to its handler. Every
// other *Rq element is answered with status 1030.
var handlers = map[string]handler{}

func init() {
	handlers["HostQueryRq"] = hostQuery
	handlers["CompanyQueryRq"] = companyQuery
	handlers["PreferencesQueryRq"] = preferencesQuery

	for _, kind := range []string{"Customer", "ItemInventory", "ItemNonInventory", "ItemService", "ItemOtherCharge",
		"ItemDiscount", "ItemSalesTax", "ItemGroup", "Account", "Class", "ShipMethod"} {
		handlers[kind+"AddRq"] = listAdd(kind)
	}
	for _, kind := range []string{"Customer", "ItemInventory", "ItemNonInventory", "ItemService", "ItemOtherCharge"} {
		handlers[kind+"ModRq"] = listMod(kind)
	}
	for _, kind := range []string{"Customer", "ItemInventory", "ItemNonInventory", "ItemService", "ItemOtherCharge",
		"ItemDiscount", "ItemSalesTax", "ItemGroup", "Account", "Class", "ShipMethod", "SalesTaxCode", "PaymentMethod"} {
		k := kind
		handlers[kind+"QueryRq"] = func(p *proc, rq *node) result { return p.listQuery(rq, k) }
	}
	handlers["ItemQueryRq"] = func(p *proc, rq *node) result { return p.listQuery(rq, itemKinds...) }

	for _, kind := range []string{"SalesReceipt", "Invoice", "SalesOrder", "CreditMemo"} {
		k := kind
		handlers[kind+"AddRq"] = func(p *proc, rq *node) result {
			t, err := p.c.addSalesTxn(k, rq.child(k+"Add"))
			if err != nil {
				return fromStatus(err)
			}
			return ok(p.c.txnRet(t, retOptions{lines: true}))
		}
	}
	for _, kind := range []string{"SalesReceipt", "Invoice", "SalesOrder"} {
		k := kind
		handlers[kind+"ModRq"] = func(p *proc, rq *node) result {
			t, err := p.c.modSalesTxn(k, rq.child(k+"Mod"))
			if err != nil {
				return fromStatus(err)
			}
			return ok(p.c.txnRet(t, retOptions{lines: true}))
		}
	}
	for _, kind := range []string{"Bill", "ItemReceipt"} {
		k := kind
		handlers[kind+"AddRq"] = func(p *proc, rq *node) result {
			t, err := p.c.addPurchase(k, rq.child(k+"Add"))
			if err != nil {
				return fromStatus(err)
			}
			return ok(p.c.txnRet(t, retOptions{lines: true}))
		}
	}
	// No edition the simulator plays has assemblies: the query answers "no match".
	handlers["ItemInventoryAssemblyQueryRq"] = func(p *proc, rq *node) result { return p.listQuery(rq, "ItemInventoryAssembly") }
	for _, kind := range []string{"SalesReceipt", "Invoice", "SalesOrder", "CreditMemo", "ReceivePayment", "ARRefundCreditCard", "InventoryAdjustment", "Bill", "ItemReceipt"} {
		k := kind
		handlers[kind+"QueryRq"] = func(p *proc, rq *node) result { return p.txnQuery(rq, k) }
	}
	handlers["ReceivePaymentAddRq"] = func(p *proc, rq *node) result {
		t, err := p.c.addReceivePayment(rq.child("ReceivePaymentAdd"))
		if err != nil {
			return fromStatus(err)
		}
		return ok(p.c.txnRet(t, retOptions{lines: true}))
	}
	handlers["ARRefundCreditCardAddRq"] = func(p *proc, rq *node) result {
		t, err := p.c.addCardRefund(rq.child("ARRefundCreditCardAdd"))
		if err != nil {
			return fromStatus(err)
		}
		return ok(p.c.txnRet(t, retOptions{lines: true}))
	}
	handlers["InventoryAdjustmentAddRq"] = func(p *proc, rq *node) result {
		t, err := p.c.addInventoryAdjustment(rq.child("InventoryAdjustmentAdd"))
		if err != nil {
			return fromStatus(err)
		}
		return ok(p.c.txnRet(t, retOptions{lines: true}))
	}
}

func listAdd(kind string) handler {
	return func(p *proc, rq *node) result {
		r, err := p.c.addList(kind, rq.child(kind+"Add"))
		if err != nil {
			return fromStatus(err)
		}
		return ok(p.c.listRet(r, nil))
	}
}

func listMod(kind string) handler {
	return func(p *proc, rq *node) result {
		r, err := p.c.modList(kind, rq.child(kind+"Mod"))
		if err != nil {
			return fromStatus(err)
		}
		return ok(p.c.listRet(r, nil))
	}
}

// hostQuery answers HostQueryRq (the H of QBWC's strHCPResponse).
func hostQuery(p *proc, rq *node) result {
	c := p.c
	h := el("HostRet",
		leaf("ProductName", c.cfg.ProductName),
		leaf("MajorVersion", "33"),
		leaf("MinorVersion", "0"),
		leaf("Country", "US"))
	for _, v := range c.cfg.Versions {
		h.Children = append(h.Children, leaf("SupportedQBXMLVersion", v))
	}
	h.Children = append(h.Children, leaf("IsAutomaticLogin", "false"), leaf("QBFileMode", "SingleUser"))
	return ok(filterRet(h, keepSet(rq)))
}

// companyQuery answers CompanyQueryRq; the data extensions QBWC keeps in
// the file (FileID, and AppLock while a Web Connector holds the file) are
// returned for the OwnerIDs asked for.
func companyQuery(p *proc, rq *node) result {
	c := p.c
	r := el("CompanyRet",
		leaf("IsSampleCompany", "false"),
		leaf("CompanyName", c.cfg.CompanyName),
		leaf("LegalCompanyName", c.cfg.CompanyName),
		leaf("FirstMonthFiscalYear", "January"),
		leaf("FirstMonthIncomeTaxYear", "January"),
		leaf("CompanyType", "Retail"),
		leaf("TaxForm", "Form1120S"))
	for _, o := range rq.all("OwnerID") {
		if !strings.EqualFold(o.Text, c.cfg.OwnerID) {
			continue
		}
		if lock := c.appLockValue(); lock != "" {
			r.Children = append(r.Children, dataExt(c.cfg.OwnerID, "AppLock", lock))
		}
		r.Children = append(r.Children, dataExt(c.cfg.OwnerID, "FileID", c.cfg.FileID))
	}
	return ok(filterRet(r, keepSet(rq)))
}

func dataExt(owner, name, value string) *node {
	return el("DataExtRet", leaf("OwnerID", owner), leaf("DataExtName", name), leaf("DataExtType", "STR255TYPE"), leaf("DataExtValue", value))
}

// preferencesQuery answers PreferencesQueryRq with the layout of a real
// QuickBooks answer (samples/qbxml/HostQuery-CompanyQuery-PreferencesQuery…).
func preferencesQuery(p *proc, rq *node) result {
	c := p.c
	pr := el("PreferencesRet",
		el("AccountingPreferences",
			leaf("IsUsingAccountNumbers", "false"),
			leaf("IsRequiringAccounts", "true"),
			leaf("IsUsingClassTracking", boolText(c.st.Prefs.ClassTracking)),
			leaf("IsUsingAuditTrail", "true"),
			leaf("IsAssigningJournalEntryNumbers", "true")),
		el("FinanceChargePreferences",
			leaf("AnnualInterestRate", "0.00"),
			leaf("MinFinanceCharge", "0.00"),
			leaf("GracePeriod", "0"),
			leaf("IsAssessingForOverdueCharges", "false"),
			leaf("CalculateChargesFrom", "DueDate"),
			leaf("IsMarkedToBePrinted", "false")),
		el("JobsAndEstimatesPreferences",
			leaf("IsUsingEstimates", "true"),
			leaf("IsUsingProgressInvoicing", "false"),
			leaf("IsPrintingItemsWithZeroAmounts", "false")),
		el("PurchasesAndVendorsPreferences",
			leaf("IsUsingInventory", "true"),
			leaf("DaysBillsAreDue", "10"),
			leaf("IsAutomaticallyUsingDiscounts", "false")),
		el("ReportsPreferences",
			leaf("AgingReportBasis", "AgeFromDueDate"),
			leaf("SummaryReportBasis", "Accrual")),
		el("SalesAndCustomersPreferences",
			leaf("IsTrackingReimbursedExpensesAsIncome", "false"),
			leaf("IsAutoApplyingPayments", "true"),
			el("PriceLevels", leaf("IsUsingPriceLevels", "false"))),
	)
	tax, taxable, non := c.idx.byListID[c.st.Prefs.DefaultItemSalesTax], c.idx.byListID[c.st.Prefs.TaxableCode], c.idx.byListID[c.st.Prefs.NonTaxableCode]
	if tax != nil && taxable != nil && non != nil {
		pr.Children = append(pr.Children, el("SalesTaxPreferences",
			c.refNode("DefaultItemSalesTaxRef", tax),
			leaf("PaySalesTax", "Monthly"),
			c.refNode("DefaultTaxableSalesTaxCodeRef", taxable),
			c.refNode("DefaultNonTaxableSalesTaxCodeRef", non)))
	}
	pr.Children = append(pr.Children,
		el("TimeTrackingPreferences", leaf("FirstDayOfWeek", "Sunday")),
		el("CurrentAppAccessRights", leaf("IsAutomaticLoginAllowed", "false"), leaf("IsPersonalDataAccessAllowed", "false")))
	return ok(filterRet(pr, keepSet(rq)))
}

// filterRet applies IncludeRetElement to a Ret built in full.
func filterRet(r *node, keep map[string]bool) *node {
	if keep == nil {
		return r
	}
	out := &node{Name: r.Name}
	for _, c := range r.Children {
		if keep[c.Name] {
			out.Children = append(out.Children, c)
		}
	}
	return out
}
