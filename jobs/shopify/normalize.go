package shopify

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Channel is Order.Channel for Shopify orders.
const Channel = "shopify"

// Keys this package sets in Order.Custom besides the order's own custom
// attributes (which keep their keys; these win on a clash).
const (
	// CustomTaxesIncluded is "true" when the shop's prices include tax
	// (taxesIncluded): the order's money is then gross (see README.md).
	CustomTaxesIncluded = "taxes_included"
	CustomFulfillment   = "fulfillment_status" // lower-case displayFulfillmentStatus
	CustomCancelledAt   = "cancelled_at"       // RFC 3339, when cancelled
	CustomCancelReason  = "cancel_reason"      // lower case, when cancelled
	CustomSourceName    = "source_name"        // web, pos, shopify_draft_order, …
	CustomPONumber      = "po_number"
	CustomTest          = "test" // "true" for test orders
)

// money is a MoneyBag as selected ({shopMoney {amount}}); the amount is a
// Decimal string ("25.0", "24.99") read exactly into cents.
type money struct {
	ShopMoney struct {
		Amount decimal `json:"amount"`
	} `json:"shopMoney"`
}

func (m *money) cents() orders.Money {
	if m == nil {
		return 0
	}
	return orders.Money(m.ShopMoney.Amount)
}

type gqlAddress struct {
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
	Company      string `json:"company"`
	Address1     string `json:"address1"`
	Address2     string `json:"address2"`
	City         string `json:"city"`
	Province     string `json:"province"`
	ProvinceCode string `json:"provinceCode"`
	Zip          string `json:"zip"`
	CountryCode  string `json:"countryCodeV2"`
	Phone        string `json:"phone"`
}

type allocation struct {
	AllocatedAmountSet  money `json:"allocatedAmountSet"`
	DiscountApplication struct {
		Index int `json:"index"`
	} `json:"discountApplication"`
}

type taxLine struct {
	Title    string      `json:"title"`
	Rate     json.Number `json:"rate"`
	PriceSet money       `json:"priceSet"`
}

type gqlLine struct {
	ID                   string       `json:"id"`
	SKU                  string       `json:"sku"`
	Name                 string       `json:"name"`
	VariantTitle         string       `json:"variantTitle"`
	Quantity             int64        `json:"quantity"`
	Taxable              bool         `json:"taxable"`
	OriginalUnitPriceSet money        `json:"originalUnitPriceSet"`
	DiscountAllocations  []allocation `json:"discountAllocations"`
	TaxLines             []taxLine    `json:"taxLines"`
	Variant              *struct {
		ID  string `json:"id"`
		SKU string `json:"sku"`
	} `json:"variant"`
	Product *struct {
		ID string `json:"id"`
	} `json:"product"`
}

type gqlShipping struct {
	Title               string       `json:"title"`
	Code                string       `json:"code"`
	Source              string       `json:"source"`
	CarrierIdentifier   string       `json:"carrierIdentifier"`
	OriginalPriceSet    money        `json:"originalPriceSet"`
	TaxLines            []taxLine    `json:"taxLines"`
	DiscountAllocations []allocation `json:"discountAllocations"`
}

type gqlDiscount struct {
	Typename string `json:"__typename"`
	Index    int    `json:"index"`
	Code     string `json:"code"`
	Title    string `json:"title"`
}

