package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// The sent-sales table: one row per sale and ShipStation connection however often it is saved,
// found by order key and order id only in its own account, the seed's duplicate check, status
// sightings that lock shipped orders and ignore older sightings, and the test-sales queue.
func TestShipStationExports(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	sq := dbtest.SQL(t)
	day := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	orderID := int64(100000042)
	e := &db.ShipStationExport{AccountID: f.account, StoreConnectionID: f.store1, QBDConnectionID: f.qbd, TxnType: "IN", TxnID: "1A2B-1701234567",
		RefNumber: "1042", TxnDate: &day, OrderKey: "llqb-1-IN-1A2B-1701234567", SentEditSequence: "1701234567", SSOrderID: &orderID,
		SSStatus: "awaiting_shipment", State: db.ExportSent}
	if err := db.SaveShipStationExport(ctx, sq, e); err != nil {
		t.Fatal(err)
	}
	first := e.ID
	again := *e
	again.ID = 0
	again.SentEditSequence = "1701239999"
	if err := db.SaveShipStationExport(ctx, sq, &again); err != nil {
		t.Fatal(err)
	}
	if again.ID != first {
		t.Fatalf("second save made row %d, want the same row %d", again.ID, first)
	}
	got, err := db.ShipStationExportTx(ctx, sq, f.account, first)
	if err != nil || got.SentEditSequence != "1701239999" || got.RefNumber != "1042" || got.OrderKey != e.OrderKey {
		t.Fatalf("by id: %+v %v", got, err)
	}
	if _, err := db.ShipStationExportTx(ctx, sq, f.otherAccount, first); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another account found the row: %v", err)
	}
	if got, err := db.ShipStationExportByOrderID(ctx, sq, f.account, f.store1, orderID); err != nil || got.ID != first {
		t.Fatalf("by order id: %+v %v", got, err)
	}
	bySale, err := db.ShipStationExportsOfSales(ctx, sq, f.account, f.store1, f.qbd, []string{"1A2B-1701234567", "nope"})
	if err != nil || len(bySale) != 1 || bySale["IN/1A2B-1701234567"] == nil {
		t.Fatalf("by sale: %+v %v", bySale, err)
	}

	// Same date + number + store under another key is the seed's duplicate; the same key is not.
	if d, err := db.ShipStationDuplicate(ctx, sq, f.account, f.store1, 0, day, "1042", "llqb-1-SR-other"); err != nil || d.ID != first {
		t.Fatalf("duplicate: %+v %v", d, err)
	}
	if _, err := db.ShipStationDuplicate(ctx, sq, f.account, f.store1, 0, day, "1042", e.OrderKey); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("own key counted as duplicate: %v", err)
	}
	if _, err := db.ShipStationDuplicate(ctx, sq, f.account, f.store1, 77, day, "1042", "x"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another ShipStation store counted as duplicate: %v", err)
	}
	// Scoped to the account: another account naming this store connection finds nothing.
	if other, err := db.ShipStationExportsOfSales(ctx, sq, f.otherAccount, f.store1, f.qbd, []string{"1A2B-1701234567"}); err != nil || len(other) != 0 {
		t.Fatalf("another account's read by sale: %+v %v", other, err)
	}
	if _, err := db.ShipStationDuplicate(ctx, sq, f.otherAccount, f.store1, 0, day, "1042", "llqb-1-SR-other"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another account's duplicate check found a row: %v", err)
	}

	t1 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	if err := db.SetShipStationExportStatus(ctx, sq, f.account, first, "shipped", t1); err != nil {
		t.Fatal(err)
	}
	if err := db.SetShipStationExportStatus(ctx, sq, f.account, first, "awaiting_shipment", t1.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = db.ShipStationExportTx(ctx, sq, f.account, first)
	if got.SSStatus != "shipped" || got.State != db.ExportLocked {
		t.Fatalf("after shipped and an older sighting: status %q state %q, want shipped/locked", got.SSStatus, got.State)
	}
	if err := db.SetShipStationExportStatus(ctx, sq, f.otherAccount, first, "cancelled", t1.Add(time.Hour)); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another account set the status: %v", err)
	}

	list, err := f.d.ListShipStationExports(ctx, f.account, f.store1, db.ShipStationExportFilter{Search: "104"}, db.Page{})
	if err != nil || list.TotalCount != 1 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if list, _ := f.d.ListShipStationExports(ctx, f.otherAccount, f.store1, db.ShipStationExportFilter{}, db.Page{}); list.TotalCount != 0 {
		t.Fatalf("another account lists %d rows", list.TotalCount)
	}

	if err := db.RequestShipStationExportTests(ctx, sq, f.account, f.store1, []string{"1042", "1043"}); err != nil {
		t.Fatal(err)
	}
	if err := db.RequestShipStationExportTests(ctx, sq, f.account, f.store1, []string{"1042"}); err != nil {
		t.Fatal(err)
	}
	pending, err := db.PendingShipStationExportTests(ctx, sq, f.account, f.store1)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending tests: %+v %v", pending, err)
	}
	if err := db.SettleShipStationExportTest(ctx, sq, f.account, pending[0].ID, db.TestSent, "sent", &first); err != nil {
		t.Fatal(err)
	}
	if pending, _ := db.PendingShipStationExportTests(ctx, sq, f.account, f.store1); len(pending) != 1 || pending[0].RefNumber != "1043" {
		t.Fatalf("pending after settling one: %+v", pending)
	}
	recent, err := f.d.RecentShipStationExportTests(ctx, f.account, f.store1, 10)
	if err != nil || len(recent) != 2 {
		t.Fatalf("recent tests: %+v %v", recent, err)
	}
}
