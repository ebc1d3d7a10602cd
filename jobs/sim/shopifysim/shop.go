package shopifysim

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is returned by the Server's data methods when no order, SKU or
// location matches.
var ErrNotFound = errors.New("shopify sim: not found")

// Money is an amount in the shop currency, in cents.
type Money int64

// Decimal formats m the way Shopify's Decimal scalar does: the shortest
// decimal with at least one fractional digit, e.g. "25.0", "24.99", "101.5",
// "0.0", "-3.25".
func (m Money) Decimal() string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	frac := v % 100
	switch {
	case frac == 0:
		return fmt.Sprintf("%s%d.0", sign, v/100)
	case frac%10 == 0:
		return fmt.Sprintf("%s%d.%d", sign, v/100, frac/10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, frac)
}

// restDecimal formats m the way REST payloads do ("25.00").
func (m Money) restDecimal() string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Address is a MailingAddress.
type Address struct {
	FirstName    string
	LastName     string
	Company      string
	Address1     string
	Address2     string
	City         string
	Province     string // e.g. "California"
	ProvinceCode string // e.g. "CA"
	Zip          string
	Country      string // e.g. "United States"
	CountryCode  string // ISO 3166-1 alpha-2, e.g. "US" (countryCodeV2)
	Phone        string
}

// Name is "First Last" as Shopify's MailingAddress.name.
func (a Address) Name() string { return strings.TrimSpace(a.FirstName + " " + a.LastName) }

// Customer is a store account. An order without one is a guest checkout.
type Customer struct {
	ID        int64 // assigned when 0
	FirstName string
	LastName  string
	Email     string
	Phone     string // E.164, e.g. "+16135550123"
}

// Attribute is a key/value pair (order customAttributes, line item properties).
type Attribute struct{ Key, Value string }

// TaxLine is one tax charged on a line, a shipping line or (summed) the order.
type TaxLine struct {
	Title  string  // e.g. "CA State Tax"
	Rate   float64 // e.g. 0.0725
	Amount Money
}

// DiscountAllocation is the part of a discount application's amount that
// landed on one line item.
type DiscountAllocation struct {
	Application int // index into Order.DiscountApplications
	Amount      Money
}

// LineItem is one product line of an order.
type LineItem struct {
	ID                int64 // assigned when 0
	SKU               string
	Title             string // product title at order time
	VariantTitle      string // "" for products without variants
	Vendor            string
	ProductID         int64 // 0 for custom items
	VariantID         int64 // 0 for custom items
	Quantity          int
	RefundedQuantity  int // quantity removed by refunds; currentQuantity = Quantity-RefundedQuantity
	FulfilledQuantity int
	UnitPrice         Money // original unit price, before discounts
	Taxable           bool
	RequiresShipping  bool
	GiftCard          bool
	TaxLines          []TaxLine
	Discounts         []DiscountAllocation
	Properties        []Attribute
}

// Name is the product title followed by " - variant title", as LineItem.name.
func (l LineItem) Name() string {
	if l.VariantTitle == "" || l.VariantTitle == "Default Title" {
		return l.Title
	}
	return l.Title + " - " + l.VariantTitle
}

// lineLevelDiscount sums the allocations of discounts that Shopify counts as
// line-level (not code-based, not targeting all lines): these are what
// LineItem.totalDiscountSet and discountedUnitPriceSet include.
func (l LineItem) lineLevelDiscount(apps []DiscountApplication) Money {
	var sum Money
	for _, d := range l.Discounts {
		if d.Application >= 0 && d.Application < len(apps) && apps[d.Application].lineLevel() {
			sum += d.Amount
		}
	}
	return sum
}

func (l LineItem) allDiscounts() Money {
	var sum Money
	for _, d := range l.Discounts {
		sum += d.Amount
	}
	return sum
}

// ShippingLine is a shipping method the customer paid for.
type ShippingLine struct {
	ID                int64 // assigned when 0
	Title             string
	Code              string
	Source            string // e.g. "shopify", "usps"
	CarrierIdentifier string
	Price             Money // before discounts and tax
	Discount          Money // shipping discount (free-shipping codes)
	TaxLines          []TaxLine
}

// Discount kinds, the DiscountApplication implementations of the schema.
const (
	DiscountCode      = "DiscountCodeApplication"
	DiscountAutomatic = "AutomaticDiscountApplication"
	DiscountManual    = "ManualDiscountApplication"
	DiscountScript    = "ScriptDiscountApplication"
)

