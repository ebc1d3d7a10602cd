package qbxml

import "fmt"

// This file holds the transaction requests. Each encode method lists the
// elements in the order of the XSD sequence of that element; the orders differ
// between transaction types (e.g. FOB comes after ShipMethodRef on a sales
// receipt but before ShipDate on an invoice), so they are written out one by
// one rather than shared.

// SalesReceiptAdd records a paid sale. At least one line is required.
type SalesReceiptAdd struct {
	CustomerRef             Ref
	ClassRef                Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string // ≤ 11: a longer one keeps its last 11 characters (reported as an Adjustment)
	BillAddress             *Address
	ShipAddress             *Address
	IsPending               *bool
	CheckNumber             string
	PaymentMethodRef        Ref
	DueDate                 Date
	SalesRepRef             Ref
	ShipDate                Date
	ShipMethodRef           Ref // FullName ≤ 15
	FOB                     string
	ItemSalesTaxRef         Ref
	Memo                    string
	CustomerMsgRef          Ref
	IsToBePrinted           *bool
	IsToBeEmailed           *bool
	CustomerSalesTaxCodeRef Ref
	DepositToAccountRef     Ref // e.g. "Undeposited Funds"
	Other                   string
	ExternalGUID            string
	Lines                   []Line
}

func (SalesReceiptAdd) element() string { return "SalesReceiptAddRq" }

func (t SalesReceiptAdd) encode(e *encoder) {
	e.open("SalesReceiptAdd")
	e.ref("CustomerRef", t.CustomerRef, MaxCustomerFullName)
	e.ref("ClassRef", t.ClassRef, MaxListFullName)
	e.ref("TemplateRef", t.TemplateRef, MaxSimpleListFullName)
	e.date("TxnDate", t.TxnDate)
	e.refNumber("RefNumber", t.RefNumber, MaxRefNumber)
	e.address("BillAddress", t.BillAddress)
	e.address("ShipAddress", t.ShipAddress)
	e.boolp("IsPending", t.IsPending)
	e.str("CheckNumber", t.CheckNumber, MaxCheckNumber)
	e.ref("PaymentMethodRef", t.PaymentMethodRef, MaxSimpleListFullName)
	e.date("DueDate", t.DueDate)
	e.ref("SalesRepRef", t.SalesRepRef, MaxSalesRepFullName)
	e.date("ShipDate", t.ShipDate)
	e.ref("ShipMethodRef", t.ShipMethodRef, MaxShipMethodFullName)
	e.str("FOB", t.FOB, MaxFOB)
	e.ref("ItemSalesTaxRef", t.ItemSalesTaxRef, MaxSimpleListFullName)
	e.text("Memo", t.Memo, MaxMemo)
	e.ref("CustomerMsgRef", t.CustomerMsgRef, MaxCustomerMsgFullName)
	e.boolp("IsToBePrinted", t.IsToBePrinted)
	e.boolp("IsToBeEmailed", t.IsToBeEmailed)
	e.ref("CustomerSalesTaxCodeRef", t.CustomerSalesTaxCodeRef, MaxSalesTaxCodeName)
	e.ref("DepositToAccountRef", t.DepositToAccountRef, MaxListFullName)
	e.str("Other", t.Other, MaxOther)
	e.guid("ExternalGUID", t.ExternalGUID)
	lines(e, "SalesReceiptLineAdd", t.Lines, lineAdd, 1)
	e.close()
}

// SalesReceiptMod changes a sales receipt. TxnID and the current EditSequence
// are required (status 3200 if EditSequence is stale). Unset fields are left
// unchanged; Lines, when given, replace the receipt's lines (see Line).
type SalesReceiptMod struct {
	TxnID                   string
	EditSequence            string
	CustomerRef             Ref
	ClassRef                Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string
	BillAddress             *Address
	ShipAddress             *Address
	IsPending               *bool
	CheckNumber             string
	PaymentMethodRef        Ref
	DueDate                 Date
	SalesRepRef             Ref
	ShipDate                Date
	ShipMethodRef           Ref
	FOB                     string
	ItemSalesTaxRef         Ref
	Memo                    string
	CustomerMsgRef          Ref
	IsToBePrinted           *bool
	IsToBeEmailed           *bool
	CustomerSalesTaxCodeRef Ref
	DepositToAccountRef     Ref
	Other                   string
	Lines                   []Line
}

