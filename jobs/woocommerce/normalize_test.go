package woocommerce_test

import (
	"encoding/json"
	"flag"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// TestGolden normalizes the WooCommerce REST docs' "Retrieve an order"
// example (shared/specs/woocommerce/samples-extracted) and compares with
// the checked-in orders.Order JSON.
func TestGolden(t *testing.T) {
	storenettest.NormalizedGolden(t, "retrieve-an-order", woocommerce.Normalize, checkAmounts, *update)
}

// TestNormalizeEveryGeneratedOrder checks every generated order's money to
// the cent against the simulator's numbers, and names, SKUs of variations,
// guests and meta.
func TestNormalizeEveryGeneratedOrder(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	gen := e.generate(t, 500, 17)
	byID := map[string]woosim.Order{}
	for _, o := range gen {
		byID[strconv.Itoa(o.ID)] = o
	}
	got, _ := e.all(t, woocommerce.Query{})
	if len(got) != len(gen) {
		t.Fatalf("got %d orders, want %d", len(got), len(gen))
	}
	var guests, variations, fees, coupons, nonLatin, entities int
	for _, f := range got {
		o, w := f.Order, byID[f.Order.ExternalID]
		if msg := checkAmounts(o); msg != "" {
			t.Errorf("order %s: %s", o.Number, msg)
			continue
		}
		if o.Total != mustCents(t, w.Total) || o.TaxTotal != mustCents(t, w.TotalTax) || o.ShippingTotal != mustCents(t, w.ShippingTotal) {
			t.Errorf("order %s: total/tax/shipping %v/%v/%v, store %s/%s/%s", o.Number, o.Total, o.TaxTotal, o.ShippingTotal, w.Total, w.TotalTax, w.ShippingTotal)
		}
		var coupon orders.Money
		for _, d := range o.Discounts {
			if d.Code != "" {
				coupon += d.Amount
			}
		}
		if coupon != mustCents(t, w.DiscountTotal) {
			t.Errorf("order %s: coupon discounts %v, store discount_total %s", o.Number, coupon, w.DiscountTotal)
		}
		if len(w.CouponLines) > 0 {
			coupons++
		}
		if o.Number != w.Number || o.Status != w.Status || o.Channel != "woocommerce" || o.Currency != "USD" {
			t.Errorf("order %s: header %q %q %q %q", o.ExternalID, o.Number, o.Status, o.Channel, o.Currency)
		}
		if o.Customer.Guest != (w.CustomerID == 0) {
			t.Errorf("order %s: guest = %v, customer_id %d", o.Number, o.Customer.Guest, w.CustomerID)
		}
		if o.Customer.Guest {
			guests++
		}
		if o.BillTo.FirstName != w.Billing.FirstName || o.ShipTo.City != w.Shipping.City || !utf8.ValidString(o.BillTo.Name) {
			t.Errorf("order %s: address %q/%q", o.Number, o.BillTo.FirstName, o.ShipTo.City)
		}
		for _, r := range o.BillTo.Name {
			if r > 0x24F {
				nonLatin++
				break
			}
		}
		if len(o.Lines) != len(w.LineItems)+positiveFees(t, w) {
			t.Errorf("order %s: %d lines, want %d items + fees", o.Number, len(o.Lines), len(w.LineItems))
		}
		for i, li := range w.LineItems {
			l := o.Lines[i]
			if li.VariationID != 0 {
				variations++
				v, _ := e.Sim.Product(li.VariationID)
				if l.SKU != v.SKU || l.VariantID != strconv.Itoa(li.VariationID) || l.VariantTitle == "" {
					t.Errorf("order %s line %d: SKU %q variant %q %q, want the variation's SKU %q", o.Number, i, l.SKU, l.VariantID, l.VariantTitle, v.SKU)
				}
			}
			if strings.Contains(li.Name, "&amp;") {
				entities++
				if strings.Contains(l.Name, "&amp;") || !strings.Contains(l.Name, "&") {
					t.Errorf("order %s: name %q not unescaped", o.Number, l.Name)
				}
			}
		}
		if len(w.FeeLines) > 0 {
			fees++
		}
		if o.Custom["_wc_order_attribution_source_type"] == "" || o.Custom["is_vat_exempt"] != "no" {
			t.Errorf("order %s: meta not in Custom: %v", o.Number, o.Custom)
		}
		var back struct {
			ID int `json:"id"`
		}
		if err := json.Unmarshal(f.Raw, &back); err != nil || strconv.Itoa(back.ID) != o.ExternalID {
			t.Errorf("order %s: Raw is not the order as sent", o.Number)
		}
	}
	if guests == 0 || variations == 0 || fees == 0 || coupons == 0 || nonLatin == 0 || entities == 0 {
		t.Errorf("generated data lacks cases: guests %d, variation lines %d, fees %d, coupons %d, non-Latin %d, entities %d",
			guests, variations, fees, coupons, nonLatin, entities)
	}
}

func positiveFees(t *testing.T, o woosim.Order) int {
	n := 0
	for _, f := range o.FeeLines {
		if mustCents(t, f.Total) >= 0 {
			n++
		}
	}
	return n
}

// TestPricesIncludeTax: with prices_include_tax the REST API prints net
// amounts rounded per line, which need not add up to the order total when
// tax is rounded at subtotal level. The client rebuilds gross amounts
// (net + tax per line, which is exact) and flags the order.
func TestPricesIncludeTax(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	// Five lines at 1.00 gross with 23 % VAT: 0.81 net + 0.19 tax each; the
	// order's tax, rounded once, is 0.93 — not 5 × 0.19.
	var lines []woosim.LineItem
	for i := range 5 {
		lines = append(lines, woosim.LineItem{Name: "Naklejka " + strconv.Itoa(i), Quantity: 1, SKU: "STK-" + strconv.Itoa(i),
			Subtotal: "0.81", SubtotalTax: "0.19", Total: "0.81", TotalTax: "0.19"})
	}
	// And one line with a 10 % coupon: 3 × 16.00 gross, 4.80 off.
	lines = append(lines, woosim.LineItem{Name: "Kubek", Quantity: 3, SKU: "KUBEK", Subtotal: "39.02", SubtotalTax: "8.98", Total: "35.12", TotalTax: "8.08"})
	added, err := e.Sim.AddOrder(woosim.Order{
		Status: "processing", PricesIncludeTax: true, Currency: "PLN",
		Billing:       woosim.Address{FirstName: "Łucja", LastName: "Żak", Country: "PL", Email: "l@example.pl"},
		LineItems:     lines,
		CouponLines:   []woosim.CouponLine{{Code: "rabat10", Discount: "3.9", DiscountTax: "0.9", DiscountType: "percent"}},
		ShippingLines: []woosim.ShippingLine{{MethodTitle: "Kurier", MethodID: "flat_rate", Total: "12.19", TotalTax: "2.81"}},
		TaxLines:      []woosim.TaxLine{{RateCode: "PL-VAT-1", Label: "VAT", TaxTotal: "9.01", ShippingTaxTotal: "2.81", RatePercent: 23}},
		DiscountTotal: "3.90", DiscountTax: "0.90", ShippingTotal: "12.19", ShippingTax: "2.81",
		CartTax: "9.01", TotalTax: "11.82", Total: "63.20",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := e.all(t, woocommerce.Query{})
	if len(got) != 1 || got[0].Order.ExternalID != strconv.Itoa(added.ID) {
		t.Fatalf("got %d orders", len(got))
	}
	o := got[0].Order
	if msg := checkAmounts(o); msg != "" {
		t.Fatal(msg)
	}
	want := struct{ sub, disc, ship, tax, total orders.Money }{5*100 + 4800, 480, 1500, 1182, 6320}
	if o.Subtotal != want.sub || o.DiscountTotal != want.disc || o.ShippingTotal != want.ship || o.TaxTotal != want.tax || o.Total != want.total {
		t.Errorf("amounts %v %v %v %v %v, want gross %v %v %v %v %v", o.Subtotal, o.DiscountTotal, o.ShippingTotal, o.TaxTotal, o.Total,
			want.sub, want.disc, want.ship, want.tax, want.total)
	}
	if o.Custom[woocommerce.CustomTaxesIncluded] != "true" {
		t.Error("order not flagged as tax-inclusive")
	}
	if l := o.Lines[5]; l.UnitPrice != 1600 || l.Discount != 480 || l.Total != 4320 || l.Tax != 808 {
		t.Errorf("coupon line = %+v, want 16.00 × 3 − 4.80 = 43.20 (tax 8.08 inside)", l)
	}
	if o.Taxes[0].Rate != "0.23" || o.Taxes[0].Amount != 1182 {
		t.Errorf("tax line = %+v", o.Taxes[0])
	}
}
