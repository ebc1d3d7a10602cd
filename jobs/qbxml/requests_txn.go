package qbxml

import (
	"fmt"
	"reflect"
)

// This file holds the transaction requests. Each Add and Mod declares its
// fields in the order of its XSD sequence and is written by document (see
// elements.go); the orders differ between transaction types (e.g. FOB comes
// after ShipMethodRef on a sales receipt but before ShipDate on an invoice).

// The writers of the transaction documents: their lines, and whether the
// document requires CustomerRef.
var (
	salesReceiptAddElements = salesDocument("SalesReceiptLineAdd", lineAdd, 1, false)
	salesReceiptModElements = salesDocument("SalesReceiptLineMod", lineMod, 0, false)
	invoiceAddElements      = salesDocument("InvoiceLineAdd", lineAdd, 0, true)
	invoiceModElements      = salesDocument("InvoiceLineMod", lineMod, 0, false)
	salesOrderAddElements   = salesDocument("SalesOrderLineAdd", lineSalesOrder, 1, true)
	salesOrderModElements   = salesDocument("SalesOrderLineMod", lineSalesOrderMod, 0, false)
	creditMemoAddElements   = salesDocument("CreditMemoLineAdd", lineAdd, 1, true)
)

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

func (t SalesReceiptAdd) encode(e *encoder) {
	e.document(&t, salesReceiptAddElements)
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

func (t SalesReceiptMod) encode(e *encoder) {
	e.document(&t, salesReceiptModElements)
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

func (t InvoiceAdd) encode(e *encoder) { e.document(&t, invoiceAddElements) }

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

func (t InvoiceMod) encode(e *encoder) { e.document(&t, invoiceModElements) }

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

func (t SalesOrderAdd) encode(e *encoder) { e.document(&t, salesOrderAddElements) }

// SalesOrderMod changes a sales order. TxnID and the current EditSequence are
// required (status 3200 if EditSequence is stale). Unset fields are left
// unchanged; Lines, when given, replace the order's lines (see Line); sales
// order lines have no ServiceDate.
type SalesOrderMod struct {
	TxnID                   string
	EditSequence            string
	CustomerRef             Ref
	ClassRef                Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string
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
	Lines                   []Line
}

func (t SalesOrderMod) encode(e *encoder) { e.document(&t, salesOrderModElements) }

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

func (t CreditMemoAdd) encode(e *encoder) { e.document(&t, creditMemoAddElements) }

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
	// SetCredits apply existing credits (credit memos) to the transaction: the documented way
	// to apply a credit memo to an invoice is a ReceivePaymentAdd whose AppliedToTxnAdd names
	// the invoice and carries SetCredit, with a TotalAmount of 0 when no money changes hands.
	SetCredits []SetCredit
}

// SetCredit applies AppliedAmount of credit CreditTxnID (a credit memo) to the transaction of
// its AppliedToTxn.
type SetCredit struct {
	CreditTxnID   string // required
	AppliedAmount Amount // required
}

func (p ReceivePaymentAdd) encode(e *encoder) {
	e.document(&p, receivePaymentAddElements)
}

// receivePaymentAddElements: a payment's RefNumber holds 20 characters, and
// IsAutoApply and AppliedToTxns are alternatives.
var receivePaymentAddElements = salesElements.with(elements{
	"CustomerRef": requiredRefElement(MaxCustomerFullName),
	"RefNumber":   refNumberElement(MaxPaymentRefNumber),
	"IsAutoApply": func(e *encoder, name string, f, doc reflect.Value) {
		if doc.FieldByName("AppliedToTxns").Len() == 0 {
			e.boolp(name, Ptr(f.Bool()))
		} else {
			e.notAllowed(name, f.Bool(), "a payment with AppliedToTxns (they are alternatives)")
		}
	},
	"AppliedToTxns": func(e *encoder, _ string, f, _ reflect.Value) {
		for i, a := range f.Interface().([]AppliedToTxn) {
			e.open("AppliedToTxnAdd", fmt.Sprintf("AppliedToTxnAdd[%d]", i+1))
			e.requiredID("TxnID", a.TxnID, MaxID)
			e.amount("PaymentAmount", a.PaymentAmount)
			for j, c := range a.SetCredits {
				e.open("SetCredit", fmt.Sprintf("AppliedToTxnAdd[%d]/SetCredit[%d]", i+1, j+1))
				e.requiredID("CreditTxnID", c.CreditTxnID, MaxID)
				e.amount("AppliedAmount", &c.AppliedAmount)
				e.close()
			}
			e.amount("DiscountAmount", a.DiscountAmount)
			e.ref("DiscountAccountRef", a.DiscountAccountRef, MaxListFullName)
			e.ref("DiscountClassRef", a.DiscountClassRef, MaxListFullName)
			e.close()
		}
	},
})

// ARRefundCreditCardAdd pays a customer's credit (a credit memo) back to a card: the money
// leaves RefundFromAccountRef (where the sale's money was deposited, e.g. Undeposited Funds).
// qbXML has no refund receipt; a credit memo followed by this request is the QuickBooks Desktop
// equivalent. It has no Other field: a marker travels in the Memo. At least one RefundApplied
// is required.
type ARRefundCreditCardAdd struct {
	CustomerRef          Ref
	RefundFromAccountRef Ref
	ARAccountRef         Ref
	TxnDate              Date
	RefNumber            string // ≤ 11
	PaymentMethodRef     Ref
	Memo                 string
	ExternalGUID         string
	RefundApplied        []RefundAppliedToTxn
}

// RefundAppliedToTxn refunds RefundAmount of credit TxnID (a credit memo).
type RefundAppliedToTxn struct {
	TxnID        string // required
	RefundAmount Amount // required
}

func (t ARRefundCreditCardAdd) encode(e *encoder) { e.document(&t, arRefundCreditCardAddElements) }

// arRefundCreditCardAddElements: CustomerRef and at least one credit to refund are required.
var arRefundCreditCardAddElements = salesElements.with(elements{
	"CustomerRef":          requiredRefElement(MaxCustomerFullName),
	"RefundFromAccountRef": refElement(MaxListFullName),
	"RefundApplied": func(e *encoder, _ string, f, _ reflect.Value) {
		applied := f.Interface().([]RefundAppliedToTxn)
		if len(applied) == 0 {
			e.fail("RefundAppliedToTxnAdd", "at least one credit to refund required")
		}
		for i, a := range applied {
			e.open("RefundAppliedToTxnAdd", fmt.Sprintf("RefundAppliedToTxnAdd[%d]", i+1))
			e.requiredID("TxnID", a.TxnID, MaxID)
			e.amount("RefundAmount", &a.RefundAmount)
			e.close()
		}
	},
})

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

// TxnQuery is the request of transaction queries without linked
// transactions (SalesReceiptQuery, ReceivePaymentQuery,
// InventoryAdjustmentQuery): many TxnIDs or RefNumbers in one request, or
// Filter; these are alternatives. RefNumber is not unique in QuickBooks: check
// customer, date and total of what comes back. Supports iterators.
type TxnQuery struct {
	TxnIDs                  []string
	RefNumbers              []string // normalised and shortened like the Add's RefNumber
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

// LinkedTxnQuery is TxnQuery with IncludeLinkedTxns (SalesOrderQuery,
// CreditMemoQuery, ItemReceiptQuery).
type LinkedTxnQuery struct {
	TxnIDs                  []string
	RefNumbers              []string
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeLinkedTxns       bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

// PaidTxnQuery is LinkedTxnQuery with PaidStatus, which belongs to the filter
// alternative (InvoiceQuery, BillQuery).
type PaidTxnQuery struct {
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

func (q TxnQuery) write(e *encoder, maxRef int) {
	writeTxnQuery(e, maxRef, PaidTxnQuery{TxnIDs: q.TxnIDs, RefNumbers: q.RefNumbers, RefNumbersCaseSensitive: q.RefNumbersCaseSensitive,
		Filter: q.Filter, IncludeLineItems: q.IncludeLineItems, IncludeRetElements: q.IncludeRetElements, Iterator: q.Iterator, IteratorID: q.IteratorID})
}

func (q PaidTxnQuery) write(e *encoder, maxRef int) { writeTxnQuery(e, maxRef, q) }

func (q LinkedTxnQuery) write(e *encoder, maxRef int) {
	writeTxnQuery(e, maxRef, PaidTxnQuery{TxnIDs: q.TxnIDs, RefNumbers: q.RefNumbers, RefNumbersCaseSensitive: q.RefNumbersCaseSensitive,
		Filter: q.Filter, IncludeLineItems: q.IncludeLineItems, IncludeLinkedTxns: q.IncludeLinkedTxns, IncludeRetElements: q.IncludeRetElements,
		Iterator: q.Iterator, IteratorID: q.IteratorID})
}

// writeTxnQuery writes a transaction query (XSD TxnQuery groups): the
// iterator attributes, the TxnID | RefNumber | RefNumberCaseSensitive | filter
// choice (RefNumbers hold maxRef characters), then the includes.
func writeTxnQuery(e *encoder, maxRef int, q PaidTxnQuery) {
	e.iterator(q.Iterator, q.IteratorID)
	n := 0
	for _, set := range []bool{len(q.TxnIDs) > 0, len(q.RefNumbers) > 0, len(q.RefNumbersCaseSensitive) > 0, !q.Filter.isZero() || q.PaidStatus != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		e.fail("TxnID|RefNumber|filter", "TxnIDs, RefNumbers, RefNumbersCaseSensitive and filters are alternatives (one OR group); use one per query")
		return
	}
	e.ids("TxnID", q.TxnIDs)
	e.strs("RefNumber", q.RefNumbers, maxRef, keepTail)
	e.strs("RefNumberCaseSensitive", q.RefNumbersCaseSensitive, maxRef, keepTail)
	q.Filter.encode(e)
	switch q.PaidStatus {
	case "":
	case PaidAll, PaidOnly, NotPaidOnly:
		e.raw("PaidStatus", string(q.PaidStatus))
	default:
		e.fail("PaidStatus", "unknown value %q", q.PaidStatus)
	}
	if q.IncludeLineItems {
		e.raw("IncludeLineItems", "true")
	}
	if q.IncludeLinkedTxns {
		e.raw("IncludeLinkedTxns", "true")
	}
	e.includeRet(q.IncludeRetElements)
}

// SalesReceiptQuery finds sales receipts (see TxnQuery).
type SalesReceiptQuery TxnQuery

func (q SalesReceiptQuery) encode(e *encoder) { TxnQuery(q).write(e, MaxRefNumber) }

// ReceivePaymentQuery finds payments (the duplicate check of payments; see
// TxnQuery). A payment's RefNumber holds 20 characters.
type ReceivePaymentQuery TxnQuery

func (q ReceivePaymentQuery) encode(e *encoder) { TxnQuery(q).write(e, MaxPaymentRefNumber) }

// PaidStatus filters invoices by payment state.
type PaidStatus string

const (
	PaidAll     PaidStatus = "All" // QuickBooks' default
	PaidOnly    PaidStatus = "PaidOnly"
	NotPaidOnly PaidStatus = "NotPaidOnly"
)

// InvoiceQuery finds invoices (see PaidTxnQuery).
type InvoiceQuery PaidTxnQuery

func (q InvoiceQuery) encode(e *encoder) { PaidTxnQuery(q).write(e, MaxRefNumber) }

// SalesOrderQuery finds sales orders (the duplicate check and lost-answer
// lookup of sales orders; see LinkedTxnQuery).
type SalesOrderQuery LinkedTxnQuery

func (q SalesOrderQuery) encode(e *encoder) { LinkedTxnQuery(q).write(e, MaxRefNumber) }

// ARRefundCreditCardQuery finds card refunds (the lost-answer lookup of refunds; see
// TxnQuery). qbXML 13.0 gives it no iterator and no IncludeLineItems: leave those unset.
type ARRefundCreditCardQuery TxnQuery

func (q ARRefundCreditCardQuery) encode(e *encoder) { TxnQuery(q).write(e, MaxRefNumber) }