func (SalesReceiptMod) element() string { return "SalesReceiptModRq" }

func (t SalesReceiptMod) encode(e *encoder) {
	e.open("SalesReceiptMod")
	e.requiredID("TxnID", t.TxnID, MaxID)
	e.requiredID("EditSequence", t.EditSequence, MaxEditSequence)
	e.ref("CustomerRef", t.CustomerRef, MaxCustomerFullName)
	e.ref("ClassRef", t.ClassRef, MaxListFullName)
	e.ref("TemplateRef", t.TemplateRef, MaxSimpleListFullName)
	e.date("TxnDate", t.TxnDate)
	e.refNumber("RefNumber", t.RefNumber, MaxRefNumber)
	e.address("BillAddress", t.BillAddress)
	e.address("ShipAddress", t.ShipAddress)
	e.boolp("IsPending", t.IsPending)
	e.str("CheckNumber", t.CheckNumber, MaxCheckNumber)
	e.ref("PaymentMethodRef", t.PaymentMethodRef, MaxSimpleListFullName)
	e.date("DueDate", t.DueDate)
	e.ref("SalesRepRef", t.SalesRepRef, MaxSalesRepFullName)
	e.date("ShipDate", t.ShipDate)
	e.ref("ShipMethodRef", t.ShipMethodRef, MaxShipMethodFullName)
	e.str("FOB", t.FOB, MaxFOB)
	e.ref("ItemSalesTaxRef", t.ItemSalesTaxRef, MaxSimpleListFullName)
	e.text("Memo", t.Memo, MaxMemo)
	e.ref("CustomerMsgRef", t.CustomerMsgRef, MaxCustomerMsgFullName)
	e.boolp("IsToBePrinted", t.IsToBePrinted)
	e.boolp("IsToBeEmailed", t.IsToBeEmailed)
	e.ref("CustomerSalesTaxCodeRef", t.CustomerSalesTaxCodeRef, MaxSalesTaxCodeName)
	e.ref("DepositToAccountRef", t.DepositToAccountRef, MaxListFullName)
	e.str("Other", t.Other, MaxOther)
	lines(e, "SalesReceiptLineMod", t.Lines, lineMod, 0)
	e.close()
}

// InvoiceAdd records a sale on account. CustomerRef is required; lines are
// optional.
type InvoiceAdd struct {
	CustomerRef             Ref
	ClassRef                Ref
	ARAccountRef            Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string // ≤ 11
	BillAddress             *Address
	ShipAddress             *Address
	IsPending               *bool
	PONumber                string
	TermsRef                Ref
	DueDate                 Date
	SalesRepRef             Ref
	FOB                     string
	ShipDate                Date
	ShipMethodRef           Ref
	ItemSalesTaxRef         Ref
	Memo                    string
	CustomerMsgRef          Ref
	IsToBePrinted           *bool
	IsToBeEmailed           *bool
	CustomerSalesTaxCodeRef Ref
	Other                   string
	ExternalGUID            string
	LinkToTxnIDs            []string // e.g. the sales order being invoiced
	Lines                   []Line
}

func (InvoiceAdd) element() string { return "InvoiceAddRq" }

func (t InvoiceAdd) encode(e *encoder) {
	e.open("InvoiceAdd")
	e.reqRef("CustomerRef", t.CustomerRef, MaxCustomerFullName)
	e.ref("ClassRef", t.ClassRef, MaxListFullName)
	e.ref("ARAccountRef", t.ARAccountRef, MaxListFullName)
	e.ref("TemplateRef", t.TemplateRef, MaxSimpleListFullName)
	e.date("TxnDate", t.TxnDate)
	e.refNumber("RefNumber", t.RefNumber, MaxRefNumber)
	e.address("BillAddress", t.BillAddress)
	e.address("ShipAddress", t.ShipAddress)
	e.boolp("IsPending", t.IsPending)
	e.str("PONumber", t.PONumber, MaxPONumber)
	e.ref("TermsRef", t.TermsRef, MaxSimpleListFullName)
	e.date("DueDate", t.DueDate)
	e.ref("SalesRepRef", t.SalesRepRef, MaxSalesRepFullName)
	e.str("FOB", t.FOB, MaxFOB)
	e.date("ShipDate", t.ShipDate)
	e.ref("ShipMethodRef", t.ShipMethodRef, MaxShipMethodFullName)
	e.ref("ItemSalesTaxRef", t.ItemSalesTaxRef, MaxSimpleListFullName)
	e.text("Memo", t.Memo, MaxMemo)
	e.ref("CustomerMsgRef", t.CustomerMsgRef, MaxCustomerMsgFullName)
	e.boolp("IsToBePrinted", t.IsToBePrinted)
	e.boolp("IsToBeEmailed", t.IsToBeEmailed)
	e.ref("CustomerSalesTaxCodeRef", t.CustomerSalesTaxCodeRef, MaxSalesTaxCodeName)
	e.str("Other", t.Other, MaxOther)
	e.guid("ExternalGUID", t.ExternalGUID)
	e.ids("LinkToTxnID", t.LinkToTxnIDs)
	lines(e, "InvoiceLineAdd", t.Lines, lineAdd, 0)
	e.close()
}

