// Package orders holds the normalized order: the one shape every channel's order is turned into
// (Shopify, WooCommerce, ShipStation), that the rules engine reads and changes, and that
// package posting turns into QuickBooks documents. It also holds a connection's posting
// settings (plain data) and money in integer cents. It knows orders only: nothing here knows a
// channel's or QuickBooks' wire format, the database or the queue, so a store client importing
// it pulls in none of them.
package orders

import (
	"fmt"
	"time"
)

// Money is an amount in the order's currency, in cents.
type Money int64

// String formats m with two decimals, e.g. "-12.30".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Address is a postal address as the store gave it.
type Address struct {
	Name       string `json:"name,omitempty"`
	FirstName  string `json:"firstName,omitempty"`
	LastName   string `json:"lastName,omitempty"`
	Company    string `json:"company,omitempty"`
	Line1      string `json:"line1,omitempty"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"` // code where the store gives one, e.g. "CA"
	PostalCode string `json:"postalCode,omitempty"`
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2, e.g. "US"
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email,omitempty"`
}

// Customer is who bought. Guest is true for checkouts without a store account.
type Customer struct {
	ID        string `json:"id,omitempty"`
	Email     string `json:"email,omitempty"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Company   string `json:"company,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Guest     bool   `json:"guest,omitempty"`
}

// Line is one product line. Total = UnitPrice × Quantity − Discount (tax excluded).
type Line struct {
	ID           string `json:"id,omitempty"`
	SKU          string `json:"sku"`
	Name         string `json:"name"`
	VariantTitle string `json:"variantTitle,omitempty"`
	ProductID    string `json:"productId,omitempty"`
	VariantID    string `json:"variantId,omitempty"`
	Quantity     int64  `json:"quantity"`
	UnitPrice    Money  `json:"unitPrice"`
	Discount     Money  `json:"discount,omitempty"`
	Tax          Money  `json:"tax,omitempty"`
	Total        Money  `json:"total"`
	Taxable      bool   `json:"taxable,omitempty"`
	// ItemName is the QuickBooks item the line posts to; empty means "the SKU". Set by
	// product matching and Map SKU rules.
	ItemName string `json:"itemName,omitempty"`
	// HoldBack is set by INVENTORY rules only: units of this item kept from the store on top
	// of the connection's safety stock. Orders never carry it.
	HoldBack int64 `json:"holdBack,omitempty"`
}

// Shipping is how the order ships and what the customer paid for it.
type Shipping struct {
	Method  string `json:"method,omitempty"`  // as the store names it, e.g. "UPS Ground"
	Carrier string `json:"carrier,omitempty"` // e.g. "ups"
	Service string `json:"service,omitempty"` // e.g. "ups_ground"
	Amount  Money  `json:"amount,omitempty"`
	Tax     Money  `json:"tax,omitempty"`
	// BillToAccount, BillToParty, BillToPostalCode and BillToCountry bill shipping to a third
	// party (ShipStation advancedOptions).
	BillToAccount    string `json:"billToAccount,omitempty"`
	BillToParty      string `json:"billToParty,omitempty"`
	BillToPostalCode string `json:"billToPostalCode,omitempty"`
	BillToCountry    string `json:"billToCountry,omitempty"`
}

// Discount is an order-level discount (codes, automatic discounts).
type Discount struct {
	Code   string `json:"code,omitempty"`
	Amount Money  `json:"amount"`
}

// TaxLine is one tax the store charged.
type TaxLine struct {
	Name   string `json:"name"`
	Rate   string `json:"rate,omitempty"` // as given, e.g. "0.0725"
	Amount Money  `json:"amount"`
}

// Payment is money received against the order.
type Payment struct {
	Method    string    `json:"method,omitempty"`  // e.g. "credit_card", "paypal"
	Gateway   string    `json:"gateway,omitempty"` // e.g. "shopify_payments", "stripe"
	Amount    Money     `json:"amount"`
	Reference string    `json:"reference,omitempty"`
	PaidAt    time.Time `json:"paidAt,omitzero"`
}

