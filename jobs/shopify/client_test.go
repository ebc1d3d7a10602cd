package shopify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

func TestCheck(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	ctx := context.Background()
	if err := e.client.Check(ctx); err != nil {
		t.Fatalf("good token: %v", err)
	}
	err := e.newClient(t, e.Srv.URL, "shpat_wrong_token_123").Check(ctx)
	if !errors.Is(err, shopify.ErrUnauthorized) || !strings.Contains(err.Error(), "rejected the access token") {
		t.Fatalf("bad token: %v", err)
	}
	noSecrets(t, "error", err.Error(), "shpat_wrong_token_123", e.Sim.AccessToken())

	// A simulator serving another API version only: 404 for 2025-01.
	other := shopifysim.New(shopifysim.Options{Versions: []string{"2026-01"}, AccessToken: "shpat_x"})
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	if err := e.newClient(t, otherSrv.URL, "shpat_x").Check(ctx); !errors.Is(err, shopify.ErrNotFound) || !strings.Contains(err.Error(), "check the shop address") {
		t.Errorf("wrong version/URL: %v", err)
	}
	notShop := httptest.NewServer(http.NotFoundHandler())
	c := e.newClient(t, notShop.URL, "shpat_y")
	if err := c.Check(ctx); !errors.Is(err, shopify.ErrNotFound) {
		t.Errorf("not a shop: %v", err)
	}
	notShop.Close()
	if err := c.Check(ctx); !errors.Is(err, shopify.ErrUnreachable) {
		t.Errorf("closed: %v", err)
	}

	e.Sim.FailNext(10, shopifysim.Fault{Status: 500})
	storenettest.ErrorSays(t, "500s", e.client.Check(ctx), shopify.ErrStore, "check connection", "HTTP 500", "Internal Server Error", "after 5 attempts")
	noSecrets(t, "logs", e.Logs.String(), e.Sim.AccessToken(), "shpat_wrong_token_123", "shpat_x", "shpat_y")
}