// InvoiceMod changes an invoice. TxnID and the current EditSequence are
// required. Unset fields are left unchanged; Lines, when given, replace the
// invoice's lines (see Line).
type InvoiceMod struct {
	TxnID                   string
	EditSequence            string
	CustomerRef             Ref
	ClassRef                Ref
	ARAccountRef            Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string
	BillAddress             *Address
	ShipAddress             *Address
	IsPending               *bool
	PONumber                string
	TermsRef                Ref
	DueDate                 Date
	SalesRepRef             Ref
	FOB                     string
	ShipDate                Date
	ShipMethodRef           Ref
	ItemSalesTaxRef         Ref
	Memo                    string
	CustomerMsgRef          Ref
	IsToBePrinted           *bool
	IsToBeEmailed           *bool
	CustomerSalesTaxCodeRef Ref
	Other                   string
	Lines                   []Line
}

func (InvoiceMod) element() string { return "InvoiceModRq" }

func (t InvoiceMod) encode(e *encoder) {
	e.open("InvoiceMod")
	e.requiredID("TxnID", t.TxnID, MaxID)
	e.requiredID("EditSequence", t.EditSequence, MaxEditSequence)
	e.ref("CustomerRef", t.CustomerRef, MaxCustomerFullName)
	e.ref("ClassRef", t.ClassRef, MaxListFullName)
	e.ref("ARAccountRef", t.ARAccountRef, MaxListFullName)
	e.ref("TemplateRef", t.TemplateRef, MaxSimpleListFullName)
	e.date("TxnDate", t.TxnDate)
	e.refNumber("RefNumber", t.RefNumber, MaxRefNumber)
	e.address("BillAddress", t.BillAddress)
	e.address("ShipAddress", t.ShipAddress)
	e.boolp("IsPending", t.IsPending)
	e.str("PONumber", t.PONumber, MaxPONumber)
	e.ref("TermsRef", t.TermsRef, MaxSimpleListFullName)
	e.date("DueDate", t.DueDate)
	e.ref("SalesRepRef", t.SalesRepRef, MaxSalesRepFullName)
	e.str("FOB", t.FOB, MaxFOB)
	e.date("ShipDate", t.ShipDate)
	e.ref("ShipMethodRef", t.ShipMethodRef, MaxShipMethodFullName)
	e.ref("ItemSalesTaxRef", t.ItemSalesTaxRef, MaxSimpleListFullName)
	e.text("Memo", t.Memo, MaxMemo)
	e.ref("CustomerMsgRef", t.CustomerMsgRef, MaxCustomerMsgFullName)
	e.boolp("IsToBePrinted", t.IsToBePrinted)
	e.boolp("IsToBeEmailed", t.IsToBeEmailed)
	e.ref("CustomerSalesTaxCodeRef", t.CustomerSalesTaxCodeRef, MaxSalesTaxCodeName)
	e.str("Other", t.Other, MaxOther)
	lines(e, "InvoiceLineMod", t.Lines, lineMod, 0)
	e.close()
}

