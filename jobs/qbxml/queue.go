package qbxml

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file serves a persistent work queue: requests are encoded once when
// queued, stored as text, and put into a message set later.

// Encode writes rq as a standalone request element without a requestID (e.g.
// "<CustomerAddRq><CustomerAdd>…</CustomerAdd></CustomerAddRq>") and returns
// the adjustments made, or the *RequestError that Bytes would report. The
// fragment is the same for qbXML 13.0 and 16.0; AddEncoded puts it into a
// message set later.
func Encode(rq Request) (fragment string, adj []Adjustment, err error) {
	return encodeRequest(rq, "")
}

// Kind returns the request element name of rq, e.g. "SalesReceiptAddRq";
// Rs.RequestElement of its response returns the same name.
func Kind(rq Request) string { return element(rq) }

// fragmentPattern matches what Encode produces: one request element whose
// start tag has no requestID (only iterator attributes).
var fragmentPattern = regexp.MustCompile(`^<([A-Za-z]+Rq)((?: (?:iterator|iteratorID)="[^"<>]*")*)>(?s:.*)</([A-Za-z]+Rq)>$`)

// AddEncoded appends a fragment made by Encode (possibly stored and loaded
// since) and returns its requestID, numbered like Add ("1", "2", ... in order
// of all Add and AddEncoded calls); the caller keeps the requestID → work item
// map. The message is byte-identical to adding the original request with Add.
// A string that is not such a fragment is reported by Bytes as a
// *RequestError (ErrInvalidRequest).
func (m *MsgSet) AddEncoded(fragment string) (requestID string) {
	id := strconv.Itoa(len(m.reqs) + 1)
	r := encodedRequest{id: id}
	sm := fragmentPattern.FindStringSubmatch(fragment)
	if sm == nil || sm[1] != sm[3] || !utf8.ValidString(fragment) {
		name := "fragment"
		if sm != nil {
			name = sm[1]
		}
		r.err = &RequestError{RequestID: id, Element: name, Field: "(fragment)", Problem: "not a request fragment from qbxml.Encode"}
	} else {
		// requestID goes first, as Add writes it.
		var b strings.Builder
		b.WriteString("<" + sm[1])
		writeAttr(&b, "requestID", id)
		b.WriteString(fragment[len(sm[1])+1:])
		r.xml = b.String()
	}
	m.reqs = append(m.reqs, r)
	return id
}

// Identity returns the id, EditSequence and record type of the first record in
// the response: the ListID of a list element or the TxnID of a transaction, and
// "Customer", "SalesReceipt", an item Type such as "ItemInventory", ... All
// three are empty when the response carries no record.
func (r *Rs) Identity() (id, editSequence, recordType string) {
	switch {
	case len(r.Customers) > 0:
		c := r.Customers[0]
		return c.ListID, c.EditSequence, "Customer"
	case len(r.Items) > 0:
		it := r.Items[0]
		return it.ListID, it.EditSequence, it.Type
	case len(r.SalesReceipts) > 0:
		t := r.SalesReceipts[0]
		return t.TxnID, t.EditSequence, "SalesReceipt"
	case len(r.Invoices) > 0:
		t := r.Invoices[0]
		return t.TxnID, t.EditSequence, "Invoice"
	case len(r.SalesOrders) > 0:
		t := r.SalesOrders[0]
		return t.TxnID, t.EditSequence, "SalesOrder"
	case len(r.Payments) > 0:
		t := r.Payments[0]
		return t.TxnID, t.EditSequence, "ReceivePayment"
	case len(r.CreditMemos) > 0:
		t := r.CreditMemos[0]
		return t.TxnID, t.EditSequence, "CreditMemo"
	case len(r.ARRefunds) > 0:
		t := r.ARRefunds[0]
		return t.TxnID, t.EditSequence, "ARRefundCreditCard"
	case len(r.Classes) > 0:
		c := r.Classes[0]
		return c.ListID, c.EditSequence, "Class"
	case len(r.ShipMethods) > 0:
		c := r.ShipMethods[0]
		return c.ListID, c.EditSequence, "ShipMethod"
	case len(r.Accounts) > 0:
		c := r.Accounts[0]
		return c.ListID, c.EditSequence, "Account"
	}
	return "", "", ""
}

// Summary renders the response's status in one line for audit trails, e.g.
// `SalesReceiptAddRs requestID=12 statusCode=0 (Info) "Status OK" SalesReceipt=1A-123 EditSequence=99`.
func (r *Rs) Summary() string {
	var b strings.Builder
	b.WriteString(r.Name + " requestID=" + r.RequestID + " statusCode=")
	b.WriteString(strconv.Itoa(r.StatusCode) + " (" + r.StatusSeverity + ") " + strconv.Quote(r.StatusMessage))
	if id, seq, typ := r.Identity(); id != "" {
		b.WriteString(" " + typ + "=" + id + " EditSequence=" + seq)
	}
	return b.String()
}
