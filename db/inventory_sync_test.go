package db_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// The queries detection and its schedule use: store connections of one company, companies with
// inventory sync on, store connections with updates due, and snapshot items by ListID — each
// scoped to its account and connection.
func TestInventorySyncQueries(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	sq := dbtest.SQL(t)
	set := func(store int64, qbd int64, settings string, enabled bool) {
		if _, err := sq.NewRaw(`UPDATE store_connections SET qbd_connection_id = ?, settings = ?::jsonb, enabled = ? WHERE id = ?`,
			qbd, settings, enabled, store).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	set(f.store1, f.qbd, `{"inventory":{"enabled":true}}`, true)
	set(f.store2, f.qbd, `{"transactionType":"invoice"}`, true) // stored before the setting: off
	set(f.otherStore, f.otherQBD, `{"inventory":{"enabled":true}}`, false)

	conns, err := db.StoreConnectionsOfCompany(ctx, sq, f.account, db.DesktopCompany(f.qbd))
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 2 || conns[0].ID != f.store1 || conns[1].ID != f.store2 {
		t.Fatalf("store connections of the company: %+v", conns)
	}
	if other, err := db.StoreConnectionsOfCompany(ctx, sq, f.account, db.DesktopCompany(f.otherQBD)); err != nil || len(other) != 0 {
		t.Fatalf("another account's company: %+v %v", other, err)
	}

	on, err := f.d.QBDConnectionsWithInventorySync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(on, db.QBDInventoryConnection{AccountID: f.account, QBDConnectionID: f.qbd}) ||
		slices.Contains(on, db.QBDInventoryConnection{AccountID: f.otherAccount, QBDConnectionID: f.otherQBD}) { // its store is disabled
		t.Fatalf("companies with inventory sync: %+v", on)
	}

	if _, err := db.EnqueueInventoryUpdates(ctx, sq, f.account, []db.InventoryTarget{{StoreConnectionID: f.store1, SKU: "A", Quantity: 1}}); err != nil {
		t.Fatal(err)
	}
	due, err := f.d.StoreConnectionsWithDueInventoryUpdates(ctx, time.Now().Add(time.Second), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(due, db.InventoryPushDue{AccountID: f.account, StoreConnectionID: f.store1}) ||
		slices.Contains(due, db.InventoryPushDue{AccountID: f.account, StoreConnectionID: f.store2}) {
		t.Fatalf("due: %+v", due)
	}
	// Claimed just now: not due again until the lease has passed.
	if _, err := db.ClaimInventoryUpdates(ctx, sq, f.account, f.store1, 10, time.Now().Add(time.Second), time.Minute); err != nil {
		t.Fatal(err)
	}
	if due, err = f.d.StoreConnectionsWithDueInventoryUpdates(ctx, time.Now().Add(time.Second), time.Minute); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(due, db.InventoryPushDue{AccountID: f.account, StoreConnectionID: f.store1}) {
		t.Fatalf("a fresh claim counted as due: %+v", due)
	}

	t0 := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	if err := db.SaveInventorySnapshotOf(ctx, sq, f.account, db.DesktopCompany(f.qbd), []db.SnapshotItem{
		{ListID: "1", FullName: "A", ItemType: "ItemInventory", OnHand: 5 * db.QtyScale, LastSeenAt: t0, ChangedAt: t0},
		{ListID: "2", FullName: "B", ItemType: "ItemInventory", OnHand: 7 * db.QtyScale, LastSeenAt: t0, ChangedAt: t0},
		{ListID: "3", FullName: "C", ItemType: "ItemInventory", OnHand: 9 * db.QtyScale, LastSeenAt: t0, ChangedAt: t0},
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.InventorySnapshotItemsOf(ctx, sq, f.account, db.DesktopCompany(f.qbd), []string{"3", "1", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ListID != "1" || got[0].OnHand != 5*db.QtyScale || got[1].ListID != "3" || got[1].OnHand != 9*db.QtyScale {
		t.Fatalf("snapshot items: %+v", got)
	}
	if got, err := db.InventorySnapshotItemsOf(ctx, sq, f.otherAccount, db.DesktopCompany(f.qbd), []string{"1"}); err != nil || len(got) != 0 {
		t.Fatalf("another account reads the snapshot: %+v %v", got, err)
	}
}