// SalesOrderAdd records an order not yet invoiced. CustomerRef and at least one
// line are required; lines have no ServiceDate.
type SalesOrderAdd struct {
	CustomerRef             Ref
	ClassRef                Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string // ≤ 11
	BillAddress             *Address
	ShipAddress             *Address
	PONumber                string
	TermsRef                Ref
	DueDate                 Date
	SalesRepRef             Ref
	FOB                     string
	ShipDate                Date
	ShipMethodRef           Ref
	ItemSalesTaxRef         Ref
	IsManuallyClosed        *bool
	Memo                    string
	CustomerMsgRef          Ref
	IsToBePrinted           *bool
	IsToBeEmailed           *bool
	CustomerSalesTaxCodeRef Ref
	Other                   string
	ExternalGUID            string
	Lines                   []Line
}

func (SalesOrderAdd) element() string { return "SalesOrderAddRq" }

func (t SalesOrderAdd) encode(e *encoder) {
	e.open("SalesOrderAdd")
	e.reqRef("CustomerRef", t.CustomerRef, MaxCustomerFullName)
	e.ref("ClassRef", t.ClassRef, MaxListFullName)
	e.ref("TemplateRef", t.TemplateRef, MaxSimpleListFullName)
	e.date("TxnDate", t.TxnDate)
	e.refNumber("RefNumber", t.RefNumber, MaxRefNumber)
	e.address("BillAddress", t.BillAddress)
	e.address("ShipAddress", t.ShipAddress)
	e.str("PONumber", t.PONumber, MaxPONumber)
	e.ref("TermsRef", t.TermsRef, MaxSimpleListFullName)
	e.date("DueDate", t.DueDate)
	e.ref("SalesRepRef", t.SalesRepRef, MaxSalesRepFullName)
	e.str("FOB", t.FOB, MaxFOB)
	e.date("ShipDate", t.ShipDate)
	e.ref("ShipMethodRef", t.ShipMethodRef, MaxShipMethodFullName)
	e.ref("ItemSalesTaxRef", t.ItemSalesTaxRef, MaxSimpleListFullName)
	e.boolp("IsManuallyClosed", t.IsManuallyClosed)
	e.text("Memo", t.Memo, MaxMemo)
	e.ref("CustomerMsgRef", t.CustomerMsgRef, MaxCustomerMsgFullName)
	e.boolp("IsToBePrinted", t.IsToBePrinted)
	e.boolp("IsToBeEmailed", t.IsToBeEmailed)
	e.ref("CustomerSalesTaxCodeRef", t.CustomerSalesTaxCodeRef, MaxSalesTaxCodeName)
	e.str("Other", t.Other, MaxOther)
	e.guid("ExternalGUID", t.ExternalGUID)
	lines(e, "SalesOrderLineAdd", t.Lines, lineSalesOrder, 1)
	e.close()
}

// CreditMemoAdd records a credit (refund or return) for a customer.
// CustomerRef and at least one line are required.
type CreditMemoAdd struct {
	CustomerRef             Ref
	ClassRef                Ref
	ARAccountRef            Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string // ≤ 11
	BillAddress             *Address
	ShipAddress             *Address
	IsPending               *bool
	PONumber                string
	TermsRef                Ref
	DueDate                 Date
	SalesRepRef             Ref
	FOB                     string
	ShipDate                Date
	ShipMethodRef           Ref
	ItemSalesTaxRef         Ref
	Memo                    string
	CustomerMsgRef          Ref
	IsToBePrinted           *bool
	IsToBeEmailed           *bool
	CustomerSalesTaxCodeRef Ref
	Other                   string
	ExternalGUID            string
	Lines                   []Line
}

func (CreditMemoAdd) element() string { return "CreditMemoAddRq" }