// DiscountApplication is a discount applied to the order.
type DiscountApplication struct {
	Kind             string  // one of the Discount* constants (default DiscountCode)
	Code             string  // for DiscountCode
	Title            string  // for automatic, manual and script discounts
	Description      string  // for manual discounts
	Percentage       float64 // value when > 0, e.g. 10 for 10%
	Amount           Money   // value when Percentage == 0
	TargetSelection  string  // ALL (default), ENTITLED or EXPLICIT
	TargetType       string  // LINE_ITEM (default) or SHIPPING_LINE
	AllocationMethod string  // ACROSS (default) or EACH
}

func (d DiscountApplication) kind() string {
	if d.Kind == "" {
		return DiscountCode
	}
	return d.Kind
}

func (d DiscountApplication) lineLevel() bool {
	return d.kind() != DiscountCode && d.TargetSelection != "" && d.TargetSelection != "ALL"
}

// Transaction is an OrderTransaction.
type Transaction struct {
	ID          int64  // assigned when 0
	Kind        string // SALE, AUTHORIZATION, CAPTURE, VOID, REFUND
	Status      string // SUCCESS, PENDING, FAILURE, ERROR
	Gateway     string // e.g. "shopify_payments", "paypal", "manual"
	Amount      Money
	ProcessedAt time.Time
	Test        bool
}

// Order is a Shopify order. The zero time means "null" for CancelledAt and
// ClosedAt.
type Order struct {
	ID                   int64  // legacyResourceId; assigned when 0
	Number               int    // order number; assigned (1001, 1002, …) when 0
	Name                 string // default "#<Number>"
	CreatedAt            time.Time
	UpdatedAt            time.Time
	ProcessedAt          time.Time
	CancelledAt          time.Time
	CancelReason         string // OrderCancelReason, e.g. "CUSTOMER"
	ClosedAt             time.Time
	FinancialStatus      string // OrderDisplayFinancialStatus (default "PAID")
	FulfillmentStatus    string // OrderDisplayFulfillmentStatus (default "UNFULFILLED")
	Email                string
	Phone                string
	Note                 string
	Tags                 []string
	CustomAttributes     []Attribute
	Customer             *Customer // nil for guest checkouts
	BillingAddress       *Address
	ShippingAddress      *Address
	LineItems            []LineItem
	ShippingLines        []ShippingLine
	DiscountApplications []DiscountApplication
	Transactions         []Transaction
	Refunds              []Refund // RefundOrder adds them
	TaxesIncluded        bool
	Test                 bool
	SourceName           string // e.g. "web", "pos", "shopify_draft_order"
	PONumber             string
	Currency             string // default: the shop currency
}

// DiscountCodes lists the codes of the order's code discounts.
func (o *Order) DiscountCodes() []string {
	codes := []string{}
	for _, d := range o.DiscountApplications {
		if d.kind() == DiscountCode && d.Code != "" {
			codes = append(codes, d.Code)
		}
	}
	return codes
}

// LineItemsTotal is Σ unit price × quantity, before discounts.
func (o *Order) LineItemsTotal() Money {
	var sum Money
	for _, l := range o.LineItems {
		sum += l.UnitPrice * Money(l.Quantity)
	}
	return sum
}

// TotalDiscounts is every discount allocated to lines plus shipping discounts.
func (o *Order) TotalDiscounts() Money {
	var sum Money
	for _, l := range o.LineItems {
		sum += l.allDiscounts()
	}
	for _, s := range o.ShippingLines {
		sum += s.Discount
	}
	return sum
}

// Subtotal is the line items after all line discounts (subtotalPriceSet).
func (o *Order) Subtotal() Money {
	var sum Money
	for _, l := range o.LineItems {
		sum += l.UnitPrice*Money(l.Quantity) - l.allDiscounts()
	}
	return sum
}

// TotalShipping is Σ shipping prices before discounts (totalShippingPriceSet).
func (o *Order) TotalShipping() Money {
	var sum Money
	for _, s := range o.ShippingLines {
		sum += s.Price
	}
	return sum
}

// TotalTax is every tax line of lines and shipping lines.
func (o *Order) TotalTax() Money {
	var sum Money
	for _, l := range o.LineItems {
		for _, t := range l.TaxLines {
			sum += t.Amount
		}
	}
	for _, s := range o.ShippingLines {
		for _, t := range s.TaxLines {
			sum += t.Amount
		}
	}
	return sum
}

// Total is subtotal + shipping − shipping discounts + tax (tax only when not
// already included in prices).
func (o *Order) Total() Money {
	t := o.Subtotal() + o.TotalShipping()
	for _, s := range o.ShippingLines {
		t -= s.Discount
	}
	if !o.TaxesIncluded {
		t += o.TotalTax()
	}
	return t
}

// TotalRefunded sums successful REFUND transactions.
func (o *Order) TotalRefunded() Money {
	var sum Money
	for _, t := range o.Transactions {
		if t.Kind == "REFUND" && t.Status == "SUCCESS" {
			sum += t.Amount
		}
	}
	return sum
}

