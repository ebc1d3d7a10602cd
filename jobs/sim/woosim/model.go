package woosim

import (
	"slices"
	"time"
)

// Order is a WooCommerce order as the simulated store keeps it. Money
// fields are decimal strings exactly as the REST API prints them
// ("29.35"); times are instants, printed by the API in the store's time
// zone (date_created) and in GMT (date_created_gmt). A zero Paid or
// Completed time is printed as null.
type Order struct {
	ID         int
	ParentID   int
	Number     string // order number shown to people; "" means the ID
	OrderKey   string // "wc_order_…"
	CreatedVia string // "checkout", "admin", "rest-api"
	Version    string // WooCommerce version that last saved the order
	Status     string // pending, processing, on-hold, completed, cancelled, refunded, failed
	Currency   string

	Created   time.Time
	Modified  time.Time
	Paid      time.Time
	Completed time.Time

	DiscountTotal string
	DiscountTax   string
	ShippingTotal string
	ShippingTax   string
	CartTax       string
	Total         string
	TotalTax      string

	PricesIncludeTax  bool
	CustomerID        int // 0 for guest checkouts
	CustomerIPAddress string
	CustomerUserAgent string
	CustomerNote      string
	Billing           Address
	Shipping          Address

	PaymentMethod      string
	PaymentMethodTitle string
	TransactionID      string
	CartHash           string

	MetaData      []Meta
	LineItems     []LineItem
	TaxLines      []TaxLine
	ShippingLines []ShippingLine
	FeeLines      []FeeLine
	CouponLines   []CouponLine
	Refunds       []Refund
	Notes         []Note

	// stockReduced records WooCommerce's _order_stock_reduced flag: stock
	// for the line items has been taken and is given back on cancel.
	stockReduced bool
}

// Address is an order's billing or shipping address. Email is only
// printed for billing.
type Address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

// Meta is one meta_data entry. Value is usually a string but WooCommerce
// passes arrays and objects through unchanged. For line item meta,
// DisplayKey and DisplayValue are the human labels ("Color", "Blue");
// empty means the same as Key and Value.
type Meta struct {
	ID           int
	Key          string
	Value        any
	DisplayKey   string
	DisplayValue string
}

// Tax is one tax rate's share of an item (the item's "taxes" array).
type Tax struct {
	RateID   int
	Total    string
	Subtotal string
}

// LineItem is a product line. SKU is used when the product is not in the
// store's catalog; otherwise the API prints the product's current SKU, as
// WooCommerce does.
type LineItem struct {
	ID          int
	Name        string
	ProductID   int
	VariationID int
	Quantity    int
	TaxClass    string
	Subtotal    string // before discounts
	SubtotalTax string
	Total       string // after discounts
	TotalTax    string
	Taxes       []Tax
	MetaData    []Meta
	SKU         string
	ParentName  string // parent product name for a variation
}

// TaxLine is an order-level tax rate summary.
type TaxLine struct {
	ID               int
	RateCode         string // "US-CA-CA TAX-1"
	RateID           int
	Label            string
	Compound         bool
	TaxTotal         string // item and fee tax
	ShippingTaxTotal string
	RatePercent      float64
}

// ShippingLine is a shipping method charged on the order.
type ShippingLine struct {
	ID          int
	MethodTitle string
	MethodID    string // flat_rate, free_shipping, local_pickup
	InstanceID  string
	Total       string
	TotalTax    string
	Taxes       []Tax
	MetaData    []Meta
}

// FeeLine is a fee (gift wrapping, cash-on-delivery fee…).
type FeeLine struct {
	ID        int
	Name      string
	TaxClass  string
	TaxStatus string // taxable or none
	Amount    string
	Total     string
	TotalTax  string
	Taxes     []Tax
}

// CouponLine is a coupon applied to the order.
type CouponLine struct {
	ID            int
	Code          string
	Discount      string
	DiscountTax   string
	DiscountType  string // percent, fixed_cart, fixed_product
	NominalAmount float64
	FreeShipping  bool
}

// Refund is a refund summary; Total is negative ("-29.35").
type Refund struct {
	ID     int
	Reason string
	Total  string
}

// Note is an order note. Author is "system" for notes WooCommerce itself
// adds (and for notes added through the API without added_by_user).
type Note struct {
	ID           int
	Author       string
	Created      time.Time
	Note         string
	CustomerNote bool
}

// clone returns a deep copy, so callers never share slices with the store.
func (o Order) clone() Order {
	o.MetaData = cloneMeta(o.MetaData)
	o.LineItems = slices.Clone(o.LineItems)
	for i := range o.LineItems {
		o.LineItems[i].Taxes = slices.Clone(o.LineItems[i].Taxes)
		o.LineItems[i].MetaData = cloneMeta(o.LineItems[i].MetaData)
	}
	o.TaxLines = slices.Clone(o.TaxLines)
	o.ShippingLines = slices.Clone(o.ShippingLines)
	for i := range o.ShippingLines {
		o.ShippingLines[i].Taxes = slices.Clone(o.ShippingLines[i].Taxes)
		o.ShippingLines[i].MetaData = cloneMeta(o.ShippingLines[i].MetaData)
	}
	o.FeeLines = slices.Clone(o.FeeLines)
	for i := range o.FeeLines {
		o.FeeLines[i].Taxes = slices.Clone(o.FeeLines[i].Taxes)
	}
	o.CouponLines = slices.Clone(o.CouponLines)
	o.Refunds = slices.Clone(o.Refunds)
	o.Notes = slices.Clone(o.Notes)
	return o
}

func cloneMeta(m []Meta) []Meta { return slices.Clone(m) }

// Product is a catalog entry: a simple or variable product, or a variation
// of a variable product (Type "variation", ParentID set).
type Product struct {
	ID       int
	ParentID int    // the variable product, for a variation
	Type     string // simple, variable, variation
	Name     string // a variation's name is "Parent - Blue, M"
	SKU      string // may be empty: SKUs are optional in WooCommerce
	Status   string // publish, draft, pending, private
	// RegularPrice is the price as entered ("24.00", "19.5"); a variable
	// product has none of its own.
	RegularPrice string
	Virtual      bool
	// ManageStock turns on stock tracking. When it is off, StockQuantity
	// is nil and stock_quantity writes are ignored, as in WooCommerce.
	ManageStock   bool
	StockQuantity *int
	Backorders    string // no, notify, yes
	// StockStatus is the status of a product that does not manage stock
	// (instock, the default, outofstock or onbackorder); for a managed one
	// it is computed from the quantity.
	StockStatus string
	// Attributes: for a variable product the attribute definitions
	// (Options), for a variation the chosen Option of each.
	Attributes []Attribute
	Created    time.Time
	Modified   time.Time
}

// Attribute is a product attribute. Global attributes have an ID and a
// "pa_" slug; custom ones have ID 0.
type Attribute struct {
	ID      int
	Name    string   // "Color"
	Slug    string   // "pa_color"
	Option  string   // a variation's value ("Blue")
	Options []string // a variable product's values
}

func (p Product) clone() Product {
	p.Attributes = slices.Clone(p.Attributes)
	for i := range p.Attributes {
		p.Attributes[i].Options = slices.Clone(p.Attributes[i].Options)
	}
	if p.StockQuantity != nil {
		q := *p.StockQuantity
		p.StockQuantity = &q
	}
	return p
}
