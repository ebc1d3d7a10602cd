package posting

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// Posting is what one order becomes in QuickBooks Desktop: optionally the customer to create
// (adopted if it exists), and the sale. A paid invoice's payment is built later by Payment,
// once QuickBooks has given the invoice its TxnID.
type Posting struct {
	CustomerName string
	Customer     *qbd.Item // nil when customers are not created (single customer, or the setting is off)
	Sale         qbd.Item
	// Rounding is the residue put on the rounding line so QuickBooks' total equals the store's
	// to the cent, with why; zero when the parts add up.
	Rounding       orders.Money
	RoundingReason string
	// Notes are changes made to fit QuickBooks (shortened RefNumber, replaced characters),
	// for the audit trail.
	Notes []string
}

// StoreScope is the scope (qbd.ScopedMarker) of the documents of store connection
// connectionID: the marker on each sale names its store, so a same-numbered sale of another
// store is not taken for a duplicate.
func StoreScope(connectionID int64) string { return "S" + strconv.FormatInt(connectionID, 10) }

// CustomerName picks the QuickBooks customer for o under the matching mode of s (seed 001),
// unless a rule set o.QBCustomer. storeName is the connection's name.
func CustomerName(o orders.Order, s orders.Settings, storeName string) string {
	if strings.TrimSpace(o.QBCustomer) != "" {
		return strings.TrimSpace(o.QBCustomer)
	}
	first := firstNonEmpty(o.Customer.FirstName, o.BillTo.FirstName)
	last := firstNonEmpty(o.Customer.LastName, o.BillTo.LastName)
	person := strings.TrimSpace(first + " " + last)
	email := firstNonEmpty(o.Customer.Email, o.BillTo.Email)
	var name string
	switch s.CustomerMatch {
	case orders.MatchSingle:
		name = s.SingleCustomer
	case orders.MatchStore:
		name = storeName
	case orders.MatchEmail:
		name = email
	case orders.MatchCompany:
		name = firstNonEmpty(o.BillTo.Company, o.Customer.Company, person)
	case orders.MatchFirstLast:
		name = person
	default: // MatchLastFirst
		if last != "" && first != "" {
			name = last + ", " + first
		} else {
			name = person
		}
	}
	name = strings.TrimSpace(strings.ReplaceAll(name, ":", "-")) // ':' separates a job from its customer
	// A name QuickBooks would store as question marks (Chinese, emoji…) would collide with
	// the next such customer: use the email, else a name from the order number.
	stored := qbxml.StoredName(name, qbxml.MaxCustomerName)
	if name == "" || strings.Count(stored, "?") > strings.Count(name, "?") {
		if email != "" && s.CustomerMatch != orders.MatchEmail {
			return qbxml.StoredName(email, qbxml.MaxCustomerName)
		}
		return qbxml.StoredName("Web customer "+o.Number, qbxml.MaxCustomerName)
	}
	// The sale must refer to the customer by the name QuickBooks stores (41 characters).
	return stored
}

// ItemName is the QuickBooks item a line posts to: the item a rule or mapping chose (a full
// name, "Parent:Child" allowed), else the SKU (or, without one, the product name) as QuickBooks
// can store it — 31 Latin-1 characters, and no ':' (QuickBooks' sub-item separator).
func ItemName(l orders.Line) string {
	if strings.TrimSpace(l.ItemName) != "" {
		return qbxml.StoredName(strings.TrimSpace(l.ItemName), qbxml.MaxItemFullName)
	}
	raw := strings.TrimSpace(strings.ReplaceAll(firstNonEmpty(l.SKU, l.Name), ":", "-"))
	return strings.TrimSpace(qbxml.StoredName(raw, qbxml.MaxItemName))
}