// TotalReceived is money captured (SALE/CAPTURE) minus refunds.
func (o *Order) TotalReceived() Money {
	var sum Money
	for _, t := range o.Transactions {
		if t.Status != "SUCCESS" {
			continue
		}
		switch t.Kind {
		case "SALE", "CAPTURE":
			sum += t.Amount
		case "REFUND":
			sum -= t.Amount
		}
	}
	return sum
}

// TaxLines merges line and shipping tax lines by title and rate, as
// Order.taxLines does.
func (o *Order) TaxLines() []TaxLine {
	var out []TaxLine
	add := func(t TaxLine) {
		for i := range out {
			if out[i].Title == t.Title && out[i].Rate == t.Rate {
				out[i].Amount += t.Amount
				return
			}
		}
		out = append(out, t)
	}
	for _, l := range o.LineItems {
		for _, t := range l.TaxLines {
			add(t)
		}
	}
	for _, s := range o.ShippingLines {
		for _, t := range s.TaxLines {
			add(t)
		}
	}
	return out
}

// clone deep-copies o so callers never share memory with the shop.
func (o *Order) clone() *Order {
	c := *o
	c.Tags = slices.Clone(o.Tags)
	c.CustomAttributes = slices.Clone(o.CustomAttributes)
	if o.Customer != nil {
		cu := *o.Customer
		c.Customer = &cu
	}
	if o.BillingAddress != nil {
		a := *o.BillingAddress
		c.BillingAddress = &a
	}
	if o.ShippingAddress != nil {
		a := *o.ShippingAddress
		c.ShippingAddress = &a
	}
	c.Refunds = make([]Refund, len(o.Refunds))
	for i, r := range o.Refunds {
		r.Lines = slices.Clone(r.Lines)
		c.Refunds[i] = r
	}
	c.LineItems = make([]LineItem, len(o.LineItems))
	for i, l := range o.LineItems {
		l.TaxLines = slices.Clone(l.TaxLines)
		l.Discounts = slices.Clone(l.Discounts)
		l.Properties = slices.Clone(l.Properties)
		c.LineItems[i] = l
	}
	c.ShippingLines = make([]ShippingLine, len(o.ShippingLines))
	for i, s := range o.ShippingLines {
		s.TaxLines = slices.Clone(s.TaxLines)
		c.ShippingLines[i] = s
	}
	c.DiscountApplications = slices.Clone(o.DiscountApplications)
	c.Transactions = slices.Clone(o.Transactions)
	return &c
}

// Product is a catalog product with its variants.
type Product struct {
	ID          int64 // assigned when 0
	Title       string
	Handle      string // default: derived from Title
	Vendor      string
	ProductType string
	Variants    []Variant
}

// Variant is a ProductVariant; each has one inventory item.
type Variant struct {
	ID              int64 // assigned when 0
	ProductID       int64 // set by AddProduct
	SKU             string
	Title           string // "Default Title" for single-variant products
	Barcode         string
	Price           Money
	InventoryItemID int64 // assigned when 0
	Untracked       bool  // inventory not tracked (InventoryItem.tracked false)
	NoShipping      bool  // nothing to ship: gift cards, digital goods (InventoryItem.requiresShipping false)
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Location is an inventory location.
type Location struct {
	ID                   int64 // assigned when 0
	Name                 string
	Active               bool
	FulfillsOnlineOrders bool
}

// level is the inventory of one item at one location.
type level struct {
	available int
	committed int
	updatedAt time.Time
}

func (l *level) onHand() int { return l.available + l.committed }

// ID bases: realistic magnitudes (above 2^32, below 2^53) so clients that
// store IDs in int32 or float32 fail in tests as they would in production.
const (
	baseOrderID       = 5_712_000_000_000
	baseLineItemID    = 14_210_000_000_000
	baseShippingID    = 4_630_000_000_000
	baseCustomerID    = 7_381_000_000_000
	baseProductID     = 8_021_000_000_000
	baseVariantID     = 44_310_000_000_000
	baseInventoryID   = 46_420_000_000_000
	baseLocationID    = 71_230_000_000
	baseTransactionID = 6_917_000_000_000
	baseAddressID     = 9_120_000_000_000
	baseAdjustmentID  = 31_560_000_000_000
	baseRefundID      = 9_840_000_000_000
)

// gid builds a Shopify global ID, e.g. gid://shopify/Order/5712000000001.
func gid(typ string, id int64) string {
	return "gid://shopify/" + typ + "/" + strconv.FormatInt(id, 10)
}

// parseGID returns the numeric id of a gid of the given type.
func parseGID(typ, s string) (int64, bool) {
	rest, ok := strings.CutPrefix(s, "gid://shopify/"+typ+"/")
	if !ok {
		return 0, false
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil && n > 0
}
