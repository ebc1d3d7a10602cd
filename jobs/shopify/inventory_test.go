package shopify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
)

func TestSetInventoryPerSKU(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(0, 1) // the built-in catalog
	primary := e.Sim.Locations()[0].ID
	qs := []shopify.Quantity{
		{SKU: "TEE-BLK-M", Available: 41},
		{SKU: "MUG-RED", Available: 7},                  // two variants share it
		{SKU: "GIFT-25", Available: 3},                  // inventory not tracked
		{SKU: "NO-SUCH-SKU", Available: 1},              // unknown
		{SKU: "COLDBREW-1L", Available: 12},             // was oversold (−2)
		{SKU: "TEE-WHT-S", Available: 5},                // superseded below
		{SKU: "", Available: 1},                         // empty
		{SKU: "TEE-WHT-S", Available: 6},                // wins
		{SKU: "BEANS-1KG-WB", Available: 2_000_000_000}, // Shopify refuses > 1e9
		{SKU: "tote-wax", Available: 9},                 // case differs from TOTE-WAX
	}
	res, err := e.client.SetInventory(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status shopify.InventoryStatus
		msg    string
	}{
		{shopify.InventoryOK, ""},
		{shopify.InventoryOK, ""},
		{shopify.InventoryError, "does not track inventory"},
		{shopify.InventoryUnknownSKU, ""},
		{shopify.InventoryOK, ""},
		{shopify.InventoryError, "superseded"},
		{shopify.InventoryError, "empty SKU"},
		{shopify.InventoryOK, ""},
		{shopify.InventoryError, "INVALID_QUANTITY_TOO_HIGH"},
		{shopify.InventoryOK, ""},
	}
	for i, w := range want {
		if res[i].SKU != qs[i].SKU || res[i].Status != w.status || !strings.Contains(res[i].Message, w.msg) {
			t.Errorf("result %d = %+v, want %s %q", i, res[i], w.status, w.msg)
		}
	}
	if len(res[1].InventoryItemIDs) != 2 {
		t.Errorf("MUG-RED set %d inventory items, want both variants'", len(res[1].InventoryItemIDs))
	}
	for sku, n := range map[string]int{"TEE-BLK-M": 41, "MUG-RED": 7, "COLDBREW-1L": 12, "TEE-WHT-S": 6, "TOTE-WAX": 9} {
		if got, ok := e.Sim.InventoryAt(sku, primary); !ok || got != n {
			t.Errorf("%s at the primary location = %d (%v), want %d", sku, got, ok, n)
		}
	}
	if got, _ := e.Sim.InventoryAt("BEANS-1KG-WB", primary); got == 2_000_000_000 {
		t.Error("refused quantity was stored")
	}
	// The refused quantity made Shopify reject its call; the client resent
	// the rest: two mutations in all.
	if n := e.Sim.Requests()["inventorySetQuantities"]; n != 2 {
		t.Errorf("%d inventorySetQuantities calls, want 2", n)
	}
}

func TestSetInventoryBatchesAndLocation(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(0, 1)
	var variants []shopifysim.Variant
	for i := range 130 {
		variants = append(variants, shopifysim.Variant{SKU: fmt.Sprintf("BULK-%03d", i), Title: strconv.Itoa(i), Price: 100})
	}
	if _, err := e.Sim.AddProduct(shopifysim.Product{Title: "Bulk", Variants: variants}); err != nil {
		t.Fatal(err)
	}
	retail := e.Sim.Locations()[1]
	c, err := shopify.New(shopify.Config{BaseURL: e.Srv.URL, AccessToken: e.Sim.AccessToken(), LocationID: "gid://shopify/Location/" + strconv.FormatInt(retail.ID, 10),
		HTTPClient: e.Srv.Client(), Sleep: e.Clock.Sleep, Now: e.Clock.Now, Logger: slog.New(slog.NewTextHandler(e.Logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var qs []shopify.Quantity
	for i := range 130 {
		qs = append(qs, shopify.Quantity{SKU: fmt.Sprintf("BULK-%03d", i), Available: i})
	}
	res, err := c.SetInventory(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Status != shopify.InventoryOK {
			t.Fatalf("result %d = %+v", i, r)
		}
		if got, _ := e.Sim.InventoryAt(qs[i].SKU, retail.ID); got != i {
			t.Fatalf("%s at %s = %d, want %d", qs[i].SKU, retail.Name, got, i)
		}
	}
	reqs := e.Sim.Requests()
	if reqs["inventorySetQuantities"] != 2 || reqs["inventoryItems"] != 3 || reqs["productVariants"] != 0 || reqs["location"] != 0 {
		t.Errorf("requests %v: want 2 mutations of ≤ 100, 3 inventoryItems look-ups of ≤ 50 SKUs, no location query", reqs)
	}
}

func TestSetInventoryCallFailure(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(0, 1)
	bad := e.newClient(t, e.Srv.URL, "shpat_nope_000")
	res, err := bad.SetInventory(context.Background(), []shopify.Quantity{{SKU: "TEE-BLK-M", Available: 1}})
	if !errors.Is(err, shopify.ErrUnauthorized) || res[0].Status != shopify.InventoryError || !strings.HasPrefix(res[0].Message, "not done") {
		t.Errorf("err %v, result %+v", err, res[0])
	}
	noSecrets(t, "error", err.Error(), "shpat_nope_000")
}

// TestStockSaysWhatTheStoreCounts: Stock reports each SKU's available quantity (summed over
// the variants sharing it), whether Shopify tracks it and whether it ships; values from the
// sim's catalog set by hand here.
func TestStockSaysWhatTheStoreCounts(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	e.Sim.Generate(0, 1) // the built-in catalog
	for sku, n := range map[string]int{"TEE-BLK-M": 41, "COLDBREW-1L": -3} {
		if err := e.Sim.SetInventory(sku, n); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.client.Stock(context.Background(), []string{"TEE-BLK-M", "COLDBREW-1L", "GIFT-25", "NO-SUCH-SKU"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]orders.StockLevel{
		"TEE-BLK-M":   {Quantity: 41 + otherLocations(e, "TEE-BLK-M"), Tracked: true, Shipped: true},
		"COLDBREW-1L": {Quantity: -3 + otherLocations(e, "COLDBREW-1L"), Tracked: true, Shipped: true},
		"GIFT-25":     {Tracked: false, Shipped: false}, // a gift card: not tracked, nothing to ship
	}
	if len(got) != len(want) {
		t.Errorf("got %d SKUs %v, want %d (unknown SKUs absent)", len(got), got, len(want))
	}
	for sku, w := range want {
		if got[sku] != w {
			t.Errorf("%s: %+v, want %+v", sku, got[sku], w)
		}
	}
}

// otherLocations is the stock of sku outside the primary location.
func otherLocations(e *env, sku string) int {
	n := 0
	for _, l := range e.Sim.Locations()[1:] {
		q, _ := e.Sim.InventoryAt(sku, l.ID)
		n += q
	}
	return n
}
