package shipstation_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/tamper"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// TestOrdersDeliverAMalformedOrderAndGoOn: of seven orders read three a page, the second
// carries a total QuickBooks cannot hold. The walk still reads all three pages; that order
// comes with an error wrapping orders.ErrAmount, its id and its number; the six others come
// normalized, in the same order as when nothing is wrong.
func TestOrdersDeliverAMalformedOrderAndGoOn(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	gen := e.Sim.Generate(7, 21)
	q := shipstation.Query{PageSize: 3}
	clean, _ := e.all(t, q)
	if len(clean) != 7 {
		t.Fatalf("%d orders without tampering, want 7", len(clean))
	}
	badID := clean[1].Order.ExternalID
	var bad shipstationsim.Order
	for _, o := range gen {
		if strconv.FormatInt(o.OrderID, 10) == badID {
			bad = o
		}
	}
	h := tamper.New(e.Sim, func(m map[string]any) bool {
		_, ok := m["orderNumber"]
		return ok && fmt.Sprint(m["orderId"]) == badID
	}, func(m map[string]any) { m["orderTotal"] = json.Number("99999999999999.99") })
	e.Srv.Config.Handler = h

	got, pages := e.all(t, q)
	storenettest.MalformedWalk(t, clean, got, pages, 3, map[int]storenettest.Broken{1: {Is: orders.ErrAmount, ID: badID, Number: bad.OrderNumber}})
	if h.Hits.Load() == 0 {
		t.Fatal("the order was never tampered with")
	}
}
