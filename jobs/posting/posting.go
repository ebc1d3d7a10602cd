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
// connectionID (named storeName) into QuickBooks requests under settings s.
func Build(orderID, connectionID int64, o orders.Order, s orders.Settings, storeName string) (*Posting, error) {
	s = s.WithDefaults()
	p := &Posting{CustomerName: CustomerName(o, s, storeName)}
	if s.CustomerMatch != orders.MatchSingle && s.CustomerMatch != orders.MatchStore && s.CreateMissingCustomers {
		c := qbxml.CustomerAdd{Name: p.CustomerName, FirstName: firstNonEmpty(o.Customer.FirstName, o.BillTo.FirstName),
			LastName: firstNonEmpty(o.Customer.LastName, o.BillTo.LastName), CompanyName: o.BillTo.Company,
			BillAddress: address(o.BillTo), ShipAddress: address(o.ShipTo),
			Phone: firstNonEmpty(o.BillTo.Phone, o.Customer.Phone), Email: firstNonEmpty(o.Customer.Email, o.BillTo.Email)}
		p.Customer = &qbd.Item{DocKey: CustomerDocKey(qbxml.StoredName(p.CustomerName, qbxml.MaxCustomerName)),
			Request: c, Lookup: &qbd.Lookup{Type: qbd.LookupCustomer, Value: p.CustomerName}}
	}

	lines, posted := saleLines(o, s)
	for _, l := range o.Lines {
		if item, given := ItemName(l), firstNonEmpty(l.ItemName, l.SKU, l.Name); item != given {
			p.Notes = append(p.Notes, fmt.Sprintf("Item %q cannot be a QuickBooks item name as it is: matched as %q", given, item))
		}
	}
	// QuickBooks must show the store's total to the cent; whatever the parts do not explain
	// (store rounding, tax-inclusive prices) goes on a visible rounding line.
	if residue := o.Total - posted; residue != 0 {
		p.Rounding = residue
		p.RoundingReason = fmt.Sprintf("the lines, shipping, tax and discounts add up to %s but the store's total is %s", posted, o.Total)
		lines = append(lines, qbxml.Line{ItemRef: qbxml.ByName(s.RoundingItem), Desc: "Rounding to match the store total",
			Amount: qbxml.Ptr(qbxml.Cents(int64(residue))), SalesTaxCodeRef: qbxml.ByName("Non")})
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("order %s has no lines, shipping or tax to post", o.Number)
	}

	if o.TaxTotal != 0 && o.Custom["taxes_included"] == "true" {
		p.Notes = append(p.Notes, fmt.Sprintf("Prices include %s of tax; it is part of the line amounts, not a separate line.", o.TaxTotal))
	}
	ref := SaleRef(o, s)
	if stored := qbxml.StoredRefNumber(ref); stored != ref {
		p.Notes = append(p.Notes, fmt.Sprintf("RefNumber %q is longer than QuickBooks' 11 characters: posted as %q, the full number is in the memo", ref, stored))
	}
	docKey := DocKey(orderID)
	memo := fmt.Sprintf("%s order #%s", channelName(o.Channel), o.Number)
	if o.Note != "" {
		memo += " — " + o.Note
	}
	date := qbxml.DateOf(o.CreatedAt)
	class := firstNonEmpty(o.Class, s.Class)
	cust := qbxml.ByName(p.CustomerName)
	marker := qbd.ScopedMarker(docKey, StoreScope(connectionID))
	var rq qbxml.Request
	var lookup *qbd.Lookup
	switch s.TransactionType {
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
			DepositToAccountRef: qbxml.ByName(firstNonEmpty(o.DepositAccount, s.DepositAccount)), Lines: lines}
		lookup = &qbd.Lookup{Type: qbd.LookupSalesReceipt, Value: ref, Marker: marker, Date: date.String()}
	}
	p.Sale = qbd.Item{DocKey: docKey, Request: rq, Lookup: lookup, CheckFirst: lookup != nil}
	if _, _, err := qbxml.Encode(rq); err != nil {
		return nil, fmt.Errorf("order %s cannot be written for QuickBooks: %w", o.Number, err)
	}
	return p, nil
}

