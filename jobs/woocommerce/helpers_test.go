package woocommerce_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

var t0 = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// env is a simulated WooCommerce store and a client of it.
type env struct {
	*storenettest.Env[*woosim.Server]
	client *woocommerce.Client
}

func newEnv(t *testing.T, opts woosim.Options) *env {
	t.Helper()
	e := &env{Env: storenettest.NewEnv(t, t0, func(now func() time.Time) *woosim.Server {
		opts.Now = now
		return woosim.New(opts)
	})}
	e.client = e.newClient(t, e.Srv.URL, woosim.DefaultConsumerKey, woosim.DefaultConsumerSecret)
	return e
}

func (e *env) newClient(t *testing.T, url, key, secret string) *woocommerce.Client {
	t.Helper()
	c, err := woocommerce.New(woocommerce.Config{
		BaseURL:        url,
		ConsumerKey:    key,
		ConsumerSecret: secret,
		HTTPClient:     e.Srv.Client(),
		Logger:         e.Logs.Logger(),
		Sleep:          e.Clock.Sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) all(t *testing.T, q woocommerce.Query) ([]woocommerce.Fetched, int) {
	t.Helper()
	return storenettest.Walk(t, e.client.Orders, q, func(p woocommerce.Page) []woocommerce.Fetched { return p.Orders })
}

func (e *env) generate(t *testing.T, n int, seed int64) []woosim.Order {
	t.Helper()
	out, err := e.Sim.Generate(n, seed)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// orderID is a simulator order's id as the client's orders carry it (ExternalID).
func orderID(o woosim.Order) string { return strconv.Itoa(o.ID) }

// noSecrets fails when text contains the credentials.
var noSecrets = storenettest.NoSecrets

// checkAmounts asserts the money identities of a normalized order; gross
// (tax-inclusive) orders hold Total = Subtotal − DiscountTotal + ShippingTotal.
func checkAmounts(o orders.Order) string {
	return storenettest.CheckAmounts(o, storenettest.Amounts{GrossFlag: woocommerce.CustomTaxesIncluded, LineDiscounts: true, TaxesOptional: true})
}

// mustCents parses a simulator decimal string.
func mustCents(t *testing.T, s string) orders.Money {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac = (frac + "00")[:2]
	var v int64
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			t.Fatalf("bad amount %q", s)
		}
		v = v*10 + int64(r-'0')
	}
	if neg {
		v = -v
	}
	return orders.Money(v)
}
