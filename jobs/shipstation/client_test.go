package shipstation_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

func TestCheck(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	ctx := context.Background()
	if err := e.client.Check(ctx); err != nil {
		t.Fatalf("good credentials: %v", err)
	}

	bad := e.newClient(t, shipstationsim.DefaultAPIKey, "Wrong-Secret-123")
	err := bad.Check(ctx)
	if !errors.Is(err, shipstation.ErrUnauthorized) {
		t.Fatalf("bad secret: got %v, want ErrUnauthorized", err)
	}
	if !strings.Contains(err.Error(), "API key and secret") {
		t.Errorf("message does not say the credentials are wrong: %v", err)
	}
	noSecrets(t, "error", err.Error(), "Wrong-Secret-123", shipstationsim.DefaultAPISecret)

	// A server that is not ShipStation: every path is a 404.
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	c, _ := shipstation.New(shipstation.Config{BaseURL: other.URL, APIKey: "k", APISecret: "secret-xyz", Sleep: e.Clock.Sleep})
	if err := c.Check(ctx); !errors.Is(err, shipstation.ErrNotFound) {
		t.Errorf("wrong URL: got %v, want ErrNotFound", err)
	}

	// Nothing listening.
	other.Close()
	if err := c.Check(ctx); !errors.Is(err, shipstation.ErrUnreachable) {
		t.Errorf("closed server: got %v, want ErrUnreachable", err)
	} else {
		noSecrets(t, "error", err.Error(), "secret-xyz")
	}

	// ShipStation itself failing, every attempt.
	e.Sim.FailNext(10, shipstationsim.Fault{Status: 500})
	storenettest.ErrorSays(t, "500s", e.client.Check(ctx), shipstation.ErrStore, "check connection", "HTTP 500", "after 5 attempts", "An error has occurred")
	noSecrets(t, "logs", e.Logs.String(), shipstationsim.DefaultAPISecret, "Wrong-Secret-123", "secret-xyz", "U2hpcFN0YXRpb246Um9ja3M=")
}

func TestNewRejectsMissingCredentials(t *testing.T) {
	if _, err := shipstation.New(shipstation.Config{APIKey: "k"}); err == nil {
		t.Error("no secret: want an error")
	}
	if _, err := shipstation.New(shipstation.Config{APIKey: "k", APISecret: "s", BaseURL: "ftp://x"}); err == nil {
		t.Error("ftp URL: want an error")
	}
}

func TestOrdersPagingAllOnce(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	e.Sim.Generate(340, 7)
	want := e.Sim.Orders()
	got, pages := e.all(t, shipstation.Query{PageSize: 25})
	if pages != (len(want)+24)/25 {
		t.Errorf("pages = %d, want %d", pages, (len(want)+24)/25)
	}
	storenettest.AllOnce(t, got, want, orderID)
}

