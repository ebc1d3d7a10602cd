package shopify_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// TestGolden normalizes testdata/order_full.sample.json — the order node of
// the simulator's golden answer to the full 2025-01 order selection
// (jobs/sim/shopifysim/testdata/order_full.json; no Shopify-published GraphQL
// order response exists in shared/specs) — a tax-inclusive Polish order with
// code and automatic discounts, and compares with the checked-in
// orders.Order JSON.
func TestGolden(t *testing.T) {
	storenettest.NormalizedGolden(t, "order_full", shopify.Normalize, checkAmounts, *update)
}

// TestNormalizeEveryGeneratedOrder checks every generated order's money to
// the cent against the simulator's own totals, plus names, SKUs and flags.
func TestNormalizeEveryGeneratedOrder(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	gen := e.Sim.Generate(400, 12)
	byID := map[string]shopifysim.Order{}
	for _, o := range gen {
		byID[strconv.FormatInt(o.ID, 10)] = o
	}
	got, _ := e.all(t, shopify.Query{})
	if len(got) != len(gen) {
		t.Fatalf("got %d orders, want %d", len(got), len(gen))
	}
	var guests, included, discounted, nonLatin, noSKU, attrs, cancelled int
	for _, f := range got {
		o := f.Order
		w, ok := byID[o.ExternalID]
		if !ok {
			t.Fatalf("unknown order %s", o.ExternalID)
		}
		if msg := checkAmounts(o); msg != "" {
			t.Errorf("order %s: %s", o.Number, msg)
			continue
		}
		if o.Total != orders.Money(w.Total()) || o.TaxTotal != orders.Money(w.TotalTax()) || o.DiscountTotal != orders.Money(w.TotalDiscounts()) ||
			o.ShippingTotal != orders.Money(w.TotalShipping()) || o.Subtotal != orders.Money(w.LineItemsTotal()) {
			t.Errorf("order %s: %v/%v/%v/%v/%v, simulator %v/%v/%v/%v/%v", o.Number, o.Subtotal, o.DiscountTotal, o.ShippingTotal, o.TaxTotal, o.Total,
				w.LineItemsTotal(), w.TotalDiscounts(), w.TotalShipping(), w.TotalTax(), w.Total())
		}
		var lineTotals orders.Money
		for _, l := range o.Lines {
			lineTotals += l.Total
		}
		if lineTotals != orders.Money(w.Subtotal()) {
			t.Errorf("order %s: Σ line totals %v, subtotalPriceSet %v", o.Number, lineTotals, w.Subtotal())
		}
		if o.Number != strings.TrimPrefix(w.Name, "#") || strings.HasPrefix(o.Number, "#") || o.Status != strings.ToLower(w.FinancialStatus) || o.Channel != "shopify" {
			t.Errorf("order %s: header %q %q", o.ExternalID, o.Number, o.Status)
		}
		if o.Customer.Guest != (w.Customer == nil) {
			t.Errorf("order %s: guest %v", o.Number, o.Customer.Guest)
		}
		if o.Customer.Guest {
			guests++
		}
		if w.TaxesIncluded {
			included++
			if o.Custom[shopify.CustomTaxesIncluded] != "true" {
				t.Errorf("order %s: tax-inclusive order not flagged", o.Number)
			}
		}
		if o.DiscountTotal > 0 {
			discounted++
		}
		if w.BillingAddress != nil {
			if o.BillTo.FirstName != w.BillingAddress.FirstName || !utf8.ValidString(o.BillTo.Name) {
				t.Errorf("order %s: bill-to %q, want %q", o.Number, o.BillTo.FirstName, w.BillingAddress.FirstName)
			}
			for _, r := range o.BillTo.Name {
				if r > 0x24F {
					nonLatin++
					break
				}
			}
		}
		for i, li := range w.LineItems {
			l := o.Lines[i]
			if l.SKU != li.SKU || l.Quantity != int64(li.Quantity) || l.UnitPrice != orders.Money(li.UnitPrice) {
				t.Errorf("order %s line %d: %q ×%d @%v, want %q ×%d @%v", o.Number, i, l.SKU, l.Quantity, l.UnitPrice, li.SKU, li.Quantity, li.UnitPrice)
			}
			if li.VariantID != 0 && l.VariantID != strconv.FormatInt(li.VariantID, 10) {
				t.Errorf("order %s line %d: variant %q, want %d", o.Number, i, l.VariantID, li.VariantID)
			}
			if li.SKU == "" {
				noSKU++
			}
		}
		for _, a := range w.CustomAttributes {
			attrs++
			if o.Custom[a.Key] != a.Value && a.Key != shopify.CustomTaxesIncluded {
				t.Errorf("order %s: attribute %q = %q, want %q", o.Number, a.Key, o.Custom[a.Key], a.Value)
			}
		}
		if !w.CancelledAt.IsZero() {
			cancelled++
			if o.Custom[shopify.CustomCancelledAt] == "" {
				t.Errorf("order %s: cancelled_at missing", o.Number)
			}
		}
	}
	if guests == 0 || included == 0 || discounted == 0 || nonLatin == 0 || noSKU == 0 || attrs == 0 || cancelled == 0 {
		t.Errorf("generated data lacks cases: guests %d, tax-included %d, discounted %d, non-Latin %d, lines without SKU %d, attributes %d, cancelled %d",
			guests, included, discounted, nonLatin, noSKU, attrs, cancelled)
	}
}

