package shopify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
)

// TestBulkOrdersMatchPagedOrders (issue 15 goal 2): a bulk operation delivers exactly the
// orders the paged walk delivers — same orders, same normalized form, same raw payload as JSON (but for the
// cursors of the nested connections) —
// in one operation instead of dozens of cost-limited pages, with or without a status filter.
// The paged walk is the expected value: it reads the simulator through the ordinary queries.
func TestBulkOrdersMatchPagedOrders(t *testing.T) {
	e := newEnv(t, shopifysim.Options{BulkRunningReads: 2})
	e.Sim.Generate(80, 11)
	for _, q := range []shopify.Query{{}, {Statuses: []string{"paid"}, UpdatedFrom: t0.AddDate(0, 0, -20)}} {
		paged, _ := e.all(t, q)
		before := e.Sim.Requests()["orders"]
		q.Bulk = true
		bulk, pages := e.all(t, q)
		if n := e.Sim.Requests()["orders"]; n != before {
			t.Errorf("the bulk walk made %d paged orders queries", n-before)
		}
		if len(bulk) != len(paged) || len(paged) == 0 || pages != 1 {
			t.Fatalf("%+v: bulk %d orders in %d pages, paged %d", q, len(bulk), pages, len(paged))
		}
		byID := map[string]shopify.Fetched{}
		for _, f := range paged {
			byID[f.Order.ExternalID] = f
		}
		for _, f := range bulk {
			p, ok := byID[f.Order.ExternalID]
			if !ok || f.Err != nil {
				t.Fatalf("bulk order %s (err %v) not in the paged walk", f.Order.ExternalID, f.Err)
			}
			if !reflect.DeepEqual(f.Order, p.Order) {
				t.Errorf("order %s normalized differently:\nbulk  %+v\npaged %+v", f.Order.Number, f.Order, p.Order)
			}
			if !sameJSON(f.Raw, p.Raw) {
				t.Errorf("order %s raw differs:\nbulk  %s\npaged %s", f.Order.Number, f.Raw, p.Raw)
			}
		}
	}
	if n := e.Sim.BulkOperations(); n != 2 {
		t.Errorf("%d bulk operations, want 2", n)
	}
}

// sameJSON compares two order payloads as JSON values, their nested connections' pageInfo
// aside (a paged answer's last cursor, which a bulk result has no use for).
func sameJSON(a, b []byte) bool {
	var x, y map[string]any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	for _, m := range []map[string]any{x, y} {
		for _, k := range []string{"lineItems", "shippingLines", "discountApplications"} {
			if c, ok := m[k].(map[string]any); ok {
				delete(c, "pageInfo")
			}
		}
	}
	return reflect.DeepEqual(x, y)
}

// TestBulkOrdersWaitForTheShopsRunningBulkQuery: Shopify runs one bulk query per shop; the
// client waits for one already running (another app's) to end, then runs its own.
func TestBulkOrdersWaitForTheShopsRunningBulkQuery(t *testing.T) {
	e := newEnv(t, shopifysim.Options{BulkRunningReads: 3})
	e.Sim.Generate(5, 2)
	body, _ := json.Marshal(map[string]any{"query": `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id } } } }") { bulkOperation { id } } }`})
	req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+e.Sim.GraphQLPath(), bytes.NewReader(body))
	req.Header.Set("X-Shopify-Access-Token", e.Sim.AccessToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got, _ := e.all(t, shopify.Query{Bulk: true})
	if len(got) != 5 || e.Sim.BulkOperations() != 2 {
		t.Errorf("%d orders after %d bulk operations, want 5 after 2", len(got), e.Sim.BulkOperations())
	}
}

// TestBulkOrdersFailedOperation: a bulk operation Shopify ends FAILED is an ErrStore naming its
// error code, and nothing is delivered.
func TestBulkOrdersFailedOperation(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(5, 2)
	e.Sim.FailNextBulk("TIMEOUT")
	delivered := 0
	err := e.client.Orders(context.Background(), shopify.Query{Bulk: true}, func(p shopify.Page) error { delivered += len(p.Orders); return nil })
	if !errors.Is(err, shopify.ErrStore) || !strings.Contains(err.Error(), "TIMEOUT") || delivered != 0 {
		t.Errorf("err %v, %d delivered", err, delivered)
	}
	noSecrets(t, err.Error(), e.Sim.AccessToken())
}

