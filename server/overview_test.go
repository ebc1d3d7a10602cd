package server

import (
	"context"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// The dashboard's overview through GraphQL: one card per store with its counts and next pull,
// 30 days of activity, the orders needing attention, scoped to the caller's account.
func TestOverview(t *testing.T) {
	app, srv := newTestApp(t)
	ctx := context.Background()
	u, c := signIn(t, app, srv, 0, db.RoleMember)
	_, c2 := signIn(t, app, srv, 0, db.RoleMember)
	b := dbtest.SQL(t)
	lastSync := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	var shop, paused int64
	if err := b.NewRaw(`INSERT INTO store_connections (account_id, channel, name, base_url, sync_every_minutes, last_sync_at)
		VALUES (?, 'shopify', 'Main shop', 'https://shop.example', 20, ?) RETURNING id`, u.AccountID, lastSync).Scan(ctx, &shop); err != nil {
		t.Fatal(err)
	}
	if err := b.NewRaw(`INSERT INTO store_connections (account_id, channel, name, base_url, enabled)
		VALUES (?, 'woocommerce', 'Paused shop', 'https://woo.example', false) RETURNING id`, u.AccountID).Scan(ctx, &paused); err != nil {
		t.Fatal(err)
	}
	order := func(number, state, reason string) {
		if _, err := b.NewRaw(`INSERT INTO orders (account_id, connection_id, channel, external_id, number, state, state_reason, raw, normalized)
			VALUES (?, ?, 'shopify', ?, ?, ?, ?, '{}', '{}')`, u.AccountID, shop, number, number, state, reason).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	order("1001", db.OrderError, "QuickBooks refused it: the customer is inactive.")
	order("1002", db.OrderNeedsMapping, "SKU BLUE-1 has no QuickBooks item.")
	order("1003", db.OrderReady, "")
	order("1004", db.OrderPosted, "")

	const q = `query($tz: String, $days: Int) { overview(timeZone: $tz, days: $days) {
		stores { connection { id name } nextPullAt ordersToday ordersLast7Days waiting inError needsMapping }
		days { day errors inventoryUpdated inventoryFailed posted { connectionId count } }
		needsAttention { number state stateReason } } }`
	type storeCard struct {
		Connection                                                   struct{ ID, Name string }
		NextPullAt                                                   *time.Time
		OrdersToday, OrdersLast7Days, Waiting, InError, NeedsMapping int
	}
	var got struct {
		Overview struct {
			Stores         []storeCard
			Days           []struct{ Day string }
			NeedsAttention []struct{ Number, State, StateReason string }
		}
	}
	c.mustGQL(q, map[string]any{"tz": "Etc/GMT+6"}, &got)
	ov := got.Overview
	if len(ov.Stores) != 2 || ov.Stores[0].Connection.Name != "Paused shop" || ov.Stores[1].Connection.Name != "Main shop" {
		t.Fatalf("stores = %+v", ov.Stores)
	}
	if s := ov.Stores[0]; s.NextPullAt != nil || s.OrdersLast7Days != 0 {
		t.Errorf("paused store = %+v, want no next pull and no orders", s)
	}
	s := ov.Stores[1]
	if s.NextPullAt == nil || !s.NextPullAt.Equal(lastSync.Add(20*time.Minute)) {
		t.Errorf("next pull = %v, want %v", s.NextPullAt, lastSync.Add(20*time.Minute))
	}
	if s.OrdersLast7Days != 4 || s.Waiting != 1 || s.InError != 1 || s.NeedsMapping != 1 {
		t.Errorf("main shop = %+v, want 4 in 7 days, 1 waiting, 1 in error, 1 needing mapping", s)
	}
	if len(ov.Days) != 30 || ov.Days[29].Day != time.Now().In(time.FixedZone("UTC-6", -6*3600)).Format(time.DateOnly) {
		t.Errorf("days: %d, last %+v", len(ov.Days), ov.Days[len(ov.Days)-1])
	}
	if len(ov.NeedsAttention) != 2 || ov.NeedsAttention[0].Number != "1002" || ov.NeedsAttention[1].StateReason != "QuickBooks refused it: the customer is inactive." {
		t.Errorf("needs attention = %+v", ov.NeedsAttention)
	}

	for _, bad := range []map[string]any{{"tz": "Not/AZone"}, {"tz": "UTC'; --"}, {"days": 0}, {"days": 91}} {
		if r := c.gql(q, bad); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%v: code %q, errors %+v", bad, r.code(), r.Errors)
		}
	}

	// Another account sees none of it.
	c2.mustGQL(q, nil, &got)
	if len(got.Overview.Stores) != 0 || len(got.Overview.NeedsAttention) != 0 || len(got.Overview.Days) != 30 {
		t.Fatalf("other account's overview = %+v", got.Overview)
	}
}