func (t CreditMemoAdd) encode(e *encoder) {
	e.open("CreditMemoAdd")
	e.reqRef("CustomerRef", t.CustomerRef, MaxCustomerFullName)
	e.ref("ClassRef", t.ClassRef, MaxListFullName)
	e.ref("ARAccountRef", t.ARAccountRef, MaxListFullName)
	e.ref("TemplateRef", t.TemplateRef, MaxSimpleListFullName)
	e.date("TxnDate", t.TxnDate)
	e.refNumber("RefNumber", t.RefNumber, MaxRefNumber)
	e.address("BillAddress", t.BillAddress)
	e.address("ShipAddress", t.ShipAddress)
	e.boolp("IsPending", t.IsPending)
	e.str("PONumber", t.PONumber, MaxPONumber)
	e.ref("TermsRef", t.TermsRef, MaxSimpleListFullName)
	e.date("DueDate", t.DueDate)
	e.ref("SalesRepRef", t.SalesRepRef, MaxSalesRepFullName)
	e.str("FOB", t.FOB, MaxFOB)
	e.date("ShipDate", t.ShipDate)
	e.ref("ShipMethodRef", t.ShipMethodRef, MaxShipMethodFullName)
	e.ref("ItemSalesTaxRef", t.ItemSalesTaxRef, MaxSimpleListFullName)
	e.text("Memo", t.Memo, MaxMemo)
	e.ref("CustomerMsgRef", t.CustomerMsgRef, MaxCustomerMsgFullName)
	e.boolp("IsToBePrinted", t.IsToBePrinted)
	e.boolp("IsToBeEmailed", t.IsToBeEmailed)
	e.ref("CustomerSalesTaxCodeRef", t.CustomerSalesTaxCodeRef, MaxSalesTaxCodeName)
	e.str("Other", t.Other, MaxOther)
	e.guid("ExternalGUID", t.ExternalGUID)
	lines(e, "CreditMemoLineAdd", t.Lines, lineAdd, 1)
	e.close()
}

// ReceivePaymentAdd records a customer payment. Either apply it to invoices
// with AppliedToTxns, or leave AppliedToTxns empty and set IsAutoApply (true:
// QuickBooks applies it to open invoices; false: it stays an unused credit).
type ReceivePaymentAdd struct {
	CustomerRef         Ref
	ARAccountRef        Ref
	TxnDate             Date
	RefNumber           string // ≤ 20
	TotalAmount         *Amount
	PaymentMethodRef    Ref
	Memo                string
	DepositToAccountRef Ref
	ExternalGUID        string
	IsAutoApply         bool
	AppliedToTxns       []AppliedToTxn
}

// AppliedToTxn applies part of a payment to one open transaction (invoice).
type AppliedToTxn struct {
	TxnID              string // required
	PaymentAmount      *Amount
	DiscountAmount     *Amount
	DiscountAccountRef Ref // QuickBooks wants it when DiscountAmount is set
	DiscountClassRef   Ref
}

func (ReceivePaymentAdd) element() string { return "ReceivePaymentAddRq" }

func (p ReceivePaymentAdd) encode(e *encoder) {
	e.open("ReceivePaymentAdd")
	e.reqRef("CustomerRef", p.CustomerRef, MaxCustomerFullName)
	e.ref("ARAccountRef", p.ARAccountRef, MaxListFullName)
	e.date("TxnDate", p.TxnDate)
	e.refNumber("RefNumber", p.RefNumber, MaxPaymentRefNumber)
	e.amount("TotalAmount", p.TotalAmount)
	e.ref("PaymentMethodRef", p.PaymentMethodRef, MaxSimpleListFullName)
	e.text("Memo", p.Memo, MaxMemo)
	e.ref("DepositToAccountRef", p.DepositToAccountRef, MaxListFullName)
	e.guid("ExternalGUID", p.ExternalGUID)
	if len(p.AppliedToTxns) == 0 {
		e.boolp("IsAutoApply", &p.IsAutoApply)
	} else {
		e.notAllowed("IsAutoApply", p.IsAutoApply, "a payment with AppliedToTxns (they are alternatives)")
	}
	for i, a := range p.AppliedToTxns {
		e.open("AppliedToTxnAdd", fmt.Sprintf("AppliedToTxnAdd[%d]", i+1))
		e.requiredID("TxnID", a.TxnID, MaxID)
		e.amount("PaymentAmount", a.PaymentAmount)
		e.amount("DiscountAmount", a.DiscountAmount)
		e.ref("DiscountAccountRef", a.DiscountAccountRef, MaxListFullName)
		e.ref("DiscountClassRef", a.DiscountClassRef, MaxListFullName)
		e.close()
	}
	e.close()
}

// lineKind selects the line layout of a transaction type.
type lineKind int

const (
	lineAdd           lineKind = iota // SalesReceiptLineAdd, InvoiceLineAdd, CreditMemoLineAdd
	lineSalesOrder                    // SalesOrderLineAdd: no ServiceDate
	lineMod                           // *LineMod: TxnLineID first
	lineSalesOrderMod                 // SalesOrderLineMod: TxnLineID first, no ServiceDate
)