// TestUseBulk is the rule that picks a bulk operation: windows longer than a week, or with no
// start.
func TestUseBulk(t *testing.T) {
	now := t0
	for _, c := range []struct {
		from, to time.Time
		want     bool
	}{
		{time.Time{}, now, true},
		{now.Add(-30 * 24 * time.Hour), now, true},
		{now.Add(-8 * 24 * time.Hour), time.Time{}, true},
		{now.Add(-7 * 24 * time.Hour), now, false},
		{now.Add(-10 * time.Minute), now, false},
	} {
		if got := shopify.UseBulk(c.from, c.to, now); got != c.want {
			t.Errorf("UseBulk(%v, %v) = %v", c.from, c.to, got)
		}
	}
}

// TestBulkOrdersUnderAMountPrefix: served under a path (as demo mode mounts it at
// /sim/shopify), the simulator's result URL keeps the prefix and the bulk walk completes.
func TestBulkOrdersUnderAMountPrefix(t *testing.T) {
	sim := shopifysim.New(shopifysim.Options{Clock: func() time.Time { return t0 }})
	defer sim.Close()
	sim.Generate(7, 4)
	mux := http.NewServeMux()
	mux.Handle("/sim/shopify/", http.StripPrefix("/sim/shopify", sim))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := shopify.New(shopify.Config{BaseURL: srv.URL + "/sim/shopify", AccessToken: sim.AccessToken(), HTTPClient: srv.Client(),
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := c.Orders(context.Background(), shopify.Query{Bulk: true}, func(p shopify.Page) error { n += len(p.Orders); return nil }); err != nil || n != 7 {
		t.Fatalf("%d orders, %v", n, err)
	}
}

// TestBulkOrdersReadRefunds: a bulk read (a first pull, a long resync) delivers an order
// refunded before it with its refund, exactly as the paged walk reads it: 2 of 3 Widgets
// (19.99 each, no tax) given back into stock are a refund of 39.98. Orders without refunds
// cost no further query; the refunded one costs one refunds read in either walk.
func TestBulkOrdersReadRefunds(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(6, 5)
	if _, err := e.Sim.AddProduct(shopifysim.Product{Title: "Widget", Variants: []shopifysim.Variant{{SKU: "Widget", Price: 1999}}}); err != nil {
		t.Fatal(err)
	}
	o, err := e.Sim.AddOrder(shopifysim.Order{Email: "jane@example.com",
		LineItems:    []shopifysim.LineItem{{SKU: "Widget", Quantity: 3, UnitPrice: 1999, RequiresShipping: true}},
		Transactions: []shopifysim.Transaction{{Kind: "SALE", Status: "SUCCESS", Gateway: "shopify_payments", Amount: 3 * 1999}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Sim.RefundOrder(o.ID, shopifysim.Refund{Note: "damaged box",
		Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 2, RestockType: "RETURN"}}})
	if err != nil {
		t.Fatal(err)
	}
	read := func(bulk bool) (shopify.Fetched, int) {
		before := e.Sim.Requests()["order"]
		got, _ := e.all(t, shopify.Query{Bulk: bulk})
		var found []shopify.Fetched
		for _, f := range got {
			if f.Err != nil {
				t.Fatalf("bulk %v: order %s refused: %v", bulk, f.Order.ExternalID, f.Err)
			}
			if f.Order.ExternalID == orderID(o) {
				found = append(found, f)
			}
		}
		if len(got) != 7 || len(found) != 1 {
			t.Fatalf("bulk %v: %d orders, the refunded one %d times", bulk, len(got), len(found))
		}
		return found[0], e.Sim.Requests()["order"] - before
	}
	paged, pagedReads := read(false)
	bulk, bulkReads := read(true)
	if pagedReads != 1 || bulkReads != 1 {
		t.Errorf("refunds reads: paged %d, bulk %d; want 1 each (one order has refunds)", pagedReads, bulkReads)
	}
	want := orders.Refund{ID: strconv.FormatInt(r.ID, 10), CreatedAt: t0, Note: "damaged box",
		Lines: []orders.RefundLine{{LineID: strconv.FormatInt(o.LineItems[0].ID, 10), SKU: "Widget", Name: "Widget", Quantity: 2, Amount: 3998, Restock: true}},
		Total: 3998, Refunded: 3998}
	if len(bulk.Order.Refunds) != 1 || !reflect.DeepEqual(bulk.Order.Refunds[0], want) {
		t.Fatalf("bulk read's refunds:\n got %+v\nwant %+v", bulk.Order.Refunds, want)
	}
	if !reflect.DeepEqual(bulk.Order, paged.Order) {
		t.Errorf("the order normalized differently:\nbulk  %+v\npaged %+v", bulk.Order, paged.Order)
	}
	if !sameJSON(bulk.Raw, paged.Raw) {
		t.Errorf("raw differs:\nbulk  %s\npaged %s", bulk.Raw, paged.Raw)
	}
}
