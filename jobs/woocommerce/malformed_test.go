package woocommerce_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/sim/tamper"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// TestOrdersDeliverAMalformedOrderAndGoOn: of seven orders read three a page, the second
// carries a total QuickBooks cannot hold, and the fifth has no id. The walk still reads all
// three pages; the first comes with an error wrapping orders.ErrAmount, its id and its number,
// the id-less one with an error and no id; the five others come normalized, in the same order
// as when nothing is wrong.
func TestOrdersDeliverAMalformedOrderAndGoOn(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	gen := e.generate(t, 7, 21)
	q := woocommerce.Query{PageSize: 3}
	clean, _ := e.all(t, q)
	if len(clean) != 7 {
		t.Fatalf("%d orders without tampering, want 7", len(clean))
	}
	badID, idless := clean[1].Order.ExternalID, clean[4].Order.ExternalID
	var bad woosim.Order
	for _, o := range gen {
		if strconv.Itoa(o.ID) == badID {
			bad = o
		}
	}
	number := bad.Number
	if number == "" {
		number = badID
	}
	h := tamper.New(e.Sim, func(m map[string]any) bool {
		_, ok := m["order_key"]
		id := fmt.Sprint(m["id"])
		return ok && (id == badID || id == idless)
	}, func(m map[string]any) {
		if fmt.Sprint(m["id"]) == badID {
			m["total"] = "99999999999999.99"
		} else {
			delete(m, "id")
		}
	})
	e.Srv.Config.Handler = h

	got, pages := e.all(t, q)
	storenettest.MalformedWalk(t, clean, got, pages, 3, map[int]storenettest.Broken{
		1: {Is: orders.ErrAmount, ID: badID, Number: number},
		4: {}, // an error and no id
	})
	if h.Hits.Load() == 0 {
		t.Fatal("the orders were never tampered with")
	}
}