// lines writes the transaction lines; min is the XSD minimum count.
func lines(e *encoder, name string, ls []Line, kind lineKind, min int) {
	if len(ls) < min {
		e.fail(name, "at least %d line required", min)
		return
	}
	for i, l := range ls {
		e.open(name, fmt.Sprintf("%s[%d]", name, i+1))
		if kind == lineMod || kind == lineSalesOrderMod {
			e.requiredID("TxnLineID", l.TxnLineID, MaxID)
		} else {
			e.notAllowed("TxnLineID", l.TxnLineID != "", name+" (only Mods have TxnLineID)")
		}
		e.ref("ItemRef", l.ItemRef, MaxItemFullName)
		e.text("Desc", l.Desc, MaxDesc)
		e.quantity("Quantity", l.Quantity)
		e.price("Rate", l.Rate)
		e.ref("ClassRef", l.ClassRef, MaxListFullName)
		e.amount("Amount", l.Amount)
		if kind == lineSalesOrder || kind == lineSalesOrderMod {
			e.notAllowed("ServiceDate", !l.ServiceDate.IsZero(), name)
		} else {
			e.date("ServiceDate", l.ServiceDate)
		}
		e.ref("SalesTaxCodeRef", l.SalesTaxCodeRef, MaxSalesTaxCodeName)
		e.str("Other1", l.Other1, MaxOther)
		e.str("Other2", l.Other2, MaxOther)
		e.close()
	}
}

// TxnFilter is the filter alternative of a transaction query. It cannot be
// combined with TxnIDs / RefNumbers. Modified-date and transaction-date ranges
// are alternatives too.
type TxnFilter struct {
	MaxReturned      int
	FromModifiedDate DateTime
	ToModifiedDate   DateTime
	FromTxnDate      Date
	ToTxnDate        Date
	EntityListIDs    []string // customer ListIDs; alternative to EntityFullNames
	EntityFullNames  []string
}

func (f TxnFilter) isZero() bool {
	return f.MaxReturned == 0 && f.FromModifiedDate == "" && f.ToModifiedDate == "" &&
		f.FromTxnDate.IsZero() && f.ToTxnDate.IsZero() && len(f.EntityListIDs) == 0 && len(f.EntityFullNames) == 0
}

func (f TxnFilter) encode(e *encoder) {
	e.maxReturned(f.MaxReturned)
	mod := f.FromModifiedDate != "" || f.ToModifiedDate != ""
	txn := !f.FromTxnDate.IsZero() || !f.ToTxnDate.IsZero()
	if mod && txn {
		e.fail("ModifiedDateRangeFilter", "modified-date and transaction-date ranges are alternatives")
		return
	}
	if mod {
		e.open("ModifiedDateRangeFilter")
		e.dateTime("FromModifiedDate", f.FromModifiedDate)
		e.dateTime("ToModifiedDate", f.ToModifiedDate)
		e.close()
	}
	if txn {
		e.open("TxnDateRangeFilter")
		e.date("FromTxnDate", f.FromTxnDate)
		e.date("ToTxnDate", f.ToTxnDate)
		e.close()
	}
	if len(f.EntityListIDs) > 0 && len(f.EntityFullNames) > 0 {
		e.fail("EntityFilter", "ListIDs and FullNames are alternatives")
		return
	}
	if len(f.EntityListIDs) > 0 || len(f.EntityFullNames) > 0 {
		e.open("EntityFilter")
		e.ids("ListID", f.EntityListIDs)
		e.strs("FullName", f.EntityFullNames, MaxCustomerFullName, singleLine)
		e.close()
	}
}

// txnQuery writes the TxnID | RefNumber | RefNumberCaseSensitive | filter
// choice shared by transaction queries.
func txnQuery(e *encoder, txnIDs, refs, refsCS []string, filterSet bool, filter func()) {
	txnQueryMax(e, MaxRefNumber, txnIDs, refs, refsCS, filterSet, filter)
}

// txnQueryMax is txnQuery for transactions whose RefNumber holds maxRef characters.
func txnQueryMax(e *encoder, maxRef int, txnIDs, refs, refsCS []string, filterSet bool, filter func()) {
	n := 0
	for _, set := range []bool{len(txnIDs) > 0, len(refs) > 0, len(refsCS) > 0, filterSet} {
		if set {
			n++
		}
	}
	if n > 1 {
		e.fail("TxnID|RefNumber|filter", "TxnIDs, RefNumbers, RefNumbersCaseSensitive and filters are alternatives (one OR group); use one per query")
		return
	}
	e.ids("TxnID", txnIDs)
	e.strs("RefNumber", refs, maxRef, keepTail)
	e.strs("RefNumberCaseSensitive", refsCS, maxRef, keepTail)
	filter()
}

