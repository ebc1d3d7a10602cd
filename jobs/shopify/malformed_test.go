package shopify_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/tamper"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// TestOrdersDeliverAMalformedOrderAndGoOn: of seven orders read three a page, the second sent
// carries a total QuickBooks cannot hold. The walk still reads all three pages; that order
// comes with an error wrapping orders.ErrAmount, its id and its number; the six others come
// normalized, in the same order as when nothing is wrong.
func TestOrdersDeliverAMalformedOrderAndGoOn(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	gen := e.Sim.Generate(7, 21)
	q := shopify.Query{PageSize: 3}
	clean, _ := e.all(t, q)
	if len(clean) != 7 {
		t.Fatalf("%d orders without tampering, want 7", len(clean))
	}
	badID := clean[1].Order.ExternalID
	var bad shopifysim.Order
	for _, o := range gen {
		if strconv.FormatInt(o.ID, 10) == badID {
			bad = o
		}
	}
	gid := fmt.Sprintf("gid://shopify/Order/%d", bad.ID)
	h := tamper.New(e.Sim, func(m map[string]any) bool { return m["id"] == gid },
		func(m map[string]any) {
			m["totalPriceSet"].(map[string]any)["shopMoney"].(map[string]any)["amount"] = "99999999999999.99"
		})
	e.Srv.Config.Handler = h

	got, pages := e.all(t, q)
	storenettest.MalformedWalk(t, clean, got, pages, 3, map[int]storenettest.Broken{1: {Is: orders.ErrAmount, ID: badID, Number: strconv.Itoa(bad.Number)}})
	if h.Hits.Load() == 0 {
		t.Fatal("the order was never tampered with")
	}
}
