package woocommerce

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Channel is Order.Channel for WooCommerce orders.
const Channel = "woocommerce"

// CustomTaxesIncluded is the Order.Custom key set to "true" when the order's
// prices include tax (prices_include_tax): the order's money is then gross
// (see README.md).
const CustomTaxesIncluded = "taxes_included"

// wcOrder is the part of a wc/v3 order Normalize reads.
type wcOrder struct {
	ID               int64          `json:"id"`
	Number           string         `json:"number"`
	OrderKey         string         `json:"order_key"`
	Status           string         `json:"status"`
	Currency         string         `json:"currency"`
	DateCreatedGMT   gmtTime        `json:"date_created_gmt"`
	DateModifiedGMT  gmtTime        `json:"date_modified_gmt"`
	DatePaidGMT      gmtTime        `json:"date_paid_gmt"`
	DiscountTotal    amount         `json:"discount_total"`
	DiscountTax      amount         `json:"discount_tax"`
	ShippingTotal    amount         `json:"shipping_total"`
	ShippingTax      amount         `json:"shipping_tax"`
	Total            amount         `json:"total"`
	TotalTax         amount         `json:"total_tax"`
	PricesIncludeTax bool           `json:"prices_include_tax"`
	CustomerID       int64          `json:"customer_id"`
	CustomerNote     string         `json:"customer_note"`
	Billing          wcAddress      `json:"billing"`
	Shipping         wcAddress      `json:"shipping"`
	PaymentMethod    string         `json:"payment_method"`
	PaymentTitle     string         `json:"payment_method_title"`
	TransactionID    string         `json:"transaction_id"`
	MetaData         []wcMeta       `json:"meta_data"`
	LineItems        []wcLineItem   `json:"line_items"`
	TaxLines         []wcTaxLine    `json:"tax_lines"`
	ShippingLines    []wcShipping   `json:"shipping_lines"`
	FeeLines         []wcFeeLine    `json:"fee_lines"`
	CouponLines      []wcCouponLine `json:"coupon_lines"`
	Refunds          []wcRefund     `json:"refunds"`
}

// wcRefund is the order's summary of one refund: wc/v3 lists its id, reason and (negative)
// total, not which lines or units it gave back.
type wcRefund struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
	Total  amount `json:"total"`
}

type wcAddress struct {
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

type wcMeta struct {
	Key          string          `json:"key"`
	Value        json.RawMessage `json:"value"`
	DisplayKey   string          `json:"display_key"`
	DisplayValue json.RawMessage `json:"display_value"`
}

type wcLineItem struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	ProductID   int64    `json:"product_id"`
	VariationID int64    `json:"variation_id"`
	Quantity    int64    `json:"quantity"`
	Subtotal    amount   `json:"subtotal"`
	SubtotalTax amount   `json:"subtotal_tax"`
	Total       amount   `json:"total"`
	TotalTax    amount   `json:"total_tax"`
	Taxes       []any    `json:"taxes"`
	MetaData    []wcMeta `json:"meta_data"`
	SKU         *string  `json:"sku"`
}

type wcTaxLine struct {
	RateCode         string      `json:"rate_code"`
	Label            string      `json:"label"`
	TaxTotal         amount      `json:"tax_total"`
	ShippingTaxTotal amount      `json:"shipping_tax_total"`
	RatePercent      json.Number `json:"rate_percent"`
}

type wcShipping struct {
	MethodTitle string `json:"method_title"`
	MethodID    string `json:"method_id"`
	Total       amount `json:"total"`
	TotalTax    amount `json:"total_tax"`
}

type wcFeeLine struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Total    amount `json:"total"`
	TotalTax amount `json:"total_tax"`
}

type wcCouponLine struct {
	Code        string `json:"code"`
	Discount    amount `json:"discount"`
	DiscountTax amount `json:"discount_tax"`
}

// Normalize turns one wc/v3 order object into an orders.Order. README.md
// lists which field feeds which and how the totals add up. An object without a
// positive id is refused, and so is an order whose amounts QuickBooks cannot
// hold (orders.CheckAmounts, wrapping orders.ErrAmount).
func Normalize(raw json.RawMessage) (orders.Order, error) {
	var w wcOrder
	if err := json.Unmarshal(raw, &w); err != nil {
		return orders.Order{}, fmt.Errorf("woocommerce: order is not the wc/v3 shape: %w", err)
	}
	if w.ID <= 0 {
		// Orders are stored by id: id-less objects (a create-order request, another
		// resource) must not all become order "0".
		return orders.Order{}, fmt.Errorf("woocommerce: order without an id (id %d)", w.ID)
	}
	o := normalize(&w)
	if err := orders.CheckAmounts(o); err != nil {
		return orders.Order{}, fmt.Errorf("woocommerce: order %s: %w", o.ExternalID, err)
	}
	return o, nil
}

