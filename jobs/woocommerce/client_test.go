package woocommerce_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

func TestCheck(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	ctx := context.Background()
	if err := e.client.Check(ctx); err != nil {
		t.Fatalf("good key: %v", err)
	}

	cases := map[string]struct {
		client *woocommerce.Client
		kind   error
		says   []string
	}{
		"wrong secret": {e.newClient(t, e.Srv.URL, woosim.DefaultConsumerKey, "cs_wrong_secret_0001"), woocommerce.ErrUnauthorized,
			[]string{"did not accept the API key", "Consumer secret is invalid"}},
		"unknown key": {e.newClient(t, e.Srv.URL, "ck_unknown_key_0002", "cs_wrong_secret_0001"), woocommerce.ErrUnauthorized,
			[]string{"HTTP 401", "consumer key is unknown"}},
	}
	for name, tc := range cases {
		err := tc.client.Check(ctx)
		if !errors.Is(err, tc.kind) {
			t.Errorf("%s: got %v, want %v", name, err, tc.kind)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q does not say %q", name, err, s)
			}
		}
		noSecrets(t, name, err.Error(), "cs_wrong_secret_0001", woosim.DefaultConsumerSecret)
	}

	// A store that, like WooCommerce at a plain http:// URL, ignores Basic
	// credentials: the error says to use https.
	strict := woosim.New(woosim.Options{RequireTLSForBasic: true})
	strictSrv := httptest.NewServer(strict)
	defer strictSrv.Close()
	err := e.newClient(t, strictSrv.URL, woosim.DefaultConsumerKey, woosim.DefaultConsumerSecret).Check(ctx)
	if !errors.Is(err, woocommerce.ErrUnauthorized) || !strings.Contains(err.Error(), "https://") {
		t.Errorf("http store ignoring Basic: %v", err)
	}

	// Not WordPress at all.
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	c := e.newClient(t, other.URL, "ck_x", "cs_secret_xyz")
	if err := c.Check(ctx); !errors.Is(err, woocommerce.ErrNotFound) || !strings.Contains(err.Error(), "check the store URL") {
		t.Errorf("not WordPress: %v", err)
	}
	other.Close()
	if err := c.Check(ctx); !errors.Is(err, woocommerce.ErrUnreachable) {
		t.Errorf("closed server: %v", err)
	}

	e.Sim.FailNext(10, woosim.Fault{Status: 500})
	err = e.client.Check(ctx)
	storenettest.ErrorSays(t, "500s", err, woocommerce.ErrStore, "check connection", "HTTP 500", "after 5 attempts")
	noSecrets(t, "logs", e.Logs.String(), woosim.DefaultConsumerSecret, woosim.DefaultConsumerKey, "cs_wrong_secret_0001", "cs_secret_xyz")
}

func TestOrdersPagingAllOnce(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	want := e.generate(t, 330, 4)
	got, pages := e.all(t, woocommerce.Query{PageSize: 25})
	if pages != 14 {
		t.Errorf("pages = %d, want 14", pages)
	}
	storenettest.AllOnce(t, got, want, orderID)
}

