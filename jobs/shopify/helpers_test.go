package shopify_test

import (
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
		Logger:      e.logs.Logger(),
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
	return storenettest.Walk(t, e.client.Orders, q, func(p shopify.Page) []shopify.Fetched { return p.Orders })
}

// noSecrets fails when text contains the credentials.
var noSecrets = storenettest.NoSecrets

// checkAmounts asserts the money identities of a normalized order; gross
// (tax-inclusive) orders hold Total = Subtotal − DiscountTotal + ShippingTotal.
func checkAmounts(o orders.Order) string {
	return storenettest.CheckAmounts(o, storenettest.Amounts{GrossFlag: shopify.CustomTaxesIncluded, LineTax: true, LineDiscounts: true})
}