// Build turns order o (already through rules), stored as orderID, of store connection
// connectionID (named storeName) into QuickBooks Desktop requests under settings s: the sale
// Decide computes, rendered as qbXML.
func Build(orderID, connectionID int64, o orders.Order, s orders.Settings, storeName string) (*Posting, error) {
	sale, err := Decide(orderID, connectionID, o, s, storeName)
	if err != nil {
		return nil, err
	}
	p := &Posting{CustomerName: sale.Customer, Rounding: sale.Rounding, RoundingReason: sale.RoundingReason, Notes: sale.Notes}
	if sale.NewCustomer {
		c := qbxml.CustomerAdd{Name: p.CustomerName, FirstName: sale.FirstName, LastName: sale.LastName, CompanyName: o.BillTo.Company,
			BillAddress: address(o.BillTo), ShipAddress: address(o.ShipTo), Phone: sale.Phone, Email: sale.Email}
		p.Customer = &qbd.Item{DocKey: CustomerDocKey(qbxml.StoredName(p.CustomerName, qbxml.MaxCustomerName)),
			Request: c, Lookup: &qbd.Lookup{Type: qbd.LookupCustomer, Value: p.CustomerName}}
	}
	lines := desktopLines(sale)
	ref := sale.Ref
	if stored := qbxml.StoredRefNumber(ref); stored != ref {
		p.Notes = append(p.Notes, fmt.Sprintf("RefNumber %q is longer than QuickBooks' 11 characters: posted as %q, the full number is in the memo", ref, stored))
	}
	date := qbxml.DateOf(sale.Date)
	cust := qbxml.ByName(p.CustomerName)
	marker, memo, class := sale.Marker, sale.Memo, sale.Class
	var rq qbxml.Request
	var lookup *qbd.Lookup
	switch sale.Type {
	case orders.PostInvoice:
		rq = qbxml.InvoiceAdd{CustomerRef: cust, ClassRef: refOrZero(class), TxnDate: date, RefNumber: ref,
			BillAddress: address(o.BillTo), ShipAddress: address(o.ShipTo), Memo: memo, Other: marker, Lines: lines}
		lookup = &qbd.Lookup{Type: qbd.LookupInvoice, Value: ref, Marker: marker, Date: date.String()}
	case orders.PostSalesOrder:
		rq = qbxml.SalesOrderAdd{CustomerRef: cust, ClassRef: refOrZero(class), TxnDate: date, RefNumber: ref,
			BillAddress: address(o.BillTo), ShipAddress: address(o.ShipTo), Memo: memo, Other: marker, Lines: lines}
		lookup = &qbd.Lookup{Type: qbd.LookupSalesOrder, Value: ref, Marker: marker, Date: date.String()}
	default:
		rq = qbxml.SalesReceiptAdd{CustomerRef: cust, ClassRef: refOrZero(class), TxnDate: date, RefNumber: ref,
			BillAddress: address(o.BillTo), ShipAddress: address(o.ShipTo), Memo: memo, Other: marker,
			DepositToAccountRef: qbxml.ByName(sale.DepositAccount), Lines: lines}
		lookup = &qbd.Lookup{Type: qbd.LookupSalesReceipt, Value: ref, Marker: marker, Date: date.String()}
	}
	p.Sale = qbd.Item{DocKey: sale.DocKey, Request: rq, Lookup: lookup, CheckFirst: lookup != nil}
	if _, _, err := qbxml.Encode(rq); err != nil {
		return nil, fmt.Errorf("order %s cannot be written for QuickBooks: %w", o.Number, err)
	}
	return p, nil
}

// Payment builds the ReceivePaymentAdd that pays invoice invoiceTxnID of customer for a paid
// order of store connection connectionID: the sum of its payments, at most the order's total.
// It returns nil when nothing is paid yet.
func Payment(orderID, connectionID int64, o orders.Order, s orders.Settings, customer, invoiceTxnID string) *qbd.Item {
	s = s.WithDefaults()
	amt, method := paid(o)
	if amt <= 0 {
		return nil
	}
	amount := qbxml.Ptr(qbxml.Cents(int64(amt)))
	docKey := PaymentDocKey(orderID)
	marker := qbd.ScopedMarker(docKey, StoreScope(connectionID))
	date := qbxml.DateOf(o.CreatedAt)
	rq := qbxml.ReceivePaymentAdd{CustomerRef: qbxml.ByName(customer), TxnDate: date, RefNumber: o.Number,
		TotalAmount: amount, Memo: fmt.Sprintf("Payment for %s order #%s (%s) %s", channelName(o.Channel), o.Number, method, marker),
		DepositToAccountRef: qbxml.ByName(firstNonEmpty(o.DepositAccount, s.DepositAccount)),
		AppliedToTxns:       []qbxml.AppliedToTxn{{TxnID: invoiceTxnID, PaymentAmount: amount}}}
	// Payments get the same duplicate check as sales: by number and date, against QuickBooks.
	return &qbd.Item{DocKey: docKey, Request: rq, CheckFirst: true,
		Lookup: &qbd.Lookup{Type: qbd.LookupPayment, Value: o.Number, Marker: marker, Date: date.String()}}
}

func address(a orders.Address) *qbxml.Address {
	return newAddress(a, func(l [4]string) *qbxml.Address {
		return &qbxml.Address{Addr1: l[0], Addr2: l[1], Addr3: l[2], Addr4: l[3], City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country}
	})
}

// newAddress is a's address as render makes it from its street lines (the name, the company
// and the street, those given, in order), or nil for no address.
func newAddress[T any](a orders.Address, render func(lines [4]string) *T) *T {
	if a == (orders.Address{}) {
		return nil
	}
	var lines [4]string
	i := 0
	for _, l := range []string{firstNonEmpty(a.Name, strings.TrimSpace(a.FirstName+" "+a.LastName)), a.Company, a.Line1, a.Line2} {
		if strings.TrimSpace(l) != "" {
			lines[i] = l
			i++
		}
	}
	return render(lines)
}

func refOrZero(name string) qbxml.Ref {
	if name == "" {
		return qbxml.Ref{}
	}
	return qbxml.ByName(name)
}

func channelName(c string) string {
	switch c {
	case "shopify":
		return "Shopify"
	case "woocommerce":
		return "WooCommerce"
	case "shipstation":
		return "ShipStation"
	}
	return c
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