// Refund is money (and goods) the store gave back on an order: full or partial, with or
// without restock. Total = Σ line Amount + Tax + Shipping + Adjustment; Refunded is what went
// back to the customer (the store's refund transactions), zero when nothing had been paid.
type Refund struct {
	ID        string       `json:"id"` // the store's own id
	CreatedAt time.Time    `json:"createdAt"`
	Note      string       `json:"note,omitempty"`
	Lines     []RefundLine `json:"lines,omitempty"`
	Shipping  Money        `json:"shipping,omitempty"` // shipping refunded, tax excluded
	Tax       Money        `json:"tax,omitempty"`      // tax refunded on lines and shipping
	// Adjustment is the part of the refund no line explains (an amount refunded on its own,
	// a refund discrepancy), so that Total is what the store refunded.
	Adjustment Money `json:"adjustment,omitempty"`
	Total      Money `json:"total"`
	Refunded   Money `json:"refunded"`
	// Unread, when set, says why the store's refund could not be read in full and what to
	// enter by hand: such a refund is never booked (ordersync puts it in error with this).
	Unread string `json:"unread,omitempty"`
}

// RefundLine is units of one order line given back. Restock says whether they went back into
// the store's stock (then QuickBooks' stock goes up too).
type RefundLine struct {
	LineID   string `json:"lineId,omitempty"` // the order line's ID
	SKU      string `json:"sku,omitempty"`
	Name     string `json:"name,omitempty"`
	Quantity int64  `json:"quantity"`
	Amount   Money  `json:"amount"` // tax excluded
	Tax      Money  `json:"tax,omitempty"`
	Restock  bool   `json:"restock,omitempty"`
}

// Order is a normalized store order.
type Order struct {
	Channel       string     `json:"channel"`    // shopify | woocommerce | shipstation
	ExternalID    string     `json:"externalId"` // the store's own id
	Number        string     `json:"number"`     // what people call it, e.g. "1001"
	Status        string     `json:"status"`     // the store's status, e.g. "paid", "processing"
	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt"`
	Currency      string     `json:"currency"`
	Customer      Customer   `json:"customer"`
	BillTo        Address    `json:"billTo"`
	ShipTo        Address    `json:"shipTo"`
	Lines         []Line     `json:"lines"`
	Shipping      Shipping   `json:"shipping"`
	Discounts     []Discount `json:"discounts,omitempty"`
	Taxes         []TaxLine  `json:"taxes,omitempty"`
	Payments      []Payment  `json:"payments,omitempty"`
	Refunds       []Refund   `json:"refunds,omitempty"`
	Subtotal      Money      `json:"subtotal"`
	DiscountTotal Money      `json:"discountTotal"`
	ShippingTotal Money      `json:"shippingTotal"`
	TaxTotal      Money      `json:"taxTotal"`
	Total         Money      `json:"total"`
	Note          string     `json:"note,omitempty"`
	Tags          []string   `json:"tags,omitempty"`
	// Custom holds store-specific fields found in the payload (Shopify note attributes,
	// WooCommerce meta_data, ShipStation custom fields), by key.
	Custom map[string]string `json:"custom,omitempty"`

	// Posting decisions: set by settings, matching and rules; empty means "use the default".
	Store          string `json:"store,omitempty"`          // store name (ShipStation store, QuickBooks class …)
	QBCustomer     string `json:"qbCustomer,omitempty"`     // QuickBooks customer to post to
	Class          string `json:"class,omitempty"`          // QuickBooks class
	DepositAccount string `json:"depositAccount,omitempty"` // QuickBooks deposit account
	RefPrefix      string `json:"refPrefix,omitempty"`      // prefix added to the QuickBooks RefNumber
	ShippingItem   string `json:"shippingItem,omitempty"`   // QuickBooks item for the shipping line
	ShipStatus     string `json:"shipStatus,omitempty"`     // ShipStation order status to set
	Excluded       bool   `json:"excluded,omitempty"`       // do not sync this order
	ExcludeReason  string `json:"excludeReason,omitempty"`
}