func normalize(w *wcOrder) orders.Order {
	gross := w.PricesIncludeTax
	// withTax adds the tax to an amount when the order is kept gross.
	withTax := func(net, tax amount) orders.Money {
		if gross {
			return orders.Money(net + tax)
		}
		return orders.Money(net)
	}
	o := orders.Order{
		Channel:    Channel,
		ExternalID: strconv.FormatInt(w.ID, 10),
		Number:     w.Number,
		Status:     w.Status,
		CreatedAt:  w.DateCreatedGMT.Time,
		UpdatedAt:  w.DateModifiedGMT.Time,
		Currency:   w.Currency,
		Customer: orders.Customer{
			Email:     w.Billing.Email,
			FirstName: w.Billing.FirstName,
			LastName:  w.Billing.LastName,
			Company:   w.Billing.Company,
			Phone:     w.Billing.Phone,
			Guest:     w.CustomerID == 0,
		},
		BillTo:        address(w.Billing),
		ShipTo:        address(w.Shipping),
		Lines:         []orders.Line{},
		ShippingTotal: withTax(w.ShippingTotal, w.ShippingTax),
		TaxTotal:      orders.Money(w.TotalTax),
		Total:         orders.Money(w.Total),
		Note:          w.CustomerNote,
	}
	if o.Number == "" {
		o.Number = o.ExternalID
	}
	if w.CustomerID != 0 {
		o.Customer.ID = strconv.FormatInt(w.CustomerID, 10)
	}

	for _, li := range w.LineItems {
		before := withTax(li.Subtotal, li.SubtotalTax) // line price before coupons
		total := withTax(li.Total, li.TotalTax)
		l := orders.Line{
			ID:           strconv.FormatInt(li.ID, 10),
			Name:         html.UnescapeString(li.Name),
			VariantTitle: variantTitle(li),
			Quantity:     li.Quantity,
			UnitPrice:    unitPrice(before, li.Quantity),
			Tax:          orders.Money(li.TotalTax),
			Total:        total,
			Taxable:      len(li.Taxes) > 0 || li.TotalTax != 0,
		}
		if li.SKU != nil {
			l.SKU = *li.SKU
		}
		if li.ProductID != 0 {
			l.ProductID = strconv.FormatInt(li.ProductID, 10)
		}
		if li.VariationID != 0 {
			l.VariantID = strconv.FormatInt(li.VariationID, 10)
		}
		l.Discount = l.UnitPrice*orders.Money(l.Quantity) - l.Total
		o.Lines = append(o.Lines, l)
		o.Subtotal += l.UnitPrice * orders.Money(l.Quantity)
		o.DiscountTotal += l.Discount
	}
	for _, c := range w.CouponLines {
		o.Discounts = append(o.Discounts, orders.Discount{Code: c.Code, Amount: withTax(c.Discount, c.DiscountTax)})
	}
	for _, f := range w.FeeLines {
		amt := withTax(f.Total, f.TotalTax)
		if amt < 0 { // a negative fee is how WooCommerce stores ad-hoc discounts
			o.Discounts = append(o.Discounts, orders.Discount{Code: html.UnescapeString(f.Name), Amount: -amt})
			o.DiscountTotal -= amt
			continue
		}
		o.Lines = append(o.Lines, orders.Line{
			ID:        "fee-" + strconv.FormatInt(f.ID, 10),
			Name:      html.UnescapeString(f.Name),
			Quantity:  1,
			UnitPrice: amt,
			Tax:       orders.Money(f.TotalTax),
			Total:     amt,
			Taxable:   f.TotalTax != 0,
		})
		o.Subtotal += amt
	}
	// Line discounts not explained by a coupon (totals edited in the admin,
	// cent rounding of a unit price) get an entry without a code, so that
	// Discounts always adds up to DiscountTotal.
	var listed orders.Money
	for _, d := range o.Discounts {
		listed += d.Amount
	}
	if rest := o.DiscountTotal - listed; rest != 0 {
		o.Discounts = append(o.Discounts, orders.Discount{Amount: rest})
	}

	var methods, ids []string
	for _, s := range w.ShippingLines {
		methods = append(methods, html.UnescapeString(s.MethodTitle))
		ids = append(ids, s.MethodID)
	}
	o.Shipping = orders.Shipping{
		Method:  strings.Join(methods, " + "),
		Service: strings.Join(ids, "+"),
		Amount:  o.ShippingTotal,
		Tax:     orders.Money(w.ShippingTax),
	}
	for _, t := range w.TaxLines {
		o.Taxes = append(o.Taxes, orders.TaxLine{
			Name:   cmp.Or(html.UnescapeString(t.Label), t.RateCode),
			Rate:   percentToRate(t.RatePercent),
			Amount: orders.Money(t.TaxTotal + t.ShippingTaxTotal),
		})
	}
	if !w.DatePaidGMT.IsZero() {
		o.Payments = []orders.Payment{{
			Method:    w.PaymentTitle,
			Gateway:   w.PaymentMethod,
			Amount:    orders.Money(w.Total),
			Reference: w.TransactionID,
			PaidAt:    w.DatePaidGMT.Time,
		}}
	}

	for _, r := range w.Refunds {
		o.Refunds = append(o.Refunds, refund(w, r))
	}

	custom := map[string]string{}
	for _, m := range w.MetaData {
		if _, dup := custom[m.Key]; m.Key == "" || dup {
			continue // WordPress's get_meta(key, single) reads the first
		}
		custom[m.Key] = metaString(m.Value)
	}
	if gross {
		custom[CustomTaxesIncluded] = "true"
	}
	if len(custom) > 0 {
		o.Custom = custom
	}
	return o
}

