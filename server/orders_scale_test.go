package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
)

// A page of orders asking for each order's audit trail gets each its own (loaded for the whole
// page at once), and a plain list's count is exact (not capped).
func TestOrdersPageWithAuditTrails(t *testing.T) {
	app, srv := newTestApp(t)
	u, c := signIn(t, app, srv, 0, db.RoleMember)
	other, _ := fixtureUser(t, app.DB, 0, db.RoleMember)
	ctx := context.Background()
	want := map[string][]string{}
	for i, n := range []string{"7101", "7102", "7103"} {
		o := storeOrder(t, app.DB, u.AccountID, n, "Lee", db.OrderPosted, 100)
		for j := range i { // 7101 has none, 7102 one, 7103 two
			msg := fmt.Sprintf("event %d of %s", j+1, n)
			if err := app.DB.AddOrderEvent(ctx, &db.OrderEvent{OrderID: o.ID, AccountID: u.AccountID, Kind: "note", Message: msg}); err != nil {
				t.Fatal(err)
			}
			want[n] = append(want[n], msg)
		}
	}
	storeOrder(t, app.DB, other.AccountID, "7199", "Else", db.OrderPosted, 100) // another account's
	var got struct {
		Orders struct {
			TotalCount int
			PageInfo   struct{ TotalCountCapped bool }
			Edges      []struct {
				Node struct {
					Number string
					Events []struct{ Message string }
				}
			}
		}
	}
	c.mustGQL(`{ orders(first: 10) { totalCount pageInfo { totalCountCapped } edges { node { number events { message } } } } }`, nil, &got)
	if got.Orders.TotalCount != 3 || got.Orders.PageInfo.TotalCountCapped || len(got.Orders.Edges) != 3 {
		t.Fatalf("list: %+v", got.Orders)
	}
	for _, e := range got.Orders.Edges {
		var msgs []string
		for _, ev := range e.Node.Events {
			msgs = append(msgs, ev.Message)
		}
		if fmt.Sprint(msgs) != fmt.Sprint(want[e.Node.Number]) {
			t.Errorf("order %s: events %v, want %v", e.Node.Number, msgs, want[e.Node.Number])
		}
	}
	// One order alone (not from a list) still reads its own trail.
	var one struct {
		Orders struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	c.mustGQL(`{ orders(first: 1) { edges { node { id } } } }`, nil, &one)
	var detail struct {
		Order struct{ Events []struct{ Message string } }
	}
	c.mustGQL(`query($id: ID!) { order(id: $id) { events { message } } }`, map[string]any{"id": one.Orders.Edges[0].Node.ID}, &detail)
	if len(detail.Order.Events) != 2 || detail.Order.Events[1].Message != "event 2 of 7103" {
		t.Errorf("detail: %+v", detail.Order.Events)
	}
}