// TestOrdersWalkAgainWhenTheListShifts: of the orders modified before t0, read ten a page,
// the first leaves the filter (modified past UpdatedTo) while the first page is handled, so
// the 11th moves onto the page already read. X-WP-Total changed, so the walk goes over the
// list again and delivers the 11th then; every order comes exactly once, the one that left
// included (before it left).
func TestOrdersWalkAgainWhenTheListShifts(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	want := slices.DeleteFunc(e.generate(t, 35, 12), func(o woosim.Order) bool { return !o.Modified.Before(t0) })
	slices.SortFunc(want, func(a, b woosim.Order) int { return a.ID - b.ID }) // the walk's order
	if len(want) < 31 || len(want) > 40 {
		t.Fatalf("%d orders modified before t0, want 31 to 40 (four pages)", len(want))
	}
	var got []woocommerce.Fetched
	pages := 0
	err := e.client.Orders(context.Background(), woocommerce.Query{UpdatedTo: t0, PageSize: 10}, func(p woocommerce.Page) error {
		pages++
		got = append(got, p.Orders...)
		if pages == 1 {
			e.Clock.Advance(time.Minute)
			if _, err := e.Sim.UpdateOrder(want[0].ID, func(o *woosim.Order) { o.CustomerNote = "edited" }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	storenettest.AllOnce(t, got, want, orderID)
	// The four pages of the first pass, then the one page of the second that holds the 11th.
	if pages != 5 || got[len(got)-1].Order.ExternalID != orderID(want[10]) {
		t.Errorf("%d pages, the last order %s; want 5, the 11th (%s) last", pages, got[len(got)-1].Order.ExternalID, orderID(want[10]))
	}
}

func TestOrdersFilters(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	all := e.generate(t, 360, 8)
	upFrom := all[len(all)/3].Modified.Add(-1500 * time.Millisecond)
	upTo := all[2*len(all)/3].Modified.Add(700 * time.Millisecond)
	crFrom := all[len(all)/4].Created // exactly on an order: From is inclusive
	crTo := all[3*len(all)/4].Created // exactly on an order: To is exclusive
	statuses := []string{"processing", "on-hold"}
	in := func(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }
	isStatus := func(o woosim.Order) bool { return o.Status == statuses[0] || o.Status == statuses[1] }

	type filter = storenettest.Filter[woocommerce.Query, woosim.Order]
	storenettest.Filters(t, all, orderID, e.all, map[string]filter{
		"updated range": {Query: woocommerce.Query{UpdatedFrom: upFrom, UpdatedTo: upTo}, Keep: func(o woosim.Order) bool { return in(o.Modified, upFrom, upTo) }},
		"created range": {Query: woocommerce.Query{CreatedFrom: crFrom, CreatedTo: crTo}, Keep: func(o woosim.Order) bool { return in(o.Created, crFrom, crTo) }},
		"statuses":      {Query: woocommerce.Query{Statuses: statuses}, Keep: isStatus},
		"all three": {Query: woocommerce.Query{UpdatedFrom: upFrom, UpdatedTo: upTo, CreatedFrom: crFrom, CreatedTo: crTo, Statuses: statuses, PageSize: 7},
			Keep: func(o woosim.Order) bool {
				return in(o.Modified, upFrom, upTo) && in(o.Created, crFrom, crTo) && isStatus(o)
			}},
	})
}

func TestHostRateLimitHonoursRetryAfter(t *testing.T) {
	e := newEnv(t, woosim.Options{RateLimit: 2, RateBurst: 3})
	e.generate(t, 300, 6)
	got, pages := e.all(t, woocommerce.Query{PageSize: 20})
	if len(got) != 300 || pages != 15 {
		t.Fatalf("got %d orders in %d pages, want 300 in 15", len(got), pages)
	}
	waits := e.Clock.Waits()
	if len(waits) == 0 {
		t.Fatal("the client never waited although the host answered 429")
	}
	var limited int
	for _, r := range e.Sim.Requests() {
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != len(waits) {
		t.Errorf("%d 429s but %d waits: every 429 must be waited out once", limited, len(waits))
	}
	for _, w := range waits {
		if w < time.Second {
			t.Errorf("waited %v, less than the Retry-After of ≥ 1 s", w)
		}
	}
}

func TestRetries(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	e.generate(t, 40, 2)
	e.Sim.FailNext(2, woosim.Fault{Status: 500})
	e.Sim.FailNext(1, woosim.Fault{Status: 503, RetryAfter: 7 * time.Second})
	e.Sim.FailNext(1, woosim.Fault{Status: 429, RetryAfter: 3 * time.Second})
	got, _ := e.all(t, woocommerce.Query{})
	if len(got) != 40 {
		t.Fatalf("got %d orders, want 40", len(got))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 7 * time.Second, 3 * time.Second}
	if w := e.Clock.Waits(); len(w) != len(want) || w[0] != want[0] || w[1] != want[1] || w[2] != want[2] || w[3] != want[3] {
		t.Errorf("waits = %v, want %v (backoff, then Retry-After)", w, want)
	}

	e.Sim.FailNext(50, woosim.Fault{Status: 502})
	err := e.client.Orders(context.Background(), woocommerce.Query{}, func(woocommerce.Page) error { return nil })
	storenettest.ErrorSays(t, "persistent 502", err, woocommerce.ErrStore, "list orders (page 1)", "HTTP 502", "after 5 attempts")
	e.Sim.ClearFaults()
	e.Sim.FailNext(50, woosim.Fault{Status: 429})
	if err := e.client.Check(context.Background()); !errors.Is(err, woocommerce.ErrRateLimited) {
		t.Errorf("persistent 429: %v", err)
	}
}