// TestLongOrdersAreCompleted: an order with more lines, shipping lines and
// discounts than the orders query reads at once is completed by follow-up
// queries, in Order and in Raw.
func TestLongOrdersAreCompleted(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(0, 1) // catalog only
	var lines []shopifysim.LineItem
	var apps []shopifysim.DiscountApplication
	for i := range 23 {
		li := shopifysim.LineItem{SKU: fmt.Sprintf("BULK-%02d", i), Title: "Ręcznik " + strconv.Itoa(i), Quantity: 1 + i%3, UnitPrice: shopifysim.Money(1000 + 37*i), Taxable: true,
			TaxLines: []shopifysim.TaxLine{{Title: "PL VAT", Rate: 0.23, Amount: shopifysim.Money(100 + i)}}}
		if i < 12 {
			apps = append(apps, shopifysim.DiscountApplication{Kind: shopifysim.DiscountManual, Title: "Rabat " + strconv.Itoa(i), Amount: 100, TargetSelection: "EXPLICIT"})
			li.Discounts = []shopifysim.DiscountAllocation{{Application: i, Amount: 100}}
		}
		lines = append(lines, li)
	}
	var ships []shopifysim.ShippingLine
	for i := range 7 {
		ships = append(ships, shopifysim.ShippingLine{Title: "Paczka " + strconv.Itoa(i), Code: "P" + strconv.Itoa(i), Source: "shopify", Price: 999})
	}
	added, err := e.Sim.AddOrder(shopifysim.Order{LineItems: lines, DiscountApplications: apps, ShippingLines: ships, Currency: "PLN",
		BillingAddress: &shopifysim.Address{FirstName: "Zażółć", LastName: "Gęślą", CountryCode: "PL"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := e.all(t, shopify.Query{})
	if len(got) != 1 {
		t.Fatalf("got %d orders", len(got))
	}
	o := got[0].Order
	if len(o.Lines) != 23 || len(o.Discounts) != 12 || !strings.Contains(o.Shipping.Method, "Paczka 6") {
		t.Fatalf("incomplete: %d lines, %d discounts, shipping %q", len(o.Lines), len(o.Discounts), o.Shipping.Method)
	}
	if msg := checkAmounts(o); msg != "" {
		t.Error(msg)
	}
	if o.Total != orders.Money(added.Total()) {
		t.Errorf("total %v, want %v", o.Total, added.Total())
	}
	var raw struct {
		LineItems struct {
			Nodes    []json.RawMessage `json:"nodes"`
			PageInfo struct {
				HasNextPage bool `json:"hasNextPage"`
			} `json:"pageInfo"`
		} `json:"lineItems"`
	}
	if err := json.Unmarshal(got[0].Raw, &raw); err != nil || len(raw.LineItems.Nodes) != 23 || raw.LineItems.PageInfo.HasNextPage {
		t.Errorf("Raw has %d line items (next page %v, %v)", len(raw.LineItems.Nodes), raw.LineItems.PageInfo.HasNextPage, err)
	}
	if n := e.Sim.Requests()["order"]; n < 3 {
		t.Errorf("%d follow-up order queries, want at least 3 (lines, shipping, discounts)", n)
	}
}

func TestSearchQueryQuoting(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(20, 1)
	// A status value with quotes must not break the search syntax.
	err := e.client.Orders(context.Background(), shopify.Query{Statuses: []string{`pa"id`, "pa'id"}}, func(shopify.Page) error { return nil })
	if err != nil {
		t.Errorf("quoted statuses: %v", err)
	}
}
