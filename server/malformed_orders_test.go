package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// TestMalformedOrdersShowInOrdersAndLogs: orders a store sent that its client could not
// normalize — one with an id and an amount QuickBooks cannot hold, one without any id — are
// listed by GraphQL orders in state ERROR with what to do, keep the store's payload, and are
// each in the Logs page once; ingesting the same page again adds nothing (the id-less order is
// known by its payload).
func TestMalformedOrdersShowInOrdersAndLogs(t *testing.T) {
	app, srv := newTestApp(t)
	u, c := signIn(t, app, srv, 0, db.RoleMember)
	ctx := context.Background()
	conn := &db.StoreConnection{AccountID: u.AccountID, Channel: "woocommerce", Name: "Woo", BaseURL: "https://shop.example",
		Enabled: true, Settings: json.RawMessage(`{}`)}
	fixtureStore(t, app.DB, conn, `{"consumerKey":"k","consumerSecret":"s"}`)
	page := []ordersync.Fetched{
		{Raw: json.RawMessage(`{"id":812,"number":"812","total":"99999999999999.99"}`), Order: orders.Order{ExternalID: "812", Number: "812"},
			Err: fmt.Errorf(`woocommerce: order is not the wc/v3 shape: "99999999999999.99" is beyond the largest amount QuickBooks holds: %w`, orders.ErrAmount)},
		{Raw: json.RawMessage(`{"status":"processing","total":"12.00"}`), Err: errors.New("woocommerce: order without an id (id 0)")},
	}
	for range 2 {
		if _, err := app.Pipeline.Ingest(ctx, conn, page); err != nil {
			t.Fatal(err)
		}
	}

	var list struct {
		Orders struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Number, State, StateReason, ExternalID, Raw string }
			}
		}
		Logs struct {
			Edges []struct {
				Node struct{ Message, Hint string }
			}
		}
	}
	c.mustGQL(`{ orders(filter: {state: ERROR}) { totalCount edges { node { number state stateReason externalId raw } } }
		logs { edges { node { message hint } } } }`, nil, &list)
	if list.Orders.TotalCount != 2 {
		t.Fatalf("orders in error: %+v", list.Orders)
	}
	byNumber := map[string]string{}
	for _, e := range list.Orders.Edges {
		n := e.Node
		if n.State != "ERROR" || !strings.Contains(n.StateReason, "Fix the order in the store; it is read again on the next sync.") {
			t.Errorf("order %s: %s %q", n.Number, n.State, n.StateReason)
		}
		byNumber[n.Number] = n.StateReason
		switch {
		case n.ExternalID == "812":
			if !strings.Contains(n.Raw, "99999999999999.99") {
				t.Errorf("order 812 lost its payload: %s", n.Raw)
			}
		case strings.HasPrefix(n.ExternalID, "unidentified:"):
			if !strings.Contains(n.Raw, "processing") {
				t.Errorf("id-less order lost its payload: %s", n.Raw)
			}
		default:
			t.Errorf("unexpected order %+v", n)
		}
	}
	if r := byNumber["812"]; !strings.Contains(r, "The store sent order #812 with an amount QuickBooks cannot hold. Ledgerlink cannot post it:") {
		t.Errorf("order 812's reason: %q", r)
	}
	logs := 0
	for _, e := range list.Logs.Edges {
		if strings.Contains(e.Node.Message, "The store sent") {
			logs++
			if e.Node.Hint != "Fix the order in the store; it is read again on the next sync." {
				t.Errorf("log hint %q", e.Node.Hint)
			}
		}
	}
	if logs != 2 {
		t.Errorf("%d log entries about the malformed orders, want 2: %+v", logs, list.Logs.Edges)
	}
}
