package shopify_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// env is a simulated shop and a client of it.
type env struct {
	*storenettest.Env[*shopifysim.Server]
	client *shopify.Client
}

func newEnv(t *testing.T, opts shopifysim.Options) *env {
	t.Helper()
	e := &env{Env: storenettest.NewEnv(t, t0, func(now func() time.Time) *shopifysim.Server {
		opts.Clock = now
		return shopifysim.New(opts)
	})}
	e.client = e.newClient(t, e.Srv.URL, e.Sim.AccessToken())
	return e
}

func (e *env) newClient(t *testing.T, url, token string) *shopify.Client {
	t.Helper()
	c, err := shopify.New(shopify.Config{
		BaseURL:     url,
		AccessToken: token,
		HTTPClient:  e.Srv.Client(),
		Logger:      e.Logs.Logger(),
		Sleep:       e.Clock.Sleep,
		Now:         e.Clock.Now,
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

// orderID is a simulator order's id as the client's orders carry it (ExternalID).
func orderID(o shopifysim.Order) string { return strconv.FormatInt(o.ID, 10) }

// noSecrets fails when text contains the credentials.
var noSecrets = storenettest.NoSecrets

// checkAmounts asserts the money identities of a normalized order; gross
// (tax-inclusive) orders hold Total = Subtotal − DiscountTotal + ShippingTotal.
func checkAmounts(o orders.Order) string {
	return storenettest.CheckAmounts(o, storenettest.Amounts{GrossFlag: shopify.CustomTaxesIncluded, LineTax: true, LineDiscounts: true})
}
