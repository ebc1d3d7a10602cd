package shopify_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

type env struct {
	sim    *shopifysim.Server
	srv    *httptest.Server
	clock  *storenettest.Clock
	client *shopify.Client
	logs   *storenettest.Buffer
}

func newEnv(t *testing.T, opts shopifysim.Options) *env {
	t.Helper()
	e := &env{clock: storenettest.NewClock(t0), logs: &storenettest.Buffer{}}
	opts.Clock = e.clock.Now
	e.sim = shopifysim.New(opts)
	e.srv = httptest.NewServer(e.sim)
	t.Cleanup(func() {
		e.srv.Close()
		e.sim.Close()
	})
	e.client = e.newClient(t, e.srv.URL, e.sim.AccessToken())
	return e
}

func (e *env) newClient(t *testing.T, url, token string) *shopify.Client {
	t.Helper()
	c, err := shopify.New(shopify.Config{
		BaseURL:     url,
		AccessToken: token,
		HTTPClient:  e.srv.Client(),
		Logger:      slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Sleep:       e.clock.Sleep,
		Now:         e.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) all(t *testing.T, q shopify.Query) ([]shopify.Fetched, int) {
	t.Helper()
	var out []shopify.Fetched
	pages := 0
	err := e.client.Orders(context.Background(), q, func(p shopify.Page) error {
		pages++
		out = append(out, p.Orders...)
		return nil
	})
	if err != nil {
		t.Fatalf("Orders: %v", err)
	}
	return out, pages
}

// noSecrets fails when text contains the credentials.
var noSecrets = storenettest.NoSecrets

// checkAmounts asserts the money identities of a normalized order; gross
// (tax-inclusive) orders hold Total = Subtotal − DiscountTotal + ShippingTotal.
func checkAmounts(o orders.Order) string {
	tax := o.TaxTotal
	if o.Custom[shopify.CustomTaxesIncluded] == "true" {
		tax = 0
	}
	if got := o.Subtotal - o.DiscountTotal + o.ShippingTotal + tax; got != o.Total {
		return "Subtotal − DiscountTotal + ShippingTotal (+ TaxTotal) = " + got.String() + ", Total = " + o.Total.String()
	}
	var sub, ldisc, disc, taxes, ltax orders.Money
	for _, l := range o.Lines {
		if l.UnitPrice*orders.Money(l.Quantity)-l.Discount != l.Total {
			return "line " + l.SKU + ": UnitPrice × Quantity − Discount ≠ Total"
		}
		sub += l.UnitPrice * orders.Money(l.Quantity)
		ldisc += l.Discount
		ltax += l.Tax
	}
	for _, d := range o.Discounts {
		disc += d.Amount
	}
	for _, x := range o.Taxes {
		taxes += x.Amount
	}
	switch {
	case sub != o.Subtotal:
		return "Σ line UnitPrice × Quantity = " + sub.String() + ", Subtotal = " + o.Subtotal.String()
	case disc != o.DiscountTotal:
		return "Σ Discounts = " + disc.String() + ", DiscountTotal = " + o.DiscountTotal.String()
	case ldisc > o.DiscountTotal:
		return "Σ line discounts exceed DiscountTotal"
	case taxes != o.TaxTotal:
		return "Σ Taxes = " + taxes.String() + ", TaxTotal = " + o.TaxTotal.String()
	case ltax+o.Shipping.Tax != o.TaxTotal:
		return "Σ line tax + shipping tax = " + (ltax + o.Shipping.Tax).String() + ", TaxTotal = " + o.TaxTotal.String()
	case o.Shipping.Amount != o.ShippingTotal:
		return "Shipping.Amount ≠ ShippingTotal"
	}
	return ""
}
