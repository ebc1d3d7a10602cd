package shipstation_test

import (
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
		Logger:     e.logs.Logger(),
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
	return storenettest.Walk(t, e.client.Orders, q, func(p shipstation.Page) []shipstation.Fetched { return p.Orders })
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
	return storenettest.CheckAmounts(o, storenettest.Amounts{})
}

// cents converts a simulator float amount to cents.
func cents(f float64) orders.Money {
	if f < 0 {
		return -orders.Money(-f*100 + 0.5)
	}
	return orders.Money(f*100 + 0.5)
}
