package channels

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// TestShopifyBackfillsUseBulkOperations (issue 15 goal 2): the pipeline's Shopify source reads
// a backfill window (a connection's first 30 days) with one bulk operation and no paged orders
// query, and an incremental window (minutes) with the paged query and no bulk operation.
func TestShopifyBackfillsUseBulkOperations(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1")
	now := time.Now()
	for _, c := range []struct {
		name        string
		from        time.Time
		bulk, paged bool
	}{
		{"first pull", now.Add(-ordersync.FirstPullWindow), true, false},
		{"incremental pull", now.Add(-10 * time.Minute), false, true},
	} {
		shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", RestoreRate: 100000})
		shop.Generate(12, 3)
		srv := httptest.NewServer(shop)
		src, err := Sources("shopify", srv.URL, ordersync.Credentials{AccessToken: "shpat_test"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = src.Orders(context.Background(), ordersync.Query{UpdatedFrom: c.from, UpdatedTo: now.Add(time.Minute)},
			func(p []ordersync.Fetched) error { n += len(p); return nil })
		srv.Close()
		shop.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := shop.BulkOperations() > 0; got != c.bulk {
			t.Errorf("%s: %d bulk operations", c.name, shop.BulkOperations())
		}
		if got := shop.Requests()["orders"] > 0; got != c.paged {
			t.Errorf("%s: %d paged orders queries", c.name, shop.Requests()["orders"])
		}
		if c.bulk && n != 12 {
			t.Errorf("%s: %d orders, want the shop's 12", c.name, n)
		}
	}
}