// saleLines builds the product, shipping, tax and order-level discount lines and returns what
// they add up to. Every line is non-taxable: the store's tax is posted as its own line, so
// QuickBooks computes no tax of its own and the total is the store's.
func saleLines(o orders.Order, s orders.Settings) ([]qbxml.Line, orders.Money) {
	var lines []qbxml.Line
	var sum, lineDiscounts orders.Money
	non := qbxml.ByName("Non")
	for _, l := range o.Lines {
		item := ItemName(l)
		desc := l.Name
		if l.VariantTitle != "" && !strings.Contains(desc, l.VariantTitle) {
			desc += " - " + l.VariantTitle
		}
		line := qbxml.Line{ItemRef: qbxml.ByName(item), Desc: desc, Amount: qbxml.Ptr(qbxml.Cents(int64(l.Total))), SalesTaxCodeRef: non}
		if l.Quantity != 0 {
			line.Quantity = qbxml.Ptr(qbxml.Units(l.Quantity))
		}
		lines = append(lines, line)
		sum += l.Total
		lineDiscounts += l.Discount
	}
	if o.ShippingTotal != 0 {
		desc := firstNonEmpty(o.Shipping.Method, "Shipping")
		lines = append(lines, qbxml.Line{ItemRef: qbxml.ByName(firstNonEmpty(o.ShippingItem, s.ShippingItem)), Desc: desc, Amount: qbxml.Ptr(qbxml.Cents(int64(o.ShippingTotal))), SalesTaxCodeRef: non})
		sum += o.ShippingTotal
	}
	// Discounts already taken off the line totals are not taken off again.
	if orderLevel := o.DiscountTotal - lineDiscounts; orderLevel > 0 {
		var codes []string
		for _, d := range o.Discounts {
			if d.Code != "" {
				codes = append(codes, d.Code)
			}
		}
		desc := "Discount"
		if len(codes) > 0 {
			desc += " " + strings.Join(codes, ", ")
		}
		lines = append(lines, qbxml.Line{ItemRef: qbxml.ByName(s.DiscountItem), Desc: desc, Amount: qbxml.Ptr(qbxml.Cents(-int64(orderLevel))), SalesTaxCodeRef: non})
		sum -= orderLevel
	}
	// With tax-inclusive prices (Shopify taxesIncluded, WooCommerce prices_include_tax) the
	// lines already hold the tax: posting it again would charge it twice.
	if o.TaxTotal != 0 && o.Custom["taxes_included"] != "true" {
		var names []string
		for _, t := range o.Taxes {
			names = append(names, t.Name)
		}
		desc := "Sales tax"
		if len(names) > 0 {
			desc += " (" + strings.Join(names, ", ") + ")"
		}
		lines = append(lines, qbxml.Line{ItemRef: qbxml.ByName(s.TaxItem), Desc: desc, Amount: qbxml.Ptr(qbxml.Cents(int64(o.TaxTotal))), SalesTaxCodeRef: non})
		sum += o.TaxTotal
	}
	return lines, sum
}

// Payment builds the ReceivePaymentAdd that pays invoice invoiceTxnID of customer for a paid
// order of store connection connectionID: the sum of its payments, at most the order's total.
// It returns nil when nothing is paid yet.
func Payment(orderID, connectionID int64, o orders.Order, s orders.Settings, customer, invoiceTxnID string) *qbd.Item {
	s = s.WithDefaults()
	var paid orders.Money
	method := ""
	for _, p := range o.Payments {
		paid += p.Amount
		method = firstNonEmpty(method, p.Method)
	}
	if paid <= 0 {
		return nil
	}
	amount := qbxml.Ptr(qbxml.Cents(int64(min(paid, o.Total))))
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
	if a == (orders.Address{}) {
		return nil
	}
	name := firstNonEmpty(a.Name, strings.TrimSpace(a.FirstName+" "+a.LastName))
	out := &qbxml.Address{City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country}
	lines := []string{}
	for _, l := range []string{name, a.Company, a.Line1, a.Line2} {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	dst := []*string{&out.Addr1, &out.Addr2, &out.Addr3, &out.Addr4}
	for i, l := range lines {
		*dst[i] = l
	}
	return out
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