func TestOrdersFilters(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	e.Sim.Generate(400, 11)
	all := e.Sim.Orders()
	parse := func(s string) time.Time {
		v, err := time.ParseInLocation(shipstationsim.OrderTimeLayout, s, shipstationsim.Pacific())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Bounds between existing timestamps, with sub-second parts, so the
	// [From, To) rule is what decides.
	upFrom := parse(all[len(all)/3].ModifyDate).Add(-1500 * time.Millisecond)
	upTo := parse(all[2*len(all)/3].ModifyDate).Add(700 * time.Millisecond)
	crFrom := t0.Add(-20 * 24 * time.Hour)
	crTo := t0.Add(-5*24*time.Hour + 123*time.Millisecond)
	statuses := []string{shipstationsim.StatusAwaitingShipment, shipstationsim.StatusOnHold}

	type filter = storenettest.Filter[shipstation.Query, shipstationsim.Order]
	storenettest.Filters(t, all, orderID, e.all, map[string]filter{
		"updated range": {Query: shipstation.Query{UpdatedFrom: upFrom, UpdatedTo: upTo},
			Keep: func(o shipstationsim.Order) bool {
				m := parse(o.ModifyDate)
				return !m.Before(upFrom) && m.Before(upTo)
			}},
		"created range": {Query: shipstation.Query{CreatedFrom: crFrom, CreatedTo: crTo},
			Keep: func(o shipstationsim.Order) bool { c := parse(o.OrderDate); return !c.Before(crFrom) && c.Before(crTo) }},
		"statuses": {Query: shipstation.Query{Statuses: statuses},
			Keep: func(o shipstationsim.Order) bool { return o.OrderStatus == statuses[0] || o.OrderStatus == statuses[1] }},
		"all three": {Query: shipstation.Query{UpdatedFrom: upFrom, UpdatedTo: upTo, CreatedFrom: crFrom, CreatedTo: crTo, Statuses: statuses, PageSize: 10},
			Keep: func(o shipstationsim.Order) bool {
				m, c := parse(o.ModifyDate), parse(o.OrderDate)
				return !m.Before(upFrom) && m.Before(upTo) && !c.Before(crFrom) && c.Before(crTo) &&
					(o.OrderStatus == statuses[0] || o.OrderStatus == statuses[1])
			}},
	})
}

func TestOrdersStopsOnCallbackError(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	e.Sim.Generate(120, 3)
	stop := errors.New("stop")
	calls := 0
	err := e.client.Orders(context.Background(), shipstation.Query{PageSize: 10}, func(shipstation.Page) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err = %v after %d calls; want stop after 1", err, calls)
	}
}

func TestRateLimitWaitsForReset(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{RateLimit: 4, RateWindow: time.Minute})
	e.Sim.Generate(300, 5)
	got, pages := e.all(t, shipstation.Query{PageSize: 20})
	if len(got) != 300 || pages != 15 {
		t.Fatalf("got %d orders in %d pages, want 300 in 15", len(got), pages)
	}
	// 15 requests at 4 per window: the client must have waited for 3 resets
	// and never been refused.
	waits := e.Clock.Waits()
	if len(waits) != 3 {
		t.Errorf("waited %d times (%v), want 3", len(waits), waits)
	}
	for _, w := range waits {
		if w <= 0 || w > time.Minute {
			t.Errorf("wait %v outside (0, 1m]", w)
		}
	}
	if n := e.statuses()[http.StatusTooManyRequests]; n != 0 {
		t.Errorf("the simulator refused %d requests with 429; the client should pace itself", n)
	}
}

func TestRetries429And500(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	e.Sim.Generate(50, 9)
	e.Sim.FailNext(1, shipstationsim.Fault{Status: 429})
	e.Sim.FailNext(2, shipstationsim.Fault{Status: 500})
	e.Sim.FailNext(1, shipstationsim.Fault{Status: 503})
	got, _ := e.all(t, shipstation.Query{})
	if len(got) != 50 {
		t.Fatalf("got %d orders, want 50", len(got))
	}
	if w := e.Clock.Waits(); len(w) != 4 {
		t.Errorf("waited %d times (%v), want 4 (one per fault)", len(w), w)
	}

	e.Sim.FailNext(50, shipstationsim.Fault{Status: 502})
	err := e.client.Orders(context.Background(), shipstation.Query{}, func(shipstation.Page) error { return nil })
	storenettest.ErrorSays(t, "persistent 502", err, shipstation.ErrStore, "list orders (page 1)", "HTTP 502", "after 5 attempts")
	e.Sim.ClearFaults()

	e.Sim.FailNext(50, shipstationsim.Fault{Status: 429})
	storenettest.ErrorSays(t, "persistent 429", e.client.Check(context.Background()), shipstation.ErrRateLimited, "after 5 attempts")
}

