package ordersync_test

import (
	"context"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// stockSource is a store with one order of a mug, whose stock read answers quantity after
// running during.
type stockSource struct {
	quantity int
	during   func()
}

func (s stockSource) Check(context.Context) error { return nil }

func (s stockSource) Orders(_ context.Context, _ ordersync.Query, fn func([]ordersync.Fetched) error) error {
	o := orders.Order{Channel: "shipstation", ExternalID: "mug-1", Number: "M-1", Status: "awaiting_shipment",
		CreatedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		Currency: "USD", Customer: orders.Customer{FirstName: "Jane", LastName: "Doe"},
		Lines: []orders.Line{{SKU: "MUG-BLUE", Name: "Blue mug", Quantity: 1, UnitPrice: 900, Total: 900}}, Total: 900}
	return fn([]ordersync.Fetched{{Raw: []byte(`{"orderId":"mug-1"}`), Order: o}})
}

func (s stockSource) Stock(_ context.Context, skus []string) (map[string]orders.StockLevel, error) {
	if s.during != nil {
		s.during()
	}
	out := map[string]orders.StockLevel{}
	for _, sku := range skus {
		out[sku] = orders.StockLevel{Quantity: s.quantity, Tracked: true, Shipped: true}
	}
	return out, nil
}

// A stock level read while another pull (a webhook's, the schedule's) reads and stores a later
// one does not replace it: what the store said last stays, with the time it was said. (Before,
// the read answered first was stored last, stamped with the time it was stored: an item
// created from it started with stock the store had already sold.)
func TestEarlierStockReadDoesNotReplaceLaterOne(t *testing.T) {
	s := orders.DefaultSettings()
	s.NewItemType = orders.ItemInventory
	f := newFlow(t, 0, s)
	ctx := context.Background()
	q := ordersync.Query{UpdatedFrom: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), UpdatedTo: time.Now()}
	later := stockSource{quantity: 7}
	earlier := stockSource{quantity: 10, during: func() {
		if _, err := f.pipeline.Pull(ctx, f.conn, later, q, nil); err != nil {
			t.Error(err)
		}
	}}
	if _, err := f.pipeline.Pull(ctx, f.conn, earlier, q, nil); err != nil {
		t.Fatal(err)
	}
	got, err := f.d.GetStoreStock(ctx, f.conn.AccountID, "mug-blue")
	if err != nil {
		t.Fatal(err)
	}
	if got.Quantity != 7 {
		t.Errorf("stored stock %d, want the later read's 7", got.Quantity)
	}
}
