package shipstation_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// t0 is 2026-03-15 05:00 PDT.
var t0 = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// env is a simulator on a real listener and a client pointed at it.
type env struct {
	sim    *shipstationsim.Server
	srv    *httptest.Server
	clock  *storenettest.Clock
	client *shipstation.Client
	logs   *storenettest.Buffer
}

// newEnv starts a simulator (rate limit off unless opts sets one) and a
// client with the default credentials whose Sleep records the wait and
// moves the clock.
func newEnv(t *testing.T, opts shipstationsim.Options) *env {
	t.Helper()
	e := &env{clock: storenettest.NewClock(t0), logs: &storenettest.Buffer{}}
	opts.Clock = e.clock.Now
	if opts.RateLimit == 0 {
		opts.RateLimit = -1
	}
	e.sim = shipstationsim.New(opts)
	e.srv = httptest.NewServer(e.sim)
	t.Cleanup(e.srv.Close)
	e.sim.SetBaseURL(e.srv.URL)
	e.client = e.newClient(t, shipstationsim.DefaultAPIKey, shipstationsim.DefaultAPISecret)
	return e
}

func (e *env) newClient(t *testing.T, key, secret string) *shipstation.Client {
	t.Helper()
	c, err := shipstation.New(shipstation.Config{
		BaseURL:    e.srv.URL,
		APIKey:     key,
		APISecret:  secret,
		HTTPClient: e.srv.Client(),
		Logger:     slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Sleep:      e.clock.Sleep,
		Now:        e.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// all walks every order matching q.
func (e *env) all(t *testing.T, q shipstation.Query) ([]shipstation.Fetched, int) {
	t.Helper()
	var out []shipstation.Fetched
	pages := 0
	err := e.client.Orders(context.Background(), q, func(p shipstation.Page) error {
		pages++
		out = append(out, p.Orders...)
		return nil
	})
	if err != nil {
		t.Fatalf("Orders: %v", err)
	}
	return out, pages
}

// statuses counts the simulator's answers by HTTP status.
func (e *env) statuses() map[int]int {
	out := map[int]int{}
	for _, r := range e.sim.Requests() {
		out[r.Status]++
	}
	return out
}

// noSecrets fails when text contains the credentials.
var noSecrets = storenettest.NoSecrets

// checkAmounts asserts the money identities every normalized order must
// satisfy and returns a description of the first broken one.
func checkAmounts(o orders.Order) string {
	if got := o.Subtotal - o.DiscountTotal + o.ShippingTotal + o.TaxTotal; got != o.Total {
		return "Subtotal − DiscountTotal + ShippingTotal + TaxTotal = " + got.String() + ", Total = " + o.Total.String()
	}
	var sub, disc, tax orders.Money
	for _, l := range o.Lines {
		if l.UnitPrice*orders.Money(l.Quantity)-l.Discount != l.Total {
			return "line " + l.SKU + ": UnitPrice × Quantity − Discount ≠ Total"
		}
		sub += l.UnitPrice * orders.Money(l.Quantity)
	}
	for _, d := range o.Discounts {
		disc += d.Amount
	}
	for _, x := range o.Taxes {
		tax += x.Amount
	}
	switch {
	case sub != o.Subtotal:
		return "Σ line UnitPrice × Quantity = " + sub.String() + ", Subtotal = " + o.Subtotal.String()
	case disc != o.DiscountTotal:
		return "Σ Discounts = " + disc.String() + ", DiscountTotal = " + o.DiscountTotal.String()
	case tax != o.TaxTotal:
		return "Σ Taxes = " + tax.String() + ", TaxTotal = " + o.TaxTotal.String()
	case o.Shipping.Amount != o.ShippingTotal:
		return "Shipping.Amount ≠ ShippingTotal"
	}
	return ""
}

// cents converts a simulator float amount to cents.
func cents(f float64) orders.Money {
	if f < 0 {
		return -orders.Money(-f*100 + 0.5)
	}
	return orders.Money(f*100 + 0.5)
}
