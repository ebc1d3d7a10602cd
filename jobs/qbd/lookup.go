package qbd

import (
	"crypto/sha256"
	"encoding/base32"
	"regexp"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// LookupType names what a lookup searches in QuickBooks.
type LookupType string

const (
	LookupSalesReceipt LookupType = "SalesReceipt"
	LookupInvoice      LookupType = "Invoice"
	LookupSalesOrder   LookupType = "SalesOrder"
	LookupPayment      LookupType = "ReceivePayment"
	LookupCreditMemo   LookupType = "CreditMemo"
	// LookupCardRefund finds an ARRefundCreditCard by RefNumber; like a payment it has no
	// Other field, so its marker travels in the Memo.
	LookupCardRefund LookupType = "ARRefundCreditCard"
	LookupCustomer   LookupType = "Customer"
	LookupItem       LookupType = "Item"
)

// Lookup says how to find the object a request creates, should its answer be lost: a sales
// transaction by RefNumber (and Marker, which the request must carry in its Other field — for
// payments, in its Memo — to tell apart two documents with one RefNumber), a list element by
// full name.
type Lookup struct {
	Type   LookupType
	Value  string
	Marker string
	// Date (YYYY-MM-DD), when set, must also match the transaction's TxnDate: the duplicate
	// check is by number and date, so two orders whose long numbers end alike stay apart.
	Date string
}

// Marker returns the short tag (14 characters, fits qbXML's 29-character Other field) that a
// transaction request for docKey should carry in Other, so a lookup recognises it. It names the
// document only; ScopedMarker also names the store, and is what new documents carry. Documents
// posted with a bare Marker are still recognised.
func Marker(docKey string) string {
	sum := sha256.Sum256([]byte(docKey))
	return "LL" + base32.StdEncoding.EncodeToString(sum[:])[:12]
}

// MaxScope is the longest scope a marker carries: Marker, '-' and the scope fill Other's 29
// characters.
const MaxScope = 29 - 15

// ScopedMarker is Marker(docKey) followed by "-" and scope, e.g. "LLQ2F4…-S12": the scope
// says whose document it is (for orders, the store connection), so the duplicate check can
// tell a same-numbered sale of another store from a duplicate. scope is cut to its first
// MaxScope ASCII letters and digits; an empty scope gives Marker(docKey).
func ScopedMarker(docKey, scope string) string {
	var b strings.Builder
	for _, r := range scope {
		if b.Len() < MaxScope && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return Marker(docKey)
	}
	return Marker(docKey) + "-" + b.String()
}

// markerPattern finds a marker in a transaction's Other (or a payment's Memo): "LL", twelve
// base32 characters, and the optional "-scope"; not inside a longer word.
var markerPattern = regexp.MustCompile(`(?:^|[^A-Za-z0-9])(LL[A-Z2-7]{12})(?:-([A-Za-z0-9]{1,14}))?(?:$|[^A-Za-z0-9])`)

// parsedMarker is what a marker found in a record says: the document (its Marker) and the
// scope, empty for markers that predate scopes. ok is false when the text holds no marker:
// the record was not written by Ledgerlink.
type parsedMarker struct {
	doc, scope string
	ok         bool
}

// markerDoc is the document part of a lookup's marker (the marker itself when it is not one of
// ours).
func markerDoc(marker string) string {
	if p := parseMarker(marker); p.ok {
		return p.doc
	}
	return marker
}

func parseMarker(text string) parsedMarker {
	m := markerPattern.FindStringSubmatch(text)
	if m == nil {
		return parsedMarker{}
	}
	return parsedMarker{doc: m[1], scope: m[2], ok: true}
}

// stored returns the lookup value as QuickBooks stores it.
func (l Lookup) stored() string {
	switch l.Type {
	case LookupSalesReceipt, LookupInvoice, LookupSalesOrder, LookupCreditMemo, LookupCardRefund:
		return qbxml.StoredRefNumber(l.Value)
	case LookupPayment:
		return qbxml.StoredPaymentRefNumber(l.Value)
	case LookupCustomer:
		return qbxml.StoredName(l.Value, qbxml.MaxCustomerName)
	default:
		return qbxml.StoredName(l.Value, qbxml.MaxItemName)
	}
}

// valid reports whether l names a known type and a value.
func (l Lookup) valid() bool {
	switch l.Type {
	case LookupSalesReceipt, LookupInvoice, LookupSalesOrder, LookupPayment, LookupCreditMemo, LookupCardRefund, LookupCustomer, LookupItem:
		return strings.TrimSpace(l.Value) != ""
	}
	return false
}

// lookupQuery builds one query finding every value of type t.
func lookupQuery(t LookupType, values []string) qbxml.Request {
	switch t {
	case LookupSalesReceipt:
		return qbxml.SalesReceiptQuery{RefNumbers: values}
	case LookupInvoice:
		return qbxml.InvoiceQuery{RefNumbers: values}
	case LookupSalesOrder:
		return qbxml.SalesOrderQuery{RefNumbers: values}
	case LookupPayment:
		return qbxml.ReceivePaymentQuery{RefNumbers: values}
	case LookupCreditMemo:
		return qbxml.CreditMemoQuery{RefNumbers: values}
	case LookupCardRefund:
		return qbxml.ARRefundCreditCardQuery{RefNumbers: values}
	case LookupCustomer:
		return qbxml.CustomerQuery{FullNames: values}
	default:
		return qbxml.ItemQuery{FullNames: values}
	}
}

// found is one record a lookup returned.
type found struct {
	key, other, id, editSequence, recordType, date string
}

// lookupResults reads the records of a lookup response, keyed for matching: RefNumber for
// transactions, full name for list elements.
func lookupResults(rs *qbxml.Rs) (LookupType, []found) {
	switch rs.Name {
	case "SalesReceiptQueryRs":
		return LookupSalesReceipt, salesFound(rs.SalesReceipts, "SalesReceipt", func(r qbxml.SalesReceiptRet) qbxml.SalesTxnRet { return r.SalesTxnRet })
	case "InvoiceQueryRs":
		return LookupInvoice, salesFound(rs.Invoices, "Invoice", func(r qbxml.InvoiceRet) qbxml.SalesTxnRet { return r.SalesTxnRet })
	case "SalesOrderQueryRs":
		return LookupSalesOrder, salesFound(rs.SalesOrders, "SalesOrder", func(r qbxml.SalesOrderRet) qbxml.SalesTxnRet { return r.SalesTxnRet })
	case "ReceivePaymentQueryRs":
		// Payments have no Other field: the marker travels in the memo.
		return LookupPayment, eachFound(rs.Payments, func(r qbxml.ReceivePaymentRet) found {
			return found{r.RefNumber, r.Memo, r.TxnID, r.EditSequence, "ReceivePayment", dateString(r.TxnDate)}
		})
	case "CreditMemoQueryRs":
		return LookupCreditMemo, salesFound(rs.CreditMemos, "CreditMemo", func(r qbxml.CreditMemoRet) qbxml.SalesTxnRet { return r.SalesTxnRet })
	case "ARRefundCreditCardQueryRs":
		// Nor have card refunds: the marker travels in the memo too.
		return LookupCardRefund, eachFound(rs.ARRefunds, func(r qbxml.ARRefundCreditCardRet) found {
			return found{r.RefNumber, r.Memo, r.TxnID, r.EditSequence, "ARRefundCreditCard", dateString(r.TxnDate)}
		})
	case "CustomerQueryRs":
		return LookupCustomer, eachFound(rs.Customers, func(r qbxml.CustomerRet) found {
			return found{r.FullName, "", r.ListID, r.EditSequence, "Customer", ""}
		})
	case "ItemQueryRs":
		return LookupItem, eachFound(rs.Items, func(r qbxml.ItemRet) found {
			name := r.FullName
			if name == "" {
				name = r.Name
			}
			return found{name, "", r.ListID, r.EditSequence, r.Type, ""}
		})
	}
	return "", nil
}

// salesFound keys sales transactions of one type by RefNumber, with the marker their Other
// field carries.
func salesFound[R any](rets []R, recordType string, sale func(R) qbxml.SalesTxnRet) []found {
	return eachFound(rets, func(r R) found {
		t := sale(r)
		return found{t.RefNumber, t.Other, t.TxnID, t.EditSequence, recordType, dateString(t.TxnDate)}
	})
}

// eachFound is the records rets, each read by one.
func eachFound[R any](rets []R, one func(R) found) []found {
	var out []found
	for _, r := range rets {
		out = append(out, one(r))
	}
	return out
}

// matches returns the records that are the object an item's request would have created.
// QuickBooks compares names and RefNumbers without regard to case, and so do we.
func matches(records []found, value, marker, date string) []found {
	var out []found
	for _, r := range records {
		if !strings.EqualFold(r.key, value) {
			continue
		}
		// The document part identifies it: a record carries the marker its request was
		// built with, bare or scoped.
		if marker != "" && !strings.Contains(r.other, markerDoc(marker)) {
			continue
		}
		if date != "" && r.date != "" && r.date != date {
			continue
		}
		out = append(out, r)
	}
	return out
}

func dateString(d qbxml.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
