package posting

import (
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// LineKind says what a sale line stands for.
type LineKind int

// The kinds of sale lines, in the order a sale lists them.
const (
	LineProduct LineKind = iota
	LineShipping
	LineDiscount
	LineTax
	LineRounding
)

// SaleLine is one line of a sale, whichever QuickBooks receives it.
type SaleLine struct {
	Kind LineKind
	// Item is the QuickBooks item the line posts to (ItemName for products, the settings' or a
	// rule's charge item otherwise). SKU is the store's SKU of a product line, empty otherwise:
	// QuickBooks Online finds items by SKU first.
	Item string
	// Given is the name the line was given before QuickBooks Desktop's limits (a rule's or
	// mapping's item, else the SKU, else the product name), ':' replaced: QuickBooks Online
	// takes longer names than Desktop.
	Given    string
	SKU      string
	Desc     string
	Quantity int64 // units of a product line; 0 for charge lines
	Amount   orders.Money
}

// Sale is the posting decision for one order: what the sale says, computed once, so that the
// qbXML builder (Build) and the QuickBooks Online builder render the same lines, amounts,
// customer, number and marker. It is a pure function of the order and the settings.
type Sale struct {
	OrderID, ConnectionID int64
	Number                string // the store's order number
	Channel               string
	// Type is the settings' transaction type (orders.PostSalesReceipt, PostInvoice,
	// PostSalesOrder).
	Type     string
	Customer string // the QuickBooks customer name (CustomerName)
	// NewCustomer says whether the customer is created when QuickBooks lacks it (false for a
	// single customer, the store as customer, or the setting off).
	NewCustomer    bool
	Ref            string // the full reference (SaleRef); each QuickBooks shortens it its own way
	Date           time.Time
	Memo           string
	Class          string
	DepositAccount string
	BillTo, ShipTo orders.Address
	Phone, Email   string
	FirstName      string
	LastName       string
	Lines          []SaleLine // products, shipping, discount, tax (Desktop form), rounding
	// Tax is the store's tax charged on top of the prices, also present as the LineTax line;
	// zero when prices include it. TaxNames are the store's tax lines' names.
	Tax      orders.Money
	TaxNames []string
	Total    orders.Money // the store's total: what the lines add up to
	// Rounding is the residue put on the rounding line so QuickBooks' total equals the store's
	// to the cent, with why; zero when the parts add up.
	Rounding       orders.Money
	RoundingReason string
	DocKey         string // DocKey(OrderID)
	Marker         string // the store-scoped marker of DocKey (qbd.ScopedMarker with StoreScope)
	// Paid is what the store's payments add up to, at most the total: the payment of an
	// invoice.
	Paid          orders.Money
	PaymentMethod string
	// Notes are changes made to fit QuickBooks, for the audit trail.
	Notes []string
}

// Decide computes the sale of order o (already through rules), stored as orderID, of store
// connection connectionID (named storeName) under settings s. It refuses an order with
// nothing to post.
func Decide(orderID, connectionID int64, o orders.Order, s orders.Settings, storeName string) (*Sale, error) {
	s = s.WithDefaults()
	sale := &Sale{OrderID: orderID, ConnectionID: connectionID, Number: o.Number, Channel: o.Channel,
		Type: s.TransactionType, Customer: CustomerName(o, s, storeName),
		NewCustomer: s.CustomerMatch != orders.MatchSingle && s.CustomerMatch != orders.MatchStore && s.CreateMissingCustomers,
		Ref:         SaleRef(o, s), Date: o.CreatedAt, Class: firstNonEmpty(o.Class, s.Class),
		DepositAccount: firstNonEmpty(o.DepositAccount, s.DepositAccount), BillTo: o.BillTo, ShipTo: o.ShipTo,
		Phone: firstNonEmpty(o.BillTo.Phone, o.Customer.Phone), Email: firstNonEmpty(o.Customer.Email, o.BillTo.Email),
		FirstName: firstNonEmpty(o.Customer.FirstName, o.BillTo.FirstName), LastName: firstNonEmpty(o.Customer.LastName, o.BillTo.LastName),
		Total: o.Total, DocKey: DocKey(orderID)}
	sale.Marker = qbd.ScopedMarker(sale.DocKey, StoreScope(connectionID))
	sale.Memo = fmt.Sprintf("%s order #%s", channelName(o.Channel), o.Number)
	if o.Note != "" {
		sale.Memo += " — " + o.Note
	}
	var posted orders.Money
	sale.Lines, posted = saleLines(o, s)
	if o.TaxTotal != 0 && o.Custom["taxes_included"] != "true" {
		sale.Tax = o.TaxTotal
		for _, t := range o.Taxes {
			sale.TaxNames = append(sale.TaxNames, t.Name)
		}
	}
	for _, l := range o.Lines {
		if item, given := ItemName(l), firstNonEmpty(l.ItemName, l.SKU, l.Name); item != given {
			sale.Notes = append(sale.Notes, fmt.Sprintf("Item %q cannot be a QuickBooks item name as it is: matched as %q", given, item))
		}
	}
	// QuickBooks must show the store's total to the cent; whatever the parts do not explain
	// (store rounding, tax-inclusive prices) goes on a visible rounding line.
	if residue := o.Total - posted; residue != 0 {
		sale.Rounding = residue
		sale.RoundingReason = fmt.Sprintf("the lines, shipping, tax and discounts add up to %s but the store's total is %s", posted, o.Total)
		sale.Lines = append(sale.Lines, SaleLine{Kind: LineRounding, Item: s.RoundingItem, Desc: "Rounding to match the store total", Amount: residue})
	}
	if len(sale.Lines) == 0 {
		return nil, fmt.Errorf("order %s has no lines, shipping or tax to post", o.Number)
	}
	if o.TaxTotal != 0 && o.Custom["taxes_included"] == "true" {
		sale.Notes = append(sale.Notes, fmt.Sprintf("Prices include %s of tax; it is part of the line amounts, not a separate line.", o.TaxTotal))
	}
	sale.Paid, sale.PaymentMethod = paid(o)
	return sale, nil
}

// paid is what o's payments add up to, at most its total, and the first payment method named.
func paid(o orders.Order) (orders.Money, string) {
	var sum orders.Money
	method := ""
	for _, p := range o.Payments {
		sum += p.Amount
		method = firstNonEmpty(method, p.Method)
	}
	return min(sum, o.Total), method
}

// saleLines builds the product, shipping, tax and order-level discount lines and returns what
// they add up to. The store's tax is a line of its own, so QuickBooks computes no tax of its
// own and the total is the store's.
func saleLines(o orders.Order, s orders.Settings) ([]SaleLine, orders.Money) {
	var lines []SaleLine
	var sum, lineDiscounts orders.Money
	for _, l := range o.Lines {
		desc := l.Name
		if l.VariantTitle != "" && !strings.Contains(desc, l.VariantTitle) {
			desc += " - " + l.VariantTitle
		}
		sku := ""
		if strings.TrimSpace(l.ItemName) == "" {
			sku = strings.TrimSpace(l.SKU)
		}
		given := strings.TrimSpace(strings.ReplaceAll(firstNonEmpty(l.ItemName, l.SKU, l.Name), ":", "-"))
		lines = append(lines, SaleLine{Kind: LineProduct, Item: ItemName(l), Given: given, SKU: sku, Desc: desc, Quantity: l.Quantity,
			Amount: l.Total})
		sum += l.Total
		lineDiscounts += l.Discount
	}
	if o.ShippingTotal != 0 {
		lines = append(lines, SaleLine{Kind: LineShipping, Item: firstNonEmpty(o.ShippingItem, s.ShippingItem),
			Desc: firstNonEmpty(o.Shipping.Method, "Shipping"), Amount: o.ShippingTotal})
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
		lines = append(lines, SaleLine{Kind: LineDiscount, Item: s.DiscountItem, Desc: desc, Amount: -orderLevel})
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
		lines = append(lines, SaleLine{Kind: LineTax, Item: s.TaxItem, Desc: desc, Amount: o.TaxTotal})
		sum += o.TaxTotal
	}
	return lines, sum
}

// desktopLines renders the sale's lines as qbXML lines, every one non-taxable.
func desktopLines(sale *Sale) []qbxml.Line {
	non := qbxml.ByName("Non")
	out := make([]qbxml.Line, 0, len(sale.Lines))
	for _, l := range sale.Lines {
		line := qbxml.Line{ItemRef: qbxml.ByName(l.Item), Desc: l.Desc, Amount: qbxml.Ptr(qbxml.Cents(int64(l.Amount))), SalesTaxCodeRef: non}
		if l.Kind == LineProduct && l.Quantity != 0 {
			line.Quantity = qbxml.Ptr(qbxml.Units(l.Quantity))
		}
		out = append(out, line)
	}
	return out
}
