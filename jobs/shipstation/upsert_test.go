package shipstation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// qbOrder is a QuickBooks sale as the QuickBooks → ShipStation pipeline
// would hand it over.
func qbOrder(i int) shipstation.Order {
	addr := shipstation.Address{Name: "Jürgen Müller", Company: "Müller & Söhne GmbH", Street1: "Königstraße 12", City: "Stuttgart", PostalCode: "70173", Country: "DE"}
	return shipstation.Order{
		OrderNumber: fmt.Sprintf("INV-%05d", i),
		OrderKey:    fmt.Sprintf("qb-1234-Invoice-%d", i),
		OrderDate:   shipstation.Time{Time: t0.Add(-time.Duration(i) * time.Hour)},
		OrderStatus: shipstationsim.StatusAwaitingShipment,
		BillTo:      addr,
		ShipTo:      addr,
		Items: []shipstation.Item{
			{LineItemKey: "1", SKU: "WID-100-BLK", Name: "Widget — Black", Quantity: 2, UnitPrice: 1999},
			{LineItemKey: "2", SKU: "TEA-MATCHA-100G", Name: "抹茶 Matcha", Quantity: 1, UnitPrice: 2450},
		},
		TaxAmount:       123,
		ShippingAmount:  795,
		AdvancedOptions: &shipstation.AdvancedOptions{StoreID: shipstationsim.ManualStoreID, CustomField1: "QuickBooks"},
	}
}

func TestUpsertIsIdempotentByOrderKey(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	ctx := context.Background()
	in := make([]shipstation.Order, 150)
	for i := range in {
		in[i] = qbOrder(i)
	}
	res, err := e.client.UpsertOrders(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for i, r := range res {
		if !r.OK || r.OrderID == 0 || r.OrderKey != in[i].OrderKey {
			t.Fatalf("result %d = %+v", i, r)
		}
		ids[r.OrderKey] = r.OrderID
	}
	if n := len(e.Sim.Orders()); n != 150 {
		t.Fatalf("simulator holds %d orders, want 150", n)
	}
	var batches int
	for _, r := range e.Sim.Requests() {
		if strings.EqualFold(r.Path, "/orders/createorders") {
			batches++
		}
	}
	if batches != 2 {
		t.Errorf("%d createorders requests for 150 orders, want 2", batches)
	}

	// Upsert again with a change, through a fault that commits the first
	// attempt before failing it: still one order per key.
	for i := range in {
		in[i].Items[0].Quantity = 3
	}
	e.Sim.FailNext(1, shipstationsim.Fault{Status: 500, AfterHandling: true, Path: "/orders/createorders"})
	res, err = e.client.UpsertOrders(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if !r.OK || r.OrderID != ids[r.OrderKey] {
			t.Errorf("second upsert %d = %+v, want OK with id %d", i, r, ids[r.OrderKey])
		}
	}
	if n := len(e.Sim.Orders()); n != 150 {
		t.Fatalf("after upserting twice the simulator holds %d orders, want 150", n)
	}
	got, ok := e.Sim.OrderByKey(in[7].OrderKey)
	if !ok || got.Items[0].Quantity != 3 || cents(got.OrderTotal) != 3*1999+2450+123+795 {
		t.Errorf("order 7 not updated: %+v", got)
	}
	if got.BillTo.Name != "Jürgen Müller" || *got.Items[1].SKU != "TEA-MATCHA-100G" {
		t.Errorf("UTF-8 not kept: %q", got.BillTo.Name)
	}
}

func TestUpsertPerOrderErrors(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	ctx := context.Background()
	in := []shipstation.Order{qbOrder(1), qbOrder(2), qbOrder(3)}
	if _, err := e.client.UpsertOrders(ctx, in); err != nil {
		t.Fatal(err)
	}
	shipped, _ := e.Sim.OrderByKey(in[1].OrderKey)
	if _, err := e.Sim.Ship(shipped.OrderID, "ups", "ups_ground", "", 9.5); err != nil {
		t.Fatal(err)
	}

	noKey := qbOrder(4)
	noKey.OrderKey = ""
	noDate := qbOrder(5)
	noDate.OrderDate = shipstation.Time{}
	dup := qbOrder(6)
	dup.OrderKey = in[0].OrderKey
	batch := []shipstation.Order{in[0], in[1], noKey, noDate, dup, qbOrder(7)}
	res, err := e.client.UpsertOrders(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ok  bool
		msg string
	}{
		{true, ""},
		{false, ""}, // shipped: locked (ShipStation's wording)
		{false, "orderKey is required"},
		{false, "orderDate"},
		{false, "also used by order 0"},
		{true, ""},
	}
	for i, w := range want {
		r := res[i]
		if r.OK != w.ok || (!w.ok && r.Error == "") || !strings.Contains(r.Error, w.msg) {
			t.Errorf("result %d = %+v, want ok=%v error containing %q", i, r, w.ok, w.msg)
		}
	}
	if _, ok := e.Sim.OrderByKey(qbOrder(7).OrderKey); !ok {
		t.Error("the valid order sent with an invalid one was not stored")
	}
	if n := len(e.Sim.Orders()); n != 4 {
		t.Errorf("simulator holds %d orders, want 4", n)
	}
}

func TestUpsertCallFailure(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	e.Sim.FailNext(20, shipstationsim.Fault{Status: 503})
	res, err := e.client.UpsertOrders(context.Background(), []shipstation.Order{qbOrder(1)})
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("err = %v, want the 503", err)
	}
	if res[0].OK || !strings.HasPrefix(res[0].Error, "not sent") {
		t.Errorf("result = %+v", res[0])
	}
}