// gqlOrder is the order node the orders query selects.
type gqlOrder struct {
	ID                       string     `json:"id"`
	LegacyResourceID         string     `json:"legacyResourceId"`
	Name                     string     `json:"name"`
	CreatedAt                time.Time  `json:"createdAt"`
	UpdatedAt                time.Time  `json:"updatedAt"`
	CancelledAt              *time.Time `json:"cancelledAt"`
	CancelReason             string     `json:"cancelReason"`
	DisplayFinancialStatus   string     `json:"displayFinancialStatus"`
	DisplayFulfillmentStatus string     `json:"displayFulfillmentStatus"`
	Email                    string     `json:"email"`
	Phone                    string     `json:"phone"`
	CurrencyCode             string     `json:"currencyCode"`
	TaxesIncluded            bool       `json:"taxesIncluded"`
	Test                     bool       `json:"test"`
	SourceName               string     `json:"sourceName"`
	PONumber                 string     `json:"poNumber"`
	Note                     string     `json:"note"`
	Tags                     []string   `json:"tags"`
	CustomAttributes         []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"customAttributes"`
	Customer *struct {
		LegacyResourceID string `json:"legacyResourceId"`
		FirstName        string `json:"firstName"`
		LastName         string `json:"lastName"`
		Email            string `json:"email"`
		Phone            string `json:"phone"`
	} `json:"customer"`
	BillingAddress        *gqlAddress       `json:"billingAddress"`
	ShippingAddress       *gqlAddress       `json:"shippingAddress"`
	LineItems             conn[gqlLine]     `json:"lineItems"`
	ShippingLines         conn[gqlShipping] `json:"shippingLines"`
	DiscountApplications  conn[gqlDiscount] `json:"discountApplications"`
	TaxLines              []taxLine         `json:"taxLines"`
	SubtotalPriceSet      money             `json:"subtotalPriceSet"`
	TotalDiscountsSet     money             `json:"totalDiscountsSet"`
	TotalShippingPriceSet money             `json:"totalShippingPriceSet"`
	TotalTaxSet           money             `json:"totalTaxSet"`
	TotalPriceSet         money             `json:"totalPriceSet"`
	Refunds               []gqlRefund       `json:"refunds"`
	Transactions          []struct {
		ID          string    `json:"id"`
		Kind        string    `json:"kind"`
		Status      string    `json:"status"`
		Gateway     string    `json:"gateway"`
		ProcessedAt time.Time `json:"processedAt"`
		AmountSet   money     `json:"amountSet"`
	} `json:"transactions"`
}

// gqlRefund is one of an order's refunds as refundsQuery reads it (readRefunds: all its lines).
type gqlRefund struct {
	LegacyResourceID string    `json:"legacyResourceId"`
	CreatedAt        time.Time `json:"createdAt"`
	Note             string    `json:"note"`
	TotalRefundedSet money     `json:"totalRefundedSet"`
	RefundLineItems  conn[struct {
		Quantity    int64  `json:"quantity"`
		RestockType string `json:"restockType"`
		LineItem    struct {
			ID   string `json:"id"`
			SKU  string `json:"sku"`
			Name string `json:"name"`
		} `json:"lineItem"`
		SubtotalSet money `json:"subtotalSet"`
		TotalTaxSet money `json:"totalTaxSet"`
	}] `json:"refundLineItems"`
}

// refund normalizes one refund. Shopify's refund lists the lines it gives back; what the money
// sent back (totalRefundedSet) does not explain by them — shipping, an amount refunded on its
// own — is its Adjustment, so Total is the refund's value. A refund of an order never paid
// sends nothing back: its lines are still credited.
func refund(r gqlRefund) orders.Refund {
	out := orders.Refund{ID: r.LegacyResourceID, CreatedAt: r.CreatedAt.UTC(), Note: r.Note, Refunded: r.TotalRefundedSet.cents()}
	var lines orders.Money
	for _, l := range r.RefundLineItems.all() {
		rl := orders.RefundLine{LineID: legacyID(l.LineItem.ID), SKU: l.LineItem.SKU, Name: l.LineItem.Name, Quantity: l.Quantity,
			Amount: l.SubtotalSet.cents(), Tax: l.TotalTaxSet.cents(), Restock: l.RestockType != "" && l.RestockType != "NO_RESTOCK"}
		out.Lines = append(out.Lines, rl)
		out.Tax += rl.Tax
		lines += rl.Amount + rl.Tax
	}
	if out.Refunded > lines {
		out.Adjustment = out.Refunded - lines
	}
	out.Total = lines + out.Adjustment
	return out
}

// conn is a connection selected with nodes { … } or edges { node { … } }.
type conn[T any] struct {
	Nodes []T `json:"nodes"`
	Edges []struct {
		Node T `json:"node"`
	} `json:"edges"`
}

func (c conn[T]) all() []T {
	if len(c.Nodes) > 0 || len(c.Edges) == 0 {
		return c.Nodes
	}
	out := make([]T, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// Normalize turns one GraphQL order node (the selection of the orders query;
// extra fields are ignored) into an orders.Order. README.md lists which
// field feeds which and how the totals add up. An order whose amounts
// QuickBooks cannot hold is refused (orders.CheckAmounts, wrapping
// orders.ErrAmount).
func Normalize(raw json.RawMessage) (orders.Order, error) {
	var w gqlOrder
	if err := json.Unmarshal(raw, &w); err != nil {
		return orders.Order{}, fmt.Errorf("shopify: order is not the GraphQL shape expected: %w", err)
	}
	if w.ID == "" && w.LegacyResourceID == "" {
		return orders.Order{}, errors.New("shopify: order without an id")
	}
	o := normalize(&w)
	if o.ExternalID == "" {
		// Orders are stored by id: a gid without one ("gid://shopify/Order/") names no order.
		return orders.Order{}, fmt.Errorf("shopify: order id %q names no order", w.ID)
	}
	if err := orders.CheckAmounts(o); err != nil {
		return orders.Order{}, fmt.Errorf("shopify: order %s: %w", o.ExternalID, err)
	}
	return o, nil
}

func normalize(w *gqlOrder) orders.Order {
	o := orders.Order{
		Channel:       Channel,
		ExternalID:    cmp.Or(w.LegacyResourceID, legacyID(w.ID)),
		Number:        strings.TrimPrefix(w.Name, "#"),
		Status:        strings.ToLower(w.DisplayFinancialStatus),
		CreatedAt:     w.CreatedAt.UTC(),
		UpdatedAt:     w.UpdatedAt.UTC(),
		Currency:      w.CurrencyCode,
		Lines:         []orders.Line{},
		DiscountTotal: w.TotalDiscountsSet.cents(),
		ShippingTotal: w.TotalShippingPriceSet.cents(),
		TaxTotal:      w.TotalTaxSet.cents(),
		Total:         w.TotalPriceSet.cents(),
		Note:          w.Note,
		Tags:          w.Tags,
	}
	if w.BillingAddress != nil {
		o.BillTo = address(*w.BillingAddress)
		o.BillTo.Email = w.Email
	}
	if w.ShippingAddress != nil {
		o.ShipTo = address(*w.ShippingAddress)
	}
	o.Customer = orders.Customer{Email: w.Email, Phone: w.Phone, Company: o.BillTo.Company, Guest: w.Customer == nil}
	if cu := w.Customer; cu != nil {
		o.Customer.ID = cu.LegacyResourceID
		o.Customer.FirstName, o.Customer.LastName = cu.FirstName, cu.LastName
		o.Customer.Email = cmp.Or(cu.Email, w.Email)
		o.Customer.Phone = cmp.Or(cu.Phone, w.Phone)
	} else {
		o.Customer.FirstName, o.Customer.LastName = o.BillTo.FirstName, o.BillTo.LastName
		if o.Customer.FirstName == "" && o.Customer.LastName == "" {
			o.Customer.FirstName, o.Customer.LastName = o.ShipTo.FirstName, o.ShipTo.LastName
		}
	}

	byApp := map[int]orders.Money{} // discount application index → allocated amount
	for _, l := range w.LineItems.all() {
		line := orders.Line{
			ID:           legacyID(l.ID),
			SKU:          l.SKU,
			Name:         l.Name,
			VariantTitle: l.VariantTitle,
			Quantity:     l.Quantity,
			UnitPrice:    l.OriginalUnitPriceSet.cents(),
			Taxable:      l.Taxable,
		}
		if l.Variant != nil {
			line.VariantID = legacyID(l.Variant.ID)
			if line.SKU == "" {
				line.SKU = l.Variant.SKU
			}
		}
		if l.Product != nil {
			line.ProductID = legacyID(l.Product.ID)
		}
		for _, a := range l.DiscountAllocations {
			line.Discount += a.AllocatedAmountSet.cents()
			byApp[a.DiscountApplication.Index] += a.AllocatedAmountSet.cents()
		}
		for _, t := range l.TaxLines {
			line.Tax += t.PriceSet.cents()
		}
		line.Total = line.UnitPrice*orders.Money(line.Quantity) - line.Discount
		o.Lines = append(o.Lines, line)
		o.Subtotal += line.UnitPrice * orders.Money(line.Quantity)
	}

	var titles, carriers, codes []string
	for _, s := range w.ShippingLines.all() {
		titles = append(titles, s.Title)
		if carrier := cmp.Or(s.CarrierIdentifier, s.Source); carrier != "" && carrier != "shopify" {
			carriers = append(carriers, carrier)
		}
		if s.Code != "" {
			codes = append(codes, s.Code)
		}
		for _, t := range s.TaxLines {
			o.Shipping.Tax += t.PriceSet.cents()
		}
		for _, a := range s.DiscountAllocations {
			byApp[a.DiscountApplication.Index] += a.AllocatedAmountSet.cents()
		}
	}
	o.Shipping.Method = strings.Join(titles, " + ")
	o.Shipping.Carrier = strings.Join(carriers, "+")
	o.Shipping.Service = strings.Join(codes, "+")
	o.Shipping.Amount = o.ShippingTotal

	var listed orders.Money
	for _, d := range w.DiscountApplications.all() {
		amt, ok := byApp[d.Index]
		if !ok {
			continue // allocated nothing (e.g. a code that did not apply)
		}
		delete(byApp, d.Index)
		o.Discounts = append(o.Discounts, orders.Discount{Code: cmp.Or(d.Code, d.Title), Amount: amt})
		listed += amt
	}
	if rest := o.DiscountTotal - listed; rest != 0 {
		// Allocations whose application was not read, or a total Shopify
		// computed otherwise: keep Discounts adding up to DiscountTotal.
		o.Discounts = append(o.Discounts, orders.Discount{Amount: rest})
	}
	for _, t := range w.TaxLines {
		o.Taxes = append(o.Taxes, orders.TaxLine{Name: t.Title, Rate: t.Rate.String(), Amount: t.PriceSet.cents()})
	}
	for _, tr := range w.Transactions {
		if tr.Status != "SUCCESS" || (tr.Kind != "SALE" && tr.Kind != "CAPTURE") {
			continue
		}
		o.Payments = append(o.Payments, orders.Payment{
			Gateway:   tr.Gateway,
			Amount:    tr.AmountSet.cents(),
			Reference: legacyID(tr.ID),
			PaidAt:    tr.ProcessedAt.UTC(),
		})
	}

	for _, r := range w.Refunds {
		o.Refunds = append(o.Refunds, refund(r))
	}
	if n := len(o.Refunds); n >= maxRefunds {
		// Shopify lists at most maxRefunds refunds of an order and the list cannot be paged:
		// any refund after the last one read is out of reach, so the last one is not booked
		// either, and says why, rather than the order looking complete.
		last := &o.Refunds[n-1]
		last.Unread = fmt.Sprintf("The order has %d or more refunds and Shopify lists only the first %d: this refund (%s) and every later one are not read. Enter them by hand in QuickBooks.", maxRefunds, maxRefunds, last.ID)
	}

	custom := map[string]string{}
	for _, a := range w.CustomAttributes {
		if a.Key != "" {
			custom[a.Key] = a.Value
		}
	}
	set := func(k, v string) {
		if v != "" {
			custom[k] = v
		}
	}
	if w.TaxesIncluded {
		custom[CustomTaxesIncluded] = "true"
	}
	set(CustomFulfillment, strings.ToLower(w.DisplayFulfillmentStatus))
	if w.CancelledAt != nil {
		custom[CustomCancelledAt] = w.CancelledAt.UTC().Format(time.RFC3339)
		set(CustomCancelReason, strings.ToLower(w.CancelReason))
	}
	set(CustomSourceName, w.SourceName)
	set(CustomPONumber, w.PONumber)
	if w.Test {
		custom[CustomTest] = "true"
	}
	if len(custom) > 0 {
		o.Custom = custom
	}
	return o
}

func address(a gqlAddress) orders.Address {
	return orders.Address{
		Name:       strings.TrimSpace(a.FirstName + " " + a.LastName),
		FirstName:  a.FirstName,
		LastName:   a.LastName,
		Company:    a.Company,
		Line1:      a.Address1,
		Line2:      a.Address2,
		City:       a.City,
		State:      cmp.Or(a.ProvinceCode, a.Province),
		PostalCode: a.Zip,
		Country:    a.CountryCode,
		Phone:      a.Phone,
	}
}

// decimal is a Shopify Decimal ("25.0", "-3.25") in cents, read exactly;
// digits past the cent round half away from zero.
type decimal int64

func (d *decimal) UnmarshalJSON(b []byte) error {
	v, err := orders.UnmarshalMoney(b)
	if err != nil {
		return err
	}
	*d = decimal(v)
	return nil
}