func TestNewURLForms(t *testing.T) {
	for _, u := range []string{"my-shop.myshopify.com", "https://my-shop.myshopify.com/", "https://my-shop.myshopify.com/admin"} {
		if _, err := shopify.New(shopify.Config{BaseURL: u, AccessToken: "t"}); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if _, err := shopify.New(shopify.Config{BaseURL: "x.myshopify.com"}); err == nil {
		t.Error("no token: want an error")
	}
}

func TestOrdersPagingAllOnce(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	want := e.Sim.Generate(320, 3)
	got, pages := e.all(t, shopify.Query{})
	storenettest.AllOnce(t, got, want, orderID)
	// The page size adapts to the 1000-point query limit.
	if pages > 320/4 || pages < 320/250 {
		t.Errorf("%d pages for 320 orders", pages)
	}
	for _, r := range e.Sim.Log() {
		if r.RequestedCost > 1000 {
			t.Errorf("a query asked for %d points", r.RequestedCost)
		}
	}
}

func TestOrdersFilters(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	all := e.Sim.Generate(300, 9)
	upFrom := all[100].UpdatedAt.Add(-1500 * time.Millisecond)
	upTo := all[200].UpdatedAt.Add(300 * time.Millisecond)
	crFrom := all[50].CreatedAt // on an order: From is inclusive
	crTo := all[250].CreatedAt  // on an order: To is exclusive
	statuses := []string{"paid", "partially_refunded"}
	in := func(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }
	isStatus := func(o shopifysim.Order) bool {
		s := strings.ToLower(o.FinancialStatus)
		return s == statuses[0] || s == statuses[1]
	}
	type filter = storenettest.Filter[shopify.Query, shopifysim.Order]
	storenettest.Filters(t, e.Sim.Orders(), orderID, e.all, map[string]filter{
		"updated range": {Query: shopify.Query{UpdatedFrom: upFrom, UpdatedTo: upTo}, Keep: func(o shopifysim.Order) bool { return in(o.UpdatedAt, upFrom, upTo) }},
		"created range": {Query: shopify.Query{CreatedFrom: crFrom, CreatedTo: crTo}, Keep: func(o shopifysim.Order) bool { return in(o.CreatedAt, crFrom, crTo) }},
		"statuses":      {Query: shopify.Query{Statuses: statuses}, Keep: isStatus},
		"all three": {Query: shopify.Query{UpdatedFrom: upFrom, UpdatedTo: upTo, CreatedFrom: crFrom, CreatedTo: crTo, Statuses: statuses, PageSize: 3},
			Keep: func(o shopifysim.Order) bool {
				return in(o.UpdatedAt, upFrom, upTo) && in(o.CreatedAt, crFrom, crTo) && isStatus(o)
			}},
	})
}

// TestThrottleWaitsAndPaces runs a full walk against a tiny bucket: the
// client must pace itself, sit out THROTTLED answers via the Sleep hook,
// and finish.
func TestThrottleWaitsAndPaces(t *testing.T) {
	e := newEnv(t, shopifysim.Options{BucketSize: 450, RestoreRate: 10})
	e.Sim.Generate(300, 4)
	e.Sim.SetAvailable(0) // someone else just used the bucket up
	got, _ := e.all(t, shopify.Query{})
	if len(got) != 300 {
		t.Fatalf("got %d orders, want 300", len(got))
	}
	waits := e.Clock.Waits()
	if len(waits) < 10 {
		t.Errorf("only %d waits against a 450-point bucket", len(waits))
	}
	var throttled int
	for i, r := range e.Sim.Log() {
		if r.Throttled {
			throttled++
		}
		// Before the first answer the client cannot know the bucket's size;
		// after it no query may ask for more than the bucket holds.
		if i > 0 && r.RequestedCost > 450 {
			t.Errorf("query %d asked for %d points, more than the bucket holds", i, r.RequestedCost)
		}
	}
	// Only the first request can be throttled: after it the client knows
	// the bucket and paces.
	if throttled != 1 {
		t.Errorf("%d THROTTLED answers; pacing should leave only the first", throttled)
	}
	if w := waits[0]; w <= 0 || w > time.Minute {
		t.Errorf("first wait %v", w)
	}
}

func TestThrottledAnswersAreRetried(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(10, 2)
	e.Sim.FailNext(3, shopifysim.Fault{Throttle: true})
	if err := e.client.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(e.Clock.Waits()); n != 3 {
		t.Errorf("%d waits for 3 THROTTLED answers", n)
	}
	e.Sim.FailNext(20, shopifysim.Fault{Throttle: true})
	err := e.client.Check(context.Background())
	if !errors.Is(err, shopify.ErrThrottled) {
		t.Errorf("persistent THROTTLED: %v", err)
	}
	e.Sim.ClearFaults()
}

func TestRetries(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(30, 5)
	e.Sim.FailNext(1, shopifysim.Fault{Status: 429, RetryAfter: 2 * time.Second})
	e.Sim.FailNext(1, shopifysim.Fault{Status: 500})
	e.Sim.FailNext(1, shopifysim.Fault{Status: 503})
	got, _ := e.all(t, shopify.Query{})
	if len(got) != 30 {
		t.Fatalf("got %d orders", len(got))
	}
	w := e.Clock.Waits()
	// Retry-After of the 429, then the backoff of tries 2 and 3 (later
	// waits are the client pacing itself to the cost bucket).
	if len(w) < 3 || w[0] != 2*time.Second || w[1] != 2*time.Second || w[2] != 4*time.Second {
		t.Errorf("waits = %v, want 2s (Retry-After), 2s, 4s (backoff)", w)
	}
	e.Sim.FailNext(20, shopifysim.Fault{Status: 502})
	err := e.client.Orders(context.Background(), shopify.Query{}, func(shopify.Page) error { return nil })
	storenettest.ErrorSays(t, "persistent 502", err, shopify.ErrStore, "list orders (page 1)", "HTTP 502", "after 5 attempts")
	e.Sim.ClearFaults()
}

func TestVerifyWebhook(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	got := make(chan struct {
		body []byte
		sig  string
	}, 4)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- struct {
			body []byte
			sig  string
		}{b, r.Header.Get(shopify.HMACHeader)}
	}))
	defer recv.Close()
	if err := e.Sim.Subscribe("orders/create", recv.URL); err != nil {
		t.Fatal(err)
	}
	e.Sim.Generate(1, 1)
	if err := e.Sim.WaitWebhooks(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := <-got
	secret := e.Sim.AppSecret()
	if !shopify.VerifyWebhook(d.body, d.sig, secret) {
		t.Fatal("genuine delivery did not verify")
	}
	if !shopify.VerifyWebhook(d.body, e.Sim.Sign(d.body), secret) {
		t.Error("simulator signature did not verify")
	}
	// The webhook names the order; read it back through the API.
	var hook struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(d.body, &hook); err != nil || hook.ID == 0 {
		t.Fatalf("webhook body without id: %v", err)
	}
	f, err := e.client.Order(context.Background(), strconv.FormatInt(hook.ID, 10))
	if err != nil || f.Order.ExternalID != strconv.FormatInt(hook.ID, 10) || len(f.Order.Lines) == 0 {
		t.Errorf("Order(%d) = %+v, %v", hook.ID, f.Order, err)
	}
	if _, err := e.client.Order(context.Background(), "999"); !errors.Is(err, shopify.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
	tampered := append([]byte(nil), d.body...)
	tampered[len(tampered)/2] ^= 1
	for name, ok := range map[string]bool{
		"tampered": shopify.VerifyWebhook(tampered, d.sig, secret),
		"wrong":    shopify.VerifyWebhook(d.body, d.sig, "shpss_other"),
		"empty":    shopify.VerifyWebhook(d.body, "", secret),
		"nosecret": shopify.VerifyWebhook(d.body, d.sig, ""),
		"garbage":  shopify.VerifyWebhook(d.body, "%%%", secret),
	} {
		if ok {
			t.Errorf("%s verified", name)
		}
	}
}
