package shipstation_test

import (
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
	*storenettest.Env[*shipstationsim.Server]
	client *shipstation.Client
}

// newEnv starts a simulator (rate limit off unless opts sets one) and a
// client with the default credentials whose Sleep records the wait and
// moves the clock.
func newEnv(t *testing.T, opts shipstationsim.Options) *env {
	t.Helper()
	e := &env{Env: storenettest.NewEnv(t, t0, func(now func() time.Time) *shipstationsim.Server {
		opts.Clock = now
		if opts.RateLimit == 0 {
			opts.RateLimit = -1
		}
		return shipstationsim.New(opts)
	})}
	e.Sim.SetBaseURL(e.Srv.URL)
	e.client = e.newClient(t, shipstationsim.DefaultAPIKey, shipstationsim.DefaultAPISecret)
	return e
}

func (e *env) newClient(t *testing.T, key, secret string) *shipstation.Client {
	t.Helper()
	c, err := shipstation.New(shipstation.Config{
		BaseURL:    e.Srv.URL,
		APIKey:     key,
		APISecret:  secret,
		HTTPClient: e.Srv.Client(),
		Logger:     e.Logs.Logger(),
		Sleep:      e.Clock.Sleep,
		Now:        e.Clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// all walks every order matching q.
func (e *env) all(t *testing.T, q shipstation.Query) ([]shipstation.Fetched, int) {
	t.Helper()
	return storenettest.Walk(t, e.client.Orders, q, func(p shipstation.Page) []shipstation.Fetched { return p.Orders })
}

// statuses counts the simulator's answers by HTTP status.
func (e *env) statuses() map[int]int {
	out := map[int]int{}
	for _, r := range e.Sim.Requests() {
		out[r.Status]++
	}
	return out
}

// orderID is a simulator order's id as the client's orders carry it (ExternalID).
func orderID(o shipstationsim.Order) string { return itoa(o.OrderID) }

// noSecrets fails when text contains the credentials.
var noSecrets = storenettest.NoSecrets

// checkAmounts asserts the money identities every normalized order must
// satisfy and returns a description of the first broken one.
func checkAmounts(o orders.Order) string {
	return storenettest.CheckAmounts(o, storenettest.Amounts{})
}

// cents converts a simulator float amount to cents.
func cents(f float64) orders.Money {
	if f < 0 {
		return -orders.Money(-f*100 + 0.5)
	}
	return orders.Money(f*100 + 0.5)
}