func TestStoresShipmentsFulfillments(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	e.Sim.Generate(200, 13)
	ctx := context.Background()

	stores, err := e.client.Stores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := e.Sim.Stores(); len(stores) != len(want) || stores[0].StoreID != shipstationsim.ManualStoreID || stores[0].StoreName == "" {
		t.Errorf("stores = %+v, want %d starting with Manual Orders", stores, len(want))
	}

	ships, err := e.client.Shipments(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := e.Sim.Shipments()
	if len(ships) != len(want) || len(want) == 0 {
		t.Fatalf("got %d shipments, want %d (> 0)", len(ships), len(want))
	}
	byID := map[int64]shipstationsim.Shipment{}
	for _, w := range want {
		byID[w.ShipmentID] = w
	}
	for _, s := range ships {
		w, ok := byID[s.ShipmentID]
		delete(byID, s.ShipmentID)
		if !ok || s.TrackingNumber != w.TrackingNumber || s.ShipmentCost != shipstation.Money(cents(w.ShipmentCost)) ||
			len(s.ShipmentItems) != len(w.ShipmentItems) || len(s.ShipmentItems) == 0 || s.CreateDate.IsZero() || s.OrderID != w.OrderID {
			t.Errorf("shipment %d: tracking %s cost %v items %d; simulator has tracking %s cost %v items %d",
				s.ShipmentID, s.TrackingNumber, s.ShipmentCost, len(s.ShipmentItems), w.TrackingNumber, w.ShipmentCost, len(w.ShipmentItems))
		}
	}
	if len(byID) != 0 {
		t.Errorf("%d shipments missing", len(byID))
	}
	recent, err := e.client.Shipments(ctx, t0.Add(-5*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) == 0 || len(recent) >= len(ships) {
		t.Errorf("since filter: %d of %d shipments", len(recent), len(ships))
	}
	for _, s := range recent {
		if s.CreateDate.Before(t0.Add(-5 * 24 * time.Hour).Truncate(time.Second)) {
			t.Errorf("shipment %d created %v, before the since bound", s.ShipmentID, s.CreateDate)
		}
	}

	ful, err := e.client.Fulfillments(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ful) != len(e.Sim.Fulfillments()) {
		t.Errorf("got %d fulfillments, want %d", len(ful), len(e.Sim.Fulfillments()))
	}
}

func TestOrderByID(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	gen := e.Sim.Generate(5, 1)
	f, err := e.client.Order(context.Background(), itoa(gen[2].OrderID))
	if err != nil || f.Order.ExternalID != itoa(gen[2].OrderID) || f.Order.Number != gen[2].OrderNumber || f.Order.Total != cents(gen[2].OrderTotal) {
		t.Errorf("Order = %+v, %v", f.Order, err)
	}
	if _, err := e.client.Order(context.Background(), "123"); !errors.Is(err, shipstation.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// An order Ledgerlink created in ShipStation from a QuickBooks sale (orderKey "llqb-…") is
// that sale, already in QuickBooks: a connection that also posts ShipStation's orders to
// QuickBooks must not read it back as a new order, by a pull or by its id.
func TestOrdersLeaveOutOrdersCreatedFromQuickBooks(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	gen := e.Sim.Generate(6, 5)
	street := "1 Main St"
	qb, err := e.Sim.AddOrder(shipstationsim.Order{OrderNumber: "QB-7002", OrderKey: "llqb-12-SR-1F-1764979200",
		OrderDate: "2026-03-14T09:00:00.0000000", OrderStatus: shipstationsim.StatusAwaitingShipment,
		BillTo: &shipstationsim.Address{Name: "Luc"}, ShipTo: &shipstationsim.Address{Name: "Luc", Street1: &street}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := e.all(t, shipstation.Query{PageSize: 4})
	storenettest.AllOnce(t, got, gen, orderID)
	for _, f := range got {
		if f.Order.Number == "QB-7002" {
			t.Errorf("the order created from QuickBooks sale QB-7002 was delivered: %+v", f.Order)
		}
	}
	if _, err := e.client.Order(context.Background(), itoa(qb.OrderID)); !errors.Is(err, shipstation.ErrNotFound) || !strings.Contains(err.Error(), "QuickBooks") {
		t.Errorf("Order(the QuickBooks sale's order) = %v; want not found as a store order, saying it came from QuickBooks", err)
	}
}