// refund normalizes one refund of w. The order lists no lines for it, so the whole amount is
// its Adjustment (a credit without lines or restock); it went back to the customer when the
// order had been paid. The summary has no date: the order's last change (the refund's, when a
// webhook or the next pull brings it) stands in.
func refund(w *wcOrder, r wcRefund) orders.Refund {
	total := orders.Money(-r.Total)
	if total < 0 {
		total = -total
	}
	out := orders.Refund{ID: strconv.FormatInt(r.ID, 10), CreatedAt: w.DateModifiedGMT.Time, Note: html.UnescapeString(r.Reason),
		Adjustment: total, Total: total}
	if !w.DatePaidGMT.IsZero() {
		out.Refunded = total
	}
	return out
}

// unitPrice is the line amount before discounts per unit. WooCommerce
// keeps only the line amount; when it does not divide by the quantity (a
// price with sub-cent digits, a gross price rebuilt from rounded net and
// tax) the unit price is rounded and the cent difference lands in the
// line's Discount, so UnitPrice × Quantity − Discount = Total still holds.
func unitPrice(line orders.Money, qty int64) orders.Money {
	if qty <= 0 {
		return line
	}
	q := orders.Money(qty)
	if line%q == 0 {
		return line / q
	}
	if line < 0 {
		return -((-line + q/2) / q)
	}
	return (line + q/2) / q
}

// variantTitle is a variation's attribute values, "Blue, M", from the
// line's visible meta (hidden keys start with "_").
func variantTitle(li wcLineItem) string {
	if li.VariationID == 0 {
		return ""
	}
	var parts []string
	for _, m := range li.MetaData {
		if strings.HasPrefix(m.Key, "_") {
			continue
		}
		v := metaString(m.DisplayValue)
		if v == "" {
			v = metaString(m.Value)
		}
		if v != "" {
			parts = append(parts, html.UnescapeString(stripTags(v)))
		}
	}
	return strings.Join(parts, ", ")
}

// stripTags removes HTML tags: display_value is sometimes wrapped in <p>.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// metaString renders a meta value: strings as they are, numbers and
// booleans as their JSON text, arrays and objects as compact JSON.
func metaString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func address(a wcAddress) orders.Address {
	return orders.Address{
		Name:       strings.TrimSpace(a.FirstName + " " + a.LastName),
		FirstName:  a.FirstName,
		LastName:   a.LastName,
		Company:    a.Company,
		Line1:      a.Address1,
		Line2:      a.Address2,
		City:       a.City,
		State:      a.State,
		PostalCode: a.Postcode,
		Country:    a.Country,
		Phone:      a.Phone,
		Email:      a.Email,
	}
}