// SalesReceiptQuery finds sales receipts by many TxnIDs or RefNumbers in one
// request, or by Filter. RefNumber is not unique in QuickBooks: check customer,
// date and total of what comes back. Supports iterators.
type SalesReceiptQuery struct {
	TxnIDs                  []string
	RefNumbers              []string // normalised and shortened like SalesReceiptAdd.RefNumber
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (SalesReceiptQuery) element() string { return "SalesReceiptQueryRq" }

func (q SalesReceiptQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	txnQuery(e, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero(), func() { q.Filter.encode(e) })
	if q.IncludeLineItems {
		e.raw("IncludeLineItems", "true")
	}
	e.includeRet(q.IncludeRetElements)
}

// ReceivePaymentQuery finds payments by many TxnIDs or RefNumbers in one request, or by Filter
// (the duplicate check of payments). Supports iterators.
type ReceivePaymentQuery struct {
	TxnIDs                  []string
	RefNumbers              []string
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (ReceivePaymentQuery) element() string { return "ReceivePaymentQueryRq" }

func (q ReceivePaymentQuery) encode(e *encoder) {
	// The same TxnQuery group as SalesReceiptQuery, with payments' longer RefNumbers.
	e.iterator(q.Iterator, q.IteratorID)
	txnQueryMax(e, MaxPaymentRefNumber, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero(), func() { q.Filter.encode(e) })
	if q.IncludeLineItems {
		e.raw("IncludeLineItems", "true")
	}
	e.includeRet(q.IncludeRetElements)
}

// PaidStatus filters invoices by payment state.
type PaidStatus string

const (
	PaidAll     PaidStatus = "All" // QuickBooks' default
	PaidOnly    PaidStatus = "PaidOnly"
	NotPaidOnly PaidStatus = "NotPaidOnly"
)

// InvoiceQuery finds invoices by many TxnIDs or RefNumbers in one request, or
// by Filter and PaidStatus (which belongs to the filter alternative).
// Supports iterators.
type InvoiceQuery struct {
	TxnIDs                  []string
	RefNumbers              []string
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	PaidStatus              PaidStatus
	IncludeLineItems        bool
	IncludeLinkedTxns       bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (InvoiceQuery) element() string { return "InvoiceQueryRq" }

func (q InvoiceQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	txnQuery(e, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero() || q.PaidStatus != "", func() {
		q.Filter.encode(e)
		switch q.PaidStatus {
		case "":
		case PaidAll, PaidOnly, NotPaidOnly:
			e.raw("PaidStatus", string(q.PaidStatus))
		default:
			e.fail("PaidStatus", "unknown value %q", q.PaidStatus)
		}
	})
	if q.IncludeLineItems {
		e.raw("IncludeLineItems", "true")
	}
	if q.IncludeLinkedTxns {
		e.raw("IncludeLinkedTxns", "true")
	}
	e.includeRet(q.IncludeRetElements)
}

// SalesOrderQuery finds sales orders by many TxnIDs or RefNumbers in one request, or by Filter
// (the duplicate check and lost-answer lookup of sales orders). Supports iterators.
type SalesOrderQuery struct {
	TxnIDs                  []string
	RefNumbers              []string // normalised and shortened like SalesOrderAdd.RefNumber
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeLinkedTxns       bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (SalesOrderQuery) element() string { return "SalesOrderQueryRq" }

func (q SalesOrderQuery) encode(e *encoder) {
	// TxnQueryWithLinkedFilterNoAccount: TxnFilter has no account filter to leave out.
	e.iterator(q.Iterator, q.IteratorID)
	txnQuery(e, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero(), func() { q.Filter.encode(e) })
	if q.IncludeLineItems {
		e.raw("IncludeLineItems", "true")
	}
	if q.IncludeLinkedTxns {
		e.raw("IncludeLinkedTxns", "true")
	}
	e.includeRet(q.IncludeRetElements)
}
